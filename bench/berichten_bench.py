"""Benchmark: 10.000 inkomende WMO305-berichten (start zorg) via de map-transport op PostgreSQL.

Twee fasen, elk op een vers opgebouwde database (demo + N toewijzingen) en N berichtbestanden in ``in/``:

1. doorlopend: de echte inbox-sweep (``verwerk_inbox``, zoals de scheduler hem draait) tot de map leeg is;
   wandkloktijd en berichten per seconde.
2. kill halverwege: de sweep draait in een kindproces, dat halverwege met SIGKILL wordt afgeschoten; daarna
   verwerkt een nieuw proces de rest. Tot slot controleren we in de database: niets kwijt, niets dubbel.

Eis uit het issue: 10.000 berichten in minder dan 60 seconden.

Run: ``.venv/bin/python bench/berichten_bench.py`` (PostgreSQL nodig; ``BENCH_DATABASE_URL``, standaard
``postgresql+psycopg://postgres@127.0.0.1:5432/kt_bench``; ``BENCH_N`` berichten, standaard 10000).
De database ``kt_bench`` wordt zo nodig aangemaakt en het schema ``public`` wordt elke fase leeggemaakt.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from berichten_controles import controleer, druk_controles, tel_inkomend
from berichten_opbouw import bouw_op, maker, settings

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kt_bench")
N = int(os.environ.get("BENCH_N", "10000"))
# Standaard: de instellingen van verwerk_inbox zelf, zoals de scheduler hem aanroept.
BATCH = int(os.environ.get("BENCH_BATCH", "0")) or None
DOEL_SECONDEN = 60.0


# ------------------------------------------------------------------------------------------------------------
# De sweep (zoals app/scheduler.py: berichten_job)


def sweep_tot_leeg(url: str, map_: Path, batch: int | None = BATCH) -> dict:
    """Roep de echte inbox-sweep aan tot in/ leeg is. Geeft tellingen, rondes en tijd."""
    from app.diensten import diensten_uit
    from integrations.istandaarden.transport import MapTransport, verwerk_inbox

    maak = maker(url)
    transport = MapTransport(map_)
    diensten = diensten_uit(settings(url))
    totaal = {"verwerkt": 0, "afgekeurd": 0, "dubbel": 0, "fout": 0}
    rondes = 0
    t0 = time.perf_counter()
    while True:
        telling = verwerk_inbox(maak, transport, diensten=diensten, **({"batch": batch} if batch else {}))
        rondes += 1
        for k, v in telling.items():
            totaal[k] = totaal.get(k, 0) + v
        if not any(telling.values()):
            break
        if telling["fout"] and not (telling["verwerkt"] or telling["afgekeurd"] or telling["dubbel"]):
            break  # alleen nog fouten: niet eindeloos herhalen
    duur = time.perf_counter() - t0
    maak.kw["bind"].dispose()
    return {"telling": totaal, "rondes": rondes, "seconden": duur}


def verstuur_tot_leeg(url: str, map_: Path) -> dict:
    """Roep de echte outbox-sweep aan tot er niets meer klaarstaat: de 306-antwoorden gaan de deur uit."""
    from integrations.istandaarden.transport import MapTransport, verstuur_berichten

    maak = maker(url)
    transport = MapTransport(map_)
    totaal, rondes = 0, 0
    t0 = time.perf_counter()
    while True:
        telling = verstuur_berichten(maak, transport)
        rondes += 1
        totaal += telling["verzonden"]
        if not telling["verzonden"]:
            break
    duur = time.perf_counter() - t0
    maak.kw["bind"].dispose()
    return {"verzonden": totaal, "rondes": rondes, "seconden": duur,
            "bestanden": sum(1 for p in (map_ / "uit").glob("WMO306-*.xml"))}


def worker(url: str, map_: Path) -> None:
    print(json.dumps(sweep_tot_leeg(url, map_)), flush=True)


# ------------------------------------------------------------------------------------------------------------
# Fasen


def fase_doorlopend(url: str, n: int) -> bool:
    print(f"\nFase 1 - doorlopend: {n} WMO305-berichten, inbox-sweep (batch {BATCH or 'standaard'}) tot de map "
          "leeg is")
    map_ = Path(tempfile.mkdtemp(prefix="kt-berichten-"))
    try:
        bouw_op(url, map_, n)
        r = sweep_tot_leeg(url, map_)
        snelheid = n / r["seconden"]
        print(f"  verwerkt in {r['seconden']:.1f} s ({snelheid:.0f} berichten/s, {r['rondes']} sweeps): "
              f"{r['telling']}")
        print(f"  {'OK  ' if r['seconden'] < DOEL_SECONDEN else 'FOUT'} onder {DOEL_SECONDEN:.0f} s "
              f"(eis uit het issue)")
        goed = druk_controles(controles := controleer(url, map_, n))
        v = verstuur_tot_leeg(url, map_)
        print(f"  outbox: {v['verzonden']} antwoorden verstuurd in {v['seconden']:.1f} s ({v['rondes']} sweeps), "
              f"{v['bestanden']} WMO306-bestanden in uit/")
        verstuurd_ok = v["bestanden"] >= n
        print(f"  {'OK  ' if verstuurd_ok else 'FOUT'} elk antwoord (306) als bestand verstuurd")
        return goed and verstuurd_ok and r["seconden"] < DOEL_SECONDEN and bool(controles)
    finally:
        shutil.rmtree(map_, ignore_errors=True)


def _start_worker(url: str, map_: Path) -> subprocess.Popen:
    env = dict(os.environ, BENCH_DATABASE_URL=url)
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(map_)],
                            env=env, stdout=subprocess.PIPE, text=True)


def fase_kill(url: str, n: int) -> bool:
    print(f"\nFase 2 - kill halverwege: sweep in een kindproces, SIGKILL na ~{n // 2} berichten, dan herstart")
    map_ = Path(tempfile.mkdtemp(prefix="kt-berichten-"))
    try:
        bouw_op(url, map_, n)
        t0 = time.perf_counter()
        kind = _start_worker(url, map_)
        geteld = 0
        while kind.poll() is None:
            geteld = tel_inkomend(url)
            if geteld >= n // 2:
                break
            time.sleep(0.05)
        # Somewhere after the half: mid-group, between commit and moving the files, or while moving them.
        time.sleep(random.uniform(0, 0.2))
        if kind.poll() is not None:
            print(f"  FOUT kindproces was al klaar (exitcode {kind.returncode}) voordat het gekild kon worden")
            return False
        os.kill(kind.pid, signal.SIGKILL)
        kind.wait()
        t_kill = time.perf_counter() - t0
        in_db = tel_inkomend(url)
        in_map = sum(1 for p in (map_ / "in").iterdir() if p.suffix == ".xml")
        verwerkt = sum(1 for p in (map_ / "verwerkt").iterdir() if p.suffix == ".xml")
        print(f"  SIGKILL na {t_kill:.1f} s (pid {kind.pid}, exitcode {kind.returncode}): {in_db} WMO305 in de "
              f"database, {verwerkt} in verwerkt/, {in_map} nog in in/")
        print(f"  (vastgelegd maar nog niet verplaatst: {in_db - verwerkt}; die herkent de herstart als dubbel)")

        t1 = time.perf_counter()
        herstart = _start_worker(url, map_)
        uitvoer, _ = herstart.communicate()
        t_herstart = time.perf_counter() - t1
        if herstart.returncode != 0:
            print(f"  FOUT herstart eindigde met exitcode {herstart.returncode}")
            return False
        r = json.loads(uitvoer.strip().splitlines()[-1])
        print(f"  herstart: {in_map} bestanden in {r['seconden']:.1f} s sweep ({t_herstart:.1f} s incl. opstarten), "
              f"{r['rondes']} sweeps: {r['telling']}")
        print(f"  totaal (kill + herstart) {t_kill + t_herstart:.1f} s")
        return druk_controles(controleer(url, map_, n))
    finally:
        shutil.rmtree(map_, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", metavar="MAP", help="(intern) sweep de map tot hij leeg is en druk JSON af")
    parser.add_argument("--fase", choices=("doorlopend", "kill", "beide"), default="beide")
    args = parser.parse_args()
    if args.worker:
        worker(URL, Path(args.worker))
        return
    import logging

    logging.basicConfig(level=logging.WARNING)
    print(f"Berichtenbench: {N} WMO305-berichten op {URL.split('@')[-1]}")
    goed = True
    if args.fase in ("doorlopend", "beide"):
        goed &= fase_doorlopend(URL, N)
    if args.fase in ("kill", "beide"):
        goed &= fase_kill(URL, N)
    print("\nUitslag:", "alles OK" if goed else "FOUT (zie hierboven)")
    sys.exit(0 if goed else 1)


if __name__ == "__main__":
    main()
