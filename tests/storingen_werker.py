"""A worker process for tests/test_storingen.py: runs real work (a `keukentafel` command, or the time-driven terms
sweep the worker runs) in a process of its own, so the test can SIGKILL or SIGSTOP it at a point it controls.

    python -m tests.storingen_werker [--pauze-bij-commit N] cli mail versturen
    python -m tests.storingen_werker [--pauze-bij-commit N] termijnen DAGEN

``--pauze-bij-commit N`` stops the process just before its N-th database COMMIT: a SQLAlchemy "commit" event on
every Engine, which fires after every statement of the transaction went to the database and before the COMMIT
does, the latest moment at which a crash must leave nothing behind. It prints ``PAUZE`` and sleeps. Nothing of the
application is replaced: the configuration comes from the environment, as for `keukentafel worker`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _pauzeer_bij_commit(n: int) -> None:
    teller = [0]

    @event.listens_for(Engine, "commit")
    def _pauze(conn) -> None:
        teller[0] += 1
        if teller[0] == n:
            print("PAUZE", flush=True)
            time.sleep(600)


def _termijnen(dagen: int) -> int:
    from sqlalchemy.orm import sessionmaker

    from app.config import Settings
    from app.db import make_engine
    from app.diensten import diensten_uit
    from domain.tijd import vandaag
    from domain.tijdgestuurd import verwerk_termijnen

    settings = Settings.from_env()
    session = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)()
    telling = verwerk_termijnen(session, vandaag() + dt.timedelta(days=dagen), diensten=diensten_uit(settings))
    print(f"KLAAR {telling}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pauze-bij-commit", type=int)
    parser.add_argument("wat", choices=["cli", "termijnen"])
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.pauze_bij_commit:
        _pauzeer_bij_commit(args.pauze_bij_commit)
    if args.wat == "termijnen":
        return _termijnen(int(args.rest[0]))
    from app.cli import main as keukentafel

    uitkomst = keukentafel(args.rest)
    print("KLAAR", flush=True)
    return uitkomst


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
