"""Regie Team (Jeugdwet): complex and unsafe situations around children, per PROCESSES.md "Regie Team" (source
seed 003, "Proces Regie Team - digivaardig").

As Jeugd in its decisions and its iJw messages, with these differences:
- the melding comes from team toegang or as a referral by Veilig Thuis (domain/veilig_thuis.py);
- nothing goes through the portal (`in_portaal=False`): the bevestigingsbrief with the aanvraagformulier, the
  afspraakbevestiging, the onderzoeksverslag (7 days for changes) and the beschikking reach the inwoner by secure
  e-mail (domain/beveiligde_mail.py), and she answers through that mail's page: changes to the verslag, or the
  signed aanvraagformulier as an upload;
- only the team sees the dossier (`afgeschermd=True`, domain/authz.py);
- when it applies: an aanmelding in the Verwijsindex, the ARIJ taxaties and the Meldcode (the zaak page's panels).
The Jeugdwet sets no beslistermijn of its own: Awb 4:13's 8 weeks, with opschorting and verdaging.
"""
from __future__ import annotations

from ..afspraken import vastleggen
from ..besluitvorming import CONSULENT, besluitvorming, toewijzen
from ..configuratie import behandeling_opties, berichten_opties, besluit_opties, toetsing_opties
from ..deadlines import registreer
from ..effects import (
    Als,
    MaakActie,
    MeldInwoner,
    MeldMedewerkers,
    StartTermijn,
    StopTermijn,
)
from ..formulieren import BESTAND, TEKSTVAK, Formulier, Veld
from ..roles import Rol
from ..servicetermijnen import REACTIETERMIJN_7_DAGEN
from ..stappen import Bestel, Brief, PlanAfspraak, ZetVerslagKlaar, verslag_klaar_guards
from ..workflow import INWONER, SYSTEEM_ROL, Overgang, Status, Termijnsoort, Zaaktype
from .jeugd import NA_HET_BESLUIT

INWONER_ROL = frozenset({INWONER})
HUISBEZOEK = "huisbezoek"
BESLISTERMIJN = "awb-beschikking"
REACTIETERMIJN = registreer(REACTIETERMIJN_7_DAGEN)[0].soort

AANVRAAGFORMULIER = Formulier(
    code="aanvraagformulier", titel="Aanvraagformulier jeugdhulp",
    intro=("Met dit formulier vraagt u hulp aan voor uw kind. Lees eerst het verslag van het gesprek. Print het "
           "aanvraagformulier dat wij u stuurden, onderteken het en stuur het hier terug."),
    overgang="aanvraag_indienen", open_in=("verslag_ter_reactie", "aanvraagformulier"),
    bevestiging="We hebben uw ondertekende aanvraagformulier ontvangen. We nemen binnen 8 weken een besluit.",
    knop="Ondertekend aanvraagformulier versturen",
    velden=(
        Veld("getekend_formulier", "Het ondertekende aanvraagformulier", soort=BESTAND,
             uitleg="Een scan of een duidelijke foto van het formulier, met uw handtekening."),
        Veld("opmerking", "Wilt u nog iets zeggen over uw aanvraag?", soort=TEKSTVAK, verplicht=False),
    ),
)

WIJZIGINGEN = Formulier(
    code="wijzigingen_verslag", titel="Wijzigingen in het verslag doorgeven",
    intro="Klopt er iets niet in het verslag, of mist er iets? Schrijf het hier. De consulent past het verslag aan.",
    overgang="wijzigingen_doorgeven", open_in=("verslag_ter_reactie",),
    bevestiging="We hebben uw wijzigingen ontvangen. De consulent past het verslag aan en stuurt het opnieuw.",
    knop="Wijzigingen versturen",
    velden=(Veld("wijzigingen", "Wat moet er anders in het verslag?", soort=TEKSTVAK),),
)

BESCHIKKING_KLAAR = MeldInwoner(
    "beschikking_klaar", "Er is een besluit over de hulp voor uw kind",
    "In dit bericht vindt u de beschikking. Bent u het er niet mee eens? Dan kunt u binnen 6 weken bezwaar maken.",
)
NA_BESLUIT = (
    BESCHIKKING_KLAAR,
    MaakActie("zaak", "besluit_bespreken", "Bel de ouders over het besluit en vertel welke aanbieders er zijn."),
    Als(Bestel.nodig, dan=(MaakActie("administratie", "bestellen",
                                     "Jeugdhulp controleren tegen de beschikking en bestellen (iJw 301)."),)),
)


def _panelen() -> tuple:
    """The Regie Team's own sections of the zaak page; each lives in its own module."""
    from .. import verwijsindex
    from ..arij import arij_stand
    from ..beveiligde_mail import paneel as beveiligde_mail
    from ..meldcode import meldcode_stand
    from ..verwijzingen import verwijzing_paneel
    from ..zaaktype import Paneel

    return (
        Paneel("backoffice/panelen/verwijzing.html", verwijzing_paneel),
        Paneel("backoffice/panelen/beveiligde_mail.html", beveiligde_mail),
        Paneel("backoffice/panelen/meldcode.html", meldcode_stand),
        Paneel("backoffice/panelen/arij.html", arij_stand),
        Paneel("backoffice/panelen/verwijsindex.html", verwijsindex.paneel),
    )


REGIE_TEAM = Zaaktype(
    code="regie_team",
    naam="Hulp voor uw gezin (Regieteam)",
    domein="regie_team",
    regeling="Jeugdwet",
    grondslag="artikel 2.3 Jeugdwet",
    beslistermijn=BESLISTERMIJN,
    berichtstandaard="ijw",
    doel="Behandeling Regieteam (veiligheid jeugd)",
    in_portaal=False,
    afgeschermd=True,
    verwijzers=("Veilig Thuis",),
    productshop="jeugd",
    panelen=_panelen(),
    opties=(*behandeling_opties(), *toetsing_opties("kwaliteit"), *besluit_opties(), *berichten_opties()),
    behandelaar_rollen=frozenset({Rol.CONSULENT}),
    termijnen=(Termijnsoort(REACTIETERMIJN, "verslag naar de inwoner", bij_einde="reactietermijn_verstreken"),
               Termijnsoort(BESLISTERMIJN, "aanvraag")),
    formulieren=(AANVRAAGFORMULIER, WIJZIGINGEN),
    # The verslag of an unsafe home is for the team and the toetser; the beschikking for administratie too.
    vertrouwelijkheid=(("onderzoeksverslag", "confidentieel"),),
    bij_start=(
        MeldMedewerkers("team", "Nieuwe melding voor het Regieteam", "Er is een nieuwe melding voor het Regieteam."),
        Brief("bevestigingsbrief", "Bevestiging van uw melding", "Bevestiging van uw melding",
              ("We hebben een melding over uw gezin ontvangen. Uw zaaknummer is {zaaknummer}.",
               "Een consulent van het Regieteam van de gemeente {gemeente} belt u om een huisbezoek af te spreken. "
               "Bij dat bezoek bekijken we samen wat uw kind en uw gezin nodig hebben.",
               "Bij deze brief hoort het aanvraagformulier. U ondertekent het na het huisbezoek, als u het verslag "
               "heeft gelezen, en stuurt het terug via de beveiligde e-mail die u van ons krijgt.",
               "Wij sturen u alles via beveiligde e-mail. U opent die met een code die u per sms krijgt.")),
        MeldInwoner("bevestiging_melding", "We hebben een melding over uw gezin ontvangen",
                    "In dit bericht vindt u de bevestiging van de melding en het aanvraagformulier. Een consulent "
                    "neemt contact met u op."),
    ),
    statussen=(
        Status("melding", "Melding ontvangen", "We hebben de melding ontvangen. Een consulent neemt contact met u op.",
               stap="We hebben de melding ontvangen"),
        Status("in_onderzoek", "In onderzoek", "We onderzoeken samen met u wat uw kind nodig heeft.",
               stap="We onderzoeken samen met u wat uw kind nodig heeft"),
        Status("verslag_ter_reactie", "Verslag ter reactie (7 dagen)", "Het verslag van het huisbezoek is verstuurd.",
               actie_inwoner=("Lees het verslag. Klopt er iets niet? Geef dat binnen 7 dagen door. Klopt alles? "
                              "Stuur dan het ondertekende aanvraagformulier terug."),
               stap="U leest het verslag en kunt binnen 7 dagen reageren"),
        Status("aanvraagformulier", "Wacht op aanvraagformulier", "We wachten op uw ondertekende aanvraagformulier.",
               actie_inwoner="Stuur het ondertekende aanvraagformulier terug. Dan is uw aanvraag compleet.",
               stap="U stuurt het ondertekende aanvraagformulier terug"),
        Status("aanvraag", "Aanvraag ontvangen", "Uw aanvraag is compleet. We nemen nu een besluit.",
               stap="Uw aanvraag is compleet"),
        Status("ter_toetsing", "Ter toetsing", "We nemen een besluit over uw aanvraag.", optioneel=True,
               stap="Een tweede medewerker controleert het besluit"),
        Status("besluit", "Besluit verzonden", "Er is een besluit. U krijgt de beschikking per beveiligde e-mail.",
               stap="U krijgt het besluit (de beschikking)"),
        Status("in_levering", "Jeugdhulp besteld", "We hebben de aanbieder gevraagd de hulp te regelen.",
               stap="We vragen de jeugdhulpaanbieder om te beginnen"),
        Status("geleverd", "Jeugdhulp gestart", "De hulp voor uw kind is begonnen.", stap="De hulp is begonnen"),
        Status("beeindigd", "Jeugdhulp beëindigd", "De hulp voor uw kind is gestopt.", optioneel=True,
               stap="De hulp is gestopt"),
        Status("afgesloten", "Afgesloten", "Deze zaak is afgesloten.", eind=True, stap="De zaak is afgesloten"),
    ),
    overgangen=(
        toewijzen(),
        Overgang("plan_gesprek", "Huisbezoek plannen", van=("melding", "in_onderzoek"), naar="in_onderzoek",
                 rollen=CONSULENT, formulier=True, effecten=(
                     PlanAfspraak(HUISBEZOEK, voorbereiding=(
                         "Denk na over wat goed gaat en wat moeilijk is voor uw kind en uw gezin, en wie u nu al "
                         "helpt. U mag iemand vragen erbij te zijn.")),
                     Brief("afspraakbevestiging", "Bevestiging van het huisbezoek", "Bevestiging van het huisbezoek",
                           ("U heeft een afspraak voor een huisbezoek op {afspraak_dag} om {afspraak_tijd}.",
                            "Plaats: {afspraak_plaats}. U spreekt met {medewerker_naam}.",
                            "Kunt u niet? Bel ons dan zo snel mogelijk.")),
                     MeldInwoner("afspraakbevestiging", "Uw afspraak voor het huisbezoek",
                                 "In dit bericht vindt u de bevestiging van het huisbezoek."),
                 ), bevestiging="Het huisbezoek is gepland. De inwoner krijgt de bevestiging per beveiligde e-mail."),
        vastleggen("huisbezoek_vastleggen", HUISBEZOEK, "Huisbezoek is geweest: vastleggen", van=("in_onderzoek",),
                   naar=None, rollen=CONSULENT,
                   bevestiging="Vastgelegd dat het huisbezoek is geweest. Schrijf nu het verslag."),
        Overgang("verslag_versturen", "Verslag per beveiligde e-mail naar de inwoner (7 dagen)",
                 van=("in_onderzoek",), naar="verslag_ter_reactie", rollen=CONSULENT,
                 guards=verslag_klaar_guards(HUISBEZOEK), effecten=(
                     ZetVerslagKlaar(na_afspraak=HUISBEZOEK), StartTermijn(REACTIETERMIJN),
                     MeldInwoner("verslag_klaar", "Lees het verslag van het huisbezoek",
                                 "In dit bericht vindt u het verslag. Wilt u iets veranderen? Geef het binnen 7 dagen "
                                 "door. Klopt alles? Stuur dan het ondertekende aanvraagformulier terug."),
                 ), bevestiging="Het verslag is per beveiligde e-mail verstuurd. De inwoner heeft 7 dagen om "
                                "wijzigingen door te geven."),
        Overgang("wijzigingen_doorgeven", "Wijzigingen in het verslag doorgeven", van=("verslag_ter_reactie",),
                 naar="in_onderzoek", rollen=INWONER_ROL, formulier=True, effecten=(
                     StopTermijn(REACTIETERMIJN),
                     MeldMedewerkers("behandelaar", "Wijzigingen in het verslag",
                                     "De inwoner heeft wijzigingen in het verslag doorgegeven. Pas het verslag aan."),
                 ), bevestiging=WIJZIGINGEN.bevestiging),
        Overgang("reactietermijn_verstreken", "Reactietermijn voorbij: verder met het aanvraagformulier",
                 van=("verslag_ter_reactie",), naar="aanvraagformulier", rollen=frozenset({SYSTEEM_ROL, *CONSULENT}),
                 effecten=(StopTermijn(REACTIETERMIJN),),
                 bevestiging="De 7 dagen zijn voorbij: de zaak wacht op het ondertekende aanvraagformulier."),
        Overgang("aanvraag_indienen", "Ondertekend aanvraagformulier versturen",
                 van=("verslag_ter_reactie", "aanvraagformulier"), naar="aanvraag", rollen=INWONER_ROL, formulier=True,
                 effecten=(StopTermijn(REACTIETERMIJN), StartTermijn(BESLISTERMIJN, "vandaag"),
                           MeldMedewerkers("behandelaar", "Aanvraag compleet",
                                           "De inwoner heeft het ondertekende aanvraagformulier gestuurd.")),
                 bevestiging=AANVRAAGFORMULIER.bevestiging),
        *besluitvorming(BESLISTERMIJN, NA_BESLUIT, bekendmaking="gaat per beveiligde e-mail naar de inwoner"),
        *NA_HET_BESLUIT,
    ),
)
