"""Portal forms, declared per zaaktype: which fields, how each is checked, which overgang sending fires.

A zaaktype lists its forms in `Zaaktype.formulieren`; a form is open while the zaak is in one of its `open_in`
statuses, and is then the inwoner's action under "Wat moet ik doen". This module only declares and checks; the
drafts and the sending live in domain/inzendingen.py, the pages in portal/formulieren.py.

Stored values (the JSON of a FormulierInzending) are typed and plain: tekst/tekstvak a string, datum an ISO date
string, getal an int, bedrag integer cents, iban the compact IBAN, keuze the choice's code, ja/nee a bool, bestand
a list of Document ids. IBANs are checked with python-stdnum (schwifty is not installed).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .teksten import bedrag, datum_nl

TEKST, TEKSTVAK, DATUM, GETAL, BEDRAG, IBAN, KEUZE, JANEE, BESTAND = (
    "tekst", "tekstvak", "datum", "getal", "bedrag", "iban", "keuze", "janee", "bestand")
SOORTEN = frozenset({TEKST, TEKSTVAK, DATUM, GETAL, BEDRAG, IBAN, KEUZE, JANEE, BESTAND})

# What a field can be filled in with beforehand: the Inwoner record (its name, birth date and address are copied
# from the BRP at every DigiD log-in; e-mail and phone are the inwoner's own contact details).
_GEGEVENS = {
    "naam": lambda i: i.naam or None,
    "geboortedatum": lambda i: i.geboortedatum.isoformat() if i.geboortedatum else None,
    "adres": lambda i: i.adres or None,
    "email": lambda i: i.email or None,
    "telefoon": lambda i: i.telefoon or None,
}
# "naam" etc. are about who fills in the form (a parent with gezag fills in for their child); "betrokkene_..." about
# the inwoner the zaak is for (the child).
PREFILL = {**_GEGEVENS, **{f"betrokkene_{k}": f for k, f in _GEGEVENS.items()}}


@dataclass(frozen=True)
class Veld:
    code: str
    label: str
    soort: str = TEKST
    verplicht: bool = True
    uitleg: str = ""  # help text under the label
    keuzes: tuple[tuple[str, str], ...] = ()  # for keuze: (code, label)
    prefill: str | None = None  # a key of PREFILL
    max_lengte: int | None = None  # tekst/tekstvak; default 200 / 5000
    minimum: int | None = None  # getal (a whole number), bedrag (in cents)
    maximum: int | None = None

    def __post_init__(self):
        if self.soort not in SOORTEN:
            raise ValueError(f"veld {self.code}: onbekende soort {self.soort!r}")
        if self.soort == KEUZE and not self.keuzes:
            raise ValueError(f"veld {self.code}: een keuzeveld heeft keuzes nodig")
        if self.prefill is not None and self.prefill not in PREFILL:
            raise ValueError(f"veld {self.code}: onbekende prefill {self.prefill!r}")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.code):
            raise ValueError(f"veld {self.code!r}: gebruik kleine letters, cijfers en _")


@dataclass(frozen=True)
class Formulier:
    code: str
    titel: str
    intro: str
    velden: tuple[Veld, ...]
    overgang: str  # the overgang of the zaaktype that sending fires (rollen must include the inwoner)
    open_in: tuple[str, ...]  # the statuses in which the inwoner can fill it in
    bevestiging: str = "We hebben uw formulier ontvangen."
    knop: str = "Formulier invullen"  # the link on the zaak page

    def __post_init__(self):
        codes = [v.code for v in self.velden]
        if len(codes) != len(set(codes)):
            raise ValueError(f"formulier {self.code}: dubbele veldcodes")

    def veld(self, code: str) -> Veld:
        for v in self.velden:
            if v.code == code:
                return v
        raise KeyError(code)


def formulier_van(zaaktype, code: str) -> Formulier:
    for f in zaaktype.formulieren:
        if f.code == code:
            return f
    raise KeyError(f"{zaaktype.code}: onbekend formulier {code!r}")


def open_formulieren(zaaktype, status: str) -> list[Formulier]:
    return [f for f in zaaktype.formulieren if status in f.open_in]


def controleer_declaratie(zaaktype) -> None:
    """A zaaktype's forms fit its process: each form's overgang exists, the inwoner may fire it, and it starts in
    every status the form is open in. ValueError otherwise (run for every zaaktype by the test suite)."""
    from .workflow import INWONER

    codes = [f.code for f in zaaktype.formulieren]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{zaaktype.code}: dubbele formuliercodes")
    statussen = {s.code for s in zaaktype.statussen}
    for f in zaaktype.formulieren:
        try:
            overgang = zaaktype.overgang(f.overgang)
        except KeyError:
            raise ValueError(f"{zaaktype.code}/{f.code}: overgang {f.overgang!r} bestaat niet") from None
        if INWONER not in overgang.rollen:
            raise ValueError(f"{zaaktype.code}/{f.code}: de inwoner mag {f.overgang!r} niet uitvoeren")
        if not f.open_in or not set(f.open_in) <= statussen & set(overgang.van):
            raise ValueError(f"{zaaktype.code}/{f.code}: open_in moet statussen noemen waaruit {f.overgang!r} vertrekt")


# --- Reading what the inwoner typed --------------------------------------------------------------------------


def _leeg(waarde: Any) -> bool:
    return waarde is None or waarde == "" or waarde == []


def _datum(tekst: str) -> str:
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", tekst)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return dt.date.fromisoformat(tekst).isoformat()
    except ValueError:
        raise ValueError("Vul een bestaande datum in, zoals 31-12-2026.") from None


def lees_getal(tekst: str) -> int:
    compact = tekst.replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", compact):
        compact = compact.replace(".", "")
    if not re.fullmatch(r"-?\d+", compact):
        raise ValueError("Vul een heel getal in, bijvoorbeeld 3.")
    return int(compact)


def lees_bedrag(tekst: str) -> int:
    """Euros as the inwoner writes them ("1.234,56", "1234,5", "€ 12", "12.50") to integer cents."""
    compact = tekst.replace("€", "").replace(" ", "")
    if "," in compact:
        heel, _, centen = compact.partition(",")
        heel = heel.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})*", heel) else heel
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", compact):
        heel, centen = compact.replace(".", ""), ""
    else:
        heel, _, centen = compact.partition(".")
    if not re.fullmatch(r"\d+", heel or "0") or not re.fullmatch(r"\d{0,2}", centen):
        raise ValueError("Vul een bedrag in euro's in, bijvoorbeeld 1.234,56.")
    return int(heel or "0") * 100 + int(centen.ljust(2, "0") or "0")


def _iban(tekst: str) -> str:
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    try:
        return iban.validate(tekst)
    except ValidationError:
        raise ValueError("Dit IBAN klopt niet. Controleer het nummer, bijvoorbeeld NL91 ABNA 0417 1643 00.") from None


def lees_veld(veld: Veld, tekst: str | None) -> Any:
    """The stored value for what was typed (None when empty); ValueError with the Dutch message when wrong."""
    tekst = (tekst or "").strip()
    if not tekst:
        return None
    if veld.soort in (TEKST, TEKSTVAK):
        maximum = veld.max_lengte or (200 if veld.soort == TEKST else 5000)
        if len(tekst) > maximum:
            raise ValueError(f"Gebruik niet meer dan {maximum} tekens. U heeft er nu {len(tekst)}.")
        return tekst
    if veld.soort == DATUM:
        return _datum(tekst)
    if veld.soort in (GETAL, BEDRAG):
        waarde = lees_getal(tekst) if veld.soort == GETAL else lees_bedrag(tekst)
        toon_grens = (lambda c: bedrag_nl(c)) if veld.soort == BEDRAG else str
        if veld.minimum is not None and waarde < veld.minimum:
            raise ValueError(f"Vul {toon_grens(veld.minimum)} of meer in.")
        if veld.maximum is not None and waarde > veld.maximum:
            raise ValueError(f"Vul {toon_grens(veld.maximum)} of minder in.")
        return waarde
    if veld.soort == IBAN:
        return _iban(tekst)
    if veld.soort == KEUZE:
        if tekst not in {c for c, _ in veld.keuzes}:
            raise ValueError("Kies een van de mogelijkheden.")
        return tekst
    if veld.soort == JANEE:
        if tekst not in ("ja", "nee"):
            raise ValueError("Kies ja of nee.")
        return tekst == "ja"
    raise ValueError("Dit veld kan niet met tekst worden ingevuld.")  # bestand: see domain/inzendingen.py


def lees(formulier: Formulier, invoer: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check every non-file field in `invoer`: (values, errors per field code). An empty field is not an error
    here; what is still missing is `ontbrekend` (a draft may be incomplete)."""
    waarden, fouten = {}, {}
    for veld in formulier.velden:
        if veld.soort == BESTAND:
            continue
        try:
            waarden[veld.code] = lees_veld(veld, invoer.get(veld.code))
        except ValueError as fout:
            fouten[veld.code] = str(fout)
    return waarden, fouten


def ontbrekend(formulier: Formulier, waarden: Mapping[str, Any]) -> list[Veld]:
    """The required fields that are still empty, in the form's order."""
    return [v for v in formulier.velden if v.verplicht and _leeg(waarden.get(v.code))]


def vooringevuld(formulier: Formulier, invuller, betrokkene=None) -> dict[str, Any]:
    """The values a new draft starts with: what the Inwoner records (from the BRP) already know, of who fills it in
    and (fields prefilled "betrokkene_...") of the inwoner the zaak is about."""
    waarden = {}
    for veld in formulier.velden:
        if veld.prefill:
            bron = (betrokkene or invuller) if veld.prefill.startswith("betrokkene_") else invuller
            waarde = PREFILL[veld.prefill](bron) if bron is not None else None
            if waarde is not None:
                try:
                    waarden[veld.code] = lees_veld(veld, waarde)
                except ValueError:
                    pass  # e.g. a stored phone number longer than the field allows: let the inwoner type it
    return waarden


# --- Showing stored values -----------------------------------------------------------------------------------


bedrag_nl = bedrag  # the one money format (domain.teksten)


def _iban_groepen(waarde: str) -> str:
    return " ".join(waarde[i:i + 4] for i in range(0, len(waarde), 4))


def als_invoer(veld: Veld, waarde: Any) -> str:
    """A stored value back as the text in the input (the form shown again, also on another device)."""
    if _leeg(waarde):
        return ""
    if veld.soort == BEDRAG:
        return bedrag_nl(waarde).removeprefix("€ ")
    if veld.soort == JANEE:
        return "ja" if waarde else "nee"
    if veld.soort == IBAN:
        return _iban_groepen(waarde)
    return str(waarde)


def toon(veld: Veld, waarde: Any, bestandsnamen: Mapping[int, str] | None = None) -> str:
    """A stored value in words, for the summary, the PDF and the backoffice."""
    if _leeg(waarde):
        return "Niet ingevuld"
    if veld.soort == DATUM:
        return datum_nl(dt.date.fromisoformat(waarde))
    if veld.soort == BEDRAG:
        return bedrag_nl(waarde)
    if veld.soort == JANEE:
        return "Ja" if waarde else "Nee"
    if veld.soort == KEUZE:
        return dict(veld.keuzes).get(waarde, waarde)
    if veld.soort == IBAN:
        return _iban_groepen(waarde)
    if veld.soort == BESTAND:
        namen = bestandsnamen or {}
        return ", ".join(namen.get(i, f"document {i}") for i in waarde)
    return str(waarde)
