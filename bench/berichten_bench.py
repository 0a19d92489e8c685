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
import datetime as dt
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

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kt_bench")
N = int(os.environ.get("BENCH_N", "10000"))
# Standaard: de instellingen van verwerk_inbox zelf, zoals de scheduler hem aanroept.
BATCH = int(os.environ.get("BENCH_BATCH", "0")) or None
DOEL_SECONDEN = 60.0
NUMMER_START = 50_000_001  # ToewijzingNummer (max. 9 cijfers), ver boven wat de demo zelf uitdeelt
PREFIX = "BENCH-"


def _settings(url: str):
    from app.config import Settings

    return Settings(env="test", database_url=url, secret_key="b" * 40, https=False, base_url="http://localhost",
                    digid={"issuer": ""}, medewerker_oidc={"issuer": ""})


def _maker(url: str):
    from sqlalchemy.orm import sessionmaker

    from app.db import make_engine

    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


# ------------------------------------------------------------------------------------------------------------
# Opbouw


def maak_database(url: str) -> None:
    """Database aanmaken als die er nog niet is, schema public leeg opnieuw, migreren."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.migrate import upgrade

    doel = make_url(url)
    beheer = create_engine(doel.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": doel.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{doel.database}"'))
    beheer.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def bouw_op(url: str, map_: Path, n: int) -> None:
    """Demo laden, n zaken in levering met besluit, voorziening en toewijzing, en n WMO305-bestanden in in/."""
    from sqlalchemy import insert, select, text

    from app.diensten import diensten_uit
    from domain.berichtenverkeer import client_301, nieuwe_identificatie
    from domain.demo import laad_demo
    from domain.models import (
        Besluit,
        Gemeente,
        Inwoner,
        Medewerker,
        Product,
        StatusHistorie,
        Team,
        Toewijzing,
        Voorziening,
        Zaak,
        Zorgaanbieder,
    )
    from integrations.istandaarden import Header, bouw
    from integrations.istandaarden.transport import MapTransport

    t0 = time.perf_counter()
    maak_database(url)
    maker = _maker(url)
    with maker() as db:
        laad_demo(db, diensten=diensten_uit(_settings(url)))
        t_demo = time.perf_counter()
        team = db.scalar(select(Team).where(Team.code == "wmo"))
        wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
        toetser = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toetser"))
        inwoners = db.scalars(select(Inwoner).order_by(Inwoner.id)).all()
        gemeenten = {g.id: g for g in db.scalars(select(Gemeente))}
        producten = db.scalars(select(Product).where(Product.domein == "wmo").order_by(Product.id)).all()
        aanbieders = db.scalars(select(Zorgaanbieder).order_by(Zorgaanbieder.id)).all()
        nu = dt.datetime.now(dt.UTC)
        vandaag = dt.date.today()

        zaak_rijen = []
        for i in range(n):
            inwoner = inwoners[i % len(inwoners)]
            zaak_rijen.append(dict(
                identificatie=f"{PREFIX}{i:06d}", zaaktype="wmo", gemeente_id=inwoner.gemeente_id,
                inwoner_id=inwoner.id, team_id=team.id, behandelaar_id=wim.id, status="in_levering",
                omschrijving="Benchmark: ondersteuning besteld", startdatum=vandaag - dt.timedelta(days=30),
                aanvraagdatum=vandaag - dt.timedelta(days=30), afgesloten=False, aangemaakt=nu, versie=1))
        zaak_ids = list(db.scalars(insert(Zaak).returning(Zaak.id, sort_by_parameter_order=True), zaak_rijen))
        db.execute(insert(StatusHistorie), [
            dict(zaak_id=z, van_status="besluit", status="in_levering", overgang="bestellen", tijdstip=nu,
                 medewerker_id=wim.id, door_inwoner=False) for z in zaak_ids])
        besluit_ids = list(db.scalars(insert(Besluit).returning(Besluit.id, sort_by_parameter_order=True), [
            dict(zaak_id=z, besluittype="toekenning", onderbouwing="Benchmark.",
                 wettelijke_grondslag="artikel 2.3.5 Wmo 2015", status="vastgesteld", toetsing_vereist=False,
                 auteur_id=wim.id, goedgekeurd_door_id=toetser.id, ondertekend_door_id=toetser.id,
                 vastgesteld_op=nu, verzenddatum=vandaag, aangemaakt=nu) for z in zaak_ids]))
        # Core UPDATE (Zaak heeft een versiekolom; de ORM-bulkupdate wil die per rij hebben)
        db.execute(text("UPDATE zaak SET besluit_id = besluit.id FROM besluit "
                        "WHERE besluit.zaak_id = zaak.id AND zaak.identificatie LIKE :p"), {"p": f"{PREFIX}%"})
        voorziening_rijen, toewijzing_rijen, berichten = [], [], []
        for i, (zaak_id, besluit_id, rij) in enumerate(zip(zaak_ids, besluit_ids, zaak_rijen)):
            product = producten[i % len(producten)]
            ingang = vandaag - dt.timedelta(days=i % 14)
            voorziening_rijen.append(dict(
                besluit_id=besluit_id, zaak_id=zaak_id, inwoner_id=rij["inwoner_id"], product_id=product.id,
                volume=1 + i % 4, eenheid=product.eenheid, frequentie=product.frequentie, ingangsdatum=ingang,
                einddatum=ingang + dt.timedelta(days=365), leveringsvorm="zin", status="besteld"))
        voorziening_ids = list(db.scalars(
            insert(Voorziening).returning(Voorziening.id, sort_by_parameter_order=True), voorziening_rijen))
        for i, (v_id, v, rij) in enumerate(zip(voorziening_ids, voorziening_rijen, zaak_rijen)):
            product = producten[i % len(producten)]
            aanbieder = aanbieders[i % len(aanbieders)]
            toewijzing_rijen.append(dict(
                gemeente_id=rij["gemeente_id"], voorziening_id=v_id, zaak_id=v["zaak_id"],
                inwoner_id=rij["inwoner_id"], aanbieder_id=aanbieder.id, toewijzingnummer=NUMMER_START + i,
                productcategorie=product.categorie, productcode=product.productcode,
                ingangsdatum=v["ingangsdatum"], einddatum=v["einddatum"], volume=v["volume"], eenheid=v["eenheid"],
                frequentie=v["frequentie"], status="geaccepteerd", aangemaakt=nu))
        db.execute(insert(Toewijzing), toewijzing_rijen)
        db.commit()
        t_db = time.perf_counter()

        transport = MapTransport(map_)
        clienten: dict[int, dict] = {}
        per_id = {w.id: w for w in inwoners}
        idents: set[str] = set()
        for i, t in enumerate(toewijzing_rijen):
            client = clienten.get(t["inwoner_id"])
            if client is None:
                volledig = client_301(per_id[t["inwoner_id"]])
                naam = volledig["Naam"]
                client = {k: volledig[k] for k in ("Bsn", "Geboortedatum", "Geslacht")}
                client["Naam"] = {k: naam[k] for k in ("Geslachtsnaam", "Voornamen", "Voorletters") if k in naam}
                clienten[t["inwoner_id"]] = client
            aanbieder = aanbieders[i % len(aanbieders)]
            ident = nieuwe_identificatie()
            while ident in idents:
                ident = nieuwe_identificatie()
            idents.add(ident)
            header = Header(afzender=aanbieder.agb_code, ontvanger=gemeenten[t["gemeente_id"]].code,
                            identificatie=ident, dagtekening=vandaag)
            start = {"ToewijzingNummer": t["toewijzingnummer"],
                     "Product": {"Categorie": t["productcategorie"], "Code": t["productcode"]},
                     "ToewijzingIngangsdatum": t["ingangsdatum"], "Begindatum": t["ingangsdatum"],
                     "StatusAanlevering": "1"}
            xml = bouw("305", "iwmo", header, {"Client": {**client, "StartProducten": {"StartProduct": [start]}}},
                       valideren=(i < 50))  # de eerste 50 tegen de XSD; de rest is hetzelfde sjabloon
            berichten.append((f"WMO305-{ident}.xml", xml))
        for naam, xml in berichten:
            (transport.inbox / naam).write_bytes(xml)
    maker.kw["bind"].dispose()
    t_eind = time.perf_counter()
    print(f"  opbouw: schema+demo {t_demo - t0:.1f} s, {n} zaken/toewijzingen {t_db - t_demo:.1f} s, "
          f"{n} WMO305-bestanden {t_eind - t_db:.1f} s")


# ------------------------------------------------------------------------------------------------------------
# De sweep (zoals app/scheduler.py: berichten_job)


def sweep_tot_leeg(url: str, map_: Path, batch: int | None = BATCH) -> dict:
    """Roep de echte inbox-sweep aan tot in/ leeg is. Geeft tellingen, rondes en tijd."""
    from app.diensten import diensten_uit
    from integrations.istandaarden.transport import MapTransport, verwerk_inbox

    maker = _maker(url)
    transport = MapTransport(map_)
    diensten = diensten_uit(_settings(url))
    totaal = {"verwerkt": 0, "afgekeurd": 0, "dubbel": 0, "fout": 0}
    rondes = 0
    t0 = time.perf_counter()
    while True:
        telling = verwerk_inbox(maker, transport, diensten=diensten, **({"batch": batch} if batch else {}))
        rondes += 1
        for k, v in telling.items():
            totaal[k] = totaal.get(k, 0) + v
        if not any(telling.values()):
            break
        if telling["fout"] and not (telling["verwerkt"] or telling["afgekeurd"] or telling["dubbel"]):
            break  # alleen nog fouten: niet eindeloos herhalen
    duur = time.perf_counter() - t0
    maker.kw["bind"].dispose()
    return {"telling": totaal, "rondes": rondes, "seconden": duur}


def verstuur_tot_leeg(url: str, map_: Path) -> dict:
    """Roep de echte outbox-sweep aan tot er niets meer klaarstaat: de 306-antwoorden gaan de deur uit."""
    from integrations.istandaarden.transport import MapTransport, verstuur_berichten

    maker = _maker(url)
    transport = MapTransport(map_)
    totaal, rondes = 0, 0
    t0 = time.perf_counter()
    while True:
        telling = verstuur_berichten(maker, transport)
        rondes += 1
        totaal += telling["verzonden"]
        if not telling["verzonden"]:
            break
    duur = time.perf_counter() - t0
    maker.kw["bind"].dispose()
    return {"verzonden": totaal, "rondes": rondes, "seconden": duur,
            "bestanden": sum(1 for p in (map_ / "uit").glob("WMO306-*.xml"))}


def worker(url: str, map_: Path) -> None:
    print(json.dumps(sweep_tot_leeg(url, map_)), flush=True)


# ------------------------------------------------------------------------------------------------------------
# Controles


def tel_inkomend(url: str) -> int:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username, password=u.password,
                         dbname=u.database, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM bericht JOIN zaak ON zaak.id = bericht.zaak_id "
                            "WHERE bericht.richting = 'in' AND bericht.code = '305' AND zaak.identificatie LIKE %s",
                            (f"{PREFIX}%",)).fetchone()[0]


def controleer(url: str, map_: Path, n: int) -> list[tuple[str, bool, str]]:
    from sqlalchemy import func, select

    from domain.models import Bericht, Notificatie, StatusHistorie, Toewijzing, Voorziening, Zaak

    maker = _maker(url)
    uit: list[tuple[str, bool, str]] = []

    def check(naam: str, ok: bool, detail: str) -> None:
        uit.append((naam, ok, detail))

    with maker() as db:
        bench_zaken = select(Zaak.id).where(Zaak.identificatie.like(f"{PREFIX}%")).scalar_subquery()
        in305 = db.execute(select(func.count(), func.count(func.distinct(Bericht.bericht_identificatie)),
                                  func.count(func.distinct(Bericht.toewijzing_id)))
                           .where(Bericht.richting == "in", Bericht.code == "305", Bericht.zaak_id.in_(bench_zaken))).one()
        check("inkomende WMO305-berichten", in305[0] == n, f"{in305[0]} (verwacht {n})")
        check("  met unieke BerichtIdentificatie", in305[1] == n, f"{in305[1]}")
        check("  elk aan een andere toewijzing gekoppeld", in305[2] == n, f"{in305[2]}")
        statussen = dict(db.execute(select(Bericht.status, func.count()).where(
            Bericht.richting == "in", Bericht.code == "305", Bericht.zaak_id.in_(bench_zaken)).group_by(Bericht.status)).all())
        check("  allemaal status verwerkt", statussen == {"verwerkt": n}, f"{statussen}")

        t_status = dict(db.execute(select(Toewijzing.status, func.count()).where(
            Toewijzing.zaak_id.in_(bench_zaken)).group_by(Toewijzing.status)).all())
        check("toewijzingen gestart", t_status == {"gestart": n}, f"{t_status}")
        zonder_begin = db.scalar(select(func.count()).where(Toewijzing.zaak_id.in_(bench_zaken),
                                                           Toewijzing.begindatum.is_(None)))
        check("  met begindatum", zonder_begin == 0, f"{zonder_begin} zonder")
        v_status = dict(db.execute(select(Voorziening.status, func.count()).where(
            Voorziening.zaak_id.in_(bench_zaken)).group_by(Voorziening.status)).all())
        check("voorzieningen geleverd", v_status == {"geleverd": n}, f"{v_status}")
        z_status = dict(db.execute(select(Zaak.status, func.count()).where(
            Zaak.id.in_(bench_zaken)).group_by(Zaak.status)).all())
        check("zaken naar geleverd", z_status == {"geleverd": n}, f"{z_status}")
        per_zaak = db.execute(select(StatusHistorie.zaak_id, func.count()).where(
            StatusHistorie.zaak_id.in_(bench_zaken), StatusHistorie.overgang == "levering_gestart")
            .group_by(StatusHistorie.zaak_id)).all()
        enkel = sum(1 for _, c in per_zaak if c == 1)
        check("  overgang levering_gestart precies 1x per zaak", enkel == n and len(per_zaak) == n,
              f"{enkel} zaken 1x, {sum(1 for _, c in per_zaak if c > 1)} vaker")
        meldingen = db.scalar(select(func.count()).where(Notificatie.zaak_id.in_(bench_zaken),
                                                         Notificatie.inwoner_id.is_not(None)))
        check("  melding aan inwoner precies 1x per zaak", meldingen == n, f"{meldingen}")

        uit306 = db.execute(select(func.count(), func.count(func.distinct(Bericht.heenbericht_id)))
                            .where(Bericht.richting == "uit", Bericht.code == "306", Bericht.zaak_id.in_(bench_zaken))).one()
        check("uitgaande WMO306-antwoorden", uit306[0] == n, f"{uit306[0]} (verwacht {n})")
        check("  elk op een ander WMO305", uit306[1] == n, f"{uit306[1]}")
        codes: dict[str, int] = {}
        for (rc,) in db.execute(select(Bericht.retourcodes).where(Bericht.richting == "uit", Bericht.code == "306",
                                                                  Bericht.zaak_id.in_(bench_zaken))):
            for lijst in (rc or {}).values():
                for c in lijst:
                    codes[c] = codes.get(c, 0) + 1
        check("  zonder afkeurende retourcode (geen 9074 'al gestart')", set(codes) <= {"0200"}, f"{codes}")
        # The demo brings its own exchange (every code the gemeente sends); only the bench's zaken count here.
        overig = db.scalar(select(func.count()).where(Bericht.richting == "in", Bericht.code != "305",
                                                      Bericht.zaak_id.in_(bench_zaken)))
        check("geen andere inkomende berichten", overig == 0, f"{overig}")
    maker.kw["bind"].dispose()

    in_map = [p for p in (map_ / "in").iterdir() if p.suffix == ".xml"]
    verwerkt = [p for p in (map_ / "verwerkt").iterdir() if p.suffix == ".xml"]
    check("bestanden over in in/", not in_map, f"{len(in_map)}")
    check("bestanden in verwerkt/", len(verwerkt) == n, f"{len(verwerkt)} (verwacht {n})")
    return uit


def druk_controles(controles) -> bool:
    goed = True
    for naam, ok, detail in controles:
        goed &= ok
        print(f"  {'OK  ' if ok else 'FOUT'} {naam:<58} {detail}")
    return goed


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
