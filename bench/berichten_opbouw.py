"""Opbouw voor de berichtenbench (``berichten_bench.py``): een verse PostgreSQL-database met de demo en N zaken in
levering (besluit, voorziening, toewijzing), en N inkomende WMO305-bestanden (start zorg) in ``in/`` van de
map-transport. Ook de instellingen en de sessionmaker die de bench en de controles delen."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

NUMMER_START = 50_000_001  # ToewijzingNummer (max. 9 cijfers), ver boven wat de demo zelf uitdeelt
PREFIX = "BENCH-"  # identificatie van de zaken van de bench; de controles tellen alleen die


def settings(url: str):
    from app.config import Settings

    return Settings(env="test", database_url=url, secret_key="b" * 40, https=False, base_url="http://localhost",
                    digid={"issuer": ""}, medewerker_oidc={"issuer": ""})


def maker(url: str):
    from sqlalchemy.orm import sessionmaker

    from app.db import make_engine

    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


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
    maak = maker(url)
    with maak() as db:
        laad_demo(db, diensten=diensten_uit(settings(url)))
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
    maak.kw["bind"].dispose()
    t_eind = time.perf_counter()
    print(f"  opbouw: schema+demo {t_demo - t0:.1f} s, {n} zaken/toewijzingen {t_db - t_demo:.1f} s, "
          f"{n} WMO305-bestanden {t_eind - t_db:.1f} s")
