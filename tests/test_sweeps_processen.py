"""Two scheduler processes on one database (issue 13, point 5): every sweep item handled exactly once, none missed.

Real OS processes (bench/sweeps_werker.py), each running the production jobs of app/scheduler.py (the ones
`keukentafel worker` and `keukentafel serve` schedule) back to back until nothing is due, started at the same
moment, each with its own instance folder: the local mail outbox (aiosmtpd, an .eml file per mail) and the
berichten folder transport. Because the folders are separate, a mail or message that both processes sent would
show up twice. The due items are prepared set-based (bench/sweeps_opbouw.py). PostgreSQL only: SQLite has no row
locks, and there one worker runs (docs/security.md).
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bench.sweeps_bench import draai
from bench.sweeps_opbouw import DOMEIN, REACTIETERMIJN, bereid_voor, tabel, tel
from bench.sweeps_werker import JOBS
from domain.models import Bericht, MailBericht, StatusHistorie, Termijn, Zaak
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks (SKIP LOCKED) exist on PostgreSQL only")

N = 30
MERK = "T"


def test_two_scheduler_processes_handle_every_item_exactly_once(demo, settings, tmp_path):
    db = demo
    bereid_voor(settings.database_url, MERK, termijnen=N, waarschuwingen=N, voorzieningen=N, mails=N, berichten=N)
    instanties = [tmp_path / "proces-1", tmp_path / "proces-2"]

    uitkomst = draai(settings.database_url, instanties, ",".join(JOBS), timeout=50)

    per_proces = [u["telling"] for u in uitkomst["processen"]]
    assert all(not u["blijft"] and not u["mislukt"] for u in uitkomst["processen"]), uitkomst
    # They really ran side by side: both handled part of the work (the mails alone are 90 one-by-one claims).
    assert all(sum(t.values()) > 0 for t in per_proces), per_proces
    regels = tel(settings.database_url, MERK, instanties)
    assert all(r.goed for r in regels), "\n" + tabel(regels)

    # The same, read with the ORM: each term fired its overgang once, each row was sent in one attempt.
    zaken = db.scalars(select(Zaak.id).join(Termijn, Termijn.zaak_id == Zaak.id).where(
        Zaak.omschrijving == f"Sweepbench {MERK}", Termijn.soort == REACTIETERMIJN)).all()
    assert len(zaken) == N
    overgangen = db.execute(select(StatusHistorie.zaak_id, func.count()).where(
        StatusHistorie.zaak_id.in_(zaken), StatusHistorie.overgang == "reactietermijn_verstreken")
        .group_by(StatusHistorie.zaak_id)).all()
    assert sorted(n for _, n in overgangen) == [1] * N
    assert set(db.scalars(select(Zaak.status).where(Zaak.id.in_(zaken)))) == {"aanvraagformulier"}
    mails = db.execute(select(MailBericht.status, MailBericht.pogingen)
                       .where(MailBericht.aan.like(f"{MERK}-%@{DOMEIN}"))).all()
    assert len(mails) == 3 * N  # the 30 queued ones, and one per overgang and per voorziening reminder
    assert set(mails) == {("verzonden", 1)}
    eml = [p for i in instanties for p in (i / "mail").glob("*.eml") if f"@{DOMEIN}" in p.read_text()]
    assert len(eml) == 3 * N
    berichten = db.execute(select(Bericht.status, Bericht.pogingen).where(
        Bericht.richting == "uit", Bericht.bericht_identificatie.like(f"{MERK}%"))).all()
    assert len(berichten) == N and set(berichten) == {("verzonden", 1)}
    assert len([p for i in instanties for p in (i / "berichten" / "uit").glob(f"*-{MERK}*.xml")]) == N
    # What each process did adds up to the work there was, not more.
    samen = {k: sum(t.get(k, 0) for t in per_proces) for k in {k for t in per_proces for k in t}}
    assert samen["tijdgestuurd.overgangen"] >= N and samen["mail.verzonden"] >= 3 * N
    assert samen["berichten.verzonden"] >= N
