"""Where a page spends its time: every SQL statement of one request with its duration, slowest first, and the
EXPLAIN ANALYZE of the slowest. Run against a benchmark database (bench/datagen.py):

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/profiel.py \
        wmo /backoffice/werkvoorraad
The first argument is a demo user (a medewerker's user name, or `inwoner` for the portal's bench inwoner).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(wie: str, pad: str, uitleg: int = 1) -> int:
    from sqlalchemy import event, text

    from bench.laad_bench import omgeving

    os.environ.update(omgeving())
    os.environ["DIGID_STANDIN_PORT"] = "5095"
    from app import create_app
    from app.cli import start_standin
    from app.config import Settings
    from bench.laad_paginas import INWONER_BSN
    from tests.helpers import digid_inloggen, medewerker_inloggen

    settings = Settings.from_env()
    standin = start_standin(settings)
    app = create_app(settings)
    client = app.test_client()
    if wie == "inwoner":
        digid_inloggen(client, bsn=INWONER_BSN)
    else:
        medewerker_inloggen(client, wie)
    client.get(pad)  # warm: templates compiled, caches filled
    engine = app.extensions["db_engine"]
    regels: list[tuple[float, str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _voor(conn, cursor, statement, parameters, context, executemany):
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _na(conn, cursor, statement, parameters, context, executemany):
        regels.append(((time.perf_counter() - conn.info["t0"]) * 1000, statement, parameters))

    t0 = time.perf_counter()
    r = client.get(pad)
    totaal = (time.perf_counter() - t0) * 1000
    event.remove(engine, "before_cursor_execute", _voor)
    event.remove(engine, "after_cursor_execute", _na)
    sql_ms = sum(r[0] for r in regels)
    print(f"{pad}: {r.status_code}, {totaal:.1f} ms, {len(regels)} statements, {sql_ms:.1f} ms in SQL")
    for ms, stmt, params in sorted(regels, key=lambda r: -r[0])[:8]:
        print(f"  {ms:7.2f} ms  {' '.join(stmt.split())[:300]}  {str(params)[:120]}")
    with engine.connect() as conn:
        for ms, stmt, params in sorted(regels, key=lambda r: -r[0])[:uitleg]:
            if stmt.lstrip().upper().startswith("SELECT"):
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + stmt, params).all()
                print("\n".join(r[0] for r in plan))
            conn.execute(text("SELECT 1"))
    standin.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1))
