"""Load benchmark: every main page of both faces against the floor, from 10.000 to 5.000.000 zaken, on PostgreSQL.

    .venv/bin/python bench/laad_bench.py                      # 10.000, 500.000 and 5.000.000 zaken (about an hour)
    BENCH_GROOTTES=10000,200000 BENCH_DUUR=5 .venv/bin/python bench/laad_bench.py   # a quick look

Why wrk: it is a C load generator that keeps 20 connections busy at a fixed concurrency with little CPU of its own
(on two cores the load generator competes with the server, so a Python one like locust would measure itself), it
reports the latency distribution, and a Lua hook prints p95. oha would do too but is not in Debian.

What it does: (re)creates the database BENCH_DATABASE_URL (default: database `bench` on 127.0.0.1), migrates it,
loads the demo, then for each size grows the data with bench/datagen.py, starts gunicorn with 2 sync workers
serving the application and the floor (bench/vloer: a bare Flask + Jinja + SQLAlchemy page of the same layout
doing one SELECT 1), logs in as the demo users (the portal through the DigiD stand-in, over OIDC), and measures
floor, page, floor, page, … interleaved, BENCH_DUUR seconds each with 20 connections, draining the server's queue
between runs. A page's figure is its p95 divided by the mean p95 of the floor runs just before and after it.
Results: a table per size, the summary table for the README, bench/resultaten/laad.json and laad.png.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER.parent))

from bench import datagen  # noqa: E402
from bench.laad_paginas import inloggen, pagina_urls  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
GROOTTES = [int(g) for g in os.environ.get("BENCH_GROOTTES", "10000,500000,5000000").split(",")]
DUUR = int(os.environ.get("BENCH_DUUR", "10"))
VERBINDINGEN = int(os.environ.get("BENCH_VERBINDINGEN", "20"))
POORT = int(os.environ.get("BENCH_POORT", "5090"))
STANDIN_POORT = POORT + 1
RESULTATEN = HIER / "resultaten"
# Measure only these pages (names, comma-separated), and merge into the existing results instead of replacing
# them: to re-measure a page after a fix without the whole hour.
ALLEEN = [p.strip() for p in os.environ.get("BENCH_PAGINAS", "").split(",") if p.strip()]
BIJ = os.environ.get("BENCH_BIJ") == "1"


def omgeving() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": URL, "KEUKENTAFEL_ENV": "development", "KEUKENTAFEL_HTTPS": "0",
            "DIGID_STANDIN": "1", "DIGID_STANDIN_PORT": str(STANDIN_POORT), "KEUKENTAFEL_PORT": str(POORT),
            "KEUKENTAFEL_BASE_URL": f"http://127.0.0.1:{POORT}", "PYTHONPATH": str(HIER.parent),
            "KEUKENTAFEL_LOG_LEVEL": "WARNING"}


def nieuwe_database() -> None:
    from bench import nieuwe_database as _nieuw

    _nieuw(URL, omgeving())


def start_server() -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proces = subprocess.Popen([gunicorn, "-w", "2", "-b", f"127.0.0.1:{POORT}", "--backlog", "2048",
                               "bench.vloer.wsgi:app"], env=omgeving(), cwd=HIER.parent,
                              stdout=subprocess.DEVNULL, stderr=open(RESULTATEN / "gunicorn.log", "a"))
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{POORT}/vloer/", timeout=2).status_code == 200:
                return proces
        except requests.RequestException:  # not listening yet, or a worker still importing
            time.sleep(0.2)
    raise RuntimeError("gunicorn start niet; zie bench/resultaten/gunicorn.log")


def leeg_wachtrij(cookie: str = "") -> None:
    """Wait until the server has worked off what the last run left queued: three quick answers in a row."""
    snel = 0
    einde = time.monotonic() + 30
    while snel < 3 and time.monotonic() < einde:
        t0 = time.perf_counter()
        requests.get(f"http://127.0.0.1:{POORT}/gezondheid", timeout=30)
        snel = snel + 1 if time.perf_counter() - t0 < 0.05 else 0
    time.sleep(0.5)


def wrk(pad: str, cookie: str = "", duur: int | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{VERBINDINGEN}", f"-d{duur or DUUR}s", "--timeout", "30s", "-s", str(HIER / "wrk_p95.lua")]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    uit = subprocess.run([*cmd, f"http://127.0.0.1:{POORT}{pad}"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULTAAT (.*)", uit)
    waarden = dict(kv.split("=") for kv in m.group(1).split())
    leeg_wachtrij()
    return {k: int(v) for k, v in waarden.items()}


def meet_grootte(grootte: int) -> list[dict]:
    server = start_server()
    try:
        cookies = inloggen(POORT)
        urls = [u for u in pagina_urls(URL, cookies) if not ALLEEN or u[0] in ALLEEN]
        rijen = []
        wrk("/vloer/", duur=2)  # warm-up
        vorige = wrk("/vloer/")
        for naam, wie, pad in urls:
            for _ in range(2):  # the second look counts: a first one may fill a stand or cache once
                r = requests.get(f"http://127.0.0.1:{POORT}{pad}", headers={"Cookie": cookies[wie]}, timeout=120,
                                 allow_redirects=False)
            if r.status_code != 200:
                print(f"  {naam:<40} OVERGESLAGEN: {pad} gaf {r.status_code}", flush=True)
                continue
            queries = int(r.headers.get("X-Bench-Queries", "-1"))
            wrk(pad, cookies[wie], duur=2)  # warm-up, not counted
            pagina = wrk(pad, cookies[wie])
            na = wrk("/vloer/")
            vloer = statistics.mean([vorige["p95"], na["p95"]])  # the floor just before and just after
            vorige = na
            fouten = pagina["non2xx"] + pagina["fouten"]
            rij = {"pagina": naam, "grootte": grootte, "queries": queries, "p95_ms": pagina["p95"] / 1000,
                   "vloer_p95_ms": vloer / 1000, "verhouding": pagina["p95"] / vloer, "fouten": fouten,
                   "verzoeken": pagina["verzoeken"], "duur_s": DUUR}
            print(f"  {naam:<40} p95 {rij['p95_ms']:7.1f} ms  vloer {rij['vloer_p95_ms']:6.1f} ms  "
                  f"{rij['verhouding']:5.2f}×  {queries:>3} queries  {fouten} fouten", flush=True)
            rijen.append(rij)
        return rijen
    finally:
        server.terminate()
        server.wait(timeout=30)


def _volgorde(resultaten: list[dict]) -> list[str]:
    """The pages in the order of the list in bench/laad_paginas.py, then any others."""
    from bench.laad_paginas import paginas

    namen = [n for n, _, _ in paginas(inwoner=0, zaak=0, bericht=0)]
    gemeten = {r["pagina"] for r in resultaten}
    return [n for n in namen if n in gemeten] + sorted(gemeten - set(namen))


def samenvatting(resultaten: list[dict]) -> str:
    groottes = sorted({r["grootte"] for r in resultaten})
    kop = ["Pagina", *[f"p95 ÷ vloer bij {datagen._nl(g)} zaken" for g in groottes]]
    if len(groottes) > 1:
        kop.append(f"{datagen._nl(groottes[-1])} ÷ {datagen._nl(groottes[0])}")
    from bench.laad_paginas import PLICHTEN

    # Each page against the floor with its obligations too (session check, protocol row), at the largest size.
    plichten = next((r for r in resultaten if r["pagina"] == PLICHTEN and r["grootte"] == groottes[-1]), None)
    if plichten:
        kop.append(f"÷ vloer met plichten bij {datagen._nl(groottes[-1])}")
    kop.append("queries")
    regels = ["| " + " | ".join(kop) + " |", "|" + "---|" * len(kop)]
    for naam in _volgorde(resultaten):
        per = {r["grootte"]: r for r in resultaten if r["pagina"] == naam}
        cellen = [naam, *[f"{per[g]['verhouding']:.2f}×".replace(".", ",") if g in per else "–" for g in groottes]]
        if len(groottes) > 1:
            cellen.append(f"{per[groottes[-1]]['verhouding'] / per[groottes[0]]['verhouding']:.2f}×".replace(".", ",")
                          if groottes[0] in per and groottes[-1] in per else "–")
        if plichten:
            cellen.append(f"{per[groottes[-1]]['p95_ms'] / plichten['p95_ms']:.2f}×".replace(".", ",")
                          if groottes[-1] in per and naam != PLICHTEN else "–")
        cellen.append(" / ".join(str(per[g]["queries"]) for g in groottes if g in per))
        regels.append("| " + " | ".join(cellen) + " |")
    return "\n".join(regels)


def plot(resultaten: list[dict], pad: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    for i, naam in enumerate(_volgorde(resultaten)):
        punten = sorted((r["grootte"], r["verhouding"]) for r in resultaten if r["pagina"] == naam)
        ax.plot([p[0] for p in punten], [p[1] for p in punten], marker="osD^v"[i % 5], color=plt.cm.tab20(i % 20),
                label=naam)
    ax.axhline(2.0, color="grey", linestyle="--", linewidth=1, label="doel: 2× de vloer")
    ax.set_xscale("log")
    ax.set_xlabel("zaken in de database")
    ax.set_ylabel("p95 ÷ p95 van de vloer (zelfde run)")
    ax.set_title("Keukentafel op PostgreSQL: p95 per pagina tegen de hoeveelheid data")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, loc="upper left", ncol=2)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(pad)


def main() -> int:
    RESULTATEN.mkdir(exist_ok=True)
    if os.environ.get("BENCH_HERGEBRUIK") != "1":
        print(f"Nieuwe database {URL.rsplit('/', 1)[1]} met de demo …", flush=True)
        nieuwe_database()
    os.environ.update(omgeving())
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from app.cli import start_standin
    from app.config import Settings

    standin = start_standin(Settings.from_env())  # the DigiD stand-in the portal logs in through, in this process
    bestand = RESULTATEN / "laad.json"
    resultaten = json.loads(bestand.read_text()) if BIJ and bestand.exists() else []
    for grootte in GROOTTES:
        print(f"Data groeien tot {datagen._nl(grootte)} zaken …", flush=True)
        datagen.groei(URL, grootte)
        print(f"Meten bij {datagen._nl(grootte)} zaken ({DUUR} s per run, {VERBINDINGEN} verbindingen):", flush=True)
        nieuw = meet_grootte(grootte)
        gemeten = {(r["pagina"], r["grootte"]) for r in nieuw}
        resultaten = [r for r in resultaten if (r["pagina"], r["grootte"]) not in gemeten] + nieuw
        bestand.write_text(json.dumps(resultaten, indent=1))
    print()
    print(samenvatting(resultaten))
    plot(resultaten, RESULTATEN / "laad.png")
    print(f"\nGrafiek: {(RESULTATEN / 'laad.png').relative_to(HIER.parent)}")
    standin.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
