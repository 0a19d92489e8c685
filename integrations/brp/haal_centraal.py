"""Client for a real Haal Centraal BRP Personen API (production)."""
from __future__ import annotations

import datetime as dt

import requests

from . import Persoon, minderjarigen_onder_gezag_van

FIELDS = ["burgerservicenummer", "naam", "geslacht", "geboorte", "verblijfplaats", "gemeenteVanInschrijving"]
# Gezag is asked for only when we need to know whom someone may act for (data minimisation: fields per purpose).
GEZAG_FIELDS = ["burgerservicenummer", "gezag"]


class HaalCentraalBrp:
    def __init__(self, url: str, api_key: str, timeout: float = 10.0):
        self.url = url.rstrip("/") + "/personen"
        self.session = requests.Session()
        if api_key:
            self.session.headers["X-API-KEY"] = api_key
        self.timeout = timeout

    def _post(self, body: dict, fields: list[str]) -> list[dict]:
        response = self.session.post(self.url, json={**body, "fields": fields}, timeout=self.timeout)
        response.raise_for_status()
        return response.json().get("personen", [])

    def _query(self, body: dict) -> list[Persoon]:
        return [Persoon.from_haal_centraal(p) for p in self._post(body, FIELDS)]

    def minderjarigen_onder_gezag(self, bsn: str) -> list[str]:
        personen = self._post({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]}, GEZAG_FIELDS)
        return minderjarigen_onder_gezag_van(bsn, personen[0].get("gezag") or []) if personen else []

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
