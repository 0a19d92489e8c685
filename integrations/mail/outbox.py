"""The durable mail outbox: queue a mail in the caller's transaction, send it later with a sweep.

Why an outbox instead of sending straight away: a mail must go out if and only if the action that caused it
(a melding, a beschikking) was committed. Queuing the `MailBericht` row in the same transaction gives exactly
that, and an SMTP server that is down only delays the mail instead of failing the action or losing the mail.

Delivery guarantees of `verstuur_klaarstaande`:

* Every message is handled in its own transaction: claim the row, send, mark it, commit. A crash loses at most
  the one message in flight, and that message is simply still 'klaar' afterwards.
* A message that was marked 'verzonden' is never sent again.
* The one unavoidable gap (no two-phase commit between SMTP and the database): if the process dies after the
  SMTP server accepted a message but before the commit, that message is sent once more on the next sweep
  (at-least-once delivery). The Message-ID contains the row id, so the duplicate is recognisable.
* On PostgreSQL the row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED``: several sweeps (scheduler
  threads, workers, a CLI run) can run at the same time and never pick the same message. SQLite has no row
  locks and ignores the clause; with SQLite run one sweep at a time (APScheduler ``max_instances=1``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.orm import Session

from domain.models import MailBericht, utcnow
from domain.uitgaand import claim_volgende

__all__ = [
    "BACKOFF_MAXIMUM",
    "MailTransport",
    "PermanenteFout",
    "verstuur_klaarstaande",
    "volgende_wachttijd",
    "zet_klaar",
]

KLAAR = "klaar"
VERZONDEN = "verzonden"
MISLUKT = "mislukt"

BACKOFF_START = dt.timedelta(minutes=1)
BACKOFF_MAXIMUM = dt.timedelta(hours=6)
_FOUT_MAX_LENGTE = 500
_ADRES = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")


class MailTransport(Protocol):
    """Anything that can deliver one `MailBericht`; raises on failure. `SmtpTransport` is the real one."""

    def send(self, bericht: MailBericht) -> None: ...


class PermanenteFout(Exception):
    """Raised by a transport when retrying cannot help (e.g. the server refuses the address with a 5xx).

    The sweep then marks the message 'mislukt' at once instead of retrying it for hours.
    """


def zet_klaar(session: Session, aan: str, onderwerp: str, tekst: str, html: str | None = None) -> MailBericht:
    """Queue one mail in the caller's transaction; the caller commits or rolls back, together with its action.

    No flush and no commit here: if the action fails, the mail disappears with it. The address and subject are
    checked now, because a bad value found only by the sweep would be discovered hours later by nobody.
    """
    aan = aan.strip()
    if not aan or len(aan) > 300 or "@" not in aan or any(c.isspace() for c in aan) or "," in aan:
        raise ValueError("ongeldig e-mailadres voor de outbox (precies één adres verwacht)")
    onderwerp = " ".join(onderwerp.split())  # a newline in a header would be header injection
    if not onderwerp or len(onderwerp) > 300:
        raise ValueError("onderwerp van een mail moet 1 tot 300 tekens zijn")
    nu = utcnow()
    bericht = MailBericht(
        aan=aan, onderwerp=onderwerp, tekst=tekst, html=html,
        status=KLAAR, pogingen=0, volgende_poging=nu, aangemaakt=nu,
    )
    session.add(bericht)
    return bericht


def volgende_wachttijd(pogingen: int) -> dt.timedelta:
    """Backoff after the n-th failed attempt: 1, 2, 4, 8 ... minutes, never more than 6 hours.

    Short at first so a brief SMTP hiccup costs minutes, capped so a long outage still gets a retry soon after
    it ends.
    """
    if pogingen < 1:
        return dt.timedelta(0)
    # Cap the exponent before computing, so a huge count cannot overflow timedelta.
    return min(BACKOFF_START * (2 ** min(pogingen - 1, 20)), BACKOFF_MAXIMUM)


def _foutmelding(exc: BaseException) -> str:
    """Exception class and message only, with e-mail addresses blanked out.

    SMTP errors quote the refused recipient; laatste_fout is read by administrators, so personal data must not
    end up there.
    """
    tekst = f"{type(exc).__name__}: {exc}"
    tekst = _ADRES.sub("[adres]", tekst)
    return tekst[:_FOUT_MAX_LENGTE]


def verstuur_klaarstaande(
    session_factory: Callable[[], Session],
    transport: MailTransport,
    *,
    nu: dt.datetime | None = None,
    batch: int = 50,
    max_pogingen: int = 8,
) -> dict[str, int]:
    """One sweep over the outbox: send up to `batch` due messages, each in its own transaction.

    `session_factory` makes a fresh Session per message (a `sessionmaker`); the sweep never uses a request's
    session, so it can run from a scheduler thread or a CLI command. `nu` replaces the clock (tests, or a
    catch-up run); without it the real time is read per message. Returns how many messages were
    ``verzonden``, ``uitgesteld`` (failed, retried later) and ``mislukt`` (given up).
    """
    if nu is not None and nu.tzinfo is None:
        raise ValueError("nu moet een tijdstip met tijdzone zijn (UTC)")
    if max_pogingen < 1:
        raise ValueError("max_pogingen moet minstens 1 zijn")
    telling = {VERZONDEN: 0, "uitgesteld": 0, MISLUKT: 0}
    # Never touch a message twice in one sweep, even if a clock override would make it due again at once.
    behandeld: list[int] = []

    for _ in range(max(batch, 0)):
        with session_factory() as session:
            moment = nu or utcnow()
            bericht = claim_volgende(session, MailBericht, moment=moment, behandeld=behandeld)
            if bericht is None:
                break

            # The row lock is held while sending, so no other sweep can pick this message meanwhile.
            try:
                transport.send(bericht)
            except Exception as exc:  # noqa: BLE001 - any transport failure means: try again later
                bericht.pogingen = (bericht.pogingen or 0) + 1
                bericht.laatste_fout = _foutmelding(exc)
                if isinstance(exc, PermanenteFout) or bericht.pogingen >= max_pogingen:
                    bericht.status = MISLUKT
                    telling[MISLUKT] += 1
                else:
                    bericht.volgende_poging = moment + volgende_wachttijd(bericht.pogingen)
                    telling["uitgesteld"] += 1
            else:
                bericht.pogingen = (bericht.pogingen or 0) + 1
                bericht.status = VERZONDEN
                bericht.verzonden = nu or utcnow()
                telling[VERZONDEN] += 1
            session.commit()
    return telling
