"""BRP person lookup in the shape of the Haal Centraal BRP Personen API.

`BrpClient` is the interface the domain uses. `LocalBrp` reads the test-person register in this package
(the embedded default and the tests); `HaalCentraalBrp` talks to a real Haal Centraal endpoint in production.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

# Haal Centraal gezag types (gezagsrelatie v1 and v2) in which the named persons hold gezag over the minor.
# TijdelijkGeenGezag and GezagNietTeBepalen name nobody: nobody may act for the minor on their strength.
GEZAG_MET_GEZAGHOUDERS = frozenset({
    "GezamenlijkOuderlijkGezag", "TweehoofdigOuderlijkGezag", "EenhoofdigOuderlijkGezag", "GezamenlijkGezag", "Voogdij",
})


@dataclass(frozen=True)
class Gezagsrelatie:
    """One gezag relation as Haal Centraal BRP returns it in `gezag`: who holds gezag over which minor.

    `gezaghouders` are the BSNs of the ouder(s) and derde(n) that hold it; an OnbekendeDerde (e.g. a
    gecertificeerde instelling) has no BSN and is not in it.
    """

    type: str
    minderjarige: str  # burgerservicenummer
    gezaghouders: tuple[str, ...] = ()

    @classmethod
    def from_haal_centraal(cls, data: dict) -> Gezagsrelatie:
        personen = [*(data.get("ouders") or []), data.get("ouder"), data.get("derde"), *(data.get("derden") or [])]
        bsns = tuple(p["burgerservicenummer"] for p in personen if p and p.get("burgerservicenummer"))
        type_ = data.get("type", "")
        return cls(type=type_, minderjarige=(data.get("minderjarige") or {}).get("burgerservicenummer", ""),
                   gezaghouders=bsns if type_ in GEZAG_MET_GEZAGHOUDERS else ())

    def to_haal_centraal(self) -> dict:
        data: dict = {"type": self.type, "minderjarige": {"burgerservicenummer": self.minderjarige}}
        houders = [{"burgerservicenummer": b} for b in self.gezaghouders]
        if self.type in ("GezamenlijkOuderlijkGezag", "TweehoofdigOuderlijkGezag"):
            data["ouders"] = houders
        elif self.type == "EenhoofdigOuderlijkGezag" and houders:
            data["ouder"] = houders[0]
        elif self.type == "GezamenlijkGezag" and houders:
            data["ouder"] = houders[0]
            if len(houders) > 1:
                data["derde"] = {"type": "BekendeDerde", **houders[1]}
        elif self.type == "Voogdij":
            data["derden"] = [{"type": "BekendeDerde", **h} for h in houders]
        return data


def minderjarigen_onder_gezag_van(bsn: str, gezag: list[dict] | tuple[Gezagsrelatie, ...]) -> list[str]:
    """The BSNs of the minors over whom `bsn` holds gezag, read from a Haal Centraal `gezag` list."""
    relaties = [g if isinstance(g, Gezagsrelatie) else Gezagsrelatie.from_haal_centraal(g) for g in gezag]
    gevonden: list[str] = []
    for relatie in relaties:
        if bsn in relatie.gezaghouders and relatie.minderjarige and relatie.minderjarige != bsn \
                and relatie.minderjarige not in gevonden:
            gevonden.append(relatie.minderjarige)
    return gevonden


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
    # Haal Centraal `gezag`: for a minor the gezag over them, for an adult the gezag they hold over minors.
    gezag: tuple[Gezagsrelatie, ...] = ()

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
            gezag=tuple(Gezagsrelatie.from_haal_centraal(g) for g in data.get("gezag") or ()),
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
            **({"gezag": [g.to_haal_centraal() for g in self.gezag]} if self.gezag else {}),
        }


class BrpClient(Protocol):
    def zoek_bsn(self, bsn: str) -> Persoon | None: ...

    def zoek_naam(self, geslachtsnaam: str, geboortedatum: dt.date) -> list[Persoon]: ...

    def minderjarigen_onder_gezag(self, bsn: str) -> list[str]:
        """The BSNs of the minors over whom this person holds gezag according to the BRP (empty when none,
        or when the gezag cannot be determined)."""
        ...


def get_brp() -> BrpClient:
    """The configured BRP: Haal Centraal when BRP_API_URL is set, else the local test register."""
    import os

    url = os.environ.get("BRP_API_URL")
    if url:
        from .haal_centraal import HaalCentraalBrp

        return HaalCentraalBrp(url, os.environ.get("BRP_API_KEY", ""))
    from .local import LocalBrp

    return LocalBrp()
