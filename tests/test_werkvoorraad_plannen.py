"""The werkvoorraad's reads use an index in werkvoorraad order, so a page costs the same at 10.000 and at 5.000.000
zaken (issue 13; bench/laad_bench.py measures it). Checked on PostgreSQL with EXPLAIN: with sequential scans off
the planner shows which index *can* serve the read; a read that only a walk through every open zaak could serve
(juridisch's bezwaren behind the other open zaken) shows up as a filter instead of an index condition."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from domain import werkvoorraad
from domain.models import Zaak
from tests.conftest import ON_POSTGRES
from tests.test_wmo_proces import medewerker

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="query plans of PostgreSQL")


def _plan(db, stmt) -> dict:
    from sqlalchemy.dialects import postgresql

    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    db.execute(text("SET LOCAL enable_seqscan = off"))
    return db.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar()[0]["Plan"]


def _knopen(plan: dict):
    yield plan
    for kind in plan.get("Plans", []):
        yield from _knopen(kind)


@pytest.mark.parametrize("wie", ["juridisch", "teamleider", "wmo"])
def test_every_queue_read_is_an_ordered_index_read_on_its_own_key(demo, wie):
    actor = medewerker(demo, wie)
    for stmt in werkvoorraad._per_wachtrij(demo, actor, "team"):
        plan = _plan(demo, stmt.order_by(werkvoorraad.DEADLINE, Zaak.id).limit(26))
        scans = [k for k in _knopen(plan) if k.get("Relation Name") == "zaak"]
        assert scans and all(k["Node Type"] in ("Index Scan", "Index Only Scan") for k in scans), json.dumps(plan)
        # The queue's key (its team, or its zaaktype) is the index condition, not a filter over all open zaken.
        assert any(k["Index Name"] in ("ix_zaak_open_team", "ix_zaak_open_zaaktype") and "Index Cond" in k
                   for k in scans), json.dumps(plan)
        assert not any(k.get("Sort Key") for k in _knopen(plan)), "the order comes from the index, not a sort"
