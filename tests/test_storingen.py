"""Faults, each one done for real (issue 12, item 13): a mail server that is down or refuses, a zorgaanbieder whose
folder is gone, a database that drops every connection, and a worker killed with SIGKILL (or frozen with
SIGSTOP) in the middle of an overgang, a batch or an SMTP conversation.

No part of our own code is replaced. The mail server is aiosmtpd on loopback, the zorgaanbieder the folder
transport on a folder that disappears, the database PostgreSQL ending connections with pg_terminate_backend, the
worker a process of its own (tests/storingen_werker.py) that runs the real command and is stopped at a point the
test controls: inside the SMTP conversation (the test's mail server holds the reply), or just before a COMMIT (a
SQLAlchemy event). What each test proves is in its docstring; docs/security.md ("Storingen en back-up") sums up.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import email
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from domain.berichtenverkeer.basis import zet_klaar as bericht_klaar
from domain.models import Base, Bericht, MailBericht, StatusHistorie, Termijn, Zaak, utcnow
from domain.tijd import vandaag
from domain.tijdgestuurd import verwerk_termijnen
from integrations.istandaarden.simulator import Simulator
from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_inbox
from integrations.mail import SmtpTransport, verstuur_klaarstaande, zet_klaar
from tests.conftest import ON_POSTGRES, free_port
from tests.helpers import medewerker_inloggen
from tests.test_berichtenverkeer import _bestel, _uitgaand, _zaak

ROOT = Path(__file__).resolve().parent.parent
AFZENDER = "Gemeente Barendrecht <noreply@barendrecht.example>"
NIETS = {"verzonden": 0, "uitgesteld": 0, "mislukt": 0}
LEASE_SECONDEN = 2  # the claim lease for the frozen worker below (production: app.db.CLAIM_LEASE_MS, 5 minutes)
OVER_60_DAGEN = 60  # far enough ahead for every running term of the demo to have passed


# --- the parts: a mail server that can hold or greylist, a worker process, the database from outside ----------


class Postkamer:
    """aiosmtpd handler. `greylist`: refuse each recipient's first attempt with 451 (what many real servers do).
    `houd_vast`: hold the first DATA until `los` is set, so a client sits inside the SMTP conversation; if the
    client dies meanwhile, aiosmtpd cancels the handler and the message is not accepted, as a real server does."""

    def __init__(self, *, greylist: bool = False, houd_vast: bool = False) -> None:
        self.ontvangen: list[email.message.EmailMessage] = []
        self.gezien: set[str] = set()
        self.greylist = greylist
        self.houd_vast = houd_vast
        self.binnen = threading.Event()
        self.los = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.greylist and address not in self.gezien:
            self.gezien.add(address)
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.houd_vast:
            self.houd_vast = False
            self.binnen.set()
            while not self.los.is_set():
                await asyncio.sleep(0.02)
        self.ontvangen.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def ontvangers(self) -> list[str]:
        return sorted(m["To"] for m in self.ontvangen)


@pytest.fixture
def mailserver():
    """mailserver(port=None, **Postkamer options) -> (postkamer, controller): a real SMTP server on loopback."""
    controllers: list[Controller] = []

    def _start(port: int | None = None, **opties) -> tuple[Postkamer, Controller]:
        kamer = Postkamer(**opties)
        controller = Controller(kamer, hostname="127.0.0.1", port=port or free_port(), server_hostname="test.localhost")
        controller.start()
        controllers.append(controller)
        return kamer, controller

    yield _start
    for controller in controllers:
        try:
            controller.stop()
        except AssertionError:  # already stopped by the test
            pass


class Werker:
    """A process of tests/storingen_werker.py; its stdout is read by a thread, so waiting never blocks the test."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.proces = subprocess.Popen([sys.executable, "-m", "tests.storingen_werker", *argv], cwd=ROOT, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.regels: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._lees, daemon=True).start()

    def _lees(self) -> None:
        for regel in self.proces.stdout:
            self.regels.put(regel.strip())
        self.regels.put("EINDE")

    def wacht_op(self, woord: str, timeout: float = 60) -> None:
        eind = time.monotonic() + timeout
        while time.monotonic() < eind:
            try:
                regel = self.regels.get(timeout=max(eind - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if regel.startswith(woord):
                return
            if regel == "EINDE":
                pytest.fail(f"werker stopte voor {woord}: {self.proces.wait()} {self.proces.stderr.read()[-3000:]}")
        pytest.fail(f"werker kwam niet bij {woord} binnen {timeout} s")

    def kill_9(self) -> None:
        self.proces.send_signal(signal.SIGKILL)
        assert self.proces.wait(10) == -signal.SIGKILL


@pytest.fixture
def werker(settings, tmp_path):
    """werker(argv, **env) -> Werker, with the test's database and an instance folder of its own; killed at the end."""
    werkers: list[Werker] = []

    def _start(argv: list[str], **extra: str) -> Werker:
        env = {**os.environ, "KEUKENTAFEL_ENV": "test", "DATABASE_URL": settings.database_url, "SECRET_KEY": "x" * 40,
               "KEUKENTAFEL_INSTANCE": str(tmp_path / "instance"), "PYTHONPATH": str(ROOT), **extra}
        w = Werker(argv, env)
        werkers.append(w)
        return w

    yield _start
    for w in werkers:
        if w.proces.poll() is None:
            w.proces.kill()
            w.proces.wait(10)


@pytest.fixture
def buiten(settings):
    """An engine of the test's own (no pool): it looks at the database from outside, as another process would."""
    engine = create_engine(settings.database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def maker(app):
    return app.extensions["db_sessionmaker"]


def _rijen(engine) -> dict[str, int]:
    """Rows in every table: 'nothing half-done' means all of these are exactly as before."""
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def _vrij(engine, tabel: str, ids) -> set[int]:
    """Which of `ids` another sweep could claim now (PostgreSQL: not locked by anyone, FOR UPDATE SKIP LOCKED)."""
    with engine.begin() as conn:
        return set(conn.scalars(text(f"SELECT id FROM {tabel} WHERE id = ANY(:ids) FOR UPDATE SKIP LOCKED"),
                                {"ids": list(ids)}))


def _wacht_tot_vrij(engine, tabel: str, ids, timeout: float = 15) -> float:
    eind = time.monotonic() + timeout
    begin = time.monotonic()
    while _vrij(engine, tabel, ids) != set(ids):
        assert time.monotonic() < eind, f"{tabel} {sorted(ids)} bleven vergrendeld"
        time.sleep(0.1)
    return time.monotonic() - begin


def _smtp(port: int) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, sender=AFZENDER, timeout=5)


def _mails(db, n: int) -> list[int]:
    rijen = [zet_klaar(db, f"inwoner{i}@voorbeeld.nl", "Er staat iets voor u klaar", "Kijk in het portaal.")
             for i in range(n)]
    db.commit()
    return [r.id for r in rijen]


def _mail_stand(db) -> list[tuple[str, int]]:
    db.rollback()
    return [(m.status, m.pogingen) for m in db.scalars(select(MailBericht).order_by(MailBericht.id))]


# --- 1. The mail server is down, then refuses, then is back -----------------------------------------------------


def test_smtp_down_then_greylisting_mail_stays_queued_and_goes_once_when_the_server_is_back(db, maker, mailserver):
    """A mail server that worked goes down (the port is closed: connection refused), comes back greylisting (451
    for every first attempt) and then accepts. Each mail stays 'klaar' with its error and a later next attempt,
    is retried with backoff, and arrives exactly once; sweeps afterwards send nothing."""
    kamer, controller = mailserver()
    port = controller.port
    _mails(db, 1)
    assert verstuur_klaarstaande(maker, _smtp(port)) == {**NIETS, "verzonden": 1}  # it worked
    controller.stop()  # the mail server goes down

    _mails(db, 2)
    t0 = utcnow()
    assert verstuur_klaarstaande(maker, _smtp(port), nu=t0) == {**NIETS, "uitgesteld": 2}
    db.rollback()
    wachtend = db.scalars(select(MailBericht).where(MailBericht.status == "klaar")).all()
    assert [m.pogingen for m in wachtend] == [1, 1]
    assert all(m.laatste_fout.startswith("ConnectionRefusedError") and m.volgende_poging > t0 for m in wachtend)
    assert verstuur_klaarstaande(maker, _smtp(port), nu=t0) == NIETS  # not due yet: no hammering

    grijs, _ = mailserver(port=port, greylist=True)  # back, but greylisting
    t1 = t0 + dt.timedelta(minutes=2)
    assert verstuur_klaarstaande(maker, _smtp(port), nu=t1) == {**NIETS, "uitgesteld": 2}
    db.rollback()
    assert all("451" in m.laatste_fout and "voorbeeld.nl" not in m.laatste_fout
               for m in db.scalars(select(MailBericht).where(MailBericht.status == "klaar")))
    assert grijs.ontvangen == []

    t2 = t1 + dt.timedelta(minutes=5)
    assert verstuur_klaarstaande(maker, _smtp(port), nu=t2) == {**NIETS, "verzonden": 2}
    for later in (t2, t2 + dt.timedelta(hours=1), t2 + dt.timedelta(days=3)):
        assert verstuur_klaarstaande(maker, _smtp(port), nu=later) == NIETS
    assert kamer.ontvangers() == ["inwoner0@voorbeeld.nl"]
    assert grijs.ontvangers() == ["inwoner0@voorbeeld.nl", "inwoner1@voorbeeld.nl"]
    assert _mail_stand(db) == [("verzonden", 1), ("verzonden", 3), ("verzonden", 3)]


# --- 2. The zorgaanbieder (the folder of the GGk mailbox) is unreachable -----------------------------------------


def test_zorgaanbieder_unreachable_the_301_stays_queued_and_goes_once_when_back(demo, diensten, maker, settings,
                                                                              tmp_path, monkeypatch, caplog):
    """The berichten folder is a share (here: a symlink to it) that disappears, as an unmounted network share does.
    The WMO301 of a bestelling stays 'klaar' with the error, the worker's berichten job logs and carries on, and
    when the share is back the 301 goes out once: one file, the zorgaanbieder answers 302 and 305, the zaak is
    'geleverd'; later sweeps send nothing."""
    from app.scheduler import berichten_job

    db = demo
    share = tmp_path / "ggk-share"
    map_ = tmp_path / "berichten"
    share.mkdir()  # mounted
    map_.symlink_to(share, target_is_directory=True)
    transport = MapTransport(map_)  # creates uit/, in/, verwerkt/ on the share
    monkeypatch.setenv("KEUKENTAFEL_BERICHTEN_MAP", str(map_))
    job = berichten_job(settings, maker)
    _bestel(db, diensten)
    [b301] = _uitgaand(db, "301")

    share.rename(tmp_path / "ggk-share.weg")  # the share is gone
    t0 = utcnow()
    assert verstuur_berichten(maker, transport, nu=t0) == {**NIETS, "uitgesteld": 1}
    with caplog.at_level(logging.ERROR, logger="app.scheduler"):
        job()  # the scheduler's job: it logs and returns, the worker lives on
    assert "Berichtenverkeer-sweep mislukt" in caplog.text
    [b301] = _uitgaand(db, "301")
    assert (b301.status, b301.pogingen) == ("klaar", 1) and b301.laatste_fout and b301.volgende_poging > t0

    (tmp_path / "ggk-share.weg").rename(share)  # mounted again
    t1 = t0 + dt.timedelta(minutes=2)
    assert verstuur_berichten(maker, transport, nu=t1) == {**NIETS, "verzonden": 1}
    assert verstuur_berichten(maker, transport, nu=t1 + dt.timedelta(days=1)) == NIETS
    [bestand] = (share / "uit").glob("WMO301-*.xml")
    assert bestand.read_bytes() == b301.xml
    Simulator(map_).stap()
    assert verwerk_inbox(maker, transport, nu=t1, diensten=diensten) == {"verwerkt": 2, "afgekeurd": 0, "dubbel": 0,
                                                                         "fout": 0}
    assert _zaak(db).status == "geleverd"
    [b301] = _uitgaand(db, "301")
    assert (b301.status, b301.pogingen) == ("verwerkt", 2)


# --- 3. The database drops every connection (a restart) ----------------------------------------------------------


def _verbreek_alles(engine, alleen_pid: int | None = None) -> int:
    """What a database restart does to the application: the server ends its connections. Only this test's
    database, never this connection itself; waits until they are gone (PostgreSQL 14+: the timeout argument)."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        waar = "pid = :pid" if alleen_pid else "datname = current_database() AND pid <> pg_backend_pid()"
        return len(conn.scalars(text(f"SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE {waar}"),
                                {"pid": alleen_pid}).all())


@pytest.mark.skipif(not ON_POSTGRES, reason="ends server connections with pg_terminate_backend: PostgreSQL only "
                                            "(SQLite is a file in the process, there is no connection to drop)")
def test_database_restart_the_next_request_and_sweep_work_and_a_sweep_cut_off_mid_row_loses_nothing(
        demo, client, app, diensten, buiten, caplog):
    """(a) Every connection of the application is ended by the server while it sits in the pool: the next request
    works (pool_pre_ping reconnects) and the medewerker is still logged in (sessions are in the database).
    (b) The connection of the worker's terms sweep is ended just as it commits its first row: the sweep does not
    crash, that row rolls back (the term is not marked done, the zaak did not move, the row is free), any further
    rows go on a new connection, and the next sweep on the same pool does the first one; every overgang happens
    once."""
    assert medewerker_inloggen(client, "wmo").status_code == 302
    assert client.get("/backoffice/werkvoorraad").status_code == 200
    assert _verbreek_alles(buiten) >= 1
    antwoord = client.get("/backoffice/werkvoorraad")
    assert antwoord.status_code == 200 and "Uitloggen" in antwoord.get_data(as_text=True)

    db = demo
    dag = vandaag() + dt.timedelta(days=OVER_60_DAGEN)
    te_doen = db.scalars(select(Termijn).where(Termijn.bij_einde.is_not(None), Termijn.afgehandeld_op.is_(None),
                                               Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot.is_(None),
                                               Termijn.einddatum < dag).order_by(Termijn.einddatum, Termijn.id)).all()
    assert te_doen, "the demo has a running term that fires an overgang"
    eerste = te_doen[0]
    status_voor = db.get(Zaak, eerste.zaak_id).status
    db.rollback()
    afgebroken = []

    def bij_commit(conn):
        if not afgebroken:
            afgebroken.append(conn.connection.dbapi_connection.info.backend_pid)
            _verbreek_alles(buiten, alleen_pid=afgebroken[0])

    engine = app.extensions["db_engine"]
    event.listen(engine, "commit", bij_commit)
    try:
        sessie = app.extensions["db_sessionmaker"]()
        with caplog.at_level(logging.ERROR, logger="domain.tijdgestuurd"):
            telling = verwerk_termijnen(sessie, dag, diensten=diensten)
        sessie.close()
    finally:
        event.remove(engine, "commit", bij_commit)
    assert afgebroken and "niet verwerkt" in caplog.text and "AdminShutdown" in caplog.text
    assert telling.overgangen + telling.niet_mogelijk == len(te_doen) - 1
    db.expire_all()
    assert db.get(Termijn, eerste.id).afgehandeld_op is None
    assert db.get(Zaak, eerste.zaak_id).status == status_voor
    assert _vrij(buiten, "termijn", [eerste.id]) == {eerste.id}

    tweede = verwerk_termijnen(db, dag, diensten=diensten)
    assert tweede.overgangen + tweede.niet_mogelijk == 1
    assert not verwerk_termijnen(db, dag, diensten=diensten)
    db.expire_all()
    for termijn in te_doen:
        assert db.get(Termijn, termijn.id).afgehandeld_op is not None
        assert db.scalar(select(func.count()).select_from(StatusHistorie).where(
            StatusHistorie.zaak_id == termijn.zaak_id, StatusHistorie.overgang == termijn.bij_einde)) <= 1


# --- 4. kill -9 of a worker: mid-overgang, mid-batch, mid-SMTP; and a frozen worker ------------------------------


def test_kill_9_in_the_middle_of_an_overgang_leaves_nothing_half_done(demo, diensten, werker, buiten):
    """The worker fires the overgang of a passed term (the demo's Jeugd verslag term) and is killed with SIGKILL
    after the overgang wrote everything (status, history, protocol, notifications, mail) but before the COMMIT.
    Every table has exactly the rows it had before, the zaak did not move, the term is not marked done; on
    PostgreSQL the row the dead worker had claimed is free at once; the next run fires the overgang, once."""
    db = demo
    dag = vandaag() + dt.timedelta(days=OVER_60_DAGEN)
    eerste = db.scalars(select(Termijn).where(Termijn.bij_einde.is_not(None), Termijn.afgehandeld_op.is_(None),
                                              Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot.is_(None),
                                              Termijn.einddatum < dag).order_by(Termijn.einddatum, Termijn.id)).first()
    zaak = db.get(Zaak, eerste.zaak_id)
    voor_zaak = (zaak.status, zaak.versie)
    db.rollback()
    voor = _rijen(buiten)

    w = werker(["--pauze-bij-commit", "1", "termijnen", str(OVER_60_DAGEN)])
    w.wacht_op("PAUZE")
    assert _rijen(buiten) == voor  # written, not committed: nobody sees any of it
    if ON_POSTGRES:
        assert _vrij(buiten, "termijn", [eerste.id]) == set()  # claimed by the worker
    w.kill_9()

    assert _rijen(buiten) == voor
    db.expire_all()
    zaak = db.get(Zaak, eerste.zaak_id)
    assert (zaak.status, zaak.versie) == voor_zaak
    assert db.get(Termijn, eerste.id).afgehandeld_op is None
    if ON_POSTGRES:
        assert _wacht_tot_vrij(buiten, "termijn", [eerste.id]) < 5

    assert verwerk_termijnen(db, dag, diensten=diensten).overgangen >= 1
    db.expire_all()
    assert db.get(Zaak, eerste.zaak_id).status != voor_zaak[0]
    assert db.get(Termijn, eerste.id).afhandeling.startswith("Uitgevoerd")
    assert db.scalar(select(func.count()).select_from(StatusHistorie).where(
        StatusHistorie.zaak_id == eerste.zaak_id, StatusHistorie.overgang == eerste.bij_einde)) == 1
    assert not verwerk_termijnen(db, dag, diensten=diensten)


def test_kill_9_in_the_middle_of_a_batch_of_berichten_sends_nothing_twice(db, maker, werker, buiten, tmp_path):
    """`keukentafel berichten versturen` hands 150 queued messages to the folder transport, 100 per transaction. It
    is killed after the first transaction committed and the second one handed its 50 files over, just before that
    COMMIT. The first 100 stay 'verzonden'; the 50 roll back to 'klaar' with no attempt counted and (PostgreSQL)
    are claimable at once; the next run sends exactly those 50. Every row is 'verzonden' after one counted attempt,
    and there is one file per message with its exact bytes: the 50 that were handed over before the crash are
    written again under the same name (at-least-once, never a second message)."""
    xml = (ROOT / "tests/data/istandaarden/WMO301.xml").read_bytes()
    nu = utcnow()
    for i in range(150):
        bericht_klaar(db, standaard="iwmo", code="301", xml=xml, afzender="0613", ontvanger="98001234",
                      identificatie=f"STORING{i:05d}", nu=nu)
    db.commit()
    map_ = tmp_path / "berichten"

    w = werker(["--pauze-bij-commit", "2", "cli", "berichten", "versturen"], KEUKENTAFEL_BERICHTEN_MAP=str(map_))
    w.wacht_op("PAUZE")
    stand = dict(db.execute(select(Bericht.status, func.count()).group_by(Bericht.status)).all())
    assert stand == {"verzonden": 100, "klaar": 50}
    assert len(list((map_ / "uit").glob("*.xml"))) == 150
    open_ids = set(db.scalars(select(Bericht.id).where(Bericht.status == "klaar")))
    db.rollback()
    if ON_POSTGRES:
        assert _vrij(buiten, "bericht", open_ids) == set()  # the batch the worker holds
    w.kill_9()

    db.expire_all()
    assert sorted(db.execute(select(Bericht.status, Bericht.pogingen).where(Bericht.id.in_(open_ids))).all()) == \
        [("klaar", 0)] * 50
    db.rollback()
    if ON_POSTGRES:
        assert _wacht_tot_vrij(buiten, "bericht", open_ids) < 5
    transport = MapTransport(map_)
    assert verstuur_berichten(maker, transport) == {**NIETS, "verzonden": 50}
    assert verstuur_berichten(maker, transport, nu=utcnow() + dt.timedelta(days=1)) == NIETS
    db.expire_all()
    rijen = db.scalars(select(Bericht)).all()
    assert {(b.status, b.pogingen) for b in rijen} == {("verzonden", 1)}
    bestanden = sorted(p.name for p in (map_ / "uit").glob("*.xml"))
    assert bestanden == sorted(f"WMO301-STORING{i:05d}.xml" for i in range(150))
    assert all((map_ / "uit" / f"WMO301-{b.bericht_identificatie}.xml").read_bytes() == b.xml for b in rijen)


def test_kill_9_in_the_middle_of_sending_a_mail_sends_every_mail_once(db, maker, werker, mailserver, buiten):
    """`keukentafel mail versturen` has claimed the first of three mails and is inside the SMTP conversation (the
    server has not answered the DATA yet) when it is killed. The server never accepted that mail; the row is still
    'klaar' with no attempt counted and (PostgreSQL) claimable at once; the next run sends all three, each once."""
    kamer, controller = mailserver(houd_vast=True)
    ids = _mails(db, 3)
    w = werker(["cli", "mail", "versturen"], SMTP_HOST="127.0.0.1", SMTP_PORT=str(controller.port))
    assert kamer.binnen.wait(60), w.proces.stderr.read() if w.proces.poll() is not None else "geen SMTP"
    if ON_POSTGRES:
        assert _vrij(buiten, "mail_bericht", ids) == set(ids[1:])  # the first is claimed, the others are free
    w.kill_9()
    kamer.los.set()

    assert _mail_stand(db) == [("klaar", 0)] * 3
    if ON_POSTGRES:
        assert _wacht_tot_vrij(buiten, "mail_bericht", ids) < 5
    assert verstuur_klaarstaande(maker, _smtp(controller.port)) == {**NIETS, "verzonden": 3}
    assert verstuur_klaarstaande(maker, _smtp(controller.port)) == NIETS
    assert kamer.ontvangers() == [f"inwoner{i}@voorbeeld.nl" for i in range(3)]
    assert len({m["Message-ID"] for m in kamer.ontvangen}) == 3
    assert _mail_stand(db) == [("verzonden", 1)] * 3


def _met_lease(url: str, seconden: float) -> str:
    scheiding = "&" if "?" in url else "?"
    return f"{url}{scheiding}options=-c%20idle_in_transaction_session_timeout%3D{int(seconden * 1000)}"


@pytest.mark.skipif(not ON_POSTGRES, reason="the claim lease is PostgreSQL's idle_in_transaction_session_timeout; "
                                            "SQLite has no row locks (run one sweep at a time there)")
def test_a_frozen_worker_loses_its_claim_after_the_lease_and_nothing_is_sent_twice(db, maker, werker, mailserver,
                                                                                  buiten, settings):
    """A worker that does not die but hangs (SIGSTOP: a frozen VM, a network partition with the socket still open)
    while it holds a claimed mail inside the SMTP conversation. Without a lease that row would stay locked, and
    unsent, for as long as the worker hangs. With it (app.db sets idle_in_transaction_session_timeout, 5 minutes;
    here 2 s through DATABASE_URL) the server ends the frozen transaction and another sweep sends the mail. When the
    frozen worker is finally killed the server has every mail once. The default lease is on every connection."""
    from app.db import make_engine

    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SHOW idle_in_transaction_session_timeout")) == "5min"
    engine.dispose()

    kamer, controller = mailserver(houd_vast=True)
    ids = _mails(db, 3)
    w = werker(["cli", "mail", "versturen"], SMTP_HOST="127.0.0.1", SMTP_PORT=str(controller.port),
               DATABASE_URL=_met_lease(settings.database_url, LEASE_SECONDEN))
    assert kamer.binnen.wait(60)
    w.proces.send_signal(signal.SIGSTOP)
    try:
        assert _vrij(buiten, "mail_bericht", ids) == set(ids[1:])
        assert _wacht_tot_vrij(buiten, "mail_bericht", ids) < LEASE_SECONDEN + 10
        assert w.proces.poll() is None  # still there, still frozen: the server let go, not the worker
        assert verstuur_klaarstaande(maker, _smtp(controller.port)) == {**NIETS, "verzonden": 3}
    finally:
        w.kill_9()
        kamer.los.set()
    assert kamer.ontvangers() == [f"inwoner{i}@voorbeeld.nl" for i in range(3)]
    assert _mail_stand(db) == [("verzonden", 1)] * 3
