"""Bezwaar: an inwoner objects to a besluit. Its own zaak on the same engine, handled by juridische zaken.
Works for a besluit of any zaaktype (Wmo now; Jeugd, Minima and Participatiewet later)."""
from __future__ import annotations

from dataclasses import dataclass

from ..configuratie import Optie, behandeling_opties
from ..effects import MaakActie, MeldInwoner, MeldMedewerkers, RondActieAf, StartTermijn, StopTermijn
from ..roles import Rol
from ..stappen import Brief, PlanAfspraak
from ..workflow import Context, Effect, Overgang, OvergangFout, Status, Termijnsoort, Zaaktype

JURIDISCH = frozenset({Rol.JURIDISCH.value})


def bezwaarschrift(ctx: Context):
    from sqlalchemy import select

    from ..models import Bezwaarschrift

    return ctx.session.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == ctx.zaak.id))


@dataclass(frozen=True)
class NeemInBehandeling(Effect):
    def toepassen(self, ctx: Context) -> None:
        ctx.zaak.behandelaar_id = ctx.actor.id


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
        from ..models import Besluit, Zaak
        from ..documenten import bewaar_document, render as _render
        from ..workflow import pas_toe

        uitkomst = ctx.gegevens.get("uitkomst")
        motivering = (ctx.gegevens.get("motivering") or "").strip()
        if uitkomst not in ("gegrond", "ongegrond", "niet_ontvankelijk"):
            raise OvergangFout("Kies gegrond, ongegrond of niet-ontvankelijk.")
        if not motivering:
            raise OvergangFout("Schrijf de motivering van de beslissing op bezwaar.")
        schrift = bezwaarschrift(ctx)
        schrift.uitkomst, schrift.motivering, schrift.beslist_op = uitkomst, motivering, ctx.vandaag
        # A hoorzitting still to come is cancelled: after the beslissing nobody should come to it.
        from sqlalchemy import select

        from ..models import Afspraak

        for afspraak in ctx.session.scalars(select(Afspraak).where(
                Afspraak.zaak_id == ctx.zaak.id, Afspraak.start > ctx.nu, Afspraak.geannuleerd.is_(False))):
            afspraak.geannuleerd = True
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
        MaakActie("juridisch", "bezwaar_behandelen", "Nieuw bezwaarschrift behandelen."),
        MeldMedewerkers("team:juridisch", "Nieuw bezwaar", "Er is een bezwaarschrift binnengekomen."),
        MeldMedewerkers("behandelaar_hoofdzaak", "Bezwaar tegen uw besluit",
                        "De inwoner heeft bezwaar gemaakt tegen het besluit. Juridische zaken behandelt het."),
        MeldInwoner("nieuwe_notificatie", "We hebben uw bezwaar ontvangen",
                    "We hebben uw bezwaar ontvangen. Juridische zaken behandelt het. In het portaal ziet u wanneer "
                    "we uiterlijk beslissen."),
    ),
    statussen=(
        Status("ontvangen", "Bezwaar ontvangen", "We hebben uw bezwaar ontvangen."),
        Status("in_behandeling", "In behandeling", "Juridische zaken behandelt uw bezwaar."),
        Status("hoorzitting", "Hoorzitting gepland", "U bent uitgenodigd voor een hoorzitting.",
               actie_inwoner="Kom naar de hoorzitting. Kunt u niet? Laat het ons dan weten.", optioneel=True),
        Status("advies", "Advies ontvangen", "De bezwaarcommissie heeft advies gegeven. We nemen nu een beslissing.",
               optioneel=True),
        Status("beslist", "Beslist", "Er is een beslissing op uw bezwaar. U kunt de brief lezen en downloaden.", eind=True),
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
        Overgang("hoorzitting_plannen", "Hoorzitting plannen", van=("in_behandeling",), naar="hoorzitting",
                 rollen=JURIDISCH, formulier=True, effecten=(
                     PlanAfspraak("hoorzitting", voorbereiding=(
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
        Overgang("advies_vastleggen", "Advies bezwaarcommissie vastleggen", van=("in_behandeling", "hoorzitting"),
                 naar="advies", rollen=JURIDISCH, formulier=True, effecten=(LegAdviesVast(),),
                 bevestiging="Het advies is vastgelegd."),
        Overgang("beslissen", "Beslissen op bezwaar", van=("in_behandeling", "hoorzitting", "advies"), naar="beslist",
                 rollen=JURIDISCH, formulier=True, effecten=(
                     BeslisOpBezwaar(), StopTermijn("bezwaar-beslistermijn"),
                     MeldInwoner("nieuwe_notificatie", "Beslissing op uw bezwaar",
                                 "Er is een beslissing op uw bezwaar. U kunt de brief lezen en downloaden in het portaal."),
                     MeldMedewerkers("behandelaar_hoofdzaak", "Beslissing op bezwaar",
                                     "Juridische zaken heeft beslist op het bezwaar tegen uw besluit."),
                 ), bevestiging="De beslissing op bezwaar is vastgesteld en staat in het portaal."),
    ),
)
