"""The calendar of the Algemene termijnenwet (Atw): which days are not working days for legal terms.

Atw, artikel 1 lid 1: a term set by law ("een in een wet gestelde termijn") that ends on a Saturday, Sunday or
algemeen erkende feestdag is extended up to and including the next day that is none of these. Artikel 1 lid 2:
this does not apply to terms counted backwards from a moment or event ("terugrekening"); every term of this
system is counted forward.

Artikel 3 lid 1 names the algemeen erkende feestdagen: Nieuwjaarsdag, de Christelijke tweede Paas- en
Pinksterdag, de beide Kerstdagen, Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd, and
de vijfde mei (every year, not only in lustrum years: the Atw does not follow the CAO practice). Artikel 3 lid 2
equates Goede Vrijdag with these days. Artikel 3 lid 3 lets the government equate further days by decree
(published in the Staatscourant, usually for three years at a time; typically the Friday after Hemelvaartsdag
and "brugdagen" next to a feestdag on a Tuesday or Thursday). Those decreed days are configuration here:
``GELIJKGESTELDE_DAGEN`` (module default, empty) plus the ``extra`` argument that a gemeente setting supplies.

Eerste Paasdag and eerste Pinksterdag are not named in artikel 3: they are Sundays, so they never matter.

Easter is computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher); no external library. The
``holidays`` package is deliberately not used: its NL calendar is not the Atw calendar (no Goede Vrijdag, 5 mei
only in lustrum years).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "GELIJKGESTELDE_DAGEN",
    "Extra",
    "atw_toepassen",
    "atw_twee_werkdagen",
    "atw_verleng",
    "datum_tekst",
    "feestdagen",
    "gelijkgestelde_dagen_van",
    "is_feestdag",
    "is_werkdag",
    "laatste_dag_maanden_vanaf",
    "lees_gelijkgestelde_dagen",
    "pasen",
    "plus_maanden",
    "reden_geen_werkdag",
]

Extra = Mapping[int, Iterable[dt.date]]
"""Days equated with a feestdag under Atw artikel 3 lid 3, per year: ``{2026: {date(2026, 5, 15)}}``."""

GELIJKGESTELDE_DAGEN: dict[int, set[dt.date]] = {}
"""Installation-wide days equated by decree (Atw artikel 3 lid 3). Empty by default; extend it at start-up
from configuration (see ``lees_gelijkgestelde_dagen``). Every function here adds the ``extra`` argument to it."""

GELIJKGESTELD = "Gelijkgestelde dag (Algemene termijnenwet, artikel 3 lid 3)"
EERSTE_JAAR = 1990  # the rules for the royal birthday below are only right from here on

_WEEKDAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
            "oktober", "november", "december")


def pasen(jaar: int) -> dt.date:
    """Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = jaar % 19
    b, c = divmod(jaar, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # the algorithm's own names
    m = (a + 11 * h + 22 * l) // 451
    maand, dag = divmod(h + l - 7 * m + 114, 31)
    return dt.date(jaar, maand, dag + 1)


def _verjaardag_koning(jaar: int) -> tuple[dt.date, str]:
    """The day on which the birthday of the King (Queen) is celebrated (Atw artikel 3 lid 1).

    From 2014: Koningsdag, 27 April, or Saturday 26 April when 27 April is a Sunday. 1990-2013: Koninginnedag,
    30 April, or Saturday 29 April when 30 April is a Sunday.
    """
    if jaar >= 2014:
        dag, naam = dt.date(jaar, 4, 27), "Koningsdag"
    else:
        dag, naam = dt.date(jaar, 4, 30), "Koninginnedag"
    if dag.weekday() == 6:
        dag -= dt.timedelta(days=1)
    return dag, naam


@lru_cache(maxsize=64)
def _wettelijk(jaar: int) -> Mapping[dt.date, str]:
    if jaar < EERSTE_JAAR:
        raise ValueError(f"de Atw-kalender is hier alleen bepaald vanaf {EERSTE_JAAR}, niet voor {jaar}")
    p = pasen(jaar)
    dag = dt.timedelta(days=1)
    koning, koning_naam = _verjaardag_koning(jaar)
    dagen = {
        dt.date(jaar, 1, 1): "Nieuwjaarsdag",
        p - 2 * dag: "Goede Vrijdag",
        p + dag: "Tweede Paasdag",
        koning: koning_naam,
        dt.date(jaar, 5, 5): "Bevrijdingsdag",
        p + 39 * dag: "Hemelvaartsdag",
        p + 50 * dag: "Tweede Pinksterdag",
        dt.date(jaar, 12, 25): "Eerste Kerstdag",
        dt.date(jaar, 12, 26): "Tweede Kerstdag",
    }
    return MappingProxyType(dict(sorted(dagen.items())))


def _extra_dagen(jaar: int, extra: Extra | None) -> set[dt.date]:
    dagen: set[dt.date] = set(GELIJKGESTELDE_DAGEN.get(jaar, ()))
    if extra:
        dagen.update(extra.get(jaar, ()))
    verkeerd = sorted(d for d in dagen if d.year != jaar)
    if verkeerd:
        raise ValueError(f"gelijkgestelde dagen onder het verkeerde jaar {jaar}: {verkeerd}")
    return dagen


def feestdagen(jaar: int, extra: Extra | None = None) -> dict[dt.date, str]:
    """All algemeen erkende feestdagen of ``jaar`` with their name, in date order (Atw artikel 3 lid 1 and 2),
    plus the days equated by decree (artikel 3 lid 3) from ``GELIJKGESTELDE_DAGEN`` and ``extra``.

    A statutory feestdag keeps its own name when it is also listed as a gelijkgestelde dag.
    """
    dagen = dict(_wettelijk(jaar))
    for d in _extra_dagen(jaar, extra):
        dagen.setdefault(d, GELIJKGESTELD)
    return dict(sorted(dagen.items()))


def is_feestdag(d: dt.date, extra: Extra | None = None) -> bool:
    """Whether ``d`` is an algemeen erkende feestdag or a day equated with one (Atw artikel 3)."""
    return d in _wettelijk(d.year) or d in _extra_dagen(d.year, extra)


def is_werkdag(d: dt.date, extra: Extra | None = None) -> bool:
    """Whether ``d`` counts as a working day for the Atw: not a Saturday, Sunday or (equated) feestdag."""
    return d.weekday() < 5 and not is_feestdag(d, extra)


def atw_verleng(d: dt.date, extra: Extra | None = None) -> dt.date:
    """The last day of a term that would end on ``d``, after Atw artikel 1 lid 1: ``d`` itself when it is a
    working day, otherwise the next day that is not a Saturday, Sunday or (equated) feestdag.

    Only for terms counted forward (artikel 1 lid 2 excludes terms counted backwards from an event).

    This is artikel 1 only. Artikel 2 adds a second rule for terms of at least three days: the term is extended
    as far as needed to contain at least two days that are not a Saturday, Sunday or feestdag. That rule needs
    the first day of the term, so it lives in ``atw_twee_werkdagen``; it only bites on short terms around long
    runs of holidays (e.g. a 7-day term over Easter plus gelijkgestelde dagen).
    """
    while not is_werkdag(d, extra):
        d += dt.timedelta(days=1)
    return d


def atw_twee_werkdagen(eerste_dag: dt.date, laatste_dag: dt.date, extra: Extra | None = None) -> dt.date:
    """Atw artikel 2: a term of at least three days (``eerste_dag`` .. ``laatste_dag`` inclusive) is extended
    as far as needed so that it contains at least two working days. Returns the (possibly later) last day.

    Terms shorter than three days are returned unchanged: artikel 2 does not apply to them.
    """
    if (laatste_dag - eerste_dag).days + 1 < 3:
        return laatste_dag
    werkdagen = sum(1 for n in range((laatste_dag - eerste_dag).days + 1)
                    if is_werkdag(eerste_dag + dt.timedelta(days=n), extra))
    while werkdagen < 2:
        laatste_dag = atw_verleng(laatste_dag + dt.timedelta(days=1), extra)
        werkdagen += 1
    return laatste_dag


def atw_toepassen(eerste_dag: dt.date, laatste_dag: dt.date, extra: Extra | None = None
                  ) -> tuple[dt.date, bool, str | None]:
    """Atw artikel 1 lid 1 and artikel 2 applied to a term running ``eerste_dag`` .. ``laatste_dag``:
    (the last day after the Atw, whether it moved, the reason in Dutch or None). Whether the Atw applies at all
    (artikel 4) is for the caller to decide."""
    ruw = laatste_dag
    eind = atw_verleng(ruw, extra)
    redenen = []
    if eind != ruw:
        vrij = []
        d = ruw
        while d < eind:
            vrij.append(f"{datum_tekst(d)} ({reden_geen_werkdag(d, extra)})")
            d += dt.timedelta(days=1)
        redenen.append(f"De termijn zou eindigen op een dag die geen werkdag is: {'; '.join(vrij)}. "
                       f"De termijn loopt daarom tot en met {datum_tekst(eind)} "
                       "(Algemene termijnenwet, artikel 1 lid 1).")
    twee = atw_twee_werkdagen(eerste_dag, eind, extra)
    if twee != eind:
        redenen.append(f"De termijn bevatte minder dan twee werkdagen en loopt daarom tot en met "
                       f"{datum_tekst(twee)} (Algemene termijnenwet, artikel 2).")
        eind = twee
    return eind, eind != ruw, " ".join(redenen) or None


def plus_maanden(d: dt.date, maanden: int) -> dt.date:
    """The day ``maanden`` calendar months after ``d``: the same day of the month, or the last day of the month
    when that month is shorter (31 January + 1 month = 28 February, 29 in a leap year)."""
    jaar, maand = divmod(d.month - 1 + maanden, 12)
    jaar += d.year
    return dt.date(jaar, maand + 1, min(d.day, calendar.monthrange(jaar, maand + 1)[1]))


def laatste_dag_maanden_vanaf(begin: dt.date, maanden: int) -> dt.date:
    """Last day of a term of ``maanden`` months whose first day is ``begin`` (counted from the day of the event): the day
    before the same day of the month ``maanden`` later, or the last day of that month when it has no such day."""
    jaar, maand = divmod(begin.month - 1 + maanden, 12)
    jaar += begin.year
    laatste = calendar.monthrange(jaar, maand + 1)[1]
    if begin.day > laatste:
        return dt.date(jaar, maand + 1, laatste)
    return dt.date(jaar, maand + 1, begin.day) - dt.timedelta(days=1)


def datum_tekst(d: dt.date) -> str:
    """A date as Dutch text for inwoners: "dinsdag 5 mei 2026"."""
    return f"{_WEEKDAGEN[d.weekday()]} {d.day} {_MAANDEN[d.month - 1]} {d.year}"


def reden_geen_werkdag(d: dt.date, extra: Extra | None = None) -> str | None:
    """Why ``d`` is not a working day, in Dutch ("zaterdag", "Bevrijdingsdag", "zaterdag en Koningsdag"), or
    None when it is a working day."""
    redenen = []
    if d.weekday() >= 5:
        redenen.append(_WEEKDAGEN[d.weekday()])
    naam = feestdagen(d.year, extra).get(d)
    if naam:
        redenen.append(naam)
    return " en ".join(redenen) or None


def lees_gelijkgestelde_dagen(instelling: Mapping[str, Iterable[str]] | None) -> dict[int, set[dt.date]]:
    """Parse a gemeente setting (JSON) into the ``extra`` form: ``{"2026": ["2026-05-15"]}`` ->
    ``{2026: {date(2026, 5, 15)}}``. Raises ValueError on a bad date or a date under the wrong year."""
    uitkomst: dict[int, set[dt.date]] = {}
    for jaar_tekst, dagen in (instelling or {}).items():
        jaar = int(jaar_tekst)
        datums = {dt.date.fromisoformat(d) for d in dagen}
        verkeerd = sorted(d for d in datums if d.year != jaar)
        if verkeerd:
            raise ValueError(f"gelijkgestelde dagen onder het verkeerde jaar {jaar}: {verkeerd}")
        uitkomst[jaar] = datums
    return uitkomst


def gelijkgestelde_dagen_van(gemeente) -> dict[int, set[dt.date]]:
    """The days a gemeente keeps equal to a feestdag (Atw artikel 3 lid 3), from its setting
    ``gelijkgestelde_dagen``, in the ``extra`` form. The one lookup of these days: every term computed for a zaak
    of that gemeente passes the result as ``extra_feestdagen``. ``gemeente``: anything with ``instellingen``
    (a domain.models.Gemeente); None gives no extra days."""
    instellingen = getattr(gemeente, "instellingen", None) or {}
    return lees_gelijkgestelde_dagen(instellingen.get("gelijkgestelde_dagen") or {})
