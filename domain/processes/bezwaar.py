"""Bezwaar: an inwoner objects to a besluit. Its own zaak on the same engine, handled by juridische zaken.
Works for a besluit of any zaaktype (Wmo now; Jeugd, Minima and Participatiewet later)."""
from __future__ import annotations

from dataclasses import dataclass

from ..afspraken import AnnuleerAfspraak, vastleggen
from ..configuratie import Optie, behandeling_opties
from ..effects import MaakActie, MeldInwoner, MeldMedewerkers, RondActieAf, StartTermijn, StopTermijn
from ..roles import Rol
from ..stappen import Brief, PlanAfspraak
from ..workflow import Context, Effect, Guard, Overgang, OvergangFout, Status, Termijnsoort, Zaaktype

JURIDISCH = frozenset({Rol.JURIDISCH.value})
HOORZITTING = "hoorzitting"

# The grounds on which horen may be left out, Awb 7:3 (onder a-e); anything else means the bezwaarmaker is heard
# (Awb 7:2) before the beslissing.
HOREN_ACHTERWEGE = {
    "kennelijk_niet_ontvankelijk": "Het bezwaar is kennelijk niet-ontvankelijk (Awb, artikel 7:3, onder a)",
    "kennelijk_ongegrond": "Het bezwaar is kennelijk ongegrond (Awb, artikel 7:3, onder b)",
    "afgezien": "De indiener heeft laten weten niet gehoord te willen worden (Awb, artikel 7:3, onder c)",
    "niet_gereageerd": ("De indiener heeft niet binnen de gestelde termijn laten weten gehoord te willen worden "
                        "(Awb, artikel 7:3, onder d)"),
    "tegemoetgekomen": ("Het bezwaar wordt helemaal toegewezen en niemand anders wordt daardoor benadeeld "
                        "(Awb, artikel 7:3, onder e)"),
}


def bezwaarschrift(ctx: Context):
    from sqlalchemy import select

    from ..models import Bezwaarschrift

    return ctx.session.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == ctx.zaak.id))


@dataclass(frozen=True)
class NeemInBehandeling(Effect):
    def toepassen(self, ctx: Context) -> None:
        ctx.zaak.behandelaar_id = ctx.actor.id


def gehoord_of_achterwege(ctx: Context) -> bool:
    """Awb 7:2: the bezwaarmaker was heard (a hoorzitting took place), or horen was left out on a ground of 7:3."""
    from ..afspraken import gehouden

    return (gehouden(ctx.session, ctx.zaak.id, HOORZITTING) is not None
            or bezwaarschrift(ctx).horen_achterwege is not None)


HOREN = Guard(gehoord_of_achterwege, "U kunt nog niet beslissen: de indiener is nog niet gehoord (Awb, artikel 7:2). "
              "Houd eerst de hoorzitting en leg die vast, of leg vast waarom horen niet nodig is (artikel 7:3).")


@dataclass(frozen=True)
class ZieAfVanHoren(Effect):
    """Record that horen is left out and on which ground of Awb 7:3; never while a hoorzitting is planned."""

    def toepassen(self, ctx: Context) -> None:
        from ..afspraken import is_gepland

        grond = ctx.gegevens.get("grond")
        if grond not in HOREN_ACHTERWEGE:
            raise OvergangFout("Kies de reden uit de wet waarom horen niet nodig is.", veld="grond")
        toelichting = (ctx.gegevens.get("toelichting") or "").strip()
        if not toelichting:
            raise OvergangFout("Leg uit waarom deze reden hier geldt.", veld="toelichting")
        if is_gepland(HOORZITTING)(ctx):
            raise OvergangFout("Er is een hoorzitting gepland. Laat die eerst niet doorgaan: dan krijgt de "
                               "inwoner bericht.")
        schrift = bezwaarschrift(ctx)
        schrift.horen_achterwege, schrift.horen_toelichting = grond, toelichting


@dataclass(frozen=True)
class BevestigOntvangst(Effect):
    """Awb 6:14: the written ontvangstbevestiging, in the dossier and the portal: when it came in, against which
    besluit, the attachments she sent, when we decide at the latest (with the article), what happens next, and,
    when late, that we look at her reason (6:11). ctx.gegevens holds te_laat, laatste_dag and bijlagen (names)."""

    def toepassen(self, ctx: Context) -> None:
        from sqlalchemy import select

        from ..documenten import Brief, letterlijk
        from ..feestdagen import datum_tekst
        from ..models import Besluit, Termijn, Zaak
        from . import zaaktype_van

        g = ctx.gegevens
        besluit = ctx.session.get(Besluit, ctx.zaak.besluit_id)
        hoofdzaak = ctx.session.get(Zaak, ctx.zaak.hoofdzaak_id)
        ctx.session.flush()
        termijn = ctx.session.scalar(select(Termijn).where(Termijn.zaak_id == ctx.zaak.id,
                                                           Termijn.soort == ctx.zaaktype.beslistermijn))
        naam = zaaktype_van(hoofdzaak.zaaktype).naam
        onderwerp = naam[:1].lower() + naam[1:]  # "ondersteuning thuis (Wmo)"
        bijlagen = list(g.get("bijlagen") or ())
        alineas = [
            (f"Op {datum_tekst(ctx.vandaag)} hebben wij uw bezwaarschrift ontvangen. U maakt bezwaar tegen ons besluit "
             f"van {datum_tekst(besluit.verzenddatum)} over {letterlijk(onderwerp)} (zaaknummer "
             f"{hoofdzaak.identificatie}). Met deze brief bevestigen wij dat (Algemene wet bestuursrecht, artikel 6:14)."),
            "Uw bezwaar heeft zaaknummer {zaaknummer}. Wilt u dit nummer noemen als u contact met ons opneemt?",
            ("U stuurde deze bijlagen mee: " + letterlijk(", ".join(bijlagen)) + "." if bijlagen
             else "U stuurde geen bijlagen mee."),
        ]
        if g.get("te_laat"):
            alineas.append(
                f"De termijn voor bezwaar eindigde op {datum_tekst(g['laatste_dag'])}. Uw bezwaar kwam later binnen. "
                "Wij kijken of u een goede reden had om te laat te zijn (artikel 6:11). Daarover krijgt u bericht.")
        if termijn is not None:
            commissie = (" Eerst geeft een onafhankelijke bezwaarcommissie ons advies."
                         if ctx.variant.get("adviescommissie") else "")
            alineas.append(f"Wij beslissen uiterlijk op {datum_tekst(termijn.einddatum)}.{commissie} Dat staat in de "
                           f"wet: {letterlijk(termijn.bron)}. Lukt dat niet, dan laten wij het u op tijd weten.")
        alineas += [
            ("Meestal nodigen wij u uit voor een hoorzitting. Daar kunt u uitleggen waarom u het niet eens bent met "
             "het besluit. U krijgt daarvoor een uitnodiging."),
            ("Het besluit blijft gelden zolang wij niet hebben beslist op uw bezwaar (artikel 6:16). Is het dringend? "
             "Dan kunt u de voorzieningenrechter van de rechtbank vragen om een voorlopige voorziening (artikel 8:81)."),
            "In het portaal leest u uw bezwaar en de bijlagen terug en ziet u hoe het ervoor staat.",
        ]
        Brief("ontvangstbevestiging_bezwaar", "Ontvangstbevestiging van uw bezwaar",
              "Wij hebben uw bezwaar ontvangen", tuple(alineas)).toepassen(ctx)


@dataclass(frozen=True)
class LegAdviesVast(Effect):
    def toepassen(self, ctx: Context) -> None:
        advies = (ctx.gegevens.get("reden") or "").strip()
        if not advies:
            raise OvergangFout("Vul het advies van de bezwaarcommissie in.")
        bezwaarschrift(ctx).advies = advies


@dataclass(frozen=True)
class BeslisOpBezwaar(Effect):
    """Record the beslissing, render it as a letter with the rechtsmiddelenclausule for beroep, and, when the
    bezwaar is gegrond, reopen the original zaak for a new besluit (in the same transaction)."""

    def toepassen(self, ctx: Context) -> None:
        from ..bezwaren import beroepstermijn, rechtbank_van
        from ..documenten import bewaar_document
        from ..documenten import render as _render
        from ..models import Besluit, Zaak
        from ..workflow import pas_toe

        uitkomst = ctx.gegevens.get("uitkomst")
        motivering = (ctx.gegevens.get("motivering") or "").strip()
        if uitkomst not in ("gegrond", "ongegrond", "niet_ontvankelijk"):
            raise OvergangFout("Kies gegrond, ongegrond of niet-ontvankelijk.")
        if not motivering:
            raise OvergangFout("Schrijf de motivering van de beslissing op bezwaar.")
        schrift = bezwaarschrift(ctx)
        schrift.uitkomst, schrift.motivering, schrift.beslist_op = uitkomst, motivering, ctx.vandaag
        besluit = ctx.session.get(Besluit, schrift.besluit_id)
        hoofdzaak = ctx.session.get(Zaak, ctx.zaak.hoofdzaak_id)
        pdf = _render(ctx, "beslissing_bezwaar.html", {
            "uitkomst": uitkomst, "motivering": motivering, "advies": schrift.advies,
            "ontvangen_op": schrift.ontvangen_op, "besluit_datum": besluit.verzenddatum,
            "hoofdzaak_kenmerk": hoofdzaak.identificatie,
            "beroep_uiterlijk": beroepstermijn(schrift).einddatum, "rechtbank": rechtbank_van(ctx.zaak.gemeente),
            "ondertekening": {"naam": ctx.actor.naam, "functie": "Juridische zaken", "namens_college": True},
        })
        bewaar_document(ctx, "beslissing_op_bezwaar", "Beslissing op uw bezwaar", pdf, zichtbaar=True)
        ctx.resultaat["uitkomst"] = uitkomst
        if uitkomst == "gegrond":
            pas_toe(ctx.session, ctx.actor, hoofdzaak, "heropenen_na_bezwaar", diensten=ctx.diensten, nu=ctx.nu,
                    toelichting=f"Bezwaar {ctx.zaak.identificatie} gegrond")


BEZWAAR = Zaaktype(
    code="bezwaar",
    naam="Bezwaar",
    domein="juridisch",
    regeling="Algemene wet bestuursrecht",
    grondslag="artikel 7:11 Algemene wet bestuursrecht",
    beslistermijn="bezwaar-beslistermijn",
    meldbaar=False,
    behandelt_bezwaar=True,
    doel="Behandeling bezwaarschrift",
    eigen_tekst_kop="Uw bezwaar",
    hulpvraag_kop="Gronden van het bezwaar",
    opties=(
        Optie("adviescommissie", "Bezwaren laten adviseren door een bezwaarcommissie", "ja_nee", False,
              "Aan: een onafhankelijke commissie hoort en adviseert; de beslistermijn is dan 12 weken.",
              bron="Awb, artikel 7:13 en 7:10 lid 1"),
        *[o for o in behandeling_opties() if o.code == "team"],
    ),
    behandelaar_rollen=frozenset({Rol.JURIDISCH}),
    termijnen=(Termijnsoort("bezwaar-beslistermijn", "bekendmaking van het besluit"),),
    bij_start=(
        StartTermijn("bezwaar-beslistermijn", "bekendmaking"),
        BevestigOntvangst(),
        MaakActie("juridisch", "bezwaar_behandelen", "Nieuw bezwaarschrift behandelen."),
        MeldMedewerkers("team:juridisch", "Nieuw bezwaar", "Er is een bezwaarschrift binnengekomen."),
        MeldMedewerkers("behandelaar_hoofdzaak", "Bezwaar tegen uw besluit",
                        "De inwoner heeft bezwaar gemaakt tegen het besluit. Juridische zaken behandelt het."),
        MeldInwoner("nieuwe_notificatie", "We hebben uw bezwaar ontvangen",
                    "We hebben uw bezwaar ontvangen. Juridische zaken behandelt het. In het portaal leest u de "
                    "ontvangstbevestiging en ziet u wanneer we uiterlijk beslissen."),
    ),
    statussen=(
        Status("ontvangen", "Bezwaar ontvangen", "We hebben uw bezwaar ontvangen.", stap="We hebben uw bezwaar ontvangen"),
        Status("in_behandeling", "In behandeling", "Juridische zaken behandelt uw bezwaar.", stap="Juridische zaken bekijkt uw bezwaar"),
        Status("hoorzitting", "Hoorzitting gepland", "U bent uitgenodigd voor een hoorzitting.",
               actie_inwoner="Kom naar de hoorzitting. Kunt u niet? Laat het ons dan weten.", optioneel=True, stap="U bent uitgenodigd voor een hoorzitting"),
        Status("gehoord", "Hoorzitting gehouden", "De hoorzitting is geweest. We nemen nu een beslissing.",
               optioneel=True, stap="De hoorzitting is geweest"),
        Status("advies", "Advies ontvangen", "De bezwaarcommissie heeft advies gegeven. We nemen nu een beslissing.",
               optioneel=True, stap="De bezwaarcommissie heeft advies gegeven"),
        Status("beslist", "Beslist", "Er is een beslissing op uw bezwaar. U kunt de brief lezen en downloaden.", eind=True, stap="Er is een beslissing op uw bezwaar"),
    ),
    overgangen=(
        Overgang("in_behandeling_nemen", "In behandeling nemen", van=("ontvangen",), naar="in_behandeling",
                 rollen=JURIDISCH, effecten=(NeemInBehandeling(), RondActieAf("bezwaar_behandelen")),
                 bevestiging="U behandelt dit bezwaar."),
        Overgang("heroverweging_vragen", "Consulent om heroverweging vragen", van=("in_behandeling",), naar=None,
                 rollen=JURIDISCH, effecten=(
                     MaakActie("hoofdzaak", "heroverweging", "Juridische zaken vraagt u het besluit te heroverwegen."),
                     MeldMedewerkers("behandelaar_hoofdzaak", "Vraag om heroverweging",
                                     "Juridische zaken vraagt u het bestreden besluit te heroverwegen."),
                 ), bevestiging="De consulent is gevraagd het besluit te heroverwegen."),
        Overgang("hoorzitting_plannen", "Hoorzitting plannen of verzetten", van=("in_behandeling", "hoorzitting"),
                 naar="hoorzitting",
                 rollen=JURIDISCH, formulier=True, effecten=(
                     PlanAfspraak(HOORZITTING, voorbereiding=(
                         "U kunt op de hoorzitting uitleggen waarom u het niet eens bent met het besluit. U mag iemand "
                         "meenemen. Kunt u niet komen? Laat het ons weten.")),
                     Brief("uitnodiging_hoorzitting", "Uitnodiging voor de hoorzitting", "Uitnodiging voor de hoorzitting",
                           ("U heeft bezwaar gemaakt. Wij nodigen u uit voor een hoorzitting op {afspraak_dag} om "
                            "{afspraak_tijd}. Plaats: {afspraak_plaats}.",
                            "Op de hoorzitting kunt u uitleggen waarom u het niet eens bent met het besluit. U mag "
                            "iemand meenemen. Dat staat in de Algemene wet bestuursrecht, artikel 7:2.",
                            "Kunt u niet komen? Laat het ons dan zo snel mogelijk weten.")),
                     MeldInwoner("afspraakbevestiging", "Uitnodiging voor de hoorzitting",
                                 "U bent uitgenodigd voor een hoorzitting over uw bezwaar. Daar kunt u uitleggen "
                                 "waarom u het niet eens bent met het besluit."),
                 ), bevestiging="De hoorzitting is gepland. De inwoner krijgt een uitnodiging."),
        vastleggen("hoorzitting_vastleggen", HOORZITTING, "Hoorzitting is geweest: vastleggen", van=("hoorzitting",),
                   naar="gehoord", rollen=JURIDISCH,
                   bevestiging="De hoorzitting is vastgelegd. U kunt nu beslissen of het advies vastleggen."),
        Overgang("hoorzitting_annuleren", "Hoorzitting laten vervallen", van=("hoorzitting",), naar="in_behandeling",
                 rollen=JURIDISCH, formulier=True, vraag="Waarom gaat de hoorzitting niet door? De inwoner leest dit.",
                 effecten=(
                     AnnuleerAfspraak(HOORZITTING),
                     Brief("hoorzitting_vervalt", "De hoorzitting gaat niet door", "De hoorzitting gaat niet door",
                           ("U bent uitgenodigd voor een hoorzitting over uw bezwaar op {afspraak_dag} om "
                            "{afspraak_tijd}. Deze hoorzitting gaat niet door.",
                            "De reden: {reden}",
                            "U hoeft niet te komen. Als er een nieuwe hoorzitting komt, krijgt u een nieuwe "
                            "uitnodiging.")),
                     MeldInwoner("nieuwe_notificatie", "De hoorzitting gaat niet door",
                                 "De hoorzitting over uw bezwaar gaat niet door. U hoeft niet te komen. Lees de brief "
                                 "in het portaal."),
                 ), bevestiging="De hoorzitting vervalt. De inwoner krijgt een brief."),
        Overgang("horen_achterwege", "Horen is niet nodig: vastleggen (Awb 7:3)", van=("in_behandeling",), naar=None,
                 rollen=JURIDISCH, formulier=True, guards=(
                     Guard(lambda ctx: not gehoord_of_achterwege(ctx), "Dit is al vastgelegd.", verberg=True),),
                 effecten=(ZieAfVanHoren(),), bevestiging="Vastgelegd waarom horen niet nodig is."),
        Overgang("advies_vastleggen", "Advies bezwaarcommissie vastleggen", van=("in_behandeling", "gehoord"),
                 naar="advies", rollen=JURIDISCH, formulier=True, guards=(HOREN,), effecten=(LegAdviesVast(),),
                 bevestiging="Het advies is vastgelegd."),
        Overgang("beslissen", "Beslissen op bezwaar", van=("in_behandeling", "gehoord", "advies"), naar="beslist",
                 rollen=JURIDISCH, formulier=True, guards=(HOREN,), effecten=(
                     BeslisOpBezwaar(), StopTermijn("bezwaar-beslistermijn"),
                     MeldInwoner("nieuwe_notificatie", "Beslissing op uw bezwaar",
                                 "Er is een beslissing op uw bezwaar. U kunt de brief lezen en downloaden in het portaal."),
                     MeldMedewerkers("behandelaar_hoofdzaak", "Beslissing op bezwaar",
                                     "Juridische zaken heeft beslist op het bezwaar tegen uw besluit."),
                 ), bevestiging="De beslissing op bezwaar is vastgesteld en staat in het portaal."),
    ),
)
