"""Verwijsindex risicojongeren (VIR, Jeugdwet afdeling 7.1): a signal that a professional is involved with a young
person (0 to 23), and a match when another organisation signalled the same young person.

`VerwijsindexClient` is the interface the domain uses. A signal carries only what the Jeugdwet lets it carry: the
young person's BSN, the signalling organisation, the date and the contact person (name and phone). Nothing about the
concern, the zaak or the family: the index says *that* someone is involved, never *why* ("dat-informatie").

`LokaleVerwijsindex` (local.py) is the stand-in for development, the demo and the tests; `HttpVerwijsindex`
(http.py) talks to the supplier's service in production. `get_verwijsindex()` chooses by configuration.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# The Verwijsindex's own rules, from the law that made it (docs/verwijsindex.md): a signal ends at most two years
# after it was made (Jeugdwet 7.1.4.5 lid 2 onder a) and from the day the young person turns 23 (onder b).
DOEL = "Verwijsindex risicojongeren (Jeugdwet afdeling 7.1)"
TERMIJN_JAREN = 2
LEEFTIJDSGRENS = 23


class VerwijsindexFout(RuntimeError):
    """The Verwijsindex could not be reached or refused the request; the message is for the log, not the user."""


@dataclass(frozen=True)
class Signaal:
    """What leaves the gemeente, and nothing more (Jeugdwet 7.1.3.3: BSN, meldingsbevoegde, date, contact)."""

    bsn: str
    organisatie: str  # "Regieteam gemeente Barendrecht"
    organisatie_code: str  # the gemeente's OIN when configured, else its CBS gemeentecode
    datum: dt.date
    contactpersoon: str
    telefoon: str

    def als_json(self) -> dict:
        return {
            "bsn": self.bsn,
            "organisatie": {"naam": self.organisatie, "code": self.organisatie_code},
            "datum": self.datum.isoformat(),
            "contactpersoon": {"naam": self.contactpersoon, "telefoon": self.telefoon},
        }


@dataclass(frozen=True)
class Match:
    """Another organisation's active signal for the same young person: whom to call, since when."""

    kenmerk: str  # the other signal's id in the index: a match is stored once
    organisatie: str
    contactpersoon: str
    telefoon: str
    sinds: dt.date

    def als_json(self) -> dict:
        return {"kenmerk": self.kenmerk, "organisatie": self.organisatie, "sinds": self.sinds.isoformat(),
                "contactpersoon": {"naam": self.contactpersoon, "telefoon": self.telefoon}}

    @classmethod
    def uit_json(cls, data: dict) -> Match:
        contact = data.get("contactpersoon") or {}
        return cls(kenmerk=str(data["kenmerk"]), organisatie=data.get("organisatie", ""),
                   contactpersoon=contact.get("naam", ""), telefoon=contact.get("telefoon", ""),
                   sinds=dt.date.fromisoformat(data["sinds"]))


@dataclass(frozen=True)
class Aanmelding:
    """The index's answer to a signal: its id (to withdraw it later) and the matches it made at once."""

    kenmerk: str
    matches: tuple[Match, ...] = ()


class VerwijsindexClient(Protocol):
    def aanmelden(self, signaal: Signaal) -> Aanmelding:
        """Put the signal in the index; the answer holds the matches with other organisations' active signals."""
        ...

    def intrekken(self, kenmerk: str) -> None:
        """Remove our signal from the index (Jeugdwet 7.1.4.5): withdrawn by us, or its term has passed.
        Removing a signal that is already gone is not an error."""
        ...

    def matches(self, bsn: str, organisatie_code: str) -> list[Match]:
        """The other organisations' active signals for this young person. Only while this organisation itself has
        an active signal for them (empty otherwise): the index answers nobody who did not signal."""
        ...


def get_verwijsindex(bestand: str | Path | None = None) -> VerwijsindexClient:
    """The configured Verwijsindex: the supplier's service when VERWIJSINDEX_API_URL is set, else the local stand-in
    keeping its signals in `bestand` (default: verwijsindex.json in the instance folder)."""
    url = os.environ.get("VERWIJSINDEX_API_URL")
    if url:
        from .http import HttpVerwijsindex

        return HttpVerwijsindex(url, os.environ.get("VERWIJSINDEX_API_KEY", ""))
    from .local import LokaleVerwijsindex

    if bestand is None:
        from app.config import INSTANCE

        bestand = os.environ.get("VERWIJSINDEX_BESTAND") or INSTANCE / "verwijsindex.json"
    return LokaleVerwijsindex(Path(bestand))
