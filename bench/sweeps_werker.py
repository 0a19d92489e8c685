"""One scheduler process for bench/sweeps_bench.py and tests/test_sweeps_processen.py: the production jobs of
app/scheduler.py (the same functions `keukentafel worker` hands to APScheduler, built the same way from the
settings in the environment), run back to back until nothing is due any more, instead of every 20 s or 15 min.

    python -m bench.sweeps_werker tijdgestuurd,termijnbewaking,mail,berichten

It prints ``KLAAR`` when it is set up (settings read, database engine, the local mail outbox server when
SMTP_HOST is empty) and waits for a line on stdin, so that several processes start their work at the same
moment; then it runs its jobs in rounds. After a round in which no job handled anything it asks the database
whether anything is still due (a row another process holds is still due until that process commits) and stops
when nothing is, or when 200 rounds in a row did nothing (something stays due that no sweep can do: reported).
Last line: JSON with what the jobs returned, added up, the rounds and the time the work ended (``time.time()``).
Nothing of the work is replaced: the only code here is the loop and the question "is anything still due".
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections import Counter

JOBS = ("tijdgestuurd", "termijnbewaking", "mail", "berichten")
MAX_LEGE_RONDES = 200


def _nog_te_doen(session, jobs: list[str]) -> list[str]:
    """The jobs that still have due rows, by the same conditions their sweeps select on."""
    from sqlalchemy import exists, select

    from domain.models import Bericht, MailBericht, Termijn, Voorziening, utcnow
    from domain.termijnbewaking import termijnen_gemeente
    from domain.tijd import vandaag
    from domain.tijdgestuurd import _einde_te_doen, _herinnering_te_doen

    dag, nu = vandaag(), utcnow()
    vragen = {
        "tijdgestuurd": [_einde_te_doen(dag), _herinnering_te_doen(dag)],
        "termijnbewaking": [
            (Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot.is_(None), Termijn.gewaarschuwd.is_(False),
             Termijn.einddatum <= dag + dt.timedelta(days=5), Termijn.soort.in_(termijnen_gemeente())),
            (Voorziening.herinnerd_op.is_(None), Voorziening.einddatum.is_not(None), Voorziening.einddatum >= dag,
             Voorziening.einddatum <= dag + dt.timedelta(weeks=8),
             Voorziening.status.in_(("gereserveerd", "besteld", "geleverd")))],
        "mail": [(MailBericht.status == "klaar", MailBericht.volgende_poging <= nu)],
        "berichten": [(Bericht.richting == "uit", Bericht.status == "klaar", Bericht.volgende_poging <= nu)],
    }
    uit = [job for job in jobs if any(session.scalar(select(exists().where(*v))) for v in vragen[job])]
    session.rollback()
    return uit


def main(argv: list[str]) -> int:
    from sqlalchemy.orm import sessionmaker

    from app import scheduler
    from app.config import Settings
    from app.db import make_engine

    jobs = [j for j in (argv[0] if argv else ",".join(JOBS)).split(",") if j]
    onbekend = set(jobs) - set(JOBS)
    if onbekend:
        print(f"Onbekende job: {', '.join(sorted(onbekend))}. Kies uit {', '.join(JOBS)}.", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    maker = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)  # as cmd_worker
    fabriek = {"tijdgestuurd": scheduler.tijdgestuurd_job, "termijnbewaking": scheduler.termijn_job,
               "mail": scheduler.mail_job, "berichten": scheduler.berichten_job}
    draai = [(job, fabriek[job](settings, maker)) for job in jobs]
    print("KLAAR", flush=True)
    sys.stdin.readline()

    telling: Counter[str] = Counter()
    rondes = lege = mislukt = 0
    blijft: list[str] = []
    while True:
        rondes += 1
        gedaan = 0
        for job, run in draai:
            uitkomst = run()
            if uitkomst is None:
                mislukt += 1
                continue
            for soort, n in uitkomst.items():
                telling[f"{job}.{soort}"] += n
                gedaan += n
        if gedaan:
            lege = 0
            continue
        with maker() as session:
            blijft = _nog_te_doen(session, jobs)
        lege += 1
        if not blijft or lege >= MAX_LEGE_RONDES:
            break
        time.sleep(0.02)  # another process holds the rows that are still due: wait for its commit
    eind = time.time()
    print(json.dumps({"telling": dict(telling), "rondes": rondes, "mislukt": mislukt, "blijft": blijft,
                      "eind": eind}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
