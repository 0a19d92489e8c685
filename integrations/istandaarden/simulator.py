"""A simulated zorgaanbieder on the folder transport, for development, demos and tests.

It plays the other side of the berichtenverkeer: it picks up the gemeente's messages from ``<map>/uit/`` (and
moves them to ``<map>/uit/opgehaald/``, as a real mailbox would), and writes its own messages into
``<map>/in/``, where the gemeente's inbox sweep finds them.

* on a 301 it answers at once with a 302 (every RetourCode 0200), and after ``vertraging`` seconds with a 305
  (start zorg on the Ingangsdatum) for every toegewezen product it had not started yet;
* at the end it sends a 307 (stop zorg): when the Einddatum of a started toewijzing has come (also one the gemeente
  shortened with a new 301), or, with ``looptijd`` set (demos), that many seconds after the start;
* it can be told to send a 305, 307 (stop), 315 (verzoek om toewijzing), 317 (verzoek om wijziging) or 323
  (declaratie) for a toewijzing it knows;
* retourberichten of the gemeente (306, 308, 316, 318, 325) are collected in ``ontvangen``.

Use in-process (tests)::

    sim = Simulator(map_)          # vertraging 0: the 305 goes out in the same stap()
    sim.stap()                     # read the out-folder, answer

or as its own process (``make run`` starts it next to the web server; ``keukentafel zorgaanbieder --help``)::

    keukentafel zorgaanbieder draai --interval 5 --vertraging 30
    keukentafel zorgaanbieder stuur-wijziging 123456 --volume 3     # tell it to send a 317, from another shell

It needs no database, like a real zorgaanbieder: what it knows of toewijzingen it reads from the 301s it picked
up (``uit/opgehaald/``); what it did with them (started on, stopped) and the 305s it still has to send are kept in
``<map>/zorgaanbieder/`` (``toestand.json`` and ``wachtrij/``). A file lock makes the running process and a
one-off command take turns, and each turn starts by reading that state, so they never disagree.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
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

__all__ = ["Simulator"]


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
    gestart_om: float | None = None  # wall clock of the 305 (for `looptijd`)
    gestopt: bool = False

    @property
    def sleutel(self) -> str:
        return f"{self.gemeente}:{self.nummer}"


@dataclass
class Simulator:
    map: Path
    vertraging: float = 0.0  # seconds between the 302 and the 305
    agb_codes: frozenset[str] | None = None  # None: play every zorgaanbieder
    automatisch_starten: bool = True
    looptijd: float | None = None  # seconds from start to stop (demos); None: the toewijzing's Einddatum
    toewijzingen: dict[tuple[str, int], BekendeToewijzing] = field(default_factory=dict)
    ontvangen: list[Bericht] = field(default_factory=list)
    verstuurd: list[Bericht] = field(default_factory=list)

    def __post_init__(self):
        self.map = Path(self.map)
        self.uit = self.map / "uit"
        self.opgehaald = self.uit / "opgehaald"
        self.inbox = self.map / "in"
        self.eigen = self.map / "zorgaanbieder"
        self.wachtrij = self.eigen / "wachtrij"
        self.toestand_bestand = self.eigen / "toestand.json"
        for p in (self.uit, self.opgehaald, self.inbox, self.wachtrij):
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
        with self._beurt():
            pass

    # --- state shared with other processes ---------------------------------------------------------------

    @contextlib.contextmanager
    def _beurt(self):
        """One turn: the thread lock and the file lock, the state read before and written after."""
        with self._lock, open(self.eigen / ".lock", "a+") as slot:
            fcntl.flock(slot, fcntl.LOCK_EX)
            try:
                self._lees_toestand()
                yield
                self._bewaar_toestand()
            finally:
                fcntl.flock(slot, fcntl.LOCK_UN)

    def _lees_toestand(self) -> None:
        try:
            toestand = json.loads(self.toestand_bestand.read_text())
        except (FileNotFoundError, ValueError):
            return
        for t in self.toewijzingen.values():
            bekend = toestand.get(t.sleutel)
            if bekend:
                t.gestart = dt.date.fromisoformat(bekend["gestart"]) if bekend.get("gestart") else None
                t.gestart_om = bekend.get("gestart_om")
                t.gestopt = bool(bekend.get("gestopt"))

    def _bewaar_toestand(self) -> None:
        toestand = {t.sleutel: {"gestart": t.gestart.isoformat() if t.gestart else None, "gestart_om": t.gestart_om,
                                "gestopt": t.gestopt}
                    for t in self.toewijzingen.values() if t.gestart or t.gestopt}
        schrijf_atomair(self.toestand_bestand, json.dumps(toestand, indent=1, sort_keys=True).encode())

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
        """Pick up the gemeente's messages, answer them, and send what is due (a delayed 305, a 307 at the end).
        `nu`: wall-clock seconds (time.time()), for tests. Returns the number of messages written into in/."""
        with self._beurt():
            moment = time.time() if nu is None else nu
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
                    geschreven += self._antwoord_301(b, moment)
                else:
                    self.ontvangen.append(b)
            for pad in sorted(self.wachtrij.glob("*.xml")):
                tijd, _, naam = pad.name.partition("-")
                if float(tijd) / 1000 > moment:
                    break
                start = lees(pad.read_bytes(), valideren=False)
                self._markeer_gestart(start, moment)
                schrijf_atomair(self.inbox / naam, pad.read_bytes())
                pad.unlink()
                geschreven += 1
            geschreven += self._stop_wat_eindigt(moment)
            return geschreven

    def _markeer_gestart(self, start: Bericht, moment: float) -> None:
        for p in start.inhoud["Client"]["StartProducten"]["StartProduct"]:
            t = self.toewijzingen.get((start.header.ontvanger, p["ToewijzingNummer"]))
            if t is not None:
                t.gestart, t.gestart_om = p["Begindatum"], moment

    def _stop_wat_eindigt(self, moment: float) -> int:
        """A 307 for every started toewijzing whose Einddatum has come, or whose `looptijd` has passed."""
        vandaag = dt.date.fromtimestamp(moment)
        geschreven = 0
        for t in list(self.toewijzingen.values()):
            if not t.gestart or t.gestopt:
                continue
            if self.looptijd is not None and t.gestart_om is not None and moment - t.gestart_om >= self.looptijd:
                self._stop(t, max(vandaag, t.gestart))
                geschreven += 1
            elif t.einddatum is not None and t.einddatum <= vandaag:
                self._stop(t, max(t.einddatum, t.gestart))
                geschreven += 1
        return geschreven

    def _antwoord_301(self, b: Bericht, moment: float) -> int:
        self.ontvangen.append(b)
        nieuw = self._onthoud_301(b)
        r = retour(b, identificatie=_id(), dagtekening=dt.date.today())
        self._schrijf(r)
        nieuw = [t for t in nieuw if t.einddatum is None or t.einddatum >= t.ingangsdatum]
        if self.automatisch_starten and nieuw:
            start = self._start(nieuw)
            if self.vertraging <= 0:
                self._markeer_gestart(start, moment)
                self._schrijf(start)
                return 2
            for t in nieuw:  # started only when the 305 goes out
                t.gestart = None
            wanneer = int((moment + self.vertraging) * 1000)
            schrijf_atomair(self.wachtrij / f"{wanneer:015d}-{self._bestandsnaam(start)}", schrijf(start))
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
        with self._beurt():
            start = self._start([self.toewijzing(nummer)], begindatum, status)
            self._markeer_gestart(start, time.time())
            return self._schrijf(start)

    def stuur_stop(self, nummer: int, *, einddatum: dt.date | None = None, reden: str | None = None) -> bytes:
        """A 307: the support of this toewijzing stopped (default: today, 'levering volgens plan beeindigd')."""
        with self._beurt():
            t = self.toewijzing(nummer)
            return self._stop(t, einddatum or max(dt.date.today(), t.gestart or t.ingangsdatum), reden)

    def _stop(self, t: BekendeToewijzing, einddatum: dt.date, reden: str | None = None) -> bytes:
        stop = {"ToewijzingNummer": t.nummer}
        if t.product:
            stop["Product"] = t.product
        stop.update({
            "ToewijzingIngangsdatum": t.ingangsdatum, "Begindatum": t.gestart or t.ingangsdatum,
            "RedenBeeindiging": reden or ("19" if t.standaard == "iwmo" else "31"),
            "Einddatum": einddatum, "StatusAanlevering": "1",
        })
        t.gestopt = True
        return self._schrijf(Bericht(t.standaard, "307", self._header(t),
                                     {"Client": {**t.client, "StopProducten": {"StopProduct": [stop]}}}))

    def stuur_verzoek_toewijzing(self, *, gemeente: str, agb: str, client: dict[str, Any], product: dict[str, Any],
                                 ingangsdatum: dt.date, omvang: dict[str, Any] | None = None,
                                 standaard: str = "iwmo", referentie: str | None = None) -> bytes:
        """A 315: the aanbieder asks the gemeente for a toewijzing (after a referral by a huisarts)."""
        with self._beurt():
            regel: dict[str, Any] = {"ReferentieAanbieder": referentie or f"VOT-{_id()}", "Product": product,
                                     "ToewijzingIngangsdatum": ingangsdatum}
            if omvang:
                regel["Omvang"] = omvang
            regel["Verwijzer"] = {"Type": "02", "Naam": "Huisartsenpraktijk De Kade", "ZorgverlenerCode": "01012345"}
            header = Header(afzender=agb, ontvanger=gemeente, identificatie=_id(), dagtekening=dt.date.today())
            return self._schrijf(Bericht(standaard, "315", header,
                                         {"Client": {**client, "AangevraagdeProducten": {"AangevraagdProduct": [regel]}}}))

    def stuur_verzoek_wijziging(self, nummer: int, *, volume: int | None = None, ingangsdatum: dt.date | None = None,
                                reden: str = "1", nieuwe_producten: list[dict[str, Any]] | None = None,
                                referentie: str | None = None) -> bytes:
        """A 317: the aanbieder asks to change the volume of a toewijzing, and/or for new products (each a dict
        with Product and Omvang) next to it. Without `volume` the toewijzing is listed as unchanged."""
        with self._beurt():
            t = self.toewijzing(nummer)
            gewenst = ingangsdatum or dt.date.today()
            verzoek: dict[str, Any] = {"ReferentieAanbieder": referentie or f"VOW-{_id()}", "RedenVerzoek": reden}
            if volume is None:
                verzoek["OngewijzigdeProducten"] = {"OngewijzigdProduct": [{"ToewijzingNummer": t.nummer}]}
            else:
                omvang = dict(t.omvang or {"Eenheid": "04", "Frequentie": "2"})
                wijziging = {"ToewijzingNummer": t.nummer, "GewensteIngangsdatum": gewenst}
                if t.einddatum:
                    wijziging["Einddatum"] = t.einddatum
                wijziging["Omvang"] = {"Volume": volume, "Eenheid": omvang["Eenheid"],
                                       "Frequentie": omvang["Frequentie"]}
                verzoek["TeWijzigenProducten"] = {"TeWijzigenProduct": [wijziging]}
            if nieuwe_producten:
                verzoek["NieuweProducten"] = {"NieuwProduct": [
                    {"Product": n["Product"], "GewensteIngangsdatum": gewenst,
                     **({"Einddatum": t.einddatum} if t.einddatum else {}), "Omvang": n["Omvang"]}
                    for n in nieuwe_producten]}
            return self._schrijf(Bericht(t.standaard, "317", self._header(t),
                                         {"Client": {"Bsn": t.client["Bsn"], "Verzoek": verzoek}}))

    def stuur_declaratie(self, nummer: int, *, begin: dt.date, eind: dt.date, volume: int, tarief: int,
                         eenheid: str | None = None, referentie: str | None = None) -> bytes:
        """A 323 with one prestatie for this toewijzing over [begin, eind]."""
        with self._beurt():
            t = self.toewijzing(nummer)
            bedrag = volume * tarief
            prestatie = {
                "ProductReferentie": {"ReferentieNummer": referentie or f"P-{_id()}"},
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
