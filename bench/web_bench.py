"""Benchmark: backoffice werkvoorraad, zaak page and the portal's Mijn zaken with many zaken in the database.

Builds a throwaway SQLite database (or uses BENCH_DATABASE_URL), loads the demo, adds N extra zaken and measures
request latency through the WSGI app (no network). Run: `make bench` or `.venv/bin/python bench/web_bench.py`.
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N_ZAKEN = int(os.environ.get("BENCH_ZAKEN", "5000"))
HERHALINGEN = int(os.environ.get("BENCH_HERHALINGEN", "50"))


def main() -> None:
    from sqlalchemy import select

    from app.diensten import diensten_uit
    from bench import app_op
    from domain.demo import laad_demo
    from domain.models import Inwoner, Medewerker, StatusHistorie, Team, Zaak

    settings, app = app_op()
    app.config["RATELIMIT_ENABLED"] = False
    app.config["WTF_CSRF_ENABLED"] = False
    db = app.extensions["db_sessionmaker"]()
    laad_demo(db, diensten=diensten_uit(settings))
    team = db.scalar(select(Team).where(Team.code == "wmo"))
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    inwoners = db.scalars(select(Inwoner)).all()
    start = time.perf_counter()
    for i in range(N_ZAKEN):
        inwoner = inwoners[i % len(inwoners)]
        zaak = Zaak(identificatie=f"BENCH-{i:06d}", zaaktype="wmo", gemeente_id=inwoner.gemeente_id,
                    inwoner_id=inwoner.id, team_id=team.id, behandelaar_id=wim.id if i % 2 else None,
                    status="melding", startdatum=dt.date.today(),
                    uiterlijke_einddatum=dt.date.today() + dt.timedelta(days=i % 60 - 10))
        zaak.historie.append(StatusHistorie(status="melding"))
        db.add(zaak)
    db.commit()
    print(f"{N_ZAKEN} extra zaken aangemaakt in {time.perf_counter() - start:.1f} s ({settings.database_url.split(':', 1)[0]})")
    zaak_id = db.scalar(select(Zaak.id).where(Zaak.identificatie == "BENCH-000001"))
    db.close()

    client = app.test_client()
    r = client.post("/backoffice/inloggen", data={"gebruikersnaam": "wmo", "wachtwoord": "demo-keukentafel"})
    assert r.status_code == 302, r.status_code

    def meet(naam: str, pad: str) -> None:
        tijden = []
        for _ in range(HERHALINGEN):
            t0 = time.perf_counter()
            resp = client.get(pad)
            tijden.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, (pad, resp.status_code)
        tijden.sort()
        p95 = tijden[int(len(tijden) * 0.95) - 1]
        print(f"{naam:<42} mediaan {statistics.median(tijden):6.1f} ms   p95 {p95:6.1f} ms")

    meet("werkvoorraad team (eerste pagina)", "/backoffice/werkvoorraad?weergave=team")
    meet("werkvoorraad team (pagina ver weg)", "/backoffice/werkvoorraad?weergave=team&na=2026-12-31_4000")
    meet("mijn werkvoorraad", "/backoffice/werkvoorraad?weergave=mijn")
    meet("zaakpagina", f"/backoffice/zaken/{zaak_id}")

    from integrations.documents.render import render_pdf

    gemeente = {"naam": "Barendrecht", "code": "0489", "briefhoofd": {}}
    context = {"gemeente": gemeente, "inwoner": {"naam": "Test", "adres": ["Straat 1", "1234 AB Plaats"]},
               "zaak": {"identificatie": "0489-2026-000001"}, "datum": dt.date.today(), "besluit": "toekenning",
               "onderbouwing": "Omdat.", "voorzieningen": [{"omschrijving": "Hulp bij het huishouden", "volume": 3,
                                                             "eenheid": "uur", "frequentie": "per week"}],
               "wettelijke_grondslag": "artikel 2.3.5 Wmo 2015", "bezwaar_uiterlijk": dt.date.today(),
               "ondertekening": {"naam": "Tom Toetser", "functie": "Toetser"}}
    render_pdf("beschikking.html", context)
    tijden = []
    for _ in range(10):
        t0 = time.perf_counter()
        render_pdf("beschikking.html", context)
        tijden.append((time.perf_counter() - t0) * 1000)
    print(f"{'beschikking als PDF/A renderen':<42} mediaan {statistics.median(tijden):6.1f} ms")


if __name__ == "__main__":
    main()
