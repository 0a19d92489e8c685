"""Jeugdhulp (Jeugdwet): from melding to jeugdhulp, per PROCESSES.md "Jeugd" (source seed 003).

As Wmo, with these differences: the appointment is a huisbezoek; the bevestigingsbrief comes with the
aanvraagformulier; after the onderzoeksverslag the consulent judges "Jeugdwet van toepassing?":
- yes: the verslag goes to the inwoner (or the parent with gezag), who has 7 days to pass on changes in the portal
  (the term moves the zaak on when nobody reacts); the inwoner signs the aanvraagformulier in the portal (or
  uploads a signed one): the aanvraag is complete; beschikking and toetsing as in Wmo; the consulent records the call
  about the besluit and the aanbieders; administratie orders with iJw 301;
- no, while an aanvraag is already in: the verslag with an official intrekking; the inwoner agrees (closed) or not
  (then a negative beschikking, bezwaar open);
- other care within the gemeente: a melding for the other team.
The Jeugdwet sets no beslistermijn of its own: Awb 4:13's 8 weeks, with opschorting and verdaging.
"""
from __future__ import annotations

from ..besluitvorming import CONSULENT, besluitvorming, heropenen_na_bezwaar, toewijzen
from ..eigenschappen import Eigenschap
from ..configuratie import behandeling_opties, berichten_opties, besluit_opties, toetsing_opties
from ..deadlines import registreer
from .. import eigenschappen
from ..effects import (
    Als,
    MaakActie,
    MeldInwoner,
    MeldMedewerkers,
    RegistreerKlantcontact,
    RondActieAf,
    StartGekoppeldeZaak,
    StartTermijn,
    StopTermijn,
)
from ..formulieren import BESTAND, JANEE, TEKSTVAK, Formulier, Veld
from ..roles import Rol
from ..servicetermijnen import REACTIETERMIJN_7_DAGEN
from ..stappen import (
    BESTELBAAR,
    Bestel,
    Brief,
    PlanAfspraak,
    ZetVerslagKlaar,
    verslag_klaar_guards,
)
from ..afspraken import vastleggen
from ..workflow import INWONER, SYSTEEM_ROL, Overgang, Status, Termijnsoort, Zaaktype

INWONER_ROL = frozenset({INWONER})
HUISBEZOEK = "huisbezoek"
BESLISTERMIJN = "awb-beschikking"
# The 7 days for changes to the verslag: a service term of the gemeente (not law), registered by this zaaktype.
REACTIETERMIJN = registreer(REACTIETERMIJN_7_DAGEN)[0].soort


BESCHIKKING_KLAAR = MeldInwoner(
    "beschikking_klaar", "Er is een besluit over de hulp voor uw kind",
    "U kunt de beschikking lezen en downloaden in het portaal. Bent u het er niet mee eens? Dan kunt u binnen 6 weken "
    "bezwaar maken.",
)
NA_BESLUIT = (
    BESCHIKKING_KLAAR,
    MaakActie("zaak", "besluit_bespreken", "Bel de ouders over het besluit en vertel welke aanbieders er zijn."),
    Als(Bestel.nodig, dan=(MaakActie("administratie", "bestellen",
                                           "Jeugdhulp controleren tegen de beschikking en bestellen (iJw 301)."),)),
)

AANVRAAGFORMULIER = Formulier(
    code="aanvraagformulier", titel="Aanvraagformulier jeugdhulp",
    intro=("Met dit formulier vraagt u jeugdhulp aan voor uw kind. Lees eerst het verslag van het gesprek. "
           "U kunt tussendoor opslaan en later verder gaan."),
    overgang="aanvraag_indienen", open_in=("verslag_ter_reactie", "aanvraagformulier"),
    bevestiging="We hebben uw aanvraag ontvangen. We nemen binnen 8 weken een besluit.",
    knop="Aanvraagformulier invullen en ondertekenen",
    velden=(
        Veld("naam_ouder", "Uw naam", prefill="naam"),
        Veld("telefoon", "Uw telefoonnummer", prefill="telefoon", uitleg="Dan kan de consulent u bellen over het besluit."),
        Veld("hulp", "Welke hulp vraagt u aan voor uw kind?", soort=TEKSTVAK,
             uitleg="Schrijf het in uw eigen woorden, zoals in het gesprek besproken."),
        Veld("verslag_gelezen", "Ik heb het verslag van het gesprek gelezen", soort=JANEE),
        Veld("ondertekend", "Ik vraag deze hulp aan en wat ik heb ingevuld is waar", soort=JANEE,
             uitleg="Dit is uw handtekening. U zet die met uw DigiD."),
        Veld("getekend_formulier", "Of: een ondertekend aanvraagformulier op papier", soort=BESTAND, verplicht=False,
             uitleg="Heeft u het formulier op papier ondertekend? Voeg het dan hier toe."),
    ),
)

WIJZIGINGEN = Formulier(
    code="wijzigingen_verslag", titel="Wijzigingen in het verslag doorgeven",
    intro="Klopt er iets niet in het verslag, of mist er iets? Schrijf het hier. De consulent past het verslag aan.",
    overgang="wijzigingen_doorgeven", open_in=("verslag_ter_reactie",),
    bevestiging="We hebben uw wijzigingen ontvangen. De consulent past het verslag aan en zet het opnieuw klaar.",
    knop="Wijzigingen in het verslag doorgeven",
    velden=(Veld("wijzigingen", "Wat moet er anders in het verslag?", soort=TEKSTVAK),),
)

# The consulent's judgement after the onderzoek; each answer opens one branch (the others are not offered).
VAN_TOEPASSING = "jeugdwet_van_toepassing"
EIGENSCHAPPEN = (
    Eigenschap(VAN_TOEPASSING, "Jeugdwet van toepassing?", "keuze",
               keuzes=(("ja", "Ja"), ("nee", "Nee"), ("andere_zorg", "Nee, andere zorg binnen de gemeente")),
               toelichting="Na het onderzoek: valt de hulp onder de Jeugdwet, of is andere zorg nodig?"),
    Eigenschap("verwijzing_arts", "Verwezen door huisarts, jeugdarts of medisch specialist", "ja_nee",
               toelichting="Artikel 2.6 Jeugdwet: met zo'n verwijzing gaat het kind direct naar de jeugdhulp."),
)

# From the besluit on, a zaak under the Jeugdwet goes the same way whichever team decided: the call about the
# besluit, the order (iJw 301), the aanbieder's start and end (305, 307), reopening after bezwaar, closing. The
# Regieteam (domain/processes/regie.py) takes these as they are; MeldInwoner reaches its families by secure e-mail.
NA_HET_BESLUIT = (
    Overgang("besluit_besproken", "Gesprek over het besluit vastleggen", van=("besluit", "in_levering"), naar=None,
             rollen=CONSULENT, formulier=True, effecten=(
                 RegistreerKlantcontact("telefoon", "Gesprek over het besluit en de aanbieders"),
                 RondActieAf("besluit_bespreken")),
             vraag="Wat heeft u met de ouders besproken over het besluit, en welke aanbieders heeft u genoemd?",
             bevestiging="Het gesprek over het besluit is vastgelegd."),
    Overgang("bestellen", "Jeugdhulp bestellen", van=("besluit",), naar="in_levering",
             guards=(BESTELBAAR,),
             rollen=frozenset({Rol.ADMINISTRATIE.value}), formulier=True, effecten=(
                 Bestel(), RondActieAf("bestellen"),
                 MeldInwoner("nieuwe_notificatie", "De hulp voor uw kind wordt geregeld",
                             "We hebben de aanbieder gevraagd de hulp te regelen. De aanbieder neemt contact met u op."),
             ), bevestiging="De jeugdhulp is besteld."),
    Overgang("levering_gestart", "Start jeugdhulp ontvangen (305)", van=("in_levering",), naar="geleverd",
             rollen=frozenset({SYSTEEM_ROL}), effecten=(
                 MeldInwoner("nieuwe_notificatie", "De hulp voor uw kind is begonnen",
                             "De aanbieder heeft laten weten dat de hulp is begonnen."),
             ), bevestiging="De start van de jeugdhulp is verwerkt."),
    Overgang("levering_beeindigd", "Einde jeugdhulp ontvangen (307)", van=("in_levering", "geleverd"),
             naar="beeindigd", rollen=frozenset({SYSTEEM_ROL}), effecten=(
                 MeldInwoner("nieuwe_notificatie", "De hulp voor uw kind is gestopt",
                             "De aanbieder heeft laten weten dat de hulp is gestopt."),
                 MeldMedewerkers("behandelaar", "Jeugdhulp beëindigd", "De aanbieder heeft de jeugdhulp beëindigd."),
             ), bevestiging="Het einde van de jeugdhulp is verwerkt."),
    heropenen_na_bezwaar(BESLISTERMIJN, van=("besluit", "in_levering", "geleverd", "beeindigd", "afgesloten")),
    Overgang("afsluiten", "Zaak afsluiten",
             van=("melding", "in_onderzoek", "besluit", "in_levering", "geleverd", "beeindigd"), naar="afgesloten",
             rollen=CONSULENT, formulier=True, effecten=(StopTermijn(REACTIETERMIJN), StopTermijn(BESLISTERMIJN)),
             bevestiging="De zaak is afgesloten."),
)


JEUGD = Zaaktype(
    code="jeugd",
    naam="Hulp voor uw kind (Jeugdwet)",
    domein="jeugd",
    regeling="Jeugdwet",
    grondslag="artikel 2.3 Jeugdwet",
    beslistermijn=BESLISTERMIJN,
    berichtstandaard="ijw",
    doel="Behandeling jeugdhulp",
    opties=(*behandeling_opties(), *toetsing_opties("kwaliteit"), *besluit_opties(), *berichten_opties()),
    behandelaar_rollen=frozenset({Rol.CONSULENT}),
    termijnen=(Termijnsoort(REACTIETERMIJN, "verslag naar de inwoner", bij_einde="reactietermijn_verstreken"),
               Termijnsoort(BESLISTERMIJN, "aanvraag")),
    formulieren=(AANVRAAGFORMULIER, WIJZIGINGEN),
    eigenschappen=EIGENSCHAPPEN,
    # The verslag describes the child and the family: for the consulenten, toetser and the parents, not for
    # administratie, which orders from the beschikking (domain/vertrouwelijkheid.py).
    vertrouwelijkheid=(("onderzoeksverslag", "confidentieel"),),
    bij_start=(
        MeldMedewerkers("team", "Nieuwe melding in de werkvoorraad", "Er is een nieuwe melding jeugdhulp voor uw team."),
        Brief("bevestigingsbrief", "Bevestiging van uw melding", "Bevestiging van uw melding over hulp voor uw kind",
              ("We hebben uw melding ontvangen. Uw zaaknummer is {zaaknummer}.",
               "Een consulent jeugd van de gemeente {gemeente} belt u om een huisbezoek af te spreken. Bij dat bezoek "
               "bekijken we samen wat uw kind en uw gezin nodig hebben.",
               "Bij deze brief hoort het aanvraagformulier. U vindt het in het portaal Mijn Zorg en Ondersteuning. "
               "U vult het in na het huisbezoek, als u het verslag heeft gelezen.",
               "Log in met uw eigen DigiD. Heeft u het gezag over uw kind? Dan ziet u daar ook de zaak van uw kind."),
              met_extra_alinea=True),
        MeldInwoner("bevestiging_melding", "We hebben uw melding ontvangen",
                    "We hebben uw melding over hulp voor uw kind ontvangen. Een consulent neemt contact met u op."),
    ),
    statussen=(
        Status("melding", "Melding ontvangen", "We hebben uw melding ontvangen. Een consulent neemt contact met u op.", stap="We hebben uw melding ontvangen"),
        Status("in_onderzoek", "In onderzoek", "We onderzoeken samen met u wat uw kind nodig heeft.", stap="We onderzoeken samen met u wat uw kind nodig heeft"),
        Status("verslag_ter_reactie", "Verslag ter reactie (7 dagen)", "Het verslag van het huisbezoek staat klaar.",
               actie_inwoner=("Lees het verslag. Klopt er iets niet? Geef dat binnen 7 dagen door. Klopt alles? "
                              "Vul dan het aanvraagformulier in en onderteken het."), stap="U leest het verslag en kunt binnen 7 dagen reageren"),
        Status("aanvraagformulier", "Wacht op aanvraagformulier", "We wachten op uw aanvraagformulier.",
               actie_inwoner="Vul het aanvraagformulier in en onderteken het. Dan is uw aanvraag compleet.", stap="U vult het aanvraagformulier in"),
        Status("intrekking_voorgelegd", "Intrekking voorgelegd", "De hulp valt niet onder de Jeugdwet.",
               actie_inwoner=("Lees het verslag en de brief over de intrekking. Laat ons weten of u het ermee eens "
                              "bent."), optioneel=True, stap="De hulp valt niet onder de Jeugdwet"),
        Status("aanvraag", "Aanvraag ontvangen", "Uw aanvraag is compleet. We nemen nu een besluit.", stap="Uw aanvraag is compleet"),
        Status("ter_toetsing", "Ter toetsing", "We nemen een besluit over uw aanvraag.", optioneel=True, stap="Een tweede medewerker controleert het besluit"),
        Status("besluit", "Besluit verzonden", "Er is een besluit. U kunt de beschikking lezen en downloaden.", stap="U krijgt het besluit (de beschikking)"),
        Status("in_levering", "Jeugdhulp besteld", "We hebben de aanbieder gevraagd de hulp te regelen.", stap="We vragen de jeugdhulpaanbieder om te beginnen"),
        Status("geleverd", "Jeugdhulp gestart", "De hulp voor uw kind is begonnen.", stap="De hulp voor uw kind is begonnen"),
        Status("beeindigd", "Jeugdhulp beëindigd", "De hulp voor uw kind is gestopt.", optioneel=True, stap="De hulp voor uw kind is gestopt"),
        Status("afgesloten", "Afgesloten", "Deze zaak is afgesloten.", eind=True, stap="De zaak is afgesloten"),
    ),
    overgangen=(
        toewijzen(),
        Overgang("plan_gesprek", "Huisbezoek plannen", van=("melding", "in_onderzoek"), naar="in_onderzoek",
                 rollen=CONSULENT, formulier=True, effecten=(
                     PlanAfspraak(HUISBEZOEK, voorbereiding=(
                         "Denk na over wat goed gaat en wat moeilijk is voor uw kind en uw gezin, en wie u nu al helpt. "
                         "Uw kind mag bij het gesprek zijn. U mag ook iemand anders vragen erbij te zijn.")),
                     Brief("afspraakbevestiging", "Bevestiging van het huisbezoek", "Bevestiging van het huisbezoek",
                           ("U heeft een afspraak voor een huisbezoek op {afspraak_dag} om {afspraak_tijd}.",
                            "Plaats: {afspraak_plaats}. U spreekt met {medewerker_naam}.",
                            "Kunt u niet? Bel ons dan zo snel mogelijk.")),
                     MeldInwoner("afspraakbevestiging", "Uw afspraak voor het huisbezoek",
                                 "We hebben een afspraak gemaakt voor een huisbezoek. Lees de bevestiging in het portaal."),
                 ), bevestiging="Het huisbezoek is gepland. De inwoner krijgt een bevestiging."),
        vastleggen("huisbezoek_vastleggen", HUISBEZOEK, "Huisbezoek is geweest: vastleggen", van=("in_onderzoek",),
                   naar=None, rollen=CONSULENT,
                   bevestiging="Vastgelegd dat het huisbezoek is geweest. Schrijf nu het verslag."),
        Overgang("jeugdwet_van_toepassing", "Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)",
                 van=("in_onderzoek",), naar="verslag_ter_reactie", rollen=CONSULENT,
                 guards=(eigenschappen.is_(VAN_TOEPASSING, "ja"), *verslag_klaar_guards(HUISBEZOEK)), effecten=(
                     ZetVerslagKlaar(na_afspraak=HUISBEZOEK), StartTermijn(REACTIETERMIJN),
                     MeldInwoner("verslag_klaar", "Lees het verslag van het huisbezoek",
                                 "Het verslag staat klaar in het portaal. Wilt u iets veranderen? Geef het binnen 7 "
                                 "dagen door. Klopt alles? Vul dan het aanvraagformulier in."),
                 ), bevestiging="Het verslag staat in het portaal. De inwoner heeft 7 dagen om wijzigingen door te geven."),
        Overgang("wijzigingen_doorgeven", "Wijzigingen in het verslag doorgeven", van=("verslag_ter_reactie",),
                 naar="in_onderzoek", rollen=INWONER_ROL, formulier=True, effecten=(
                     StopTermijn(REACTIETERMIJN),
                     MeldMedewerkers("behandelaar", "Wijzigingen in het verslag",
                                     "De inwoner heeft wijzigingen in het verslag doorgegeven. Pas het verslag aan."),
                 ), bevestiging=WIJZIGINGEN.bevestiging),
        # Fired by the term when the 7 days pass without changes (or by the consulent after a call).
        Overgang("reactietermijn_verstreken", "Reactietermijn voorbij: verder met het aanvraagformulier",
                 van=("verslag_ter_reactie",), naar="aanvraagformulier", rollen=frozenset({SYSTEEM_ROL, *CONSULENT}),
                 effecten=(StopTermijn(REACTIETERMIJN),
                           MeldInwoner("nieuwe_notificatie", "Vul het aanvraagformulier in",
                                       "De 7 dagen om te reageren op het verslag zijn voorbij. Vul nu het "
                                       "aanvraagformulier in en onderteken het.")),
                 bevestiging="De inwoner kan nu het aanvraagformulier invullen."),
        Overgang("aanvraag_indienen", "Aanvraagformulier ondertekenen en versturen",
                 van=("verslag_ter_reactie", "aanvraagformulier"), naar="aanvraag", rollen=INWONER_ROL, formulier=True,
                 effecten=(StopTermijn(REACTIETERMIJN), StartTermijn(BESLISTERMIJN, "vandaag"),
                           MeldMedewerkers("behandelaar", "Aanvraag compleet",
                                           "De inwoner heeft het aanvraagformulier ondertekend: de aanvraag is compleet.")),
                 bevestiging=AANVRAAGFORMULIER.bevestiging),
        Overgang("jeugdwet_niet_van_toepassing", "Jeugdwet niet van toepassing: intrekking voorleggen",
                 van=("in_onderzoek", "aanvraag"), naar="intrekking_voorgelegd", rollen=CONSULENT,
                 guards=(eigenschappen.is_(VAN_TOEPASSING, "nee"), *verslag_klaar_guards(HUISBEZOEK)), effecten=(
                     ZetVerslagKlaar(na_afspraak=HUISBEZOEK),
                     Brief("intrekking", "Voorstel tot intrekking van uw aanvraag", "Intrekking van uw aanvraag",
                           ("Uit het onderzoek blijkt dat de hulp die uw kind nodig heeft niet onder de Jeugdwet valt. "
                            "Het verslag van het onderzoek vindt u in het portaal.",
                            "Wij stellen u daarom voor uw aanvraag in te trekken. Bent u het daarmee eens? Laat het ons "
                            "weten in het portaal. Dan sluiten we de zaak.",
                            "Bent u het er niet mee eens? Laat ook dat weten. Dan nemen we een besluit op uw aanvraag. "
                            "Tegen dat besluit kunt u bezwaar maken.")),
                     MeldInwoner("nieuwe_notificatie", "Een brief over uw aanvraag",
                                 "Er staat een brief over uw aanvraag en het verslag van het onderzoek in het portaal. "
                                 "Laat ons weten of u het ermee eens bent."),
                 ), bevestiging="Het verslag en de intrekking staan in het portaal."),
        Overgang("andere_zorg", "Andere zorg: melding voor een ander team", van=("melding", "in_onderzoek"),
                 naar="afgesloten", rollen=CONSULENT, formulier=True,
                 guards=(eigenschappen.is_(VAN_TOEPASSING, "andere_zorg"),), effecten=(
                     StartGekoppeldeZaak("melding_ander_team"), StopTermijn(REACTIETERMIJN), StopTermijn(BESLISTERMIJN),
                     MeldInwoner("nieuwe_notificatie", "Uw vraag gaat naar een ander team",
                                 "De hulp die uw gezin nodig heeft, valt niet onder de Jeugdwet. We hebben uw vraag "
                                 "doorgegeven aan een ander team van de gemeente. Dat team neemt contact met u op."),
                 ), vraag="Welke hulp heeft het gezin nodig van het andere team? Schrijf de hulpvraag op.",
                 bevestiging="De melding staat bij het andere team. Deze zaak is afgesloten."),
        Overgang("akkoord_intrekking", "Ik ben het eens: trek de aanvraag in", van=("intrekking_voorgelegd",),
                 naar="afgesloten", rollen=INWONER_ROL, effecten=(
                     StopTermijn(BESLISTERMIJN),
                     MeldMedewerkers("behandelaar", "Aanvraag ingetrokken", "De inwoner is akkoord met de intrekking."),
                 ), bevestiging="U heeft uw aanvraag ingetrokken. We hebben de zaak gesloten."),
        Overgang("niet_akkoord_intrekking", "Ik ben het niet eens: neem een besluit", van=("intrekking_voorgelegd",),
                 naar="aanvraag", rollen=INWONER_ROL, effecten=(
                     StartTermijn(BESLISTERMIJN, "aanvraagdatum"),
                     MeldMedewerkers("behandelaar", "Niet akkoord met intrekking",
                                     "De inwoner is het niet eens met de intrekking. Neem een besluit (afwijzing) en bel "
                                     "de inwoner over het besluit."),
                 ), bevestiging="We nemen een besluit op uw aanvraag. U krijgt de beschikking in het portaal."),
        *besluitvorming(BESLISTERMIJN, NA_BESLUIT),
        *NA_HET_BESLUIT,
    ),
)
