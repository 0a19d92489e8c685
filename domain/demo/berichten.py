"""Demo berichtenverkeer: a zaak ordered and played through the whole exchange with the simulated zorgaanbieder."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Zaak
from .basis import medewerker_actor as _medewerker_actor

# Berichtenverkeer: this inwoner's zaak is ordered and goes through the whole exchange with the simulated
# zorgaanbieder (302, 305, 315, 317, 323, 307), so the demo holds every message the gemeente sends: 301, 306, 308,
# 316, 318, 319 and 325 (and the iEb stand-in). The 315 stays open, to answer from the screen.
BERICHTEN_BSN = "999990068"


def bestel(session: Session, diensten, zaak: Zaak):
    """Administratie orders the zaak's voorzieningen at the first active zorgaanbieder, as in the backoffice:
    the toewijzing, its 301 (and the iEb stand-in) in one transaction. Returns the toewijzing."""
    from ..models import Toewijzing, Zorgaanbieder
    from ..workflow import voer_uit

    aanbieder = session.scalar(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id).limit(1))
    voer_uit(session, _medewerker_actor(session, "administratie"), zaak, "bestellen", verwachte_versie=None,
             diensten=diensten, gegevens={"zorgaanbieder_id": aanbieder.id})  # commits
    return session.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id).order_by(Toewijzing.id).limit(1))


class Uitwisseling:
    """One zaak's messages to and from a simulated zorgaanbieder in a temporary folder (the folder transport).
    `sim` is the zorgaanbieder (tell it to send a 315, 317, 323 or 307); `rondje()` is one turn of the exchange."""

    def __init__(self, session: Session, zaak_id: int, diensten, map_: Path, **simulator):
        from sqlalchemy.orm import sessionmaker

        from integrations.istandaarden.simulator import Simulator
        from integrations.istandaarden.transport import MapTransport

        self.zaak_id, self.diensten = zaak_id, diensten
        self.maker = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
        self.transport = MapTransport(map_)
        self.sim = Simulator(self.transport.map, **simulator)

    def bezorg(self) -> None:
        """The outbox sweep for this zaak's messages only: the real sweep would also hand anything else waiting
        in the outbox (of a database that is not only a demo) to this temporary folder."""
        from integrations.istandaarden.transport import bestandsnaam

        from ..berichtenverkeer import KLAAR, VERZONDEN
        from ..models import Bericht, utcnow

        with self.maker() as s:
            for b in s.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.status == KLAAR,
                                                     Bericht.zaak_id == self.zaak_id).order_by(Bericht.id)):
                self.transport.verstuur(bestandsnaam(b), b.xml)
                b.status, b.verzonden, b.pogingen = VERZONDEN, utcnow(), (b.pogingen or 0) + 1
            s.commit()

    def rondje(self) -> None:
        """The gemeente sends, the zorgaanbieder answers, the real inbox sweep processes the answers."""
        from integrations.istandaarden.transport import verwerk_inbox

        self.bezorg()
        self.sim.stap()
        verwerk_inbox(self.maker, self.transport, diensten=self.diensten)


@contextmanager
def uitwisseling(session: Session, zaak_id: int, diensten, **simulator) -> Iterator[Uitwisseling]:
    """An Uitwisseling for the zaak (Simulator options such as automatisch_starten=False pass through); the
    folder goes afterwards, the caller's session sees what the exchange wrote."""
    with tempfile.TemporaryDirectory(prefix="keukentafel-demo-") as map_:
        yield Uitwisseling(session, zaak_id, diensten, Path(map_), **simulator)
    session.expire_all()


def demo_berichten(session: Session, diensten, bsn: str = BERICHTEN_BSN, zaaktype: str = "wmo",
                   product_315: dict | None = None) -> int:
    """Order the inwoner's zaak of this zaaktype and play the exchange through the real code: the zaak's outgoing messages
    are delivered to a simulated zorgaanbieder in a temporary folder (the folder transport), the inbox sweep
    processes what it sends back. Idempotent: a zaak that already has messages is left alone. Returns the number
    of messages made."""
    from sqlalchemy import func

    from ..berichtenverkeer import AFGEWEZEN_ANTWOORD, beantwoord_verzoek
    from ..models import Bericht, Inwoner, Product, Zorgaanbieder

    inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    zaak = session.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id, Zaak.zaaktype == zaaktype)
                          .order_by(Zaak.id).limit(1)) \
        if inwoner else None
    if zaak is None or zaak.status != "besluit" or session.scalar(
            select(Bericht.id).where(Bericht.zaak_id == zaak.id).limit(1)):
        return 0
    voor = session.scalar(select(func.count()).select_from(Bericht))
    t = bestel(session, diensten, zaak)  # 301 (and the iEb stand-in)
    nummer, ingang = t.toewijzingnummer, t.ingangsdatum
    tarief = session.scalar(select(Product.tarief_cent).where(Product.productcode == t.productcode).limit(1))
    zaak_id, gemeente_code = zaak.id, zaak.gemeente.code
    agb = session.get(Zorgaanbieder, t.aanbieder_id).agb_code
    session.commit()

    with uitwisseling(session, zaak_id, diensten) as u:
        sim = u.sim
        u.rondje()  # 301 out; 302 and 305 in (the care starts), 306 out
        sim.stuur_verzoek_wijziging(nummer, volume=3)  # 317 -> 318
        sim.stuur_verzoek_toewijzing(gemeente=gemeente_code, agb=agb, client=sim.toewijzing(nummer).client,
                                     product=product_315 or {"Categorie": "02", "Code": "02A01"},
                                     standaard=sim.toewijzing(nummer).standaard,
                                     ingangsdatum=ingang + dt.timedelta(days=14), referentie=f"VOT-DEMO-{zaak_id:04d}",
                                     omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})  # 315 -> 316
        sim.stuur_declaratie(nummer, begin=ingang, eind=ingang, volume=1, tarief=tarief or 3250)  # 323 -> 325
        u.rondje()
        with u.maker() as s:  # the team turns the verzoek om wijziging down: 319
            verzoek = s.scalar(select(Bericht).where(Bericht.richting == "in", Bericht.code == "317",
                                                     Bericht.zaak_id == zaak_id))
            beantwoord_verzoek(s, _medewerker_actor(s, "administratie"), verzoek, AFGEWEZEN_ANTWOORD, reden="4")
            s.commit()
        sim.stuur_stop(nummer, einddatum=max(ingang, dt.date.today()))  # 307 -> 308
        u.rondje()
        u.bezorg()  # the last answers reach the zorgaanbieder too
        sim.stap()
    return session.scalar(select(func.count()).select_from(Bericht)) - voor
