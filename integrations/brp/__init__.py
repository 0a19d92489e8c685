"""BRP person lookup in the shape of the Haal Centraal BRP Personen API.

`BrpClient` is the interface the domain uses. `LocalBrp` reads the test-person register in this package
(the embedded default and the tests); `HaalCentraalBrp` talks to a real Haal Centraal endpoint in production.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Persoon:
    bsn: str
    voornamen: str
    voorvoegsel: str | None
    geslachtsnaam: str
    geboortedatum: dt.date
    straat: str
    huisnummer: str
    postcode: str
    woonplaats: str
    gemeentecode: str  # CBS code of the gemeente van inschrijving
    gemeentenaam: str
    geslacht: str | None = None  # Haal Centraal geslacht.code: M (man), V (vrouw), O (onbekend)

    @property
    def naam(self) -> str:
        return " ".join(d for d in (self.voornamen, self.voorvoegsel, self.geslachtsnaam) if d)

    @property
    def adres(self) -> str:
        return f"{self.straat} {self.huisnummer}, {self.postcode} {self.woonplaats}"

    @classmethod
    def from_haal_centraal(cls, data: dict) -> Persoon:
        naam = data.get("naam", {})
        verblijf = data.get("verblijfplaats", {}).get("verblijfadres", {})
        gemeente = data.get("gemeenteVanInschrijving", {})
        return cls(
            bsn=data["burgerservicenummer"],
            voornamen=naam.get("voornamen", ""),
            voorvoegsel=naam.get("voorvoegsel") or None,
            geslachtsnaam=naam.get("geslachtsnaam", ""),
            geboortedatum=dt.date.fromisoformat(data["geboorte"]["datum"]["datum"]),
            straat=verblijf.get("officieleStraatnaam", ""),
            huisnummer=str(verblijf.get("huisnummer", "")) + (verblijf.get("huisletter") or ""),
            postcode=verblijf.get("postcode", ""),
            woonplaats=verblijf.get("woonplaats", ""),
            gemeentecode=gemeente.get("code", ""),
            gemeentenaam=gemeente.get("omschrijving", ""),
            geslacht=(data.get("geslacht") or {}).get("code") or None,
        )

    def to_haal_centraal(self) -> dict:
        return {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": self.bsn,
            "naam": {
                "voornamen": self.voornamen,
                "voorvoegsel": self.voorvoegsel or "",
                "geslachtsnaam": self.geslachtsnaam,
                "volledigeNaam": self.naam,
            },
            **({"geslacht": {"code": self.geslacht, "omschrijving": {"M": "man", "V": "vrouw"}.get(
                self.geslacht, "onbekend")}} if self.geslacht else {}),
            "geboorte": {"datum": {"type": "Datum", "datum": self.geboortedatum.isoformat()}},
            "verblijfplaats": {
                "type": "Adres",
                "verblijfadres": {
                    "officieleStraatnaam": self.straat,
                    "huisnummer": self.huisnummer,
                    "postcode": self.postcode,
                    "woonplaats": self.woonplaats,
                },
            },
            "gemeenteVanInschrijving": {"code": self.gemeentecode, "omschrijving": self.gemeentenaam},
        }


class BrpClient(Protocol):
    def zoek_bsn(self, bsn: str) -> Persoon | None: ...

    def zoek_naam(self, geslachtsnaam: str, geboortedatum: dt.date) -> list[Persoon]: ...


def get_brp() -> BrpClient:
    """The configured BRP: Haal Centraal when BRP_API_URL is set, else the local test register."""
    import os

    url = os.environ.get("BRP_API_URL")
    if url:
        from .haal_centraal import HaalCentraalBrp

        return HaalCentraalBrp(url, os.environ.get("BRP_API_KEY", ""))
    from .local import LocalBrp

    return LocalBrp()
