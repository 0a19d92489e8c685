"""Sweeps with one and with two scheduler processes on one PostgreSQL database: nothing twice, nothing missed, and
how many items per second.

    .venv/bin/python -m bench.sweeps_bench --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_sweeps --n 5000

Without ``--db``: ``$BENCH_SWEEPS_DATABASE_URL``, or the database kt_sweeps on 127.0.0.1 (as `make bench` runs it).

For 1 and then 2 processes: a new database (dropped and created again: `--db` is the bench's own) with the demo;
one unmeasured scheduler round clears what the demo left due; then bench/sweeps_opbouw.py prepares N due items per
sweep; then each sweep in turn (tijdgestuurd, termijnbewaking, mail, berichten) runs in that many real processes
at once (bench/sweeps_werker.py: the production jobs of app/scheduler.py in a loop until nothing is due), with the
local mail outbox (aiosmtpd on loopback, an .eml file per mail) and the berichten folder transport, one instance
folder per process. Afterwards the counts (bench/sweeps_opbouw.tel) and the throughput per sweep; the results
also go to bench/resultaten/sweeps.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as `python bench/sweeps_bench.py`

from bench.sweeps_opbouw import bereid_voor, tabel, tel
from bench.sweeps_werker import JOBS

HIER = Path(__file__).resolve().parent
RESULTATEN = HIER / "resultaten"
STANDAARD_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/kt_sweeps"


def omgeving(url: str, instantie: Path) -> dict[str, str]:
    """What `keukentafel worker` gets in development: no SMTP_HOST (the local mail outbox), the folder transport
    under the instance folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"SMTP_HOST", "KEUKENTAFEL_BERICHTEN_MAP"}}
    return {**env, "DATABASE_URL": url, "KEUKENTAFEL_ENV": "development", "KEUKENTAFEL_INSTANCE": str(instantie),
            "KEUKENTAFEL_LOG_LEVEL": "WARNING", "PYTHONPATH": str(HIER.parent)}


def nieuwe_database(url: str) -> None:
    from bench import nieuwe_database as _nieuw

    _nieuw(url, omgeving(url, RESULTATEN / "sweeps" / "demo"))


def draai(url: str, instanties: list[Path], jobs: str, *, timeout: float = 1800) -> dict:
    """Start one scheduler process per instance folder, let them begin at the same moment, wait for all.
    Returns the wall time (start signal to the last process done) and what each process reported."""
    processen = [subprocess.Popen([sys.executable, "-m", "bench.sweeps_werker", jobs], cwd=HIER.parent,
                                  env=omgeving(url, inst), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for inst in instanties]
    try:
        for p in processen:
            regel = p.stdout.readline().strip()
            if regel != "KLAAR":
                raise RuntimeError(f"scheduler-proces start niet: {regel} {p.stderr.read()[-3000:]}")
        begin = time.time()
        for p in processen:
            p.stdin.write("start\n")
            p.stdin.flush()
        uitkomsten = []
        for p in processen:
            uit, fout = p.communicate(timeout=timeout)
            if p.returncode != 0:
                raise RuntimeError(f"scheduler-proces faalde ({p.returncode}): {fout[-3000:]}")
            uitkomsten.append(json.loads(uit.strip().splitlines()[-1]))
    finally:
        for p in processen:
            if p.poll() is None:
                p.kill()
                p.wait(10)
    return {"seconden": max(u["eind"] for u in uitkomsten) - begin, "processen": uitkomsten}


def items(uitkomst: dict) -> int:
    return sum(uitkomst["telling"].values())


def run(url: str, processen: int, aantallen: dict[str, int]) -> dict:
    print(f"\n== {processen} scheduler-proces{'sen' if processen > 1 else ''} ==", flush=True)
    basis = RESULTATEN / "sweeps" / f"{processen}-processen"
    shutil.rmtree(basis, ignore_errors=True)
    nieuwe_database(url)
    draai(url, [basis / "opruimen"], ",".join(JOBS))  # what the demo left due: not part of the measurement
    merk = f"S{processen}"
    begin = time.perf_counter()
    bereid_voor(url, merk, **aantallen)
    print(f"Klaargezet in {time.perf_counter() - begin:.1f} s: {aantallen}", flush=True)
    instanties = [basis / f"proces-{k}" for k in range(1, processen + 1)]
    fasen = {}
    for job in JOBS:
        gemeten = draai(url, instanties, job)
        per_proces = [items(u) for u in gemeten["processen"]]
        totaal = sum(per_proces)
        fasen[job] = {"items": totaal, "per_proces": per_proces, "seconden": gemeten["seconden"],
                      "per_seconde": totaal / gemeten["seconden"] if gemeten["seconden"] else 0.0,
                      "blijft": sorted({b for u in gemeten["processen"] for b in u["blijft"]}),
                      "rondes": [u["rondes"] for u in gemeten["processen"]]}
        print(f"  {job:16} {totaal:>6} items in {gemeten['seconden']:6.1f} s = {fasen[job]['per_seconde']:7.1f}/s"
              f"  (per proces {' + '.join(map(str, per_proces))})", flush=True)
    regels = tel(url, merk, instanties)
    print(tabel(regels), flush=True)
    return {"processen": processen, "fasen": fasen, "telling": [r.__dict__ | {"goed": r.goed} for r in regels],
            "goed": all(r.goed for r in regels)}


def samenvatting(uitkomsten: list[dict]) -> str:
    een, twee = uitkomsten
    regels = [f"{'sweep':16} {'items':>6} {'1 proces':>10} {'2 processen':>12} {'verhouding':>10}"]
    for job in JOBS:
        a, b = een["fasen"][job], twee["fasen"][job]
        verhouding = b["per_seconde"] / a["per_seconde"] if a["per_seconde"] else 0.0
        regels.append(f"{job:16} {a['items']:>6} {a['per_seconde']:>8.1f}/s {b['per_seconde']:>10.1f}/s "
                      f"{verhouding:>9.2f}×")
    ta = sum(f["items"] for f in een["fasen"].values()) / sum(f["seconden"] for f in een["fasen"].values())
    tb = sum(f["items"] for f in twee["fasen"].values()) / sum(f["seconden"] for f in twee["fasen"].values())
    regels.append(f"{'samen':16} {sum(f['items'] for f in een['fasen'].values()):>6} {ta:>8.1f}/s {tb:>10.1f}/s "
                  f"{tb / ta:>9.2f}×")
    return "\n".join(regels)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_SWEEPS_DATABASE_URL", STANDAARD_DB),
                        help="PostgreSQL-URL van een database alleen voor deze bench (wordt opnieuw aangemaakt)")
    parser.add_argument("--n", type=int, default=5000, help="items per sweep (standaard 5000)")
    for soort in ("termijnen", "waarschuwingen", "voorzieningen", "mails", "berichten"):
        parser.add_argument(f"--{soort}", type=int, help=f"aantal {soort} (standaard --n)")
    args = parser.parse_args(argv)
    if not args.db.startswith("postgresql"):
        parser.error("--db moet een PostgreSQL-database zijn: SQLite heeft geen rijsloten (draai daar één worker)")
    aantallen = {s: getattr(args, s) if getattr(args, s) is not None else args.n
                 for s in ("termijnen", "waarschuwingen", "voorzieningen", "mails", "berichten")}
    RESULTATEN.mkdir(exist_ok=True)
    uitkomsten = [run(args.db, p, aantallen) for p in (1, 2)]
    print("\n" + samenvatting(uitkomsten))
    (RESULTATEN / "sweeps.json").write_text(json.dumps(uitkomsten, indent=1))
    goed = all(u["goed"] for u in uitkomsten)
    print("\nAlles precies één keer afgehandeld." if goed else "\nNIET alles precies één keer afgehandeld!")
    return 0 if goed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
