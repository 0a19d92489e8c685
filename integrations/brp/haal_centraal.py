"""Client for a real Haal Centraal BRP Personen API (production)."""
from __future__ import annotations

import datetime as dt

import requests

from . import Persoon

FIELDS = ["burgerservicenummer", "naam", "geslacht", "geboorte", "verblijfplaats", "gemeenteVanInschrijving"]


class HaalCentraalBrp:
    def __init__(self, url: str, api_key: str, timeout: float = 10.0):
        self.url = url.rstrip("/") + "/personen"
        self.session = requests.Session()
        if api_key:
            self.session.headers["X-API-KEY"] = api_key
        self.timeout = timeout

    def _query(self, body: dict) -> list[Persoon]:
        response = self.session.post(self.url, json={**body, "fields": FIELDS}, timeout=self.timeout)
        response.raise_for_status()
        return [Persoon.from_haal_centraal(p) for p in response.json().get("personen", [])]

    def zoek_bsn(self, bsn: str) -> Persoon | None:
        found = self._query({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]})
        return found[0] if found else None

    def zoek_naam(self, geslachtsnaam: str, geboortedatum: dt.date) -> list[Persoon]:
        return self._query(
            {
                "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
                "geslachtsnaam": geslachtsnaam,
                "geboortedatum": geboortedatum.isoformat(),
            }
        )
