"""Zaakeigenschappen: typed facts about one zaak that its zaaktype declares (ZGW "eigenschappen"), shown and edited
generically on the zaak page and read by guards (an overgang offered only when a fact holds).

A zaaktype lists its `Eigenschap`pen; a value is absent until a medewerker records it ("nog niet bepaald"). Values
are read with the same parser as a gemeente's options (domain/configuratie.py), so "5.000" and "€ 5.000,00" mean
the same everywhere. Every change is in the protocol with the old and new value, and moves the zaak's version: a
colleague who looked at the zaak before the change cannot fire an overgang on the old facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from . import authz
from .actor import Actor
from .configuratie import lees_waarde, toon
from .models import Zaak, ZaakEigenschap, utcnow
from .protocol import Handeling, protocolleer
from .workflow import ZAAK_GEWIJZIGD, Conflict, Context, Guard, bij_gelijktijdig

SOORTEN = ("ja_nee", "keuze", "getal", "bedrag", "tekst")
ONBEKEND = "Nog niet bepaald"


@dataclass(frozen=True)
class Eigenschap:
    code: str
    label: str  # the question or name, as the medewerker reads it
    soort: str  # one of SOORTEN; bedrag is stored in cents
    keuzes: tuple[tuple[str, str], ...] = ()
    toelichting: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_lengte: int = 1000
    # Shown to the inwoner in the portal (most facts are the consulent's working notes: not shown).
    in_portaal: bool = False
    standaard: Any = None  # required by the shared parser; an eigenschap has no default value

    def __post_init__(self) -> None:
        if self.soort not in SOORTEN:
            raise ValueError(f"eigenschap {self.code}: onbekende soort {self.soort!r}")
        if self.soort == "keuze" and not self.keuzes:
            raise ValueError(f"eigenschap {self.code}: een keuze heeft keuzes nodig")


class EigenschapFout(Exception):
    """The input is refused; `fouten` maps an eigenschap code to its Dutch message."""

    def __init__(self, fouten: dict[str, str]):
        super().__init__("; ".join(fouten.values()))
        self.fouten = fouten


def van_zaaktype(zaaktype) -> tuple[Eigenschap, ...]:
    return tuple(zaaktype.eigenschappen)


def waarden(session: Session, zaak: Zaak) -> dict[str, Any]:
    """The recorded values of this zaak, by code (a code without a value is absent)."""
    return {r.code: r.waarde for r in session.scalars(select(ZaakEigenschap).where(ZaakEigenschap.zaak_id == zaak.id))}


def lees(e: Eigenschap, ruw: Any) -> Any:
    """One value from form input; None when left empty (not yet known). Raises ValueError with the message."""
    tekst = "" if ruw is None else str(ruw).strip()
    if tekst == "":
        return None
    if e.soort == "ja_nee":
        if tekst.lower() in ("ja", "1", "true", "on"):
            return True
        if tekst.lower() in ("nee", "0", "false"):
            return False
        raise ValueError("Kies ja of nee.")
    return lees_waarde(e, tekst)


def toon_eigenschap(e: Eigenschap, waarde: Any) -> str:
    return ONBEKEND if waarde is None else toon(e, waarde)


def formulierwaarde(e: Eigenschap, waarde: Any) -> str:
    """How a value is put back into its form field."""
    if waarde is None:
        return ""
    if e.soort == "ja_nee":
        return "ja" if waarde else "nee"
    if e.soort == "bedrag":
        from .formulieren import bedrag_nl

        return bedrag_nl(waarde).replace("€", "").strip()
    return str(waarde)


def mag_wijzigen(actor: Actor, zaak: Zaak) -> bool:
    return not zaak.afgesloten and authz.is_behandelaar(actor, zaak)


def leg_vast(session: Session, actor: Actor, zaak: Zaak, invoer: dict[str, Any], *, verwachte_versie: int | None,
             zaaktype=None) -> list[str]:
    """Record the eigenschappen in `invoer` (form input by code; codes not in it stay as they are). Returns the
    changes as text; commits. Raises EigenschapFout (nothing changed), authz.Geweigerd or Conflict."""
    from .processes import zaaktype_van

    zaaktype = zaaktype or zaaktype_van(zaak.zaaktype)
    if not mag_wijzigen(actor, zaak):
        raise authz.Geweigerd("eigenschappen van deze zaak")
    if verwachte_versie is not None and zaak.versie != verwachte_versie:
        raise Conflict(ZAAK_GEWIJZIGD)
    nieuw: dict[str, Any] = {}
    fouten: dict[str, str] = {}
    for e in van_zaaktype(zaaktype):
        if e.code in invoer:
            try:
                nieuw[e.code] = lees(e, invoer[e.code])
            except ValueError as fout:
                fouten[e.code] = str(fout)
    if fouten:
        raise EigenschapFout(fouten)
    bestaand = {r.code: r for r in session.scalars(select(ZaakEigenschap).where(ZaakEigenschap.zaak_id == zaak.id))}
    veranderd = []
    with bij_gelijktijdig(session, ZAAK_GEWIJZIGD):
        for e in van_zaaktype(zaaktype):
            if e.code not in nieuw:
                continue
            rij = bestaand.get(e.code)
            oud = rij.waarde if rij else None
            if oud == nieuw[e.code]:
                continue
            veranderd.append(f"{e.label}: {toon_eigenschap(e, oud)} -> {toon_eigenschap(e, nieuw[e.code])}")
            if nieuw[e.code] is None:
                session.delete(rij)
                continue
            if rij is None:
                rij = ZaakEigenschap(zaak_id=zaak.id, code=e.code)
                session.add(rij)
            rij.waarde, rij.gewijzigd, rij.gewijzigd_door_id = nieuw[e.code], utcnow(), actor.id
        if veranderd:
            flag_modified(zaak, "status")  # a new version of the zaak: guards read these facts
            protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="zaak", object_id=zaak.id,
                         omschrijving=f"Kenmerken van {zaak.identificatie}: " + "; ".join(veranderd),
                         doel=zaaktype.protocoldoel, inwoner_id=zaak.inwoner_id)
        session.commit()
    return veranderd


def is_(code: str, *toegestaan: Any, melding: str | None = None) -> Guard:
    """A guard: the overgang is offered only when eigenschap `code` holds one of these values."""

    def check(ctx: Context) -> bool:
        rij = ctx.session.scalar(select(ZaakEigenschap).where(ZaakEigenschap.zaak_id == ctx.zaak.id,
                                                              ZaakEigenschap.code == code))
        return rij is not None and rij.waarde in toegestaan

    return Guard(check, melding or "Dit kan nu niet: kijk de kenmerken van de zaak na.", verberg=True)


def overzicht(session: Session, zaak: Zaak, zaaktype, *, alleen_portaal: bool = False) -> list[tuple[Eigenschap, str]]:
    """Each declared eigenschap with its value as text, in declaration order."""
    w = waarden(session, zaak)
    return [(e, toon_eigenschap(e, w.get(e.code))) for e in van_zaaktype(zaaktype)
            if not alleen_portaal or e.in_portaal]
