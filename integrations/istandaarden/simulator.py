"""A simulated zorgaanbieder on the folder transport, for development, demos and tests.

It plays the other side of the berichtenverkeer: it picks up the gemeente's messages from ``<map>/uit/`` (and
moves them to ``<map>/uit/opgehaald/``, as a real mailbox would), and writes its own messages into
``<map>/in/``, where the gemeente's inbox sweep finds them.

* on a 301 it answers at once with a 302 (every RetourCode 0200), and after ``vertraging`` seconds with a 305
  (start zorg on the Ingangsdatum) for every toegewezen product it had not started yet;
* it can be told to send a 305, 307 (stop), 315 (verzoek om toewijzing), 317 (verzoek om wijziging) or 323
  (declaratie) for a toewijzing it knows;
* retourberichten of the gemeente (306, 308, 316, 318, 325) are collected in ``ontvangen``.

Use in-process (tests)::

    sim = Simulator(map_)          # vertraging 0: the 305 goes out in the same stap()
    sim.stap()                     # read the out-folder, answer

or as a background thread (``keukentafel serve`` in development)::

    start_simulator(map_, interval=5, vertraging=30)

It needs no database: what it knows of toewijzingen it reads from the 301s it picked up (also after a restart,
from ``uit/opgehaald/``).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .berichten import Bericht, Header, lees, retour, schrijf
from .transport import schrijf_atomair

log = logging.getLogger(__name__)

__all__ = ["Simulator", "start_simulator"]


def _id() -> str:
    return uuid.uuid4().hex[:12].upper()


@dataclass
class BekendeToewijzing:
    standaard: str
    gemeente: str
    agb: str
    nummer: int
    client: dict[str, Any]
    product: dict[str, Any]
    ingangsdatum: dt.date
    einddatum: dt.date | None
    omvang: dict[str, Any] | None
    gestart: dt.date | None = None
    gestopt: bool = False


@dataclass
class _Wachtend:
    moment: float
    naam: str
    xml: bytes


@dataclass
class Simulator:
    map: Path
    vertraging: float = 0.0  # seconds between the 302 and the 305
    agb_codes: frozenset[str] | None = None  # None: play every zorgaanbieder
    automatisch_starten: bool = True
    toewijzingen: dict[tuple[str, int], BekendeToewijzing] = field(default_factory=dict)
    ontvangen: list[Bericht] = field(default_factory=list)
    verstuurd: list[Bericht] = field(default_factory=list)
    _wachtrij: list[_Wachtend] = field(default_factory=list)

    def __post_init__(self):
        self.map = Path(self.map)
        self.uit = self.map / "uit"
        self.opgehaald = self.uit / "opgehaald"
        self.inbox = self.map / "in"
        for p in (self.uit, self.opgehaald, self.inbox):
            p.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        for p in sorted(self.opgehaald.glob("*.xml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
            try:
                b = lees(p.read_bytes())
            except Exception:  # noqa: BLE001 - not for us to judge
                log.debug("Simulator: %s overgeslagen", p.name)
                continue
            if b.code == "301":
                self._onthoud_301(b)

    # --- reading the gemeente's messages ---------------------------------------------------------------

    def _voor_mij(self, b: Bericht) -> bool:
        agb = b.header.ontvanger if not b.soort.is_retour else b.header.afzender
        if b.code == "325":
            agb = b.header.ontvanger
        return self.agb_codes is None or agb in self.agb_codes

    def _onthoud_301(self, b: Bericht) -> list[BekendeToewijzing]:
        client = b.inhoud["Client"]
        kort = {k: client[k] for k in ("Bsn", "Geboortedatum", "Geslacht")}
        naam = client["Naam"]
        kort["Naam"] = {k: naam[k] for k in ("Geslachtsnaam", "Voornamen", "Voorletters") if k in naam}
        nieuw = []
        for p in client["ToegewezenProducten"]["ToegewezenProduct"]:
            sleutel = (b.header.afzender, p["ToewijzingNummer"])
            bekend = self.toewijzingen.get(sleutel)
            if bekend is None:
                bekend = BekendeToewijzing(
                    standaard=b.standaard, gemeente=b.header.afzender, agb=b.header.ontvanger,
                    nummer=p["ToewijzingNummer"], client=kort, product=p.get("Product") or {},
                    ingangsdatum=p["Ingangsdatum"], einddatum=p.get("Einddatum"), omvang=p.get("Omvang"))
                self.toewijzingen[sleutel] = bekend
                nieuw.append(bekend)
            else:
                bekend.einddatum, bekend.omvang = p.get("Einddatum"), p.get("Omvang")
        return nieuw

    def stap(self, nu: float | None = None) -> int:
        """Pick up the gemeente's messages, answer them, and send what is due. Returns the number of messages
        written into the in-folder."""
        with self._lock:
            geschreven = 0
            for pad in sorted(self.uit.glob("*.xml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
                try:
                    b = lees(pad.read_bytes())
                except Exception:  # noqa: BLE001 - a message a real aanbieder would refuse; leave it
                    log.warning("Simulator: %s is geen geldig bericht", pad.name)
                    continue
                if not self._voor_mij(b):
                    continue
                pad.replace(self.opgehaald / pad.name)
                if b.code == "301":
                    geschreven += self._antwoord_301(b, nu)
                else:
                    self.ontvangen.append(b)
            moment = time.monotonic() if nu is None else nu
            klaar = [w for w in self._wachtrij if w.moment <= moment]
            for w in klaar:
                self._wachtrij.remove(w)
                schrijf_atomair(self.inbox / w.naam, w.xml)
                geschreven += 1
            return geschreven

    def _antwoord_301(self, b: Bericht, nu: float | None) -> int:
        self.ontvangen.append(b)
        nieuw = self._onthoud_301(b)
        r = retour(b, identificatie=_id(), dagtekening=dt.date.today())
        self._schrijf(r)
        if self.automatisch_starten and nieuw:
            start = self._start(nieuw)
            moment = (time.monotonic() if nu is None else nu) + self.vertraging
            if self.vertraging <= 0:
                self._schrijf(start)
                return 2
            self._wachtrij.append(_Wachtend(moment, self._bestandsnaam(start), schrijf(start)))
            self.verstuurd.append(start)
        return 1

    # --- writing our own messages ------------------------------------------------------------------------

    def _bestandsnaam(self, b: Bericht) -> str:
        ident = b.header.identificatie_retour if b.soort.is_retour and b.code != "325" else b.header.identificatie
        return f"{b.naam}-{ident}.xml"

    def _schrijf(self, b: Bericht) -> bytes:
        xml = schrijf(b)
        schrijf_atomair(self.inbox / self._bestandsnaam(b), xml)
        self.verstuurd.append(b)
        return xml

    def _header(self, t: BekendeToewijzing) -> Header:
        return Header(afzender=t.agb, ontvanger=t.gemeente, identificatie=_id(), dagtekening=dt.date.today())

    def toewijzing(self, nummer: int, gemeente: str | None = None) -> BekendeToewijzing:
        for (g, n), t in self.toewijzingen.items():
            if n == nummer and (gemeente is None or g == gemeente):
                return t
        raise KeyError(f"simulator kent toewijzing {nummer} niet")

    def _start(self, toewijzingen: list[BekendeToewijzing], begindatum: dt.date | None = None,
               status: str = "1") -> Bericht:
        eerste = toewijzingen[0]
        producten = []
        for t in toewijzingen:
            t.gestart = begindatum or t.gestart or t.ingangsdatum
            regel = {"ToewijzingNummer": t.nummer}
            if t.product:
                regel["Product"] = t.product
            regel.update({"ToewijzingIngangsdatum": t.ingangsdatum, "Begindatum": t.gestart,
                          "StatusAanlevering": status})
            producten.append(regel)
        return Bericht(eerste.standaard, "305", self._header(eerste),
                       {"Client": {**eerste.client, "StartProducten": {"StartProduct": producten}}})

    def stuur_start(self, nummer: int, *, begindatum: dt.date | None = None, status: str = "1") -> bytes:
        """A 305 for a known toewijzing (e.g. a second one, to check it is refused)."""
        with self._lock:
            return self._schrijf(self._start([self.toewijzing(nummer)], begindatum, status))

    def stuur_stop(self, nummer: int, *, einddatum: dt.date | None = None, reden: str | None = None) -> bytes:
        """A 307: the support of this toewijzing stopped (default: today, 'levering volgens plan beeindigd')."""
        with self._lock:
            t = self.toewijzing(nummer)
            stop = {"ToewijzingNummer": t.nummer}
            if t.product:
                stop["Product"] = t.product
            stop.update({
                "ToewijzingIngangsdatum": t.ingangsdatum, "Begindatum": t.gestart or t.ingangsdatum,
                "RedenBeeindiging": reden or ("19" if t.standaard == "iwmo" else "31"),
                "Einddatum": einddatum or max(dt.date.today(), t.gestart or t.ingangsdatum),
                "StatusAanlevering": "1",
            })
            t.gestopt = True
            return self._schrijf(Bericht(t.standaard, "307", self._header(t),
                                         {"Client": {**t.client, "StopProducten": {"StopProduct": [stop]}}}))

    def stuur_verzoek_toewijzing(self, *, gemeente: str, agb: str, client: dict[str, Any], product: dict[str, Any],
                                 ingangsdatum: dt.date, omvang: dict[str, Any] | None = None,
                                 standaard: str = "iwmo", referentie: str | None = None) -> bytes:
        """A 315: the aanbieder asks the gemeente for a toewijzing (after a referral by a huisarts)."""
        with self._lock:
            regel: dict[str, Any] = {"ReferentieAanbieder": referentie or f"VOT-{_id()}", "Product": product,
                                     "ToewijzingIngangsdatum": ingangsdatum}
            if omvang:
                regel["Omvang"] = omvang
            regel["Verwijzer"] = {"Type": "02", "Naam": "Huisartsenpraktijk De Kade", "ZorgverlenerCode": "01012345"}
            header = Header(afzender=agb, ontvanger=gemeente, identificatie=_id(), dagtekening=dt.date.today())
            return self._schrijf(Bericht(standaard, "315", header,
                                         {"Client": {**client, "AangevraagdeProducten": {"AangevraagdProduct": [regel]}}}))

    def stuur_verzoek_wijziging(self, nummer: int, *, volume: int, ingangsdatum: dt.date | None = None,
                                reden: str = "1") -> bytes:
        """A 317: the aanbieder asks to change the volume of a toewijzing."""
        with self._lock:
            t = self.toewijzing(nummer)
            omvang = dict(t.omvang or {"Eenheid": "04", "Frequentie": "2"})
            omvang["Volume"] = volume
            wijziging = {"ToewijzingNummer": t.nummer, "GewensteIngangsdatum": ingangsdatum or dt.date.today()}
            if t.einddatum:
                wijziging["Einddatum"] = t.einddatum
            wijziging["Omvang"] = {"Volume": omvang["Volume"], "Eenheid": omvang["Eenheid"],
                                   "Frequentie": omvang["Frequentie"]}
            verzoek = {"ReferentieAanbieder": f"VOW-{_id()}", "RedenVerzoek": reden,
                       "TeWijzigenProducten": {"TeWijzigenProduct": [wijziging]}}
            return self._schrijf(Bericht(t.standaard, "317", self._header(t),
                                         {"Client": {"Bsn": t.client["Bsn"], "Verzoek": verzoek}}))

    def stuur_declaratie(self, nummer: int, *, begin: dt.date, eind: dt.date, volume: int, tarief: int,
                         eenheid: str | None = None) -> bytes:
        """A 323 with one prestatie for this toewijzing over [begin, eind]."""
        with self._lock:
            t = self.toewijzing(nummer)
            bedrag = volume * tarief
            prestatie = {
                "ProductReferentie": {"ReferentieNummer": f"P-{_id()}"},
                "ToewijzingNummer": t.nummer,
                "ProductCategorie": t.product.get("Categorie", "01"),
                "ProductCode": t.product.get("Code", "00000"),
                "ProductPeriode": {"Begindatum": begin, "Einddatum": eind},
                "GeleverdVolume": volume,
                "Eenheid": eenheid or (t.omvang or {}).get("Eenheid", "04"),
                "ProductTarief": tarief,
                "IngediendBedrag": {"Bedrag": bedrag, "DebetCredit": "D"},
            }
            declaratie = {
                "DeclaratieNummer": _id(),
                "DeclaratiePeriode": {"Begindatum": begin, "Einddatum": eind},
                "DeclaratieDagtekening": dt.date.today(),
                "TotaalIngediendBedrag": {"TotaalBedrag": bedrag, "DebetCredit": "D"},
                "Clienten": {"Client": [{"Bsn": t.client["Bsn"], "Prestaties": {"Prestatie": [prestatie]}}]},
            }
            return self._schrijf(Bericht(t.standaard, "323", self._header(t), {"Declaratie": declaratie}))

    # --- background ------------------------------------------------------------------------------------------

    def draai(self, stop: threading.Event, interval: float = 5.0) -> None:
        while not stop.is_set():
            try:
                self.stap()
            except Exception:
                log.exception("Simulator: stap mislukt")
            stop.wait(interval)


def start_simulator(map_: Path | str, *, interval: float = 5.0, vertraging: float = 30.0,
                    agb_codes: frozenset[str] | None = None) -> tuple[Simulator, threading.Event, threading.Thread]:
    """Run a simulated zorgaanbieder in a daemon thread. Set the returned event to stop it."""
    sim = Simulator(Path(map_), vertraging=vertraging, agb_codes=agb_codes)
    stop = threading.Event()
    thread = threading.Thread(target=sim.draai, args=(stop, interval), name="zorgaanbieder-simulator", daemon=True)
    thread.start()
    return sim, stop, thread
