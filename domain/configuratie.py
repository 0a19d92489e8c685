"""A gemeente's variant of a zaaktype: the choices a zaaktype leaves open, declared as `Optie`s in its definition,
filled in per gemeente as versioned data (`ZaaktypeConfiguratie`), edited by beheer in the backoffice.

Rules: a choice outside what the zaaktype declares is refused with a message per field; a new version takes effect
from its begindatum (today or later) and only for zaken that start from then on: a running zaak keeps the version
it started under. Every new version is in the protocol with what changed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .models import Gemeente, Team, Zaak, ZaaktypeConfiguratie, utcnow
from .protocol import Handeling, protocolleer

SOORTEN = ("ja_nee", "getal", "bedrag", "keuze", "team", "tekst")


@dataclass(frozen=True)
class Optie:
    """One choice a gemeente may make for a zaaktype. `bron`: the legal frame that allows the choice."""

    code: str
    label: str
    soort: str  # one of SOORTEN; bedrag is whole euros, stored as cents
    standaard: Any
    toelichting: str = ""
    keuzes: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    bron: str = ""
    max_lengte: int = 1000

    def __post_init__(self) -> None:
        if self.soort not in SOORTEN:
            raise ValueError(f"optie {self.code}: onbekende soort {self.soort!r}")


def toetsing_opties(standaard_team: str, *, kostengrens_euro: int = 5000) -> tuple[Optie, ...]:
    """The four-eyes rules every zaaktype with a beschikking offers its gemeenten."""
    return (
        Optie("toetsing_altijd", "Elke beschikking laten toetsen", "ja_nee", False,
              "Aan: geen zelftoetsing, een toetser beoordeelt elke beschikking."),
        Optie("toetsing_afwijzing", "Een afwijzing altijd laten toetsen", "ja_nee", True),
        Optie("toetsing_kosten_boven", "Toetsen boven deze kosten per jaar (euro)", "bedrag", kostengrens_euro * 100,
              "Een toekenning die per jaar meer kost, gaat naar een toetser.", minimum=0, maximum=1_000_000),
        Optie("toetsing_team", "Team dat toetst", "team", standaard_team),
    )


def besluit_opties(*, dagen_terug: int = 60) -> tuple[Optie, ...]:
    """What a beschikking may say about dates: how far back a voorziening may start (never before the melding)."""
    return (
        Optie("ingang_max_dagen_terug", "Ingangsdatum hoogstens zoveel dagen terug", "getal", dagen_terug,
              "Een voorziening gaat nooit in voor de melding, en ook niet meer dan dit aantal dagen voor de dag van "
              "de beschikking.", minimum=0, maximum=365),
    )


def behandeling_opties() -> tuple[Optie, ...]:
    """Who handles the zaaktype and how the inwoner hears from us."""
    return (
        Optie("team", "Team dat de meldingen behandelt", "team", "",
              "Leeg: het team dat dit zaaktype in zijn lijst heeft en voor de gemeente werkt."),
        Optie("post_altijd", "Brieven altijd ook per post sturen", "ja_nee", False,
              "Aan: elke brief gaat ook op papier, ook als de inwoner e-mail kiest."),
        Optie("brief_extra_alinea", "Extra alinea in de bevestigingsbrief", "tekst", "",
              "Bijvoorbeeld openingstijden of een verwijzing naar het wijkteam.", max_lengte=600),
    )


def berichten_opties() -> tuple[Optie, ...]:
    """For a zaaktype that orders through iWmo/iJw: how a zorgaanbieder's requests are handled."""
    return (
        Optie("wijziging_binnen_beschikking_automatisch",
              "Een verzoek om wijziging (317) binnen de beschikking direct toewijzen", "ja_nee", True,
              "Aan: vraagt de aanbieder minder of korter dan de beschikking toekent, dan wijst het systeem het direct "
              "toe. Uit: elk verzoek komt bij het team."),
    )


class ConfiguratieFout(Exception):
    """The choices are refused; `fouten` maps an option code (or '_algemeen') to a Dutch message."""

    def __init__(self, fouten: dict[str, str]):
        super().__init__("; ".join(fouten.values()))
        self.fouten = fouten


@dataclass
class Variant:
    """The choices in force for one zaak (or for a gemeente on a date): the defaults with the version's values."""

    zaaktype: str
    waarden: dict[str, Any]
    versie: int | None = None
    begindatum: dt.date | None = None

    def __getitem__(self, code: str) -> Any:
        return self.waarden[code]

    def get(self, code: str, standaard: Any = None) -> Any:
        return self.waarden.get(code, standaard)


def _opties(zaaktype_code: str) -> tuple[Optie, ...]:
    from .processes import zaaktype_van

    return tuple(zaaktype_van(zaaktype_code).opties)


def standaardwaarden(zaaktype_code: str) -> dict[str, Any]:
    return {o.code: o.standaard for o in _opties(zaaktype_code)}


def geldende_versie(session: Session, gemeente_id: int, zaaktype_code: str, datum: dt.date) -> ZaaktypeConfiguratie | None:
    return session.scalar(select(ZaaktypeConfiguratie).where(
        ZaaktypeConfiguratie.gemeente_id == gemeente_id, ZaaktypeConfiguratie.zaaktype == zaaktype_code,
        ZaaktypeConfiguratie.begindatum <= datum,
    ).order_by(ZaaktypeConfiguratie.begindatum.desc(), ZaaktypeConfiguratie.versie.desc()).limit(1))


def _variant(zaaktype_code: str, rij: ZaaktypeConfiguratie | None) -> Variant:
    waarden = standaardwaarden(zaaktype_code)
    if rij is not None:
        waarden.update({k: v for k, v in (rij.waarden or {}).items() if k in waarden})
    return Variant(zaaktype_code, waarden, versie=rij.versie if rij else None, begindatum=rij.begindatum if rij else None)


def variant_van(session: Session, zaak: Zaak) -> Variant:
    """The choices for this zaak: those of the version it started under, never a later one."""
    rij = session.get(ZaaktypeConfiguratie, zaak.configuratie_id) if zaak.configuratie_id else None
    return _variant(zaak.zaaktype, rij)


def variant_op(session: Session, gemeente_id: int, zaaktype_code: str, datum: dt.date) -> Variant:
    return _variant(zaaktype_code, geldende_versie(session, gemeente_id, zaaktype_code, datum))


def valideer(session: Session, zaaktype_code: str, invoer: dict[str, Any]) -> dict[str, Any]:
    """Turn form input (strings, or values) into typed choices; raise ConfiguratieFout with a message per field.
    A choice missing from the input gets its default."""
    waarden: dict[str, Any] = {}
    fouten: dict[str, str] = {}
    teams = {t.code for t in session.scalars(select(Team))}
    for o in _opties(zaaktype_code):
        if o.code not in invoer and o.soort != "ja_nee":  # an unticked checkbox is absent; any other field
            waarden[o.code] = o.standaard  # not given (a choice added after the caller was written) keeps its default
            continue
        ruw = invoer.get(o.code)
        try:
            waarden[o.code] = lees_waarde(o, ruw, teams)
        except ValueError as fout:
            fouten[o.code] = str(fout)
    if fouten:
        raise ConfiguratieFout(fouten)
    return waarden


def lees_waarde(o: Any, ruw: Any, teams: set[str] = frozenset()) -> Any:
    """Read one typed value (an Optie here, a zaakeigenschap in domain/eigenschappen.py) from form input; raises
    ValueError with the Dutch message for the field."""
    if o.soort == "ja_nee":
        return ruw in (True, "1", "on", "ja", "true", "y")
    tekst = "" if ruw is None else str(ruw).strip()
    if o.soort == "tekst":
        if len(tekst) > o.max_lengte:
            raise ValueError(f"Maak de tekst korter: hoogstens {o.max_lengte} tekens.")
        return tekst
    if o.soort == "team":
        if tekst and tekst not in teams:
            raise ValueError("Kies een bestaand team.")
        if not tekst and o.standaard:
            raise ValueError("Kies een team.")
        return tekst
    if o.soort == "keuze":
        if tekst not in {k for k, _ in o.keuzes}:
            raise ValueError("Kies een van de mogelijkheden.")
        return tekst
    # getal and bedrag: whole numbers, written the Dutch way ("5.000", "€ 5.000"); a bedrag is stored in cents.
    from .formulieren import lees_bedrag, lees_getal

    try:
        getal = lees_bedrag(tekst) if o.soort == "bedrag" else lees_getal(tekst)
    except ValueError:
        getal = None
    if getal is None or (o.soort == "bedrag" and getal % 100):
        raise ValueError("Vul een heel getal in." if o.soort == "getal" else "Vul een bedrag in hele euro's in.")
    if o.minimum is not None and getal < o.minimum:
        raise ValueError(f"Het kleinste toegestane getal is {toon(o, o.minimum)}.")
    if o.maximum is not None and getal > o.maximum:
        raise ValueError(f"Het grootste toegestane getal is {toon(o, o.maximum)}.")
    return getal


def toon(o: Any, waarde: Any) -> str:
    if o.soort == "bedrag":
        from .formulieren import bedrag_nl

        return bedrag_nl(waarde)
    if o.soort == "ja_nee":
        return "ja" if waarde else "nee"
    if o.soort == "keuze":
        return dict(o.keuzes).get(waarde, str(waarde))
    return str(waarde) if waarde not in (None, "") else "(leeg)"


def toon_waarde(zaaktype_code: str, code: str, waarde: Any) -> str:
    for o in _opties(zaaktype_code):
        if o.code == code:
            return toon(o, waarde)
    return str(waarde)


def leg_vast(session: Session, actor: Actor, gemeente: Gemeente, zaaktype_code: str, invoer: dict[str, Any], *,
             begindatum: dt.date, toelichting: str, vandaag: dt.date) -> ZaaktypeConfiguratie:
    """Write a new version of the gemeente's variant. Earlier versions stay as they are; commits."""
    authz.vereis(actor, "beheer.instellingen")
    if gemeente.id not in actor.gemeente_ids:
        raise authz.Geweigerd("gemeente")
    fouten: dict[str, str] = {}
    if begindatum < vandaag:
        fouten["begindatum"] = "Kies vandaag of een latere datum. Lopende zaken houden de regels waarmee ze begonnen."
    if not (toelichting or "").strip():
        fouten["toelichting"] = "Schrijf op waarom de instellingen veranderen."
    try:
        waarden = valideer(session, zaaktype_code, invoer)
    except ConfiguratieFout as fout:
        fouten.update(fout.fouten)
        waarden = {}
    if fouten:
        raise ConfiguratieFout(fouten)
    vorige = variant_op(session, gemeente.id, zaaktype_code, begindatum)
    if waarden == vorige.waarden:
        raise ConfiguratieFout({"_algemeen": "Er is niets veranderd ten opzichte van de versie die dan geldt."})
    standaard = standaardwaarden(zaaktype_code)
    laatste = session.scalar(select(func.max(ZaaktypeConfiguratie.versie)).where(
        ZaaktypeConfiguratie.gemeente_id == gemeente.id, ZaaktypeConfiguratie.zaaktype == zaaktype_code)) or 0
    rij = ZaaktypeConfiguratie(
        gemeente_id=gemeente.id, zaaktype=zaaktype_code, versie=laatste + 1, begindatum=begindatum,
        waarden={k: v for k, v in waarden.items() if v != standaard.get(k)}, toelichting=toelichting.strip(),
        aangemaakt=utcnow(), aangemaakt_door_id=actor.id)
    session.add(rij)
    session.flush()
    veranderd = [f"{o.label}: {toon(o, vorige.waarden.get(o.code))} -> {toon(o, waarden[o.code])}"
                 for o in _opties(zaaktype_code) if vorige.waarden.get(o.code) != waarden[o.code]]
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="zaaktypeconfiguratie", object_id=rij.id,
                 omschrijving=(f"{gemeente.naam}, {zaaktype_code} versie {rij.versie} vanaf {begindatum:%d-%m-%Y}: "
                               + "; ".join(veranderd))[:1000],
                 doel="Beheer zaaktypen")
    session.commit()
    return rij


def versies(session: Session, gemeente_id: int, zaaktype_code: str) -> list[ZaaktypeConfiguratie]:
    return list(session.scalars(select(ZaaktypeConfiguratie).where(
        ZaaktypeConfiguratie.gemeente_id == gemeente_id, ZaaktypeConfiguratie.zaaktype == zaaktype_code)
        .order_by(ZaaktypeConfiguratie.versie.desc())))


def behandelend_team(session: Session, zaaktype_code: str, gemeente_id: int, variant: Variant | None = None) -> Team | None:
    """The team whose werkvoorraad receives a new zaak of this type in this gemeente: the gemeente's choice when
    it made one, else the team that lists the zaaktype and works for the gemeente."""
    from .tijd import vandaag

    variant = variant or variant_op(session, gemeente_id, zaaktype_code, vandaag())
    gekozen = variant.get("team")
    teams = session.scalars(select(Team).order_by(Team.id)).all()
    if gekozen:
        return next((t for t in teams if t.code == gekozen), None)
    return next((t for t in teams if zaaktype_code in (t.zaaktypen or [])
                 and any(g.id == gemeente_id for g in t.gemeenten)), None)
