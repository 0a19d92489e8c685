"""Computing a term: ``bereken`` gives the last day of a term from the day of its event, ``verleng`` (verdaging)
and ``schort_op`` (opschorting) move it, ``is_tijdig`` says whether something arrived in time. The rules come
from the registry (``register.regel``); the calendar of the Algemene termijnenwet from ``domain.feestdagen``.

Counting convention (one rule for every term here)
--------------------------------------------------
A term of N weeks "na" an event on day E (Awb 4:13 lid 2: "binnen acht weken na ontvangst", and the terms that
a zaaktype's own law words the same way; Awb 6:8 lid 1: the bezwaartermijn "vangt aan met
ingang van de dag na die waarop het besluit ... is bekendgemaakt") starts on the day after E and runs N full
weeks: its last day is E + N weeks, the same weekday as E. Bekendmaking on Wednesday 1 April 2026 -> the
bezwaartermijn runs from Thursday 2 April up to and including Wednesday 13 May 2026. The day of the event never
counts: Awb 6:8 lid 1 says so for the bezwaartermijn, and "binnen N weken na ontvangst" (Awb 4:13) is read
the same way, so that every term here has one counting rule and the inwoner gets full weeks. A term in days
works the same way: 7 days after E ends on E + 7. A term in calendar months ends on the same day of the month N
months after E, or on the last day of that month when it has no such day (31 January + 1 month: 28 February).

Only then the Algemene termijnenwet (Atw) is applied to the last day (see ``domain.feestdagen``):

* artikel 1: a last day on a Saturday, Sunday or (equated) feestdag moves to the next working day;
* artikel 2: a term of at least three days must contain at least two working days (only bites on short terms);
* artikel 4: the Atw does not apply to terms longer than 12 weeks, three months or 90 days, each threshold for a
  term in its own unit (a term of three months, 89 to 92 days, is inside; see docs/termijnen.md). The
  bezwaar-beslistermijn with an adviescommissie (12 weeks) is still inside; 12 weeks plus a verdaging is not.

The Atw applies to "in een wet gestelde termijnen". For the hersteltermijn (set by the organ) and the
reactietermijn (a gemeente agreement) it is applied by analogy, so that a term never ends on a day the office
is closed; ``TermijnRegel.wettelijk`` says which terms are statutory.

Composition: ``bereken`` -> ``verleng`` / ``schort_op`` in any order and any number of times. Each step works
on the end date *without* the Atw (``einddatum_zonder_atw``) and applies the Atw once to the final last day:
the Atw extends a term only because of the day it actually ends on, so an extension on a day that is no longer
the last day lapses. This also makes verdaging and opschorting commutative.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import overload

from ..feestdagen import (
    Extra,
    atw_toepassen,
    atw_verleng,
    datum_tekst,
    laatste_dag_maanden_vanaf,
    plus_maanden,
)
from .regel import Eenheid, Vanaf, duur_tekst
from .register import REGELS, regel

__all__ = ["Termijnuitkomst", "bereken", "is_tijdig", "schort_op", "verleng"]

DAG = dt.timedelta(days=1)
# Atw artikel 4: the Atw does not apply to terms longer than 12 weeks, three months or 90 days; each threshold
# applies to a term in its own unit (docs/termijnen.md).
ATW_MAX_WEKEN = 12
ATW_MAX_MAANDEN = 3
ATW_MAX_DAGEN = 90


@dataclass(frozen=True)
class Termijnuitkomst:
    """A computed term. ``einddatum`` is the last day on which the act can still be done in time (after the Atw);
    ``einddatum_zonder_atw`` the last day before the Atw. ``begindatum`` is the first day of the term.
    ``atw_toegepast`` says whether the Atw moved the last day, ``atw_reden`` why (or why the Atw did not apply).
    ``duur_dagen`` is the length of the term including verdagingen (not opschortingen: those stop the clock,
    they do not lengthen the term). ``stappen`` records, in Dutch, how the date came about.
    """

    soort: str
    omschrijving: str
    bron: str
    gebeurtenis: dt.date
    begindatum: dt.date
    einddatum: dt.date
    einddatum_zonder_atw: dt.date
    atw_toegepast: bool
    atw_reden: str | None
    duur_dagen: int
    eenheid: Eenheid
    wettelijk: bool
    adviescommissie: bool = False
    verlengd_weken: int = 0
    opgeschorte_dagen: int = 0
    stappen: tuple[str, ...] = ()
    extra_feestdagen: Extra | None = field(default=None, repr=False, compare=False)


_ATW_GRENS_TEKST = {Eenheid.WEKEN: "12 weken", Eenheid.DAGEN: "90 dagen", Eenheid.MAANDEN: "drie maanden"}


def _atw_grens_dagen(begindatum: dt.date, eenheid: Eenheid) -> int:
    """The longest term, in days, that the Atw still covers (artikel 4), for a term in ``eenheid`` starting on
    ``begindatum``: 84 days in weeks, 90 in days, and for months the length of three calendar months from the
    first day (89 to 92 days). A verlenging in weeks of a term in months is measured against that same length."""
    if eenheid is Eenheid.WEKEN:
        return ATW_MAX_WEKEN * 7
    if eenheid is Eenheid.DAGEN:
        return ATW_MAX_DAGEN
    return (laatste_dag_maanden_vanaf(begindatum, ATW_MAX_MAANDEN) - begindatum).days + 1


def _atw(atw: bool, begindatum: dt.date, ruw: dt.date, duur_dagen: int, eenheid: Eenheid,
         extra: Extra | None) -> tuple[dt.date, bool, str | None]:
    """Apply the Atw to a raw last day: (einddatum, atw_toegepast, atw_reden)."""
    if not atw:
        return ruw, False, None
    grens = _atw_grens_dagen(begindatum, eenheid)
    if duur_dagen > grens:
        return ruw, False, ("De Algemene termijnenwet geldt niet voor deze termijn: die is langer dan "
                            f"{_ATW_GRENS_TEKST[eenheid]} (Algemene termijnenwet, artikel 4).")
    return atw_toepassen(begindatum, ruw, extra)


def _met_nieuwe_einde(u: Termijnuitkomst, ruw: dt.date, **wijzig) -> Termijnuitkomst:
    r = REGELS.get(u.soort)
    atw = r.atw if r else True
    duur_dagen = wijzig.get("duur_dagen", u.duur_dagen)
    eind, toegepast, reden = _atw(atw, u.begindatum, ruw, duur_dagen, u.eenheid, u.extra_feestdagen)
    return replace(u, einddatum=eind, einddatum_zonder_atw=ruw, atw_toegepast=toegepast, atw_reden=reden,
                   **wijzig)


def bereken(
    soort: str,
    gebeurtenis: dt.date,
    *,
    adviescommissie: bool = False,
    extra_feestdagen: Extra | None = None,
    weken: int | None = None,
    dagen: int | None = None,
    maanden: int | None = None,
    bron: str | None = None,
) -> Termijnuitkomst:
    """Compute the term ``soort`` started by the event on ``gebeurtenis`` (see ``TermijnRegel.gebeurtenis``;
    for the bezwaar-beslistermijn: the bekendmaking of the contested besluit).

    ``adviescommissie``: only for the bezwaar-beslistermijn, 12 instead of 6 weeks (Awb 7:10 lid 1 with 7:13).
    ``weken`` / ``dagen`` / ``maanden``: a duration of the zaaktype's own (Awb 4:13 lid 1) or, for the hersteltermijn, the
    duration the organ set (required there); ``bron`` then names the source of that duration.
    ``extra_feestdagen``: days equated with a feestdag (Atw artikel 3 lid 3) on top of the installation's.

    Counting: see the module docstring (last day = event + N weeks, then the Atw). In calendar months: last day
    = the same day of the month N months after the event, or the last day of that month when it is shorter
    (event 31 January + 1 month: 28 February), then the Atw, which leaves out terms of more than three months.
    """
    r = regel(soort)
    if adviescommissie and r.duur_adviescommissie is None:
        raise ValueError(f"Een adviescommissie verlengt alleen de beslistermijn op bezwaar, niet '{soort}'.")
    if sum(x is not None for x in (weken, dagen, maanden)) > 1:
        raise ValueError("Geef de duur in weken, dagen of maanden, niet in meer dan één.")
    standaard = r.duur_adviescommissie if adviescommissie else r.duur
    if weken is not None:
        duur, eenheid = weken, Eenheid.WEKEN
    elif dagen is not None:
        duur, eenheid = dagen, Eenheid.DAGEN
    elif maanden is not None:
        duur, eenheid = maanden, Eenheid.MAANDEN
    elif standaard is not None:
        duur, eenheid = standaard, r.eenheid
    else:
        raise ValueError(f"Voor de {soort} stelt de gemeente zelf de duur vast: geef weken, dagen of maanden op.")
    if duur < 1:
        raise ValueError(f"Een termijn duurt ten minste 1 dag, week of maand, niet {duur}.")

    tekst_bron = r.bron_adviescommissie if adviescommissie else r.bron
    afwijkend = standaard is not None and (duur, eenheid) != (standaard, r.eenheid)
    if bron is not None:
        tekst_bron = bron
    elif afwijkend:
        tekst_bron = r.bron_afwijkend or f"{tekst_bron} (afwijkende termijn van {duur_tekst(duur, eenheid)})"
    omschrijving = (r.omschrijving_adviescommissie if adviescommissie else None) or r.omschrijving

    stappen: list[str] = []
    if r.vanaf is Vanaf.EINDE_BEZWAARTERMIJN:
        bt = bereken("bezwaartermijn", gebeurtenis, extra_feestdagen=extra_feestdagen)
        begindatum = bt.einddatum + DAG
        stappen.append(f"De bezwaartermijn eindigt op {datum_tekst(bt.einddatum)}; de beslistermijn telt vanaf "
                       f"{datum_tekst(begindatum)} ({tekst_bron}).")
    elif r.vanaf is Vanaf.DAG_VAN_GEBEURTENIS:
        begindatum = gebeurtenis
    else:
        begindatum = gebeurtenis + DAG
    if eenheid is Eenheid.MAANDEN:
        ruw = (laatste_dag_maanden_vanaf(begindatum, duur) if r.vanaf is Vanaf.DAG_VAN_GEBEURTENIS
               else plus_maanden(begindatum - DAG, duur))
        duur_dagen = (ruw - begindatum).days + 1
    else:
        duur_dagen = duur * 7 if eenheid is Eenheid.WEKEN else duur
        ruw = begindatum + (duur_dagen - 1) * DAG
    stappen.append(f"{duur_tekst(duur, eenheid)} vanaf {datum_tekst(begindatum)}: laatste dag {datum_tekst(ruw)}.")
    eind, toegepast, reden = _atw(r.atw, begindatum, ruw, duur_dagen, eenheid, extra_feestdagen)
    return Termijnuitkomst(
        soort=soort, omschrijving=omschrijving, bron=tekst_bron, gebeurtenis=gebeurtenis, begindatum=begindatum,
        einddatum=eind, einddatum_zonder_atw=ruw, atw_toegepast=toegepast, atw_reden=reden,
        duur_dagen=duur_dagen, eenheid=eenheid, wettelijk=r.wettelijk, adviescommissie=adviescommissie,
        stappen=tuple(stappen), extra_feestdagen=extra_feestdagen,
    )


def verleng(uitkomst: Termijnuitkomst, weken: int, *, met_instemming: bool = False,
            meegedeeld_op: dt.date | None = None) -> Termijnuitkomst:
    """Verdaging / verlenging of a term by ``weken`` weeks: the last day without the Atw moves ``weken`` weeks
    later, then the Atw is applied again to the new last day (the term now is one term of the total length, so
    Atw artikel 4 counts the total: 12 weeks + a verdaging is outside the Atw).

    Sources: each rule names its own (``TermijnRegel.verlenging_bron``). A beschikking: Awb 4:14 (lid 1 with a
    statutory term, lid 3 with the 8-week default; the organ names "een zo kort mogelijke" / "redelijke" term).
    Bezwaar: Awb 7:10 lid 3, at most 6 weeks in total; beyond that only with consent of the indiener (7:10 lid 4
    onder a, ``met_instemming=True``). A rule without ``verlenging_bron`` (a zaaktype's term its law does not let
    the organ extend) only with consent (``instemming_bron``). The bezwaartermijn is a fatal term (Awb 6:7) and
    cannot be extended at all.

    ``meegedeeld_op``: the day the verdaging was sent; it must be within the term (Awb 4:14 lid 1 / lid 3 and
    7:10 lid 3 require notice before the term expires). Repeated calls add up.
    """
    if weken < 1:
        raise ValueError(f"Verlengen kan alleen met ten minste 1 week, niet {weken}.")
    r = REGELS.get(uitkomst.soort)
    if r is not None and r.fataal:
        raise ValueError(f"De {uitkomst.soort} is een fatale termijn en kan niet worden verlengd ({r.bron}).")
    if meegedeeld_op is not None and meegedeeld_op > uitkomst.einddatum:
        raise ValueError(f"Verdagen kan alleen vóór het einde van de termijn ({datum_tekst(uitkomst.einddatum)}); "
                         f"de mededeling is van {datum_tekst(meegedeeld_op)}.")
    totaal = uitkomst.verlengd_weken + weken
    if r is None or r.verlenging_bron is None:
        if not met_instemming:
            raise ValueError(f"De {uitkomst.soort} kan alleen worden verlengd met instemming van de inwoner.")
        grond = r.instemming_bron if r else "met instemming van de inwoner"
    elif r.verlenging_max_weken is not None and totaal > r.verlenging_max_weken:
        if not met_instemming:
            raise ValueError(f"Verdagen kan met ten hoogste {r.verlenging_max_weken} weken ({r.verlenging_bron}); "
                             "verder uitstel alleen met instemming van de indiener.")
        grond = r.instemming_bron
    else:
        grond = r.verlenging_bron
    ruw = uitkomst.einddatum_zonder_atw + weken * 7 * DAG
    stap = f"Verlengd met {weken} {'week' if weken == 1 else 'weken'} ({grond}): laatste dag {datum_tekst(ruw)}."
    return _met_nieuwe_einde(uitkomst, ruw, duur_dagen=uitkomst.duur_dagen + weken * 7, verlengd_weken=totaal,
                             stappen=(*uitkomst.stappen, stap))


def _opgeschorte_dagen(van: dt.date, tot: dt.date) -> int:
    """The days strictly between ``van`` and ``tot`` (Awb 4:15 lid 1: from the day after ``van``, until ``tot``)."""
    if tot < van:
        raise ValueError(f"De opschorting eindigt ({tot}) vóór zij begint ({van}).")
    return max(0, (tot - van).days - 1)


@overload
def schort_op(einddatum: Termijnuitkomst, van: dt.date, tot: dt.date, *,
              extra_feestdagen: Extra | None = None) -> Termijnuitkomst: ...
@overload
def schort_op(einddatum: dt.date, van: dt.date, tot: dt.date, *,
              extra_feestdagen: Extra | None = None) -> dt.date: ...
def schort_op(einddatum: Termijnuitkomst | dt.date, van: dt.date, tot: dt.date, *,
              extra_feestdagen: Extra | None = None) -> Termijnuitkomst | dt.date:
    """Opschorting (suspension) of a beslistermijn, e.g. while the aanvrager completes the aanvraag.

    Awb 4:15 lid 1 onder a (and 7:10 lid 2 for bezwaar): the term is suspended "met ingang van de dag na die
    waarop" the organ sends the herstelverzoek (``van``) "tot de dag waarop de aanvraag is aangevuld of de
    daarvoor gestelde termijn ongebruikt is verstreken" (``tot``: the day the aanvulling was received, or the
    last day of the hersteltermijn). "Tot" is exclusive in Dutch legislation (inclusive is "tot en met"), so
    the suspended days are those strictly between ``van`` and ``tot``: ``(tot - van) - 1`` days; on ``tot`` the
    clock runs again. Herstelverzoek sent Wednesday 4 March, aanvulling received Wednesday 11 March: suspended
    5 up to and including 10 March, 6 days.

    The last day without the Atw moves by that number of days, then the Atw is applied again. With a
    ``Termijnuitkomst`` the result is a ``Termijnuitkomst`` (composable with ``verleng``; ``extra_feestdagen``
    is then taken from it); with a bare date (the last day *without* the Atw) the result is the new last day
    after the Atw. Overlapping suspensions must be merged by the caller: each call adds its days.
    """
    dagen = _opgeschorte_dagen(van, tot)
    if isinstance(einddatum, dt.date):
        return atw_verleng(einddatum + dagen * DAG, extra_feestdagen)
    u = einddatum
    r = REGELS.get(u.soort)
    if r is not None and r.opschorting_bron is None:
        raise ValueError(f"De {u.soort} kent geen wettelijke opschorting.")
    if van < u.gebeurtenis or van > u.einddatum:
        raise ValueError(f"Opschorten kan alleen terwijl de termijn loopt ({datum_tekst(u.begindatum)} tot en met "
                         f"{datum_tekst(u.einddatum)}), niet vanaf {datum_tekst(van)}.")
    # Days before the term started (a herstelverzoek during the bezwaartermijn) suspend nothing.
    dagen = _opgeschorte_dagen(max(van, u.begindatum - DAG), max(tot, u.begindatum - DAG))
    grond = r.opschorting_bron if r else "opschorting"
    ruw = u.einddatum_zonder_atw + dagen * DAG
    stap = (f"Opgeschort van {datum_tekst(van + DAG)} tot {datum_tekst(tot)}: {dagen} "
            f"{'dag' if dagen == 1 else 'dagen'} ({grond}); laatste dag {datum_tekst(ruw)}.")
    return _met_nieuwe_einde(u, ruw, opgeschorte_dagen=u.opgeschorte_dagen + dagen, stappen=(*u.stappen, stap))


def is_tijdig(uitkomst: Termijnuitkomst, ontvangen: dt.date, *, ter_post_bezorgd: dt.date | None = None) -> bool:
    """Whether something received on ``ontvangen`` is in time for the term (received on the last day counts).

    For the bezwaar- and beroepstermijn also Awb 6:9 lid 2: a bezwaar- or beroepschrift sent by post is in time when it was posted
    before the end of the term (``ter_post_bezorgd`` on or before the last day) and received no later than a
    week after the term ended (that week itself ends on a working day: Atw by analogy, in favour of the
    indiener). Excusable lateness (Awb 6:11) is a judgement and is not decided here.
    """
    if ontvangen <= uitkomst.einddatum:
        return True
    r = REGELS.get(uitkomst.soort)
    if r is not None and r.ter_post and ter_post_bezorgd is not None:
        uiterste_ontvangst = atw_verleng(uitkomst.einddatum + 7 * DAG, uitkomst.extra_feestdagen)
        return ter_post_bezorgd <= uitkomst.einddatum and ontvangen <= uiterste_ontvangst
    return False
