"""Benchmark: a briefcampagne (herindicatie) of N letters against bare WeasyPrint on the same HTML.

(a) bare: the campaign's own HTML of every letter, rendered one after the other in this process with
    ``integrations.documents.render.html_naar_pdf`` (after one warm-up render): the baseline, in the same run;
(b) campaign: ``domain.campagne_uitvoering.voer_uit`` with its process pool on every core (spawn, so the workers
    pay their own WeasyPrint import), storing every letter on its zaak with notification, protocol and
    campagnebrief in batches of 50.

CPU per document for (b) is this process's CPU plus that of the pool's workers (getrusage RUSAGE_CHILDREN, counted
once the pool is shut down), divided by N. The goal (issue 13, point 6): at most 1.5x bare per document, and a wall
clock below serial thanks to both cores.

Run: ``.venv/bin/python bench/brieven_bench.py [--n 200] [--workers N]`` (SQLite in a temp dir, or BENCH_DATABASE_URL).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VAN = dt.date(2040, 3, 1)


def _cpu_kinderen() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _maak_voorzieningen(db, n: int) -> None:
    """n zaken with a granted voorziening that ends in March 2040, spread over the demo's inwoners."""
    from sqlalchemy import select

    from domain.models import Besluit, Inwoner, Medewerker, Product, StatusHistorie, Team, Voorziening, Zaak

    team = db.scalar(select(Team).where(Team.code == "wmo"))
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    toetser = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toetser"))
    product = db.scalar(select(Product).where(Product.code == "WMO-HBH"))
    inwoners = db.scalars(select(Inwoner).order_by(Inwoner.id)).all()
    nu = dt.datetime.now(dt.UTC)
    for i in range(n):
        inwoner = inwoners[i % len(inwoners)]
        zaak = Zaak(identificatie=f"BENCH-{i:06d}", zaaktype="wmo", gemeente_id=inwoner.gemeente_id,
                    inwoner_id=inwoner.id, team_id=team.id, behandelaar_id=wim.id, status="besluit",
                    startdatum=dt.date(2039, 1, 1), uiterlijke_einddatum=dt.date(2039, 3, 1))
        zaak.historie.append(StatusHistorie(status="besluit"))
        db.add(zaak)
        db.flush()
        besluit = Besluit(zaak_id=zaak.id, besluittype="toekenning", onderbouwing="Bench.", wettelijke_grondslag="",
                          status="vastgesteld", auteur_id=wim.id, ondertekend_door_id=toetser.id, vastgesteld_op=nu,
                          verzenddatum=dt.date(2039, 2, 1))
        db.add(besluit)
        db.flush()
        db.add(Voorziening(besluit_id=besluit.id, zaak_id=zaak.id, inwoner_id=inwoner.id, product_id=product.id,
                           volume=3, eenheid=product.eenheid, frequentie=product.frequentie,
                           ingangsdatum=dt.date(2039, 3, 1), einddatum=VAN + dt.timedelta(days=i % 28),
                           leveringsvorm="zin", status="geleverd"))
    db.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=200, help="aantal brieven (standaard 200)")
    parser.add_argument("--workers", type=int, default=None, help="processen in de pool (standaard: elke kern)")
    args = parser.parse_args()

    from sqlalchemy import select

    from app.diensten import diensten_uit
    from bench import app_op
    from domain.briefcampagne import plan_campagne
    from domain.campagne_uitvoering import _bouw, actor_van, claim, nog_te_maken, voer_uit
    from domain.demo import laad_demo
    from domain.models import Briefcampagne, Medewerker, Voorziening
    from integrations.documents.render import html_naar_pdf

    settings, app = app_op()
    db = app.extensions["db_sessionmaker"]()
    diensten = diensten_uit(settings)
    laad_demo(db)  # gemeenten, teams, medewerkers, products, inwoners (no zaken: those are made here)
    _maak_voorzieningen(db, args.n)
    workers = args.workers or os.cpu_count() or 1
    print(f"{args.n} brieven, {workers} workers, {os.cpu_count()} kernen, database {settings.database_url.split(':', 1)[0]}")

    # (a) Bare WeasyPrint on the campaign's own HTML, built here and then thrown away.
    administratie = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "administratie"))
    actor = actor_van(db, administratie.id)
    proef = Briefcampagne(id=-1, soort="herindicatie", van=VAN, tot=VAN + dt.timedelta(days=30),
                          gemeente_ids=sorted(actor.gemeente_ids), klaar=0, mislukt=0, totaal=0)
    ids = list(db.scalars(nog_te_maken(db, proef)))
    assert len(ids) == args.n, (len(ids), args.n)
    nu = dt.datetime.now(dt.UTC)
    htmls = [_bouw(db, proef, actor, db.get(Voorziening, i), diensten, nu).html for i in ids]
    db.rollback()
    html_naar_pdf(htmls[0])  # warm-up: WeasyPrint's import, fonts
    cpu0, wand0 = time.process_time(), time.perf_counter()
    groottes = [len(html_naar_pdf(h)) for h in htmls]
    kaal_cpu, kaal_wand = time.process_time() - cpu0, time.perf_counter() - wand0

    # (b) The campaign, with its pool, storing everything.
    campagne = plan_campagne(db, actor, "herindicatie", VAN, VAN + dt.timedelta(days=30))
    claim(db, campagne.id)
    cpu0, kind0, wand0 = time.process_time(), _cpu_kinderen(), time.perf_counter()
    voer_uit(db, campagne, diensten, workers=workers)
    camp_wand = time.perf_counter() - wand0
    camp_ouder, camp_kind = time.process_time() - cpu0, _cpu_kinderen() - kind0
    assert campagne.klaar == args.n and campagne.mislukt == 0, (campagne.klaar, campagne.mislukt)
    db.close()

    n = args.n
    kaal_doc, camp_doc = kaal_cpu / n * 1000, (camp_ouder + camp_kind) / n * 1000
    print(f"PDF gemiddeld {sum(groottes) / n / 1024:.0f} KiB")
    print(f"(a) kaal WeasyPrint, serieel:  CPU {kaal_doc:6.1f} ms/brief, wandklok {kaal_wand / n * 1000:6.1f} ms/brief, "
          f"totaal {kaal_wand:6.1f} s")
    print(f"(b) campagne, pool {workers}:       CPU {camp_doc:6.1f} ms/brief (ouder {camp_ouder / n * 1000:.1f}, "
          f"workers {camp_kind / n * 1000:.1f}), wandklok {camp_wand / n * 1000:6.1f} ms/brief, totaal {camp_wand:6.1f} s")
    print(f"verhouding CPU per brief campagne / kaal: {camp_doc / kaal_doc:.2f}x (doel: hoogstens 1.5x)")
    print(f"versnelling wandklok door de pool: {kaal_wand / camp_wand:.2f}x")
    print(f"10.000 brieven: kaal serieel {kaal_wand / n * 10000 / 60:.0f} min, campagne {camp_wand / n * 10000 / 60:.0f} min")


if __name__ == "__main__":
    main()
