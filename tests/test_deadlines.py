"""The term service: Atw calendar, every term rule, verdaging/opschorting, dwangsom and the CLI.

Every expected date below was worked out by hand from a calendar (weekday of the event, + N weeks, then the
next working day under the Algemene termijnenwet); the comment on each case shows the reasoning.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import subprocess
import sys
from datetime import date

import pytest

from app.cli_termijn import add_parser, termijn_command
from domain import feestdagen as fd
from domain.deadlines import (
    AWB_REGELS,
    REGELS,
    OnbekendeTermijnsoort,
    bereken,
    is_tijdig,
    schort_op,
    verleng,
)
from domain.dwangsom import dwangsom
from domain.feestdagen import (
    atw_twee_werkdagen,
    atw_verleng,
    feestdagen,
    is_feestdag,
    is_werkdag,
    lees_gelijkgestelde_dagen,
    pasen,
)

D = date


@pytest.fixture(autouse=True)
def _termijnen_van_zaaktypen(monkeypatch):
    """The Wmo terms come from the Wmo definition; the 7-day reactietermijn is a service term that a zaaktype
    declares (here: the test, for the duration of the test)."""
    from domain.processes import zaaktypen
    from domain.servicetermijnen import REACTIETERMIJN_7_DAGEN

    zaaktypen()
    monkeypatch.setitem(REGELS, REACTIETERMIJN_7_DAGEN.soort, REACTIETERMIJN_7_DAGEN)

# --- the Atw calendar ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("jaar, verwacht", [
    (2008, D(2008, 3, 23)),  # early
    (2019, D(2019, 4, 21)),
    (2024, D(2024, 3, 31)),
    (2025, D(2025, 4, 20)),
    (2026, D(2026, 4, 5)),
    (2027, D(2027, 3, 28)),
    (2038, D(2038, 4, 25)),  # latest possible date
], ids=lambda v: str(v))
def test_pasen(jaar, verwacht):
    assert pasen(jaar) == verwacht


def test_feestdagen_2026_follow_atw_artikel_3():
    assert feestdagen(2026) == {
        D(2026, 1, 1): "Nieuwjaarsdag",
        D(2026, 4, 3): "Goede Vrijdag",  # art. 3 lid 2
        D(2026, 4, 6): "Tweede Paasdag",
        D(2026, 4, 27): "Koningsdag",  # a Monday
        D(2026, 5, 5): "Bevrijdingsdag",  # every year under the Atw, 2026 is no lustrum year
        D(2026, 5, 14): "Hemelvaartsdag",  # Easter + 39
        D(2026, 5, 25): "Tweede Pinksterdag",  # Easter + 50
        D(2026, 12, 25): "Eerste Kerstdag",
        D(2026, 12, 26): "Tweede Kerstdag",
    }


def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday():
    dagen = feestdagen(2025)
    assert dagen[D(2025, 4, 26)] == "Koningsdag" and D(2025, 4, 27) not in dagen
    assert feestdagen(2006)[D(2006, 4, 29)] == "Koninginnedag"  # 30 April 2006 was a Sunday
    assert feestdagen(2010)[D(2010, 4, 30)] == "Koninginnedag"


def test_werkdag_and_feestdag():
    assert is_feestdag(D(2026, 4, 3)) and not is_werkdag(D(2026, 4, 3))  # Goede Vrijdag
    assert not is_feestdag(D(2026, 4, 5)) and not is_werkdag(D(2026, 4, 5))  # Easter Sunday: a Sunday
    assert is_werkdag(D(2026, 4, 7))
    assert not is_werkdag(D(2026, 3, 7)) and not is_feestdag(D(2026, 3, 7))  # a plain Saturday
    assert atw_verleng(D(2026, 4, 3)) == D(2026, 4, 7)
    assert atw_verleng(D(2026, 4, 7)) == D(2026, 4, 7)


def test_calendar_only_from_1990():
    with pytest.raises(ValueError, match="1990"):
        feestdagen(1989)


def test_gelijkgestelde_dagen_from_argument_module_default_and_setting(monkeypatch):
    vrijdag = D(2026, 5, 15)  # the Friday after Hemelvaartsdag, as a decree would equate it
    assert is_werkdag(vrijdag)
    assert not is_werkdag(vrijdag, {2026: {vrijdag}})
    assert feestdagen(2026, {2026: {vrijdag}})[vrijdag].startswith("Gelijkgestelde dag")
    monkeypatch.setitem(fd.GELIJKGESTELDE_DAGEN, 2026, {vrijdag})
    assert not is_werkdag(vrijdag)
    assert lees_gelijkgestelde_dagen({"2026": ["2026-05-15"]}) == {2026: {vrijdag}}
    with pytest.raises(ValueError, match="verkeerde jaar"):
        lees_gelijkgestelde_dagen({"2025": ["2026-05-15"]})
    with pytest.raises(ValueError, match="verkeerde jaar"):
        is_werkdag(vrijdag, {2026: {D(2027, 1, 4)}})


def test_atw_artikel_2_only_for_terms_of_three_days_or_more():
    extra = {2026: {D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 6)}}
    # 1..7 May 2026: only Thursday 7 May is a working day -> extended to Friday 8 May.
    assert atw_twee_werkdagen(D(2026, 5, 1), D(2026, 5, 7), extra) == D(2026, 5, 8)
    assert atw_twee_werkdagen(D(2026, 5, 6), D(2026, 5, 7), extra) == D(2026, 5, 7)  # 2 days: art. 2 n/a


# --- bereken: one table for every rule ---------------------------------------------------------------------

TERMIJNEN = [
    # id, soort, gebeurtenis, keyword arguments, einddatum zonder Atw, einddatum, words in the Atw reason
    ("wmo-onderzoek-ma-2-maart", "wmo-onderzoek", D(2026, 3, 2), {},
     D(2026, 4, 13), D(2026, 4, 13), None),  # Monday + 6 weeks = Monday 13 April, a working day
    ("5-mei-2026-geen-lustrum", "wmo-onderzoek", D(2026, 3, 24), {},
     D(2026, 5, 5), D(2026, 5, 6), "Bevrijdingsdag"),  # Tue 5 May -> Wed 6 May
    ("goede-vrijdag-en-pasen", "awb-beschikking", D(2026, 2, 6), {},
     D(2026, 4, 3), D(2026, 4, 7), "Goede Vrijdag"),  # Fri 3 Apr, Sat, Easter Sun, Easter Mon -> Tue 7 Apr
    ("kerst-op-vrijdag", "wmo-beschikking", D(2026, 12, 11), {},
     D(2026, 12, 25), D(2026, 12, 28), "Eerste Kerstdag"),  # Fri 25, Sat 26 (2e Kerstdag), Sun -> Mon 28
    ("kerst-op-woensdag", "bezwaartermijn", D(2024, 11, 13), {},
     D(2024, 12, 25), D(2024, 12, 27), "Tweede Kerstdag"),  # Wed 25, Thu 26 -> Fri 27
    ("kerst-op-donderdag", "wmo-beschikking", D(2025, 12, 11), {},
     D(2025, 12, 25), D(2025, 12, 29), "Tweede Kerstdag"),  # Thu 25, Fri 26, weekend -> Mon 29
    ("koningsdag-zaterdag-26-april-2025", "wmo-onderzoek", D(2025, 3, 15), {},
     D(2025, 4, 26), D(2025, 4, 28), "zaterdag en Koningsdag"),  # 27 April 2025 is a Sunday
    ("koningsdag-maandag-2026", "awb-beschikking", D(2026, 3, 2), {},
     D(2026, 4, 27), D(2026, 4, 28), "Koningsdag"),
    ("nieuwjaarsdag", "bezwaartermijn", D(2025, 11, 20), {},
     D(2026, 1, 1), D(2026, 1, 2), "Nieuwjaarsdag"),  # Thu 1 Jan -> Fri 2 Jan
    ("hemelvaartsdag", "wmo-onderzoek", D(2026, 4, 2), {},
     D(2026, 5, 14), D(2026, 5, 15), "Hemelvaartsdag"),  # Thu 14 May -> Fri 15 May
    ("tweede-pinksterdag", "bezwaartermijn", D(2026, 4, 13), {},
     D(2026, 5, 25), D(2026, 5, 26), "Tweede Pinksterdag"),
    ("zaterdag-voor-pinksteren", "wmo-beschikking", D(2026, 5, 9), {},
     D(2026, 5, 23), D(2026, 5, 26), "Tweede Pinksterdag"),  # Sat, Sun, Whit Monday -> Tue 26 May
    ("zaterdag", "wmo-onderzoek", D(2026, 3, 7), {},
     D(2026, 4, 18), D(2026, 4, 20), "zaterdag 18 april 2026 (zaterdag)"),
    ("zondag", "wmo-beschikking", D(2026, 3, 8), {},
     D(2026, 3, 22), D(2026, 3, 23), "zondag 22 maart 2026 (zondag)"),
    ("bezwaartermijn-woensdag-1-april", "bezwaartermijn", D(2026, 4, 1), {},
     D(2026, 5, 13), D(2026, 5, 13), None),  # bekendmaking Wed 1 Apr -> last day Wed 13 May
    ("bezwaar-beslistermijn", "bezwaar-beslistermijn", D(2026, 4, 1), {},
     D(2026, 6, 24), D(2026, 6, 24), None),  # bezwaartermijn ends 13 May, + 6 weeks
    ("bezwaar-beslistermijn-adviescommissie", "bezwaar-beslistermijn", D(2026, 4, 1), {"adviescommissie": True},
     D(2026, 8, 5), D(2026, 8, 5), None),  # 13 May + 12 weeks
    ("bezwaar-beslistermijn-na-verlengde-bezwaartermijn", "bezwaar-beslistermijn", D(2025, 11, 20), {},
     D(2026, 2, 13), D(2026, 2, 13), None),  # bezwaartermijn ends Fri 2 Jan (Atw), + 6 weeks = Fri 13 Feb
    ("bezwaar-beslistermijn-adviescommissie-na-nieuwjaar", "bezwaar-beslistermijn", D(2025, 11, 20),
     {"adviescommissie": True}, D(2026, 3, 27), D(2026, 3, 27), None),  # Fri 2 Jan + 12 weeks
    ("hersteltermijn-2-weken", "hersteltermijn", D(2026, 3, 4), {"weken": 2},
     D(2026, 3, 18), D(2026, 3, 18), None),
    ("reactietermijn-7-dagen", "reactietermijn-7-dagen", D(2026, 4, 10), {},
     D(2026, 4, 17), D(2026, 4, 17), None),  # Fri + 7 days = Fri
    ("reactietermijn-7-dagen-5-mei", "reactietermijn-7-dagen", D(2026, 4, 28), {},
     D(2026, 5, 5), D(2026, 5, 6), "Bevrijdingsdag"),
    ("zaaktype-eigen-termijn-12-weken", "awb-beschikking", D(2026, 3, 2), {"weken": 12},
     D(2026, 5, 25), D(2026, 5, 26), "Tweede Pinksterdag"),  # Mon 2 Mar + 84 days = Whit Monday
    ("gelijkgestelde-vrijdag-na-hemelvaart", "wmo-onderzoek", D(2026, 4, 2),
     {"extra_feestdagen": {2026: {D(2026, 5, 15)}}},
     D(2026, 5, 14), D(2026, 5, 18), "Gelijkgestelde dag"),  # Thu 14, Fri 15 (decree), weekend -> Mon 18
    ("gelijkgestelde-dag-verschuift-bezwaar-beslistermijn", "bezwaar-beslistermijn", D(2025, 11, 20),
     {"extra_feestdagen": {2026: {D(2026, 1, 2)}}},
     D(2026, 2, 16), D(2026, 2, 16), None),  # bezwaartermijn to Mon 5 Jan, + 6 weeks = Mon 16 Feb
    ("atw-artikel-2-twee-werkdagen", "reactietermijn-7-dagen", D(2026, 4, 30),
     {"extra_feestdagen": {2026: {D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 6)}}},
     D(2026, 5, 7), D(2026, 5, 8), "artikel 2"),  # only Thu 7 May is a working day in 1..7 May
]


@pytest.mark.parametrize("soort, gebeurtenis, kwargs, ruw, eind, reden",
                         [t[1:] for t in TERMIJNEN], ids=[t[0] for t in TERMIJNEN])
def test_bereken(soort, gebeurtenis, kwargs, ruw, eind, reden):
    u = bereken(soort, gebeurtenis, **kwargs)
    assert (u.einddatum_zonder_atw, u.einddatum) == (ruw, eind)
    assert u.atw_toegepast is (ruw != eind)
    if reden is None:
        assert u.atw_reden is None
    else:
        assert reden in u.atw_reden and "Algemene termijnenwet" in u.atw_reden
    assert u.bron and u.omschrijving and u.soort == soort


def test_sources_and_descriptions():
    assert bereken("wmo-onderzoek", D(2026, 3, 2)).bron == "Wmo 2015, artikel 2.3.2 lid 1"
    assert bereken("wmo-beschikking", D(2026, 3, 2)).bron == "Wmo 2015, artikel 2.3.5 lid 1"
    assert bereken("awb-beschikking", D(2026, 3, 2)).bron == "Awb, artikel 4:13 lid 2"
    assert "4:13 lid 1" in bereken("awb-beschikking", D(2026, 3, 2), weken=12).bron
    assert bereken("awb-beschikking", D(2026, 3, 2), weken=12, bron="Verordening X, artikel 3").bron == (
        "Verordening X, artikel 3")
    assert "6:8" in bereken("bezwaartermijn", D(2026, 4, 1)).bron
    assert bereken("bezwaar-beslistermijn", D(2026, 4, 1)).bron == "Awb, artikel 7:10 lid 1"
    met = bereken("bezwaar-beslistermijn", D(2026, 4, 1), adviescommissie=True)
    assert "7:13" in met.bron and "12 weken" in met.omschrijving
    reactie = bereken("reactietermijn-7-dagen", D(2026, 4, 10))
    assert reactie.bron == "Werkafspraak gemeente" and not reactie.wettelijk
    assert not REGELS["hersteltermijn"].wettelijk and REGELS["bezwaartermijn"].wettelijk
    assert all(r.omschrijving and r.bron for r in REGELS.values())


def test_bereken_rejects_bad_input():
    with pytest.raises(OnbekendeTermijnsoort, match="Onbekende termijnsoort"):
        bereken("bestaat-niet", D(2026, 3, 2))
    with pytest.raises(ValueError, match="adviescommissie"):
        bereken("wmo-onderzoek", D(2026, 3, 2), adviescommissie=True)
    with pytest.raises(ValueError, match="duur"):
        bereken("hersteltermijn", D(2026, 3, 2))
    with pytest.raises(ValueError):
        bereken("awb-beschikking", D(2026, 3, 2), weken=2, dagen=3)


# --- bezwaar received in time or not ------------------------------------------------------------------------


def test_bezwaar_on_the_last_day_is_in_time_the_day_after_is_late():
    u = bereken("bezwaartermijn", D(2026, 4, 1))  # last day Wednesday 13 May 2026
    assert is_tijdig(u, D(2026, 5, 13))
    assert not is_tijdig(u, D(2026, 5, 14))


def test_bezwaar_after_a_weekend_extension_is_in_time_on_monday():
    u = bereken("bezwaartermijn", D(2025, 11, 20))  # would end Thu 1 Jan 2026, extended to Fri 2 Jan
    assert is_tijdig(u, D(2026, 1, 2)) and not is_tijdig(u, D(2026, 1, 5))


def test_bezwaar_by_post_awb_6_9_lid_2():
    u = bereken("bezwaartermijn", D(2026, 4, 1))  # last day 13 May; one week after: 20 May
    assert is_tijdig(u, D(2026, 5, 20), ter_post_bezorgd=D(2026, 5, 13))
    assert not is_tijdig(u, D(2026, 5, 21), ter_post_bezorgd=D(2026, 5, 13))
    assert not is_tijdig(u, D(2026, 5, 15), ter_post_bezorgd=D(2026, 5, 14))


# --- verdaging / verlenging ---------------------------------------------------------------------------------


@pytest.mark.parametrize("adviescommissie, weken, ruw, eind", [
    (False, 6, D(2026, 8, 5), D(2026, 8, 5)),  # 24 June + 6 weeks
    (True, 6, D(2026, 9, 16), D(2026, 9, 16)),  # 5 August + 6 weeks
    (False, 2, D(2026, 7, 8), D(2026, 7, 8)),
], ids=["zonder-commissie-6-weken", "met-commissie-6-weken", "zonder-commissie-2-weken"])
def test_bezwaar_beslistermijn_verdaging(adviescommissie, weken, ruw, eind):
    u = verleng(bereken("bezwaar-beslistermijn", D(2026, 4, 1), adviescommissie=adviescommissie), weken)
    assert (u.einddatum_zonder_atw, u.einddatum) == (ruw, eind)
    assert u.verlengd_weken == weken and "7:10 lid 3" in u.stappen[-1]


def test_verdaging_at_most_6_weeks_then_only_with_consent():
    u = bereken("bezwaar-beslistermijn", D(2026, 4, 1))
    u = verleng(verleng(u, 3), 3)
    assert u.einddatum == D(2026, 8, 5)
    with pytest.raises(ValueError, match="ten hoogste 6 weken"):
        verleng(u, 1)
    later = verleng(u, 2, met_instemming=True)
    assert later.einddatum == D(2026, 8, 19) and "7:10 lid 4" in later.stappen[-1]


def test_atw_artikel_4_no_atw_for_12_weeks_plus_verdaging():
    # Bekendmaking Fri 10 July 2026: bezwaartermijn to Fri 21 Aug, + 12 weeks = Fri 13 Nov, + 6 weeks verdaging
    # = Friday 25 December: a term of 18 weeks, longer than 12 weeks, so the Atw does not move it.
    u = bereken("bezwaar-beslistermijn", D(2026, 7, 10), adviescommissie=True)
    assert u.einddatum == D(2026, 11, 13)
    v = verleng(u, 6)
    assert v.einddatum == v.einddatum_zonder_atw == D(2026, 12, 25)
    assert not v.atw_toegepast and "artikel 4" in v.atw_reden


def test_verlenging_wmo_beschikking_and_limits():
    u = bereken("wmo-beschikking", D(2026, 3, 2))  # Mon 16 March
    assert verleng(u, 2).einddatum == D(2026, 3, 30)
    assert "4:14" in verleng(u, 2).stappen[-1]
    with pytest.raises(ValueError, match="vóór het einde"):
        verleng(u, 2, meegedeeld_op=D(2026, 3, 17))
    with pytest.raises(ValueError, match="fatale termijn"):
        verleng(bereken("bezwaartermijn", D(2026, 4, 1)), 1)
    onderzoek = bereken("wmo-onderzoek", D(2026, 3, 2))
    with pytest.raises(ValueError, match="instemming"):
        verleng(onderzoek, 2)
    assert verleng(onderzoek, 2, met_instemming=True).einddatum == D(2026, 4, 28)  # 13 Apr + 2 weeks = Koningsdag


# --- opschorting (hersteltermijn) ---------------------------------------------------------------------------


def test_hersteltermijn_suspends_the_beslistermijn():
    u = bereken("wmo-beschikking", D(2026, 3, 2))  # Monday 16 March
    assert u.einddatum == D(2026, 3, 16)
    # Herstelverzoek sent Wed 4 March, aanvulling received Wed 11 March: suspended 5..10 March = 6 days.
    # 16 + 6 = Sunday 22 March -> Monday 23 March.
    s = schort_op(u, D(2026, 3, 4), D(2026, 3, 11))
    assert s.opgeschorte_dagen == 6
    assert (s.einddatum_zonder_atw, s.einddatum) == (D(2026, 3, 22), D(2026, 3, 23))
    assert "4:15 lid 1 onder a" in s.stappen[-1]


def test_unused_hersteltermijn_suspends_until_it_ends():
    u = bereken("wmo-beschikking", D(2026, 3, 2))
    herstel = bereken("hersteltermijn", D(2026, 3, 4), weken=2)  # Wed 18 March
    s = schort_op(u, D(2026, 3, 4), herstel.einddatum)  # 5..17 March = 13 days: Sun 29 March -> Mon 30
    assert s.opgeschorte_dagen == 13 and s.einddatum == D(2026, 3, 30)


def test_schort_op_on_a_bare_date_and_edge_cases():
    assert schort_op(D(2026, 3, 16), D(2026, 3, 4), D(2026, 3, 11)) == D(2026, 3, 23)
    u = bereken("wmo-beschikking", D(2026, 3, 2))
    assert schort_op(u, D(2026, 3, 4), D(2026, 3, 5)).einddatum == D(2026, 3, 16)  # completed next day: 0
    with pytest.raises(ValueError, match="terwijl de termijn loopt"):
        schort_op(u, D(2026, 3, 17), D(2026, 3, 20))
    with pytest.raises(ValueError, match="vóór zij begint"):
        schort_op(u, D(2026, 3, 10), D(2026, 3, 5))
    with pytest.raises(ValueError, match="geen wettelijke opschorting"):
        schort_op(bereken("bezwaartermijn", D(2026, 4, 1)), D(2026, 4, 2), D(2026, 4, 9))


def test_herstel_during_the_bezwaartermijn_suspends_only_the_days_of_the_beslistermijn():
    u = bereken("bezwaar-beslistermijn", D(2026, 4, 1))  # runs 14 May .. 24 June
    assert schort_op(u, D(2026, 5, 1), D(2026, 5, 14)).einddatum == D(2026, 6, 24)  # all before 14 May
    assert schort_op(u, D(2026, 5, 1), D(2026, 5, 18)).opgeschorte_dagen == 4  # 14..17 May
    assert "7:10 lid 2" in schort_op(u, D(2026, 5, 20), D(2026, 5, 22)).stappen[-1]


def test_verleng_and_schort_op_compose_in_any_order():
    u = bereken("wmo-beschikking", D(2026, 3, 2))
    a = verleng(schort_op(u, D(2026, 3, 4), D(2026, 3, 11)), 2)
    b = schort_op(verleng(u, 2), D(2026, 3, 4), D(2026, 3, 11))
    # 16 March + 6 days + 2 weeks = Easter Sunday 5 April; Easter Monday -> Tuesday 7 April.
    assert a.einddatum == b.einddatum == D(2026, 4, 7)
    assert a.einddatum_zonder_atw == b.einddatum_zonder_atw == D(2026, 4, 5)
    assert len(a.stappen) == 3


def test_extra_feestdagen_travel_along_with_the_uitkomst():
    extra = {2026: {D(2026, 5, 15)}}
    u = bereken("wmo-beschikking", D(2026, 4, 16), extra_feestdagen=extra)  # Thu 30 April
    s = schort_op(u, D(2026, 4, 20), D(2026, 5, 5))  # 21 Apr..4 May = 14 days: Thu 14 May (Hemelvaart)
    assert s.einddatum == D(2026, 5, 18)  # Fri 15 May is equated, then the weekend


# --- dwangsom bij niet tijdig beslissen ---------------------------------------------------------------------

ONTVANGEN = D(2026, 6, 1)  # ingebrekestelling received Monday 1 June; first dwangsom day Monday 15 June


@pytest.mark.parametrize("op, beslist, dagen, cent", [
    (D(2026, 6, 14), None, 0, 0),
    (D(2026, 6, 15), None, 0, 0),  # up to, not including, op
    (D(2026, 6, 16), None, 1, 2300),
    (D(2026, 6, 29), None, 14, 32200),
    (D(2026, 6, 30), None, 15, 35700),
    (D(2026, 7, 13), None, 28, 81200),
    (D(2026, 7, 14), None, 29, 85700),
    (D(2026, 7, 27), None, 42, 144200),
    (D(2026, 12, 31), None, 42, 144200),
    (D(2026, 8, 1), D(2026, 6, 10), 0, 0),  # decided within the two weeks
    (D(2026, 8, 1), D(2026, 6, 15), 0, 0),  # decided on the first day: that day does not count
    (D(2026, 8, 1), D(2026, 6, 16), 1, 2300),
    (D(2026, 8, 1), D(2026, 7, 5), 20, 53200),  # 14 x 23 + 6 x 35
    (D(2026, 6, 20), D(2026, 8, 1), 5, 11500),  # the decision lies after op: counted up to op
], ids=["voor-de-2-weken", "eerste-dag", "1-dag", "14-dagen", "15-dagen", "28-dagen", "29-dagen",
        "42-dagen", "ruim-na-42-dagen", "beslist-binnen-2-weken", "beslist-op-eerste-dag", "beslist-dag-2",
        "beslist-na-20-dagen", "beslissing-na-peildatum"])
def test_dwangsom(op, beslist, dagen, cent):
    d = dwangsom(ONTVANGEN, op, beslist)
    assert d.eerste_dag == D(2026, 6, 15)
    assert (d.dagen, d.totaal_cent) == (dagen, cent)
    assert sum(s.dagen for s in d.schijven) == dagen and sum(s.bedrag_cent for s in d.schijven) == cent
    assert d.maximum_bereikt is (dagen == 42)
    assert d.gestopt_op == (beslist if beslist is not None and beslist <= op else None)


def test_dwangsom_breakdown_per_tier():
    d = dwangsom(ONTVANGEN, D(2026, 8, 1), D(2026, 7, 20))  # 35 days
    assert [(s.dagen, s.tarief_cent, s.bedrag_cent) for s in d.schijven] == [
        (14, 2300, 32200), (14, 3500, 49000), (7, 4500, 31500)]
    assert d.totaal_cent == 112700 and d.laatste_dag == D(2026, 7, 19)
    assert "4:17" in d.bron


def test_premature_ingebrekestelling_starts_nothing():
    d = dwangsom(ONTVANGEN, D(2026, 12, 31), termijn_einde=D(2026, 6, 1))
    assert not d.geldig and d.totaal_cent == 0 and "te vroeg" in d.reden
    assert dwangsom(ONTVANGEN, D(2026, 12, 31), termijn_einde=D(2026, 5, 31)).totaal_cent == 144200


# --- CLI: keukentafel termijn SOORT DATUM [--adviescommissie] ------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="keukentafel")
    add_parser(parser.add_subparsers(dest="commando", required=True))
    args = parser.parse_args(["termijn", *argv])
    assert args.func is termijn_command
    return args.func(args)


@pytest.mark.parametrize("argv, uit", [
    (["wmo-onderzoek", "2026-03-02"], "2026-04-13"),
    (["wmo-beschikking", "2026-12-11"], "2026-12-28"),
    (["awb-beschikking", "2026-02-06"], "2026-04-07"),
    (["bezwaartermijn", "2026-04-01"], "2026-05-13"),
    (["bezwaartermijn", "2025-11-20"], "2026-01-02"),
    (["bezwaar-beslistermijn", "2026-04-01"], "2026-06-24"),
    (["bezwaar-beslistermijn", "2026-04-01", "--adviescommissie"], "2026-08-05"),
    (["bezwaar-beslistermijn", "2025-11-20"], "2026-02-13"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_cli_prints_only_the_last_day(capsys, argv, uit):
    assert _run(argv) == 0
    out, err = capsys.readouterr()
    assert out == uit + "\n" and err == ""


@pytest.mark.parametrize("argv, fout", [
    (["bestaat-niet", "2026-03-02"], "onbekende soort"),
    (["hersteltermijn", "2026-03-02"], "onbekende soort"),  # needs a duration: not offered on the CLI
    (["wmo-onderzoek", "2026-02-30"], "ongeldige datum"),
    (["wmo-onderzoek", "2-3-2026"], "ongeldige datum"),
    (["wmo-onderzoek", "2026-03-02", "--adviescommissie"], "alleen bij de soort bezwaar-beslistermijn"),
    (["wmo-onderzoek", "1980-03-02"], "1990"),
], ids=["soort", "hersteltermijn", "30-februari", "nederlandse-notatie", "adviescommissie", "oud-jaar"])
def test_cli_errors_in_dutch_with_exit_code_2(capsys, argv, fout):
    assert _run(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and fout in err


def test_domain_layer_does_not_import_flask():
    code = "import sys, domain.deadlines, domain.feestdagen; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- calendar months -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("gebeurtenis, maanden, ruw, eind", [
    (D(2026, 1, 31), 1, D(2026, 2, 28), D(2026, 3, 2)),  # no 31 February: last day of February (a Saturday)
    (D(2028, 1, 31), 1, D(2028, 2, 29), D(2028, 2, 29)),  # leap year; Tuesday
    (D(2026, 1, 15), 1, D(2026, 2, 15), D(2026, 2, 16)),  # Sunday -> Monday
    (D(2026, 3, 31), 1, D(2026, 4, 30), D(2026, 4, 30)),  # April has 30 days
    (D(2026, 2, 28), 1, D(2026, 3, 28), D(2026, 3, 30)),  # the 28th stays the 28th (Saturday -> Monday)
    (D(2026, 11, 30), 2, D(2027, 1, 30), D(2027, 2, 1)),  # across the year; Saturday -> Monday
    (D(2026, 1, 5), 3, D(2026, 4, 5), D(2026, 4, 7)),  # 3 months: the Atw applies (Easter Sunday and Monday)
    (D(2026, 1, 5), 4, D(2026, 5, 5), D(2026, 5, 5)),  # 4 months: longer than 3, no Atw (Atw art. 4)
], ids=["31-jan-plus-1", "schrikkeljaar", "zondag", "april-30", "28-feb", "jaargrens", "3-maanden-atw",
        "4-maanden-geen-atw"])
def test_months_are_calendar_months(gebeurtenis, maanden, ruw, eind):
    u = bereken("awb-beschikking", gebeurtenis, maanden=maanden)
    assert (u.einddatum_zonder_atw, u.einddatum) == (ruw, eind)
    assert u.eenheid == "maanden" and u.begindatum == gebeurtenis + dt.timedelta(days=1)
    assert u.duur_dagen == (ruw - gebeurtenis).days
    assert f"{maanden} maand" in u.stappen[-1]
    assert "4:13 lid 1" in u.bron  # not the 8 weeks of 4:13 lid 2: the zaaktype's own duration


def test_a_term_of_three_months_is_longer_than_90_days_and_still_under_the_atw():
    # 3 months from Sunday 30 November 2025: Monday 1 Dec .. Saturday 28 February 2026 = 90 days; from 31 May
    # 2026: 1 June .. 31 August = 92 days, more than 90, and still "not longer than three months" (Atw art. 4).
    u = bereken("awb-beschikking", D(2026, 5, 31), maanden=3)
    assert u.duur_dagen == 92 and u.einddatum_zonder_atw == D(2026, 8, 31)
    assert u.atw_reden is None  # Monday 31 August: a working day, the Atw applies but moves nothing
    zaterdag = bereken("awb-beschikking", D(2025, 11, 30), maanden=3)
    assert zaterdag.einddatum_zonder_atw == D(2026, 2, 28) and zaterdag.einddatum == D(2026, 3, 2)
    # A verdaging makes it longer than three months: then the Atw no longer applies.
    v = verleng(bereken("awb-beschikking", D(2026, 1, 5), maanden=3), 1)  # 5 April + 1 week = Sunday 12 April
    assert v.einddatum == v.einddatum_zonder_atw == D(2026, 4, 12) and "drie maanden" in v.atw_reden


def test_months_every_day_of_three_years():
    """For every event day 2026-2028 and 1..14 months: the last day is the same day of the month N months
    later or the last day of a shorter month; later events never end earlier; the Atw exactly up to 3 months."""
    vorige: dict[int, date] = {}
    d = D(2026, 1, 1)
    while d <= D(2028, 12, 31):
        for n in range(1, 15):
            u = bereken("awb-beschikking", d, maanden=n)
            ruw = u.einddatum_zonder_atw
            assert (ruw.year * 12 + ruw.month) - (d.year * 12 + d.month) == n
            assert ruw.day == min(d.day, calendar.monthrange(ruw.year, ruw.month)[1])
            assert ruw >= vorige.get(n, ruw)
            vorige[n] = ruw
            if n <= 3:
                assert is_werkdag(u.einddatum) and u.einddatum >= ruw
            else:
                assert u.einddatum == ruw and "artikel 4" in u.atw_reden
        d += dt.timedelta(days=1)


def test_months_counted_from_the_day_of_the_event(monkeypatch):
    from domain.deadlines import Eenheid, TermijnRegel, Vanaf

    r = TermijnRegel(soort="test-maand-vanaf-dag", omschrijving="Test.", bron="Test", duur=1,
                     eenheid=Eenheid.MAANDEN, vanaf=Vanaf.DAG_VAN_GEBEURTENIS, atw=False, gebeurtenis="test")
    monkeypatch.setitem(REGELS, r.soort, r)
    assert bereken(r.soort, D(2026, 3, 1)).einddatum == D(2026, 3, 31)  # 1 .. 31 March
    assert bereken(r.soort, D(2026, 1, 31)).einddatum == D(2026, 2, 28)  # no 31 February: to its last day
    assert bereken(r.soort, D(2026, 1, 28)).einddatum == D(2026, 2, 27)


def test_only_one_unit_at_a_time():
    with pytest.raises(ValueError, match="niet in meer dan één"):
        bereken("awb-beschikking", D(2026, 3, 2), weken=2, maanden=1)


# --- the registry: the Awb in shared code, the rest from the zaaktypen ---------------------------------------------


def test_shared_code_holds_only_the_awb_terms():
    assert {r.soort for r in AWB_REGELS} == {
        "awb-beschikking", "bezwaartermijn", "bezwaar-beslistermijn", "hersteltermijn", "beroepstermijn"}
    assert all(r.bron.startswith("Awb") for r in AWB_REGELS)
    from domain.processes.wmo import WMO_BESCHIKKING, WMO_ONDERZOEK

    assert REGELS["wmo-onderzoek"] is WMO_ONDERZOEK and REGELS["wmo-beschikking"] is WMO_BESCHIKKING
    assert WMO_ONDERZOEK.bron == "Wmo 2015, artikel 2.3.2 lid 1"


def test_registering_a_rule_twice_is_harmless_another_rule_under_the_same_name_is_refused(monkeypatch):
    from domain.deadlines import afmelden, registreer
    from domain.servicetermijnen import REACTIETERMIJN_7_DAGEN, reactietermijn

    registreer(REACTIETERMIJN_7_DAGEN)  # the fixture registered it already
    with pytest.raises(ValueError, match="bestaat al"):
        registreer(reactietermijn(7, bron="Iets anders"))
    with pytest.raises(ValueError, match="Awb"):
        afmelden("bezwaartermijn")
    nieuw = reactietermijn(10)
    registreer(nieuw)
    assert bereken("reactietermijn-10-dagen", D(2026, 4, 10)).einddatum == D(2026, 4, 20)
    afmelden(nieuw.soort)
    with pytest.raises(OnbekendeTermijnsoort):
        bereken("reactietermijn-10-dagen", D(2026, 4, 10))


def test_the_beslistermijnen_come_from_the_rules():
    from domain.termijnbewaking import beslistermijnen, termijnen_gemeente

    assert set(beslistermijnen()) == {"wmo-beschikking", "awb-beschikking", "bezwaar-beslistermijn"}
    assert set(termijnen_gemeente()) == {"wmo-onderzoek", *beslistermijnen()}


def test_beroepstermijn_6_weeks_after_the_beslissing_op_bezwaar():
    u = bereken("beroepstermijn", D(2026, 4, 1))  # same counting as the bezwaartermijn: Wednesday 13 May
    assert u.einddatum == D(2026, 5, 13) and "8:1" in u.bron
    assert is_tijdig(u, D(2026, 5, 20), ter_post_bezorgd=D(2026, 5, 13))  # Awb 6:9 lid 2 holds for beroep too
    with pytest.raises(ValueError, match="fatale termijn"):
        verleng(u, 1)


def test_cli_knows_the_terms_the_zaaktypen_register(capsys):
    assert _run(["bezwaartermijn", "2026-03-24"]) == 0  # Tue 5 May (Bevrijdingsdag) -> Wed 6 May
    assert capsys.readouterr().out == "2026-05-06\n"
    assert _run(["beroepstermijn", "2026-04-01"]) == 0
    assert capsys.readouterr().out == "2026-05-13\n"
    assert _run(["wmo-onderzoek", "2026-03-02"]) == 0
    assert capsys.readouterr().out == "2026-04-13\n"
