"""Dwangsom bij niet tijdig beslissen (Awb 4:17). Pure logic, next to the term service in domain.deadlines."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .feestdagen import datum_tekst

__all__ = ["DWANGSOM_MAX_DAGEN", "DWANGSOM_SCHIJVEN", "Dwangsom", "Schijf", "dwangsom"]

DAG = dt.timedelta(days=1)

DWANGSOM_SCHIJVEN: tuple[tuple[int, int], ...] = ((14, 2300), (14, 3500), (14, 4500))
"""Awb 4:17 lid 2: (days, cents per day): the first 14 days EUR 23, the next 14 EUR 35, the rest EUR 45."""
DWANGSOM_MAX_DAGEN = 42  # Awb 4:17 lid 1; the Atw does not apply to this term (same lid)


@dataclass(frozen=True)
class Schijf:
    """One tier of the dwangsom: the days in it, the rate and the amount, in cents."""

    dagen: int
    tarief_cent: int
    bedrag_cent: int


@dataclass(frozen=True)
class Dwangsom:
    """The dwangsom owed on a given day. ``eerste_dag``: the first day of the dwangsom (the clock start);
    ``laatste_dag``: the last day counted (None when no day is counted); amounts in cents."""

    ingebrekestelling: dt.date
    eerste_dag: dt.date
    dagen: int
    totaal_cent: int
    schijven: tuple[Schijf, ...]
    laatste_dag: dt.date | None
    gestopt_op: dt.date | None  # the day of the beslissing, when it stopped the clock
    maximum_bereikt: bool
    geldig: bool = True
    reden: str | None = None
    bron: str = "Awb, artikel 4:17"


def dwangsom(ingebrekestelling: dt.date, op: dt.date, beslist: dt.date | None = None, *,
             termijn_einde: dt.date | None = None) -> Dwangsom:
    """The dwangsom for not deciding in time (Awb 4:17; for a beslissing op bezwaar via Awb 7:14).

    ``ingebrekestelling``: the day the organ *received* the written ingebrekestelling (R). Awb 4:17 lid 3: the
    first dwangsom day is "de dag waarop twee weken zijn verstreken na de dag" of receipt, read as R + 14 days
    (``eerste_dag``, the same weekday as R). A beslissing stops the clock on its own day, which is not counted:
    the organ is not "in gebreke" on the day it decides. So a beslissing on R + 14 at the latest costs nothing
    (the two weeks R+1 .. R+14 of the ingebrekestelling), on R + 15 one day. (Reading the first day as R + 15
    and counting the beslissing day gives the same number of days.) No Atw on these two weeks nor on the 42
    days (4:17 lid 1, last sentence, for the 42 days; the two weeks are treated alike).

    ``op``: the peildatum; days are counted up to (not including) ``op``, i.e. the position at the start of
    that day, or, equally, as if the beslissing were made that day. ``beslist``: the day of the beslissing; it
    stops the clock when it is on or before ``op``. At most 42 days: EUR 23 for days 1-14, EUR 35 for days 15-28,
    EUR 45 for days 29-42 (4:17 lid 2): EUR 322, 812 and at most 1,442.

    ``termijn_einde``: the last day of the beslistermijn (after Atw, verdaging and opschorting); when given, an
    ingebrekestelling received on or before it is premature and starts nothing (4:17 lid 3 requires the term to
    have expired). Not decided here: "onredelijk laat in gebreke gesteld", no belanghebbende, a kennelijk
    niet-ontvankelijke or ongegronde aanvraag (4:17 lid 6).
    """
    eerste_dag = ingebrekestelling + 14 * DAG
    leeg = tuple(Schijf(0, tarief, 0) for _, tarief in DWANGSOM_SCHIJVEN)
    if termijn_einde is not None and ingebrekestelling <= termijn_einde:
        return Dwangsom(ingebrekestelling, eerste_dag, 0, 0, leeg, None, None, False, geldig=False,
                        reden=(f"De ingebrekestelling is ontvangen op {datum_tekst(ingebrekestelling)}, vóór het "
                               f"einde van de beslistermijn op {datum_tekst(termijn_einde)}; zij is te vroeg en "
                               "laat geen dwangsom ingaan (Awb, artikel 4:17 lid 3)."))
    gestopt_op = beslist if beslist is not None and beslist <= op else None
    einde = gestopt_op or op  # exclusive
    dagen = min(DWANGSOM_MAX_DAGEN, max(0, (einde - eerste_dag).days))
    schijven = []
    rest = dagen
    for grootte, tarief in DWANGSOM_SCHIJVEN:
        n = min(grootte, rest)
        schijven.append(Schijf(n, tarief, n * tarief))
        rest -= n
    return Dwangsom(
        ingebrekestelling=ingebrekestelling, eerste_dag=eerste_dag, dagen=dagen,
        totaal_cent=sum(s.bedrag_cent for s in schijven), schijven=tuple(schijven),
        laatste_dag=eerste_dag + (dagen - 1) * DAG if dagen else None, gestopt_op=gestopt_op,
        maximum_bereikt=dagen == DWANGSOM_MAX_DAGEN,
    )
