"""Demo berichtenverkeer: a zaak ordered and played through the whole exchange with the simulated zorgaanbieder."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Zaak
from .basis import medewerker_actor as _medewerker_actor

# Berichtenverkeer: this inwoner's zaak is ordered and goes through the whole exchange with the simulated
# zorgaanbieder (302, 305, 315, 317, 323, 307), so the demo holds every message the gemeente sends: 301, 306, 308,
# 316, 318, 319 and 325 (and the iEb stand-in). The 315 stays open, to answer from the screen.
BERICHTEN_BSN = "999990068"


def demo_berichten(session: Session, diensten, bsn: str = BERICHTEN_BSN, zaaktype: str = "wmo",
                   product_315: dict | None = None) -> int:
    """Order the inwoner's zaak of this zaaktype and play the exchange through the real code: the zaak's outgoing messages
    are delivered to a simulated zorgaanbieder in a temporary folder (the folder transport), the inbox sweep
    processes what it sends back. Idempotent: a zaak that already has messages is left alone. Returns the number
    of messages made."""
    import tempfile
    from pathlib import Path

    from sqlalchemy import func
    from sqlalchemy.orm import sessionmaker

    from integrations.istandaarden.simulator import Simulator
    from integrations.istandaarden.transport import MapTransport, bestandsnaam, verwerk_inbox

    from ..berichtenverkeer import AFGEWEZEN_ANTWOORD, KLAAR, VERZONDEN, beantwoord_verzoek
    from ..models import Bericht, Inwoner, Product, Toewijzing, Zorgaanbieder, utcnow
    from ..workflow import voer_uit

    inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    zaak = session.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id, Zaak.zaaktype == zaaktype)
                          .order_by(Zaak.id).limit(1)) \
        if inwoner else None
    if zaak is None or zaak.status != "besluit" or session.scalar(
            select(Bericht.id).where(Bericht.zaak_id == zaak.id).limit(1)):
        return 0
    aanbieder = session.scalar(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id).limit(1))
    administratie = _medewerker_actor(session, "administratie")
    voor = session.scalar(select(func.count()).select_from(Bericht))
    voer_uit(session, administratie, zaak, "bestellen", verwachte_versie=None, diensten=diensten,
             gegevens={"zorgaanbieder_id": aanbieder.id})  # commits: 301 (and the iEb stand-in)
    t = session.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    nummer, ingang = t.toewijzingnummer, t.ingangsdatum
    tarief = session.scalar(select(Product.tarief_cent).where(Product.productcode == t.productcode).limit(1))
    zaak_id, gemeente_code, agb = zaak.id, zaak.gemeente.code, aanbieder.agb_code
    session.commit()

    maker = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
    with tempfile.TemporaryDirectory(prefix="keukentafel-demo-") as map_:
        transport = MapTransport(Path(map_))
        sim = Simulator(transport.map)

        def bezorg() -> None:
            """The outbox sweep for this zaak's messages only: the real sweep would also hand anything else
            waiting in the outbox (of a database that is not only a demo) to this temporary folder."""
            with maker() as s:
                for b in s.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.status == KLAAR,
                                                         Bericht.zaak_id == zaak_id).order_by(Bericht.id)):
                    transport.verstuur(bestandsnaam(b), b.xml)
                    b.status, b.verzonden, b.pogingen = VERZONDEN, utcnow(), (b.pogingen or 0) + 1
                s.commit()

        def rondje() -> None:
            bezorg()
            sim.stap()
            verwerk_inbox(maker, transport, diensten=diensten)

        rondje()  # 301 out; 302 and 305 in (the care starts), 306 out
        sim.stuur_verzoek_wijziging(nummer, volume=3)  # 317 -> 318
        sim.stuur_verzoek_toewijzing(gemeente=gemeente_code, agb=agb, client=sim.toewijzing(nummer).client,
                                     product=product_315 or {"Categorie": "02", "Code": "02A01"},
                                     standaard=sim.toewijzing(nummer).standaard,
                                     ingangsdatum=ingang + dt.timedelta(days=14), referentie=f"VOT-DEMO-{zaak_id:04d}",
                                     omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})  # 315 -> 316
        sim.stuur_declaratie(nummer, begin=ingang, eind=ingang, volume=1, tarief=tarief or 3250)  # 323 -> 325
        rondje()
        with maker() as s:  # the team turns the verzoek om wijziging down: 319
            verzoek = s.scalar(select(Bericht).where(Bericht.richting == "in", Bericht.code == "317",
                                                     Bericht.zaak_id == zaak_id))
            beantwoord_verzoek(s, _medewerker_actor(s, "administratie"), verzoek, AFGEWEZEN_ANTWOORD, reden="4")
            s.commit()
        sim.stuur_stop(nummer, einddatum=max(ingang, dt.date.today()))  # 307 -> 308
        rondje()
        bezorg()  # the last answers reach the zorgaanbieder too
        sim.stap()
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Bericht)) - voor
