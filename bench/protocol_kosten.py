"""What the protocol row of a read costs: one INSERT into audit_log and its COMMIT, as every page with personal
data does before it answers, against a bare SELECT 1 on the same connection (the floor), on PostgreSQL.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/protocol_kosten.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
N = int(os.environ.get("BENCH_HERHALINGEN", "2000"))


def main() -> int:
    from sqlalchemy import select, text
    from sqlalchemy.orm import sessionmaker

    from app.db import make_engine
    from domain.actor import SYSTEEM
    from domain.models import Inwoner
    from domain.protocol import Handeling, protocolleer

    engine = make_engine(URL)
    maker = sessionmaker(bind=engine)
    with maker() as s:
        inwoner_id = s.scalar(select(Inwoner.id).limit(1))
    vloer, protocol = [], []
    with maker() as s:
        for _ in range(N):  # interleaved, so both see the same machine
            t0 = time.perf_counter()
            s.execute(text("SELECT 1")).scalar()
            s.commit()
            vloer.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            protocolleer(s, SYSTEEM, handeling=Handeling.LEZEN, object_type="zaak", object_id=1,
                         omschrijving="Benchmark", doel="Benchmark", inwoner_id=inwoner_id)
            s.commit()
            protocol.append(time.perf_counter() - t0)
    v, p = statistics.median(vloer) * 1000, statistics.median(protocol) * 1000
    print(f"SELECT 1 + commit: mediaan {v:.2f} ms; protocolregel + commit: mediaan {p:.2f} ms ({p / v:.1f}×), "
          f"{N} keer, {engine.dialect.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
