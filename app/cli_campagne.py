"""`keukentafel campagne ...`: briefcampagnes (domain.briefcampagne) from the command line, and the job that makes
the planned ones in the background.

    keukentafel campagne tel   --van 2027-01-01 --tot 2027-03-31 --gebruiker administratie
    keukentafel campagne start --van 2027-01-01 --tot 2027-03-31 --gebruiker administratie [--achtergrond]
    keukentafel campagne draai     # every planned campaign, now (what the worker does every few seconds)
    keukentafel campagne hervat 7  # a campaign cut off by a crash, without waiting for its heartbeat to go stale
    keukentafel campagne lijst

Wiring in app/cli.py: ``cli_campagne.add_parser(sub)``, and ``cli_campagne.plan_job(scheduler, ...)`` where
``serve`` and ``worker`` start the scheduler: the backoffice only plans a campaign (status gepland); the scheduler
of the serving process (embedded default) or of ``keukentafel worker`` (production) makes its letters.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

log = logging.getLogger(__name__)

INTERVAL_SECONDEN = 5  # how soon a campaign planned in the backoffice starts


def campagne_job(settings, sessionmaker, *, workers: int | None = None):
    from domain.campagne_uitvoering import verwerk_geplande

    from .diensten import diensten_uit

    diensten = diensten_uit(settings)

    def _run():
        session = sessionmaker()
        try:
            verwerk_geplande(session, diensten, workers=workers)
        except Exception:
            session.rollback()
            log.exception("Briefcampagne mislukt; de volgende ronde gaat verder waar deze stopte")
        finally:
            session.close()

    return _run


def plan_job(scheduler, settings, sessionmaker) -> None:
    """Add the campaign job to a running APScheduler (app.scheduler.start_scheduler's)."""
    scheduler.add_job(campagne_job(settings, sessionmaker), "interval", seconds=INTERVAL_SECONDEN,
                      id="briefcampagnes", max_instances=1, coalesce=True)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("campagne", help="briefcampagnes: een brief aan veel inwoners tegelijk",
                              description="Briefcampagnes, zoals herindicatie: een brief aan iedere inwoner van "
                                          "wie de ondersteuning stopt in een periode.")
    acties = p.add_subparsers(dest="actie", required=True)
    for naam, hulp in (("tel", "tellen hoeveel brieven een campagne maakt"),
                       ("start", "een campagne starten (en maken, of met --achtergrond door de worker laten maken)")):
        a = acties.add_parser(naam, help=hulp)
        a.add_argument("--soort", default="herindicatie", help="soort campagne (nu alleen: herindicatie)")
        a.add_argument("--van", required=True, type=dt.date.fromisoformat, help="eerste einddatum, JJJJ-MM-DD")
        a.add_argument("--tot", required=True, type=dt.date.fromisoformat, help="laatste einddatum, JJJJ-MM-DD")
        a.add_argument("--gebruiker", required=True, help="gebruikersnaam van de medewerker (administratie of teamleider)")
        if naam == "start":
            a.add_argument("--achtergrond", action="store_true", help="alleen plannen; de worker maakt de brieven")
            a.add_argument("--workers", type=int, default=None, help="processen die PDF's maken (standaard: elke kern)")
    a = acties.add_parser("draai", help="alle geplande campagnes nu maken")
    a.add_argument("--workers", type=int, default=None)
    a = acties.add_parser("hervat", help="een afgebroken campagne verder maken")
    a.add_argument("id", type=int)
    a.add_argument("--workers", type=int, default=None)
    acties.add_parser("lijst", help="de laatste campagnes met hun voortgang")
    p.set_defaults(func=campagne_command)
    return p


def _session():
    from sqlalchemy.orm import sessionmaker

    from .cli import _settings
    from .db import make_engine

    settings = _settings()
    return settings, sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)()


def _actor(session, gebruikersnaam: str):
    from sqlalchemy import select

    from domain.campagne_uitvoering import actor_van
    from domain.models import Medewerker

    m = session.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    return actor_van(session, m.id) if m is not None else None


def _meld(campagne) -> None:
    from domain.briefcampagne import voortgang

    print(f"  {voortgang(campagne)}", flush=True)


def campagne_command(args: argparse.Namespace) -> int:
    from domain import authz
    from domain.briefcampagne import SOORTEN, plan_campagne, tel_brieven, uitkomst, voortgang
    from domain.campagne_uitvoering import claim, verwerk_geplande, voer_uit
    from domain.models import Briefcampagne
    from domain.teksten import aantal
    from domain.workflow import OvergangFout

    from .diensten import diensten_uit

    settings, session = _session()
    try:
        if args.actie == "lijst":
            from sqlalchemy import select

            for c in session.scalars(select(Briefcampagne).order_by(Briefcampagne.id.desc()).limit(20)):
                print(f"{c.id:>5}  {c.soort:<13} {c.van} t/m {c.tot}  {c.status:<9} {voortgang(c)}")
            return 0
        if args.actie == "draai":
            print(f"{verwerk_geplande(session, diensten_uit(settings), workers=args.workers)} campagne(s) afgerond.")
            return 0
        if args.actie == "hervat":
            campagne = claim(session, args.id, ook_bezig=True)
            if campagne is None:
                print(f"Campagne {args.id} bestaat niet of is al afgerond.", file=sys.stderr)
                return 2
            voer_uit(session, campagne, diensten_uit(settings), workers=args.workers, bij_batch=_meld)
            print(uitkomst(campagne))
            return 0
        if args.soort not in SOORTEN:
            print(f"Onbekende soort '{args.soort}'. Kies uit: {', '.join(SOORTEN)}.", file=sys.stderr)
            return 2
        actor = _actor(session, args.gebruiker)
        if actor is None:
            print(f"Geen medewerker '{args.gebruiker}'.", file=sys.stderr)
            return 2
        if args.actie == "tel":
            n = tel_brieven(session, actor, args.soort, args.van, args.tot)
            print(f"Er {'komt' if n == 1 else 'komen'} {aantal(n, 'brief', 'brieven')}.")
            return 0
        campagne = plan_campagne(session, actor, args.soort, args.van, args.tot)
        if args.achtergrond:
            print(f"Campagne {campagne.id} gepland: {aantal(campagne.totaal, 'brief', 'brieven')}. De worker maakt ze.")
            return 0
        if claim(session, campagne.id) is None:
            print(f"Campagne {campagne.id} is al door de worker opgepakt.")
            return 0
        print(f"Campagne {campagne.id}: {aantal(campagne.totaal, 'brief', 'brieven')} maken...", flush=True)
        voer_uit(session, campagne, diensten_uit(settings), workers=args.workers, bij_batch=_meld)
        print(uitkomst(campagne))
        return 0
    except authz.Geweigerd:
        print("Alleen administratie of een teamleider start een briefcampagne.", file=sys.stderr)
        return 2
    except OvergangFout as fout:
        print(fout.melding, file=sys.stderr)
        return 2
    finally:
        session.close()
