"""Wmo-maatwerkvoorziening: from melding to voorziening, per PROCESSES.md "Shared front" and "Wmo"."""
from __future__ import annotations

from ..afspraken import vastleggen
from ..besluitvorming import CONSULENT, besluitvorming, heropenen_na_bezwaar, toewijzen
from ..configuratie import behandeling_opties, berichten_opties, besluit_opties, toetsing_opties
from ..deadlines import Eenheid, TermijnRegel, Vanaf, registreer
from ..effects import (
    Als,
    MaakActie,
    MeldInwoner,
    MeldMedewerkers,
    RondActieAf,
    StartTermijn,
    StopTermijn,
)
from ..roles import Rol
from ..stappen import (
    BESTELBAAR,
    Bestel,
    Brief,
    OndertekenVerslag,
    PlanAfspraak,
    ZetVerslagKlaar,
    verslag_klaar_guards,
)
from ..workflow import INWONER, SYSTEEM_ROL, Overgang, Status, Termijnsoort, Zaaktype
from ..zaaktype import EigenBijdrage

# The terms of the Wmo 2015, added to the term service's registry (shared code knows only the Awb's terms).
GESPREK = "keukentafelgesprek"
WMO_ONDERZOEK, WMO_BESCHIKKING = registreer(
    TermijnRegel(
        soort="wmo-onderzoek",
        naam="Onderzoek na melding",
        omschrijving="De gemeente onderzoekt uw hulpvraag binnen 6 weken na uw melding.",
        bron="Wmo 2015, artikel 2.3.2 lid 1",
        duur=6, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="ontvangst van de melding",
        voor_gemeente=True,
        # The Wmo has no extension of the onderzoek: only by agreement with the melder.
        instemming_bron="met instemming van de melder",
    ),
    TermijnRegel(
        soort="wmo-beschikking",
        naam="Beschikking op aanvraag (Wmo)",
        omschrijving="De gemeente beslist binnen 2 weken na ontvangst van uw aanvraag.",
        bron="Wmo 2015, artikel 2.3.5 lid 1",
        duur=2, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="ontvangst van de aanvraag",
        voor_gemeente=True, beslistermijn=True,
        verlenging_bron="Awb, artikel 4:14 lid 1",
        opschorting_bron="Awb, artikel 4:15 lid 1 onder a",
    ),
)


BESCHIKKING_KLAAR = MeldInwoner(
    "beschikking_klaar", "Er is een besluit over uw aanvraag",
    "U kunt de beschikking lezen en downloaden in het portaal. Bent u het er niet mee eens? Dan kunt u binnen 6 weken bezwaar maken.",
)
ACTIE_ADMINISTRATIE = MaakActie("administratie", "bestellen", "Voorziening controleren tegen de beschikking en bestellen.")

WMO = Zaaktype(
    code="wmo",
    naam="Ondersteuning thuis (Wmo)",
    domein="wmo",
    regeling="Wmo 2015",
    grondslag="artikel 2.3.5 Wet maatschappelijke ondersteuning 2015",
    eigen_bijdrage=EigenBijdrage(
        "U betaalt voor deze ondersteuning een eigen bijdrage aan het CAK. Dat is hoogstens {bedrag} per 4 weken, "
        "ook als u meer ondersteuning krijgt. Het CAK stuurt u daarover een brief.",
        bron="Wmo 2015, artikel 2.1.4 en Uitvoeringsbesluit Wmo 2015, artikel 3.8 (abonnementstarief)",
        bedragen=((2025, 2180),)),  # 2025; a later year keeps it until the table is updated (docs/toekenning.md)
    beslistermijn="wmo-beschikking",
    berichtstandaard="iwmo",
    doel="Behandeling Wmo-maatwerkvoorziening",
    opties=(*behandeling_opties(), *toetsing_opties("kwaliteit"), *besluit_opties(), *berichten_opties()),
    behandelaar_rollen=frozenset({Rol.CONSULENT}),
    termijnen=(Termijnsoort("wmo-onderzoek", "melding"), Termijnsoort("wmo-beschikking", "aanvraag")),
    bij_start=(
        StartTermijn("wmo-onderzoek"),
        MeldMedewerkers("team", "Nieuwe melding in de werkvoorraad", "Er is een nieuwe Wmo-melding voor uw team."),
        Brief("bevestigingsbrief", "Bevestiging van uw melding", "Bevestiging van uw melding",
              ("We hebben uw melding ontvangen. Uw zaaknummer is {zaaknummer}.",
               "Een consulent van de gemeente {gemeente} belt u om een afspraak te maken voor een gesprek. "
               "In dat gesprek bekijken we samen wat u nodig heeft. Dat heet het keukentafelgesprek.",
               "We ronden dit onderzoek binnen 6 weken af. Dat staat in de Wet maatschappelijke ondersteuning 2015, artikel 2.3.2.",
               "U kunt uw melding volgen in het portaal Mijn Zorg en Ondersteuning. Log in met DigiD."),
              met_extra_alinea=True),
        MeldInwoner("bevestiging_melding", "We hebben uw melding ontvangen",
                    "We hebben uw melding ontvangen. Een consulent neemt binnen een paar dagen contact met u op."),
    ),
    statussen=(
        Status("melding", "Melding ontvangen", "We hebben uw melding ontvangen. Een consulent neemt contact met u op.", stap="We hebben uw melding ontvangen"),
        Status("in_onderzoek", "In onderzoek", "We onderzoeken samen met u wat u nodig heeft. U heeft een afspraak met de consulent.", stap="We onderzoeken samen met u wat u nodig heeft"),
        Status("verslag_ter_ondertekening", "Verslag ter ondertekening", "Het verslag van uw gesprek staat klaar.",
               actie_inwoner="Lees het verslag van uw gesprek en onderteken het. Dan is uw aanvraag compleet.", stap="U leest het verslag en ondertekent het"),
        Status("aanvraag", "Aanvraag ontvangen", "Uw aanvraag is compleet. We nemen nu een besluit.", stap="Uw aanvraag is compleet"),
        Status("ter_toetsing", "Ter toetsing", "We nemen een besluit over uw aanvraag.", optioneel=True, stap="Een tweede medewerker controleert het besluit"),
        Status("besluit", "Besluit verzonden", "Er is een besluit. U kunt de beschikking lezen en downloaden.", stap="U krijgt het besluit (de beschikking)"),
        Status("in_levering", "Voorziening besteld", "We hebben de zorgaanbieder gevraagd uw ondersteuning te regelen.", stap="We vragen de zorgaanbieder om te beginnen"),
        # Berichtenverkeer: the zorgaanbieder reports the start (iWmo 305) and the stop (307) of the support.
        Status("geleverd", "Voorziening geleverd", "U krijgt uw ondersteuning.", stap="U krijgt uw ondersteuning"),
        Status("beeindigd", "Ondersteuning beëindigd", "Uw ondersteuning is gestopt.", optioneel=True, stap="Uw ondersteuning is gestopt"),
        Status("afgesloten", "Afgesloten", "Deze zaak is afgesloten.", eind=True, stap="De zaak is afgesloten"),
    ),
    overgangen=(
        toewijzen(),
        Overgang(
            "plan_gesprek", "Keukentafelgesprek plannen", van=("melding", "in_onderzoek"), naar="in_onderzoek",
            rollen=CONSULENT, formulier=True, effecten=(
                PlanAfspraak(GESPREK, voorbereiding=(
                    "Denk na over wat u zelf nog kunt, waar u hulp bij nodig heeft en wie u nu al helpt. U mag iemand "
                    "meenemen naar het gesprek, bijvoorbeeld een familielid of een mantelzorger.")),
                Brief("afspraakbevestiging", "Bevestiging van uw afspraak", "Bevestiging van het keukentafelgesprek",
                      ("U heeft een afspraak voor het keukentafelgesprek op {afspraak_dag} om {afspraak_tijd}.",
                       "Plaats: {afspraak_plaats}. U spreekt met {medewerker_naam}.",
                       "In het gesprek bekijken we samen wat u nodig heeft. Denk vooraf na over wat u zelf kunt, wie "
                       "u helpt en wat niet meer lukt. U mag iemand meenemen.",
                       "Kunt u niet? Bel ons dan zo snel mogelijk.")),
                MeldInwoner("afspraakbevestiging", "Uw afspraak met de consulent",
                            "We hebben een afspraak met u gemaakt voor het keukentafelgesprek. Lees de afspraakbevestiging en hoe u zich kunt voorbereiden."),
            ), bevestiging="Het gesprek is gepland. De inwoner krijgt een afspraakbevestiging.",
        ),
        vastleggen("gesprek_vastleggen", GESPREK, "Gesprek is geweest: vastleggen", van=("in_onderzoek",), naar=None,
                   rollen=CONSULENT, bevestiging="Vastgelegd dat het gesprek is geweest. Schrijf nu het verslag."),
        Overgang(
            "verslag_klaarzetten", "Verslag klaarzetten voor ondertekening", van=("in_onderzoek",),
            naar="verslag_ter_ondertekening", rollen=CONSULENT, guards=verslag_klaar_guards(GESPREK), effecten=(
                ZetVerslagKlaar(na_afspraak=GESPREK),
                MeldInwoner("verslag_klaar", "Lees en onderteken het verslag",
                            "Het verslag van uw gesprek staat klaar. Lees het en onderteken het in het portaal. Dan is uw aanvraag compleet."),
            ), bevestiging="Het verslag staat in het portaal. De inwoner krijgt bericht.",
        ),
        Overgang(
            "verslag_terugnemen", "Verslag terugnemen om aan te passen", van=("verslag_ter_ondertekening",),
            naar="in_onderzoek", rollen=CONSULENT, effecten=(
                MeldInwoner("nieuwe_notificatie", "Het verslag wordt aangepast",
                            "De consulent past het verslag aan. U krijgt bericht als de nieuwe versie klaarstaat."),
            ), bevestiging="Het verslag is teruggenomen.",
        ),
        Overgang(
            "ondertekenen", "Verslag ondertekenen", van=("verslag_ter_ondertekening",), naar="aanvraag",
            rollen=frozenset({INWONER}), formulier=True, effecten=(
                OndertekenVerslag(), StopTermijn("wmo-onderzoek"), StartTermijn("wmo-beschikking", "aanvraagdatum"),
                MeldMedewerkers("behandelaar", "Aanvraag compleet", "De inwoner heeft het verslag ondertekend: de aanvraag is compleet."),
            ), bevestiging="U heeft het verslag ondertekend. Uw aanvraag is compleet. We nemen binnen 2 weken een besluit.",
        ),
        *besluitvorming("wmo-beschikking", (BESCHIKKING_KLAAR, Als(Bestel.nodig, dan=(ACTIE_ADMINISTRATIE,)))),
        Overgang(
            "bestellen", "Voorziening bestellen", van=("besluit",), naar="in_levering",
            rollen=frozenset({Rol.ADMINISTRATIE.value}), guards=(BESTELBAAR,), effecten=(
                Bestel(), RondActieAf("bestellen"),
                MeldInwoner("nieuwe_notificatie", "Uw ondersteuning wordt geregeld",
                            "We hebben de zorgaanbieder gevraagd uw ondersteuning te regelen. De zorgaanbieder neemt contact met u op."),
            ), bevestiging="De voorziening is besteld.", formulier=True,
        ),
        # Fired by the system when the zorgaanbieder's start (305) and stop (307) messages come in.
        Overgang(
            "levering_gestart", "Start ondersteuning ontvangen (305)", van=("in_levering",), naar="geleverd",
            rollen=frozenset({SYSTEEM_ROL}), effecten=(
                MeldInwoner("nieuwe_notificatie", "Uw ondersteuning is begonnen",
                            "De zorgaanbieder heeft laten weten dat uw ondersteuning is begonnen."),
                MeldMedewerkers("behandelaar", "Ondersteuning gestart", "De zorgaanbieder is met de ondersteuning begonnen."),
            ), bevestiging="De start van de ondersteuning is verwerkt.",
        ),
        Overgang(
            "levering_beeindigd", "Einde ondersteuning ontvangen (307)", van=("in_levering", "geleverd"),
            naar="beeindigd", rollen=frozenset({SYSTEEM_ROL}), effecten=(
                MeldInwoner("nieuwe_notificatie", "Uw ondersteuning is gestopt",
                            "De zorgaanbieder heeft laten weten dat uw ondersteuning is gestopt. Heeft u nog hulp nodig? Neem dan contact op met de gemeente."),
                MeldMedewerkers("behandelaar", "Ondersteuning beëindigd", "De zorgaanbieder heeft de ondersteuning beëindigd. Sluit de zaak af of kijk of er een herindicatie nodig is."),
            ), bevestiging="Het einde van de ondersteuning is verwerkt.",
        ),
        heropenen_na_bezwaar("wmo-beschikking", van=("besluit", "in_levering", "geleverd", "beeindigd", "afgesloten")),
        Overgang(
            "afsluiten", "Zaak afsluiten", van=("melding", "in_onderzoek", "in_levering", "besluit", "geleverd", "beeindigd"), naar="afgesloten",
            rollen=CONSULENT, formulier=True, effecten=(StopTermijn("wmo-onderzoek"), StopTermijn("wmo-beschikking")),
            bevestiging="De zaak is afgesloten.",
        ),
    ),
)
