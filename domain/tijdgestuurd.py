"""Time-driven work on terms: what a zaaktype's term does by itself (``Termijnsoort.bij_einde``, ``herinnering``).

When a term starts (``StartTermijn``), what its zaaktype declares is copied onto the Termijn row: the overgang to
fire the day after the last day (``bij_einde``) and the day a reminder is due (``herinner_op``). This sweep carries
them out. It is idempotent and safe to run in any number of processes at once:

* each due row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (on PostgreSQL; SQLite has no row locks and
  serialises writers), re-checking that it is still due, so a row another sweep holds or has just handled is
  skipped;
* the overgang (fired as the system, ``domain.actor.SYSTEEM``) or the reminder and the mark that it was done
  (``afgehandeld_op`` / ``herinnerd_op``) are committed in one transaction per row: either both or neither;
* when the overgang can no longer fire (the zaak moved on, a guard fails), the row is marked done with that reason
  in ``afhandeling`` and never tried again; an unexpected error (a conflict with a medewerker saving the same
  zaak, a database hiccup) rolls back and the row is tried again by the next sweep.

A term that was stopped (``gestopt_op``) or is suspended until an event (``opgeschort_tot``) fires nothing.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .actor import SYSTEEM
from .models import Termijn, Zaak, utcnow
from .workflow import Diensten, OvergangFout, handeling_context, pas_toe

log = logging.getLogger(__name__)

__all__ = ["Telling", "verwerk_termijnen"]


@dataclass
class Telling:
    overgangen: int = 0  # overgangen fired at the end of a term
    niet_mogelijk: int = 0  # ends handled without an overgang (the zaak had moved on): marked with the reason
    herinneringen: int = 0

    def __bool__(self) -> bool:
        return bool(self.overgangen or self.niet_mogelijk or self.herinneringen)


def _einde_te_doen(vandaag: dt.date) -> tuple:
    return (Termijn.bij_einde.is_not(None), Termijn.afgehandeld_op.is_(None), Termijn.gestopt_op.is_(None),
            Termijn.opgeschort_tot.is_(None), Termijn.einddatum < vandaag)


def _herinnering_te_doen(vandaag: dt.date) -> tuple:
    # A reminder for a term that has already passed (the sweep did not run for days) is not sent any more.
    return (Termijn.herinner_op.is_not(None), Termijn.herinnerd_op.is_(None), Termijn.gestopt_op.is_(None),
            Termijn.opgeschort_tot.is_(None), Termijn.herinner_op <= vandaag, Termijn.einddatum >= vandaag)


def _claim(session: Session, termijn_id: int, voorwaarden: tuple) -> Termijn | None:
    """Lock the row if it is still due and nobody else holds it; None otherwise. Starts the row's transaction."""
    return session.scalars(select(Termijn).where(Termijn.id == termijn_id, *voorwaarden)
                           .with_for_update(skip_locked=True)
                           .execution_options(populate_existing=True)).first()


def verwerk_termijnen(session: Session, vandaag: dt.date, *, diensten: Diensten | None = None,
                      nu: dt.datetime | None = None, limiet: int = 500) -> Telling:
    """Sweep: fire the overgangen of terms whose last day has passed, and send the reminders that are due.
    Each row in a transaction of its own (the caller's session is committed or rolled back per row)."""
    nu = nu or utcnow()
    telling = Telling()
    einde = session.scalars(select(Termijn.id).where(*_einde_te_doen(vandaag))
                            .order_by(Termijn.einddatum, Termijn.id).limit(limiet)).all()
    herinneringen = session.scalars(select(Termijn.id).where(*_herinnering_te_doen(vandaag))
                                    .order_by(Termijn.herinner_op, Termijn.id).limit(limiet)).all()
    session.rollback()  # end the read: every row below gets its own transaction
    for termijn_id in einde:
        uitkomst = _per_rij(session, lambda t=termijn_id: _vuur_einde(session, t, vandaag, diensten, nu))
        if uitkomst == "uitgevoerd":
            telling.overgangen += 1
        elif uitkomst == "niet_mogelijk":
            telling.niet_mogelijk += 1
    for termijn_id in herinneringen:
        if _per_rij(session, lambda t=termijn_id: _herinner(session, t, vandaag, diensten, nu)) == "uitgevoerd":
            telling.herinneringen += 1
    return telling


def _per_rij(session: Session, werk) -> str | None:
    try:
        uitkomst = werk()
        session.commit()
        return uitkomst
    except StaleDataError:
        session.rollback()  # a medewerker saved the same zaak meanwhile: the next sweep tries again
        return None
    except Exception:
        session.rollback()
        log.exception("Tijdgestuurde termijn niet verwerkt; de volgende sweep probeert het opnieuw")
        return None


def _vuur_einde(session: Session, termijn_id: int, vandaag: dt.date, diensten: Diensten | None,
                nu: dt.datetime) -> str | None:
    termijn = _claim(session, termijn_id, _einde_te_doen(vandaag))
    if termijn is None:
        return None
    zaak = session.get(Zaak, termijn.zaak_id, populate_existing=True)
    code = termijn.bij_einde
    try:
        pas_toe(session, SYSTEEM, zaak, code, diensten=diensten, nu=nu,
                toelichting=f"Termijn verstreken op {termijn.einddatum:%d-%m-%Y} ({termijn.bron})")
    except OvergangFout as fout:
        session.rollback()  # whatever the refused overgang did so far goes; only the note below stays
        termijn = _claim(session, termijn_id, _einde_te_doen(vandaag))
        if termijn is None:
            return None
        termijn.afgehandeld_op = nu
        termijn.afhandeling = f"Niet uitgevoerd: {code}. {fout.melding}"
        return "niet_mogelijk"
    termijn.afgehandeld_op = nu
    termijn.afhandeling = f"Uitgevoerd: {code}."
    return "uitgevoerd"


def _herinner(session: Session, termijn_id: int, vandaag: dt.date, diensten: Diensten | None,
              nu: dt.datetime) -> str | None:
    from .processes import zaaktype_van

    termijn = _claim(session, termijn_id, _herinnering_te_doen(vandaag))
    if termijn is None:
        return None
    zaak = session.get(Zaak, termijn.zaak_id, populate_existing=True)
    termijn.herinnerd_op = vandaag
    verklaring = zaaktype_van(zaak.zaaktype).termijnsoort(termijn.soort)
    if verklaring is None or verklaring.herinnering is None:
        return None  # the zaaktype no longer declares a reminder: nothing to send, and not again
    ctx = handeling_context(session, SYSTEEM, zaak, "herinnering_termijn", "Herinnering termijn",
                            diensten=diensten, nu=nu, vandaag=vandaag)
    ctx.resultaat["einddatum"] = termijn.einddatum
    for effect in verklaring.herinnering.effecten:
        effect.toepassen(ctx)
    return "uitgevoerd"
