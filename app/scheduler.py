"""Periodic work as idempotent sweeps over the database, triggered by APScheduler.

The database, not the scheduler's memory, is the source of truth: a sweep claims rows (FOR UPDATE SKIP LOCKED on
PostgreSQL), so any number of instances may run it. The embedded default runs the scheduler inside
`keukentafel serve`; production runs `keukentafel worker` next to the gunicorn web processes. Each job returns
what it did (a dict of counts, None when it failed and logged why); APScheduler ignores that, bench/sweeps_werker.py
runs the same jobs in a loop and counts with it.
"""
from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from .config import INSTANCE, Settings

log = logging.getLogger(__name__)


def mail_job(settings: Settings, sessionmaker):
    from integrations.mail import transport_uit_instellingen, verstuur_klaarstaande

    transport = transport_uit_instellingen(settings.smtp, INSTANCE / "mail")

    def _run():
        try:
            telling = verstuur_klaarstaande(sessionmaker, transport)
            if any(telling.values()):
                log.info("Mail-outbox: %s", telling)
            return telling
        except Exception:
            log.exception("Mail-outbox sweep mislukt; volgende keer opnieuw")
            return None

    return _run


def termijn_job(settings: Settings, sessionmaker):
    """Daily-ish sweeps of termijnbewaking: warnings before terms pass, reminders before voorzieningen end."""
    from domain import tijd
    from domain.termijnbewaking import herinner_einde_voorzieningen, waarschuw_termijnen
    from domain.termijnstand import leg_stand_vast

    from .diensten import diensten_uit

    def _run():
        session = sessionmaker()
        try:
            gewaarschuwd = waarschuw_termijnen(session, tijd.vandaag())
            herinnerd = herinner_einde_voorzieningen(session, tijd.vandaag(), diensten_uit(settings))
            leg_stand_vast(session, tijd.vandaag())  # the teamleider's trend: today's stand, once a day
            if gewaarschuwd or herinnerd:
                log.info("Termijnbewaking: %s waarschuwingen, %s herinneringen", gewaarschuwd, herinnerd)
            return {"waarschuwingen": gewaarschuwd, "herinneringen": herinnerd}
        except Exception:
            session.rollback()
            log.exception("Termijnbewaking-sweep mislukt; volgende keer opnieuw")
            return None
        finally:
            session.close()

    return _run


def tijdgestuurd_job(settings: Settings, sessionmaker):
    """Time-driven terms: the overgang a zaaktype fires when a term has passed, and reminders before it ends."""
    from domain import tijd
    from domain.tijdgestuurd import verwerk_termijnen

    from .diensten import diensten_uit

    diensten = diensten_uit(settings)

    def _run():
        session = sessionmaker()
        try:
            telling = verwerk_termijnen(session, tijd.vandaag(), diensten=diensten)
            if telling:
                log.info("Tijdgestuurde termijnen: %s", telling)
            return {"overgangen": telling.overgangen, "niet_mogelijk": telling.niet_mogelijk,
                    "herinneringen": telling.herinneringen}
        except Exception:
            session.rollback()
            log.exception("Tijdgestuurde termijnen-sweep mislukt; volgende keer opnieuw")
            return None
        finally:
            session.close()

    return _run


def beveiligde_mail_job(settings: Settings, sessionmaker):
    """Secure e-mail: links that expired unopened, and accesses whose time after the SMS code ran out."""
    from domain.beveiligde_mail import verloop_zendingen

    def _run():
        session = sessionmaker()
        try:
            telling = verloop_zendingen(session)
            if any(telling.values()):
                log.info("Beveiligde e-mail: %s", telling)
            return telling
        except Exception:
            session.rollback()
            log.exception("Beveiligde-e-mail-sweep mislukt; volgende keer opnieuw")
            return None
        finally:
            session.close()

    return _run


def berichten_job(settings: Settings, sessionmaker):
    """Berichtenverkeer (iWmo/iJw): process received messages, then send the queued ones (folder transport)."""
    from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_inbox

    from .cli_berichten import berichten_map
    from .diensten import diensten_uit

    transport = MapTransport(berichten_map())
    diensten = diensten_uit(settings)

    def _run():
        try:
            binnen = verwerk_inbox(sessionmaker, transport, diensten=diensten)
            uit = verstuur_berichten(sessionmaker, transport)
            if any(binnen.values()) or any(uit.values()):
                log.info("Berichtenverkeer: ontvangen %s, verzonden %s", binnen, uit)
            return {**{f"ontvangen_{k}": v for k, v in binnen.items()}, **uit}
        except Exception:
            log.exception("Berichtenverkeer-sweep mislukt; volgende keer opnieuw")
            return None

    return _run


def verwijsindex_job(settings: Settings, sessionmaker):
    """Daily-ish: end Verwijsindex signals after their legal term, fetch matches that arrived for the active ones."""
    from domain import tijd
    from domain.verwijsindex import verwerk_verwijsindex
    from integrations.verwijsindex import get_verwijsindex

    def _run():
        session = sessionmaker()
        try:
            telling = verwerk_verwijsindex(session, tijd.vandaag(), client=get_verwijsindex())
            if telling:
                log.info("Verwijsindex: %s beëindigd, %s nieuwe matches", telling.beeindigd, telling.matches)
            return {"beeindigd": telling.beeindigd, "matches": telling.matches}
        except Exception:
            session.rollback()
            log.exception("Verwijsindex-sweep mislukt; volgende keer opnieuw")
            return None
        finally:
            session.close()

    return _run


def start_scheduler(settings: Settings, sessionmaker, *, interval_seconden: int = 20) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="Europe/Amsterdam")
    scheduler.add_job(mail_job(settings, sessionmaker), "interval", seconds=interval_seconden, id="mail-outbox",
                      max_instances=1, coalesce=True)
    scheduler.add_job(termijn_job(settings, sessionmaker), "interval", minutes=15, id="termijnbewaking",
                      max_instances=1, coalesce=True)
    scheduler.add_job(tijdgestuurd_job(settings, sessionmaker), "interval", minutes=15, id="tijdgestuurd",
                      max_instances=1, coalesce=True)
    scheduler.add_job(verwijsindex_job(settings, sessionmaker), "interval", hours=1, id="verwijsindex",
                      max_instances=1, coalesce=True)
    scheduler.add_job(beveiligde_mail_job(settings, sessionmaker), "interval", minutes=5, id="beveiligde-mail",
                      max_instances=1, coalesce=True)
    scheduler.add_job(berichten_job(settings, sessionmaker), "interval", seconds=interval_seconden,
                      id="berichtenverkeer", max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler
