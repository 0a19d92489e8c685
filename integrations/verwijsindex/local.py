"""The local Verwijsindex stand-in: other organisations' signals from register.json in this package, and the
signals it receives kept in a JSON file (under the instance folder by default).

A file, not memory: the web app signals and the worker's daily sweep asks for matches and removes signals, in
different processes. Writes take an exclusive lock on a side file and replace the file atomically, so the web
processes and the worker never see half a file or lose each other's signal.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import Aanmelding, Match, Signaal

REGISTER = Path(__file__).with_name("register.json")


def _register() -> list[dict]:
    return json.loads(REGISTER.read_text(encoding="utf-8"))["signalen"]


class LokaleVerwijsindex:
    def __init__(self, bestand: Path):
        self.bestand = Path(bestand)

    # --- the file ------------------------------------------------------------------------------------------

    @contextmanager
    def _vergrendeld(self) -> Iterator[None]:
        self.bestand.parent.mkdir(parents=True, exist_ok=True)
        with open(self.bestand.with_name(self.bestand.name + ".lock"), "a") as slot:
            fcntl.flock(slot, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(slot, fcntl.LOCK_UN)

    def _lees(self) -> list[dict]:
        if not self.bestand.exists():
            return []
        return json.loads(self.bestand.read_text(encoding="utf-8")).get("signalen", [])

    def _schrijf(self, signalen: list[dict]) -> None:
        fd, tijdelijk = tempfile.mkstemp(dir=self.bestand.parent, prefix=".verwijsindex-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"signalen": signalen}, f, ensure_ascii=False, indent=1)
        os.replace(tijdelijk, self.bestand)

    def _alle(self) -> list[dict]:
        return [*_register(), *self._lees()]

    # --- VerwijsindexClient --------------------------------------------------------------------------------

    def aanmelden(self, signaal: Signaal) -> Aanmelding:
        with self._vergrendeld():
            signalen = self._lees()
            kenmerk = f"VIR-LOKAAL-{uuid.uuid4().hex[:12]}"
            signalen.append({"kenmerk": kenmerk, "bsn": signaal.bsn, "organisatie": signaal.organisatie,
                             "organisatie_code": signaal.organisatie_code, "datum": signaal.datum.isoformat(),
                             "contactpersoon": signaal.contactpersoon, "telefoon": signaal.telefoon,
                             "ingetrokken_op": None})
            self._schrijf(signalen)
        return Aanmelding(kenmerk=kenmerk, matches=tuple(self._matches(signaal.bsn, signaal.organisatie_code)))

    def intrekken(self, kenmerk: str) -> None:
        with self._vergrendeld():
            signalen = self._lees()
            for s in signalen:
                if s["kenmerk"] == kenmerk and not s.get("ingetrokken_op"):
                    s["ingetrokken_op"] = dt.date.today().isoformat()
            self._schrijf(signalen)

    def matches(self, bsn: str, organisatie_code: str) -> list[Match]:
        eigen = [s for s in self._lees() if s["bsn"] == bsn and s["organisatie_code"] == organisatie_code
                 and not s.get("ingetrokken_op")]
        return self._matches(bsn, organisatie_code) if eigen else []

    # --- for the demo and the tests ------------------------------------------------------------------------

    def signaal_van_ander(self, signaal: Signaal) -> str:
        """Another organisation signals (a school, the GGD): so a match can arrive after our own signal."""
        return self.aanmelden(signaal).kenmerk

    def ontvangen(self) -> list[dict]:
        """Every signal this stand-in received, as stored (what left the gemeente)."""
        return self._lees()

    def _matches(self, bsn: str, organisatie_code: str) -> list[Match]:
        return [Match(kenmerk=s["kenmerk"], organisatie=s["organisatie"], contactpersoon=s["contactpersoon"],
                      telefoon=s["telefoon"], sinds=dt.date.fromisoformat(s["datum"]))
                for s in self._alle()
                if s["bsn"] == bsn and s["organisatie_code"] != organisatie_code and not s.get("ingetrokken_op")]
