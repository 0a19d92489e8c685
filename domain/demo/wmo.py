"""Demo Wmo zaken, one in every step, made through the real domain operations and engine."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Zaak
from .basis import medewerker_actor as _medewerker_actor

# Demo zaken, made through the real domain operations and engine so they are exactly what users would make.
# bsn, stage to reach, days ago the melding came in
ZAKEN = [
    ("999990007", "melding", 3),
    ("999990123", "melding", 50),  # overdue: the onderzoek term has passed
    ("999990081", "in_onderzoek", 20),
    ("999990093", "verslag_ter_ondertekening", 25),
    ("999990044", "ter_toetsing", 30),
    ("999990056", "besluit", 35),
    ("999990068", "besluit", 40),  # then through the whole berichtenverkeer (_demo_berichten)
]

def demo_zaken(session: Session, vandaag: dt.date, diensten) -> int:
    from ..actor import Actor
    from ..models import Inwoner, Product
    from ..workflow import voer_uit
    from ..zaken import VerslagInvoer, VoorzieningInvoer, registreer_melding, sla_besluit_op, sla_verslag_op

    def actor(gebruikersnaam: str) -> Actor:
        return _medewerker_actor(session, gebruikersnaam)

    volgorde = ["melding", "in_onderzoek", "verslag_ter_ondertekening", "aanvraag", "ter_toetsing", "besluit"]
    gemaakt = 0
    for bsn, doel, dagen in ZAKEN:
        inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        if session.scalar(select(Zaak.id).where(Zaak.inwoner_id == inwoner.id).limit(1)):
            continue
        start = vandaag - dt.timedelta(days=dagen)
        moment = dt.datetime.combine(start, dt.time(10, 0), dt.UTC)
        zaak = registreer_melding(session, actor("toegang"), inwoner=inwoner, zaaktype_code="wmo",
                                  hulpvraag="Sinds mijn heupoperatie lukt het schoonmaken niet meer. Mijn dochter woont ver weg.",
                                  kanaal="telefoon", diensten=diensten, vandaag=start, nu=moment)
        gemaakt += 1
        stap = volgorde.index(doel)
        wmo = actor("wmo")
        if stap >= 1:
            voer_uit(session, wmo, zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten, nu=moment + dt.timedelta(days=2),
                     gegevens={"start": max(moment + dt.timedelta(days=7), dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
                               if stap == 1 else moment + dt.timedelta(days=7),
                               "locatie": "Bij u thuis", "duur_minuten": 60,
                               "voorbereiding": "Denk na over wat u zelf nog kunt en wie u helpt. U mag iemand meenemen."})
        if doel == "in_onderzoek":  # the consulent needs something from the inwoner before the gesprek
            from ..vragen import stel_vraag

            stel_vraag(session, wmo, zaak, tekst="Wilt u de brief van uw orthopeed meesturen? Dan weten we hoe lang "
                                                 "u nog herstelt van de operatie.",
                       uiterlijk=vandaag + dt.timedelta(days=10), diensten=diensten)
        if stap >= 2:
            gesprek = moment + dt.timedelta(days=7)
            voer_uit(session, wmo, zaak, "gesprek_vastleggen", verwachte_versie=None, diensten=diensten, nu=gesprek,
                     gegevens={"gehouden_op": gesprek.date(), "aanwezig": f"{inwoner.naam}, een familielid en de consulent.",
                               "verslag": "Besproken wat niet meer lukt sinds de operatie en wie er helpt."})
            sla_verslag_op(session, wmo, zaak, VerslagInvoer(
                hulpvraag=zaak.hulpvraag or "",
                situatie="Woont zelfstandig in een eengezinswoning. Kan sinds de operatie niet bukken of tillen.",
                leefgebieden=[{"leefgebied": "Huisvesting", "bevinding": "Het huis is niet schoon te houden zonder hulp."},
                              {"leefgebied": "Sociaal netwerk", "bevinding": "Dochter komt eens per twee weken."}],
                eigen_kracht="Doet zelf de lichte taken en de boodschappen met de rollator.",
                afweging="Het netwerk kan het zware huishouden niet overnemen. Een algemene voorziening is er niet.",
                advies="Hulp bij het huishouden, 3 uur per week, voor een jaar."))
            voer_uit(session, wmo, zaak, "verslag_klaarzetten", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=9))
        if stap >= 3:
            burger = Actor(soort="inwoner", id=inwoner.id, naam=inwoner.naam, inwoner_id=inwoner.id,
                           gemeente_ids=frozenset({inwoner.gemeente_id}), betrouwbaarheidsniveau="midden")
            from ..stappen import te_ondertekenen

            voer_uit(session, burger, zaak, "ondertekenen", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=10),
                     gegevens={"opmerking": "", "sha256": te_ondertekenen(session, zaak.id).sha256})
        if stap >= 4:
            hbh = session.scalar(select(Product).where(Product.code == "WMO-HBH"))
            uren = 10 if doel == "ter_toetsing" else 2
            sla_besluit_op(session, wmo, zaak, besluittype="toekenning",
                           onderbouwing="U kunt uw huis niet zelf schoonhouden en uw netwerk kan dit niet overnemen.",
                           wettelijke_grondslag="", voorzieningen=[VoorzieningInvoer(
                               product_id=hbh.id, volume=uren, frequentie="2", ingangsdatum=vandaag,
                               einddatum=vandaag + dt.timedelta(days=364))])
            voer_uit(session, wmo, zaak, "beschikking_indienen", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=12))
    return gemaakt
