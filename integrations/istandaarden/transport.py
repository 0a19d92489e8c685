"""Durable exchange of iWmo/iJw messages: a transport interface, a folder transport, and the two sweeps.

The database is the source of truth, as for the mail outbox (integrations/mail/outbox.py):

* ``verstuur_berichten`` (outbox): outgoing `Bericht` rows with status 'klaar' are claimed a hundred at a time
  and handed to the transport, one transaction per hundred; on failure it is retried with backoff (1, 2, 4 ... minutes, at most 6 hours) and after
  ``max_pogingen`` it is marked 'mislukt' for administratie. Rows are claimed with ``SELECT ... FOR UPDATE SKIP
  LOCKED`` on PostgreSQL, so several sweeps never pick the same message. At-least-once: a crash between the
  hand-over and the commit sends that message once more (same file name, so the folder transport overwrites it).
* ``verwerk_inbox`` (inbox): received files are processed in groups, one transaction per group with a
  savepoint per message, and moved to ``verwerkt/`` only *after* the commit. A crash mid-group loses nothing
  (the files are still in ``in/``) and repeats nothing (a file committed but not yet moved is recognised by its
  BerichtIdentificatie, or its SHA-256 for an invalid one, and not processed again).

Folder layout of `MapTransport` (the local stand-in for the GGK/VECOZO mailbox)::

    <map>/uit/        outgoing messages, one file per message: WMO301-<identificatie>.xml
    <map>/in/         received messages, waiting to be processed
    <map>/verwerkt/   received messages that have been processed (and committed)
    <map>/vastgelopen/  received messages that failed with an error three times, each with a .json note; the
                      berichten screen shows them and can put them back into in/

This module uses the database models and the domain; the rest of the package stays pure (lxml only).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.uitgaand import claim_reeks

log = logging.getLogger(__name__)

BACKOFF_START = dt.timedelta(minutes=1)
BACKOFF_MAXIMUM = dt.timedelta(hours=6)
_VEILIG = re.compile(r"[^A-Za-z0-9_.-]")


MAX_POGINGEN_INKOMEND = 3  # failed attempts before a received file is set aside in vastgelopen/


@dataclass(frozen=True)
class Vastgelopen:
    """A received file that kept failing, set aside for administratie."""

    naam: str
    sinds: dt.datetime
    fout: str
    pogingen: int


@dataclass(frozen=True)
class Binnengekomen:
    """One received message: a name (for the log and the screen) and its bytes."""

    naam: str
    inhoud: bytes


class BerichtTransport(Protocol):
    """Anything that can deliver outgoing messages and hand over received ones."""

    def verstuur(self, bestandsnaam: str, xml: bytes) -> None:
        """Deliver one message; raise on failure (the sweep retries later)."""

    def binnengekomen(self, max_aantal: int | None = None) -> list[Binnengekomen]:
        """The received messages that still have to be processed, oldest first (at most `max_aantal`)."""

    def afgehandeld(self, item: Binnengekomen) -> None:
        """Called after the processing of `item` was committed: it must not be offered again."""

    def mislukt(self, item: Binnengekomen, fout: str) -> bool:
        """Processing `item` failed with an error. Returns True when the transport set it aside (after repeated
        failures) so it no longer holds up the inbox; it stays visible to administratie."""


def bestandsnaam(bericht) -> str:
    """``WMO301-<identificatie>.xml`` for an outgoing `Bericht` row."""
    ident = _VEILIG.sub("_", bericht.bericht_identificatie or str(bericht.id))
    return f"{bericht.naam}-{ident}.xml"


def schrijf_atomair(pad: Path, inhoud: bytes) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a message."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=pad.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(inhoud)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, pad)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class MapTransport:
    """Messages as files in a folder: ``uit/`` for outgoing, ``in/`` for received, ``verwerkt/`` afterwards."""

    def __init__(self, map_: Path | str):
        self.map = Path(map_)
        self.uit = self.map / "uit"
        self.inbox = self.map / "in"
        self.verwerkt = self.map / "verwerkt"
        self.vastgelopen_map = self.map / "vastgelopen"
        for p in (self.uit, self.inbox, self.verwerkt):
            p.mkdir(parents=True, exist_ok=True)

    def verstuur(self, bestandsnaam: str, xml: bytes) -> None:
        schrijf_atomair(self.uit / _VEILIG.sub("_", bestandsnaam), xml)

    def binnengekomen(self, max_aantal: int | None = None) -> list[Binnengekomen]:
        bestanden = [p for p in self.inbox.iterdir()
                     if p.is_file() and not p.name.startswith(".") and p.suffix.lower() == ".xml"]
        bestanden.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        # Read only what this sweep will process: with a full inbox, reading every file each sweep made the cost
        # grow with the square of the backlog (measured in bench/berichten_bench.py).
        uit = []
        for p in bestanden[:max_aantal] if max_aantal is not None else bestanden:
            try:
                uit.append(Binnengekomen(p.name, p.read_bytes()))
            except FileNotFoundError:  # another sweep moved it meanwhile
                continue
        return uit

    def afgehandeld(self, item: Binnengekomen) -> None:
        bron = self.inbox / item.naam
        doel = self.verwerkt / item.naam
        if doel.exists():  # the same name came in twice: keep both
            doel = self.verwerkt / f"{Path(item.naam).stem}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}.xml"
        try:
            os.replace(bron, doel)
        except FileNotFoundError:
            pass
        self._teller(item.naam).unlink(missing_ok=True)

    # --- files that keep failing ---------------------------------------------------------------------------

    def _teller(self, naam: str) -> Path:
        return self.inbox / ".pogingen" / f"{naam}.json"

    def mislukt(self, item: Binnengekomen, fout: str) -> bool:
        from app.requestlog import redact_bsn  # the note is read on screen: no BSN in it, as in the log

        teller = self._teller(item.naam)
        try:
            stand = json.loads(teller.read_text())
        except (FileNotFoundError, ValueError):
            stand = {"pogingen": 0, "sinds": dt.datetime.now(dt.UTC).isoformat()}
        stand["pogingen"] += 1
        stand["fout"] = redact_bsn(fout)[:500]
        if stand["pogingen"] < MAX_POGINGEN_INKOMEND:
            schrijf_atomair(teller, json.dumps(stand).encode())
            return False
        self.vastgelopen_map.mkdir(exist_ok=True)
        schrijf_atomair(self.vastgelopen_map / f"{item.naam}.json", json.dumps(stand).encode())
        try:
            os.replace(self.inbox / item.naam, self.vastgelopen_map / item.naam)
        except FileNotFoundError:
            pass
        teller.unlink(missing_ok=True)
        log.error("Ontvangen bericht %s na %s pogingen apart gezet in %s", item.naam, stand["pogingen"],
                  self.vastgelopen_map.name)
        return True

    def vastgelopen(self) -> list[Vastgelopen]:
        uit = []
        if not self.vastgelopen_map.is_dir():
            return uit
        for p in sorted(self.vastgelopen_map.glob("*.xml")):
            try:
                stand = json.loads((self.vastgelopen_map / f"{p.name}.json").read_text())
            except (FileNotFoundError, ValueError):
                stand = {}
            sinds = stand.get("sinds")
            uit.append(Vastgelopen(p.name, dt.datetime.fromisoformat(sinds) if sinds else
                                   dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC),
                                   stand.get("fout", "onbekend"), stand.get("pogingen", MAX_POGINGEN_INKOMEND)))
        return uit

    def terugzetten(self, naam: str) -> bool:
        """Put a set-aside file back into in/ (the next sweep tries it again). False if there is no such file."""
        if naam != Path(naam).name or _VEILIG.search(naam) or not naam.endswith(".xml"):
            return False
        bron = self.vastgelopen_map / naam
        if not bron.is_file():
            return False
        os.replace(bron, self.inbox / naam)
        (self.vastgelopen_map / f"{naam}.json").unlink(missing_ok=True)
        return True


def volgende_wachttijd(pogingen: int) -> dt.timedelta:
    if pogingen < 1:
        return dt.timedelta(0)
    return min(BACKOFF_START * (2 ** min(pogingen - 1, 20)), BACKOFF_MAXIMUM)


def _foutmelding(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def verstuur_berichten(
    session_factory: Callable[[], Session],
    transport: BerichtTransport,
    *,
    nu: dt.datetime | None = None,
    batch: int = 2000,
    per_transactie: int = 100,
    max_pogingen: int = 8,
) -> dict[str, int]:
    """One outbox sweep: hand up to `batch` due outgoing messages to the transport, claimed `per_transactie` at a
    time in one transaction each (after a large inbox group the answers must not trickle out 50 per sweep).
    Returns how many were ``verzonden``, ``uitgesteld`` and ``mislukt``. At-least-once: a crash after a hand-over
    but before the commit hands those messages over once more, with the same file name and identification."""
    from domain.berichtenverkeer import MISLUKT, VERZONDEN
    from domain.models import Bericht, utcnow

    if nu is not None and nu.tzinfo is None:
        raise ValueError("nu moet een tijdstip met tijdzone zijn (UTC)")
    telling = {VERZONDEN: 0, "uitgesteld": 0, MISLUKT: 0}
    behandeld: list[int] = []
    over = max(batch, 0)
    while over > 0:
        with session_factory() as session:
            moment = nu or utcnow()
            berichten = claim_reeks(session, Bericht, Bericht.richting == "uit", moment=moment, behandeld=behandeld,
                                    limiet=min(per_transactie, over))
            if not berichten:
                break
            over -= len(berichten)
            for bericht in berichten:
                bericht.pogingen = (bericht.pogingen or 0) + 1
                try:
                    transport.verstuur(bestandsnaam(bericht), bericht.xml)
                except Exception as exc:  # noqa: BLE001 - any transport failure: try again later
                    bericht.laatste_fout = _foutmelding(exc)
                    if bericht.pogingen >= max_pogingen:
                        bericht.status = MISLUKT
                        telling[MISLUKT] += 1
                        log.error("Bericht %s %s na %s pogingen niet verstuurd", bericht.naam,
                                  bericht.bericht_identificatie, bericht.pogingen)
                    else:
                        bericht.volgende_poging = moment + volgende_wachttijd(bericht.pogingen)
                        telling["uitgesteld"] += 1
                else:
                    bericht.status = VERZONDEN
                    bericht.verzonden = nu or utcnow()
                    bericht.laatste_fout = None
                    telling[VERZONDEN] += 1
            session.commit()
    return telling


def _open_transactie(session: Session) -> None:
    """Make sure a real database transaction is open before the first SAVEPOINT. pysqlite only sends BEGIN
    before the first write; a SAVEPOINT outside a transaction would *be* the transaction, and releasing it would
    commit every message on its own. PostgreSQL needs nothing: SQLAlchemy's first statement begins one."""
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


def _in_savepoint(session: Session, inhoud: bytes, *, naam: str | None, nu: dt.datetime | None, diensten):
    """Process one message inside a SAVEPOINT of the caller's transaction. A parallel sweep that stored the same
    message first makes the unique key refuse ours: the savepoint rolls back and the message is processed once
    more, now recognised as a duplicate. Any other error rolls back this message only and is raised."""
    from domain.berichtenverkeer.ontvangen import verwerk_inkomend

    for poging in (1, 2):
        try:
            with session.begin_nested():
                verwerking = verwerk_inkomend(session, inhoud, nu, diensten=diensten, bestandsnaam=naam)
                session.flush()
            return verwerking
        except IntegrityError:
            if poging == 2:
                raise
    raise AssertionError("unreachable")


def verwerk_een(session_factory: Callable[[], Session], inhoud: bytes, *, naam: str | None = None,
                nu: dt.datetime | None = None, diensten=None):
    """Process one received message in its own transaction and commit (the import command, the screens)."""
    with session_factory() as session:
        _open_transactie(session)
        verwerking = _in_savepoint(session, inhoud, naam=naam, nu=nu, diensten=diensten)
        session.commit()
        return verwerking


def verwerk_inbox(
    session_factory: Callable[[], Session],
    transport: BerichtTransport,
    *,
    nu: dt.datetime | None = None,
    diensten=None,
    batch: int = 200,
    per_transactie: int = 50,
) -> dict[str, int]:
    """One inbox sweep over at most `batch` received messages.

    The messages are processed in groups of `per_transactie`, one database transaction per group: first the whole
    group at once (lookups read up front, one batched flush: `_groep_in_een_keer`); only after the group's commit
    are its files marked done at the transport (for the folder: moved to verwerkt/). That is what makes a large
    backlog fast (measured in bench/berichten_bench.py). What can go wrong:

    * a message fails with an error: the group is rolled back and done again message by message, each in a
      SAVEPOINT; the others still commit, the failing file stays for the next sweep (counted as ``fout``), and
      after three failures the transport sets it aside for administratie (`MapTransport.vastgelopen`);
    * the process dies mid-group: the whole group rolls back and all its files are still in ``in/``: nothing is
      lost; the next sweep processes them as if for the first time;
    * the process dies after the commit, before every file is moved: the next sweep recognises those messages by
      their BerichtIdentificatie (an invalid one by its SHA-256) and counts them as ``dubbel``: nothing repeats.

    Returns counts per outcome (verwerkt, afgekeurd, dubbel, fout)."""
    telling = {"verwerkt": 0, "afgekeurd": 0, "dubbel": 0, "fout": 0}
    items = transport.binnengekomen(max(batch, 0))
    stap = max(per_transactie, 1)
    for begin in range(0, len(items), stap):
        groep = items[begin:begin + stap]
        klaar = _groep_in_een_keer(session_factory, groep, nu=nu, diensten=diensten)
        if klaar is None:
            klaar, mislukt = [], []
            with session_factory() as session:
                _open_transactie(session)
                for item in groep:
                    try:
                        verwerking = _in_savepoint(session, item.inhoud, naam=item.naam, nu=nu, diensten=diensten)
                    except Exception as exc:
                        log.exception("Ontvangen bericht %s niet verwerkt; de volgende ronde opnieuw", item.naam)
                        telling["fout"] += 1
                        mislukt.append((item, f"{type(exc).__name__}: {exc}"))
                        continue
                    klaar.append((item, verwerking.uitkomst))
                session.commit()
            for item, fout in mislukt:
                transport.mislukt(item, fout)
        for item, uitkomst in klaar:
            transport.afgehandeld(item)
            telling[uitkomst if uitkomst in telling else "verwerkt"] += 1
    return telling


def _groep_in_een_keer(session_factory, groep: list[Binnengekomen], *, nu, diensten):
    """The fast path: the whole group in one transaction, lookups read up front and written in one flush
    (`verwerk_groep`). On any error (one bad message, a parallel sweep that stored one of them first) the group is
    rolled back and None is returned: the caller then processes its messages one by one, each in a savepoint."""
    from domain.berichtenverkeer.ontvangen import verwerk_groep

    with session_factory() as session:
        try:
            verwerkingen = verwerk_groep(session, [(item.naam, item.inhoud) for item in groep], nu,
                                         diensten=diensten)
            session.commit()
        except Exception as exc:  # noqa: BLE001 - retried message by message, where the error is logged
            session.rollback()
            log.info("Groep van %s berichten niet in een keer verwerkt (%s); nu een voor een",
                     len(groep), type(exc).__name__)
            return None
    return [(item, v.uitkomst) for item, v in zip(groep, verwerkingen, strict=True)]
