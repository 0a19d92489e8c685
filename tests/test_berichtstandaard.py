"""The message standard comes from the zaaktype (`Zaaktype.berichtstandaard`), not from an assumption that every
zaak is a Wmo zaak, nor from the domein's name. These tests register a small test zaaktype for the length of one
test (a copy of the Wmo process that declares iJw, or none; with its own domein and team, so nothing here depends
on the names "wmo" or "jeugd"), because the real Jeugd definition is not part of this change."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain import processes, tijd
from domain.berichtenverkeer import team_voor_standaard
from domain.models import (
    Actie,
    Bericht,
    Besluit,
    Gemeente,
    Inwoner,
    Medewerker,
    Product,
    Team,
    Toewijzing,
    Zaak,
)
from domain.processes.wmo import WMO
from domain.workflow import OvergangFout, voer_uit
from integrations.istandaarden import lees, valideer
from integrations.istandaarden.simulator import Simulator
from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_inbox
from tests.helpers import medewerker_inloggen
from tests.test_wmo_proces import medewerker

ANNA = "999990056"  # demo: zaak at status besluit, a toekenning for hulp bij het huishouden
SARA = "999990135"  # demo: no zaak
JEUGDHULP = dataclasses.replace(WMO, code="jeugdhulp_test", naam="Jeugdhulp (test)", domein="jeugdhulp_test",
                                regeling="Jeugdwet", berichtstandaard="ijw")
ZONDER_STANDAARD = dataclasses.replace(WMO, code="zonder_standaard_test", naam="Zonder berichten (test)",
                                       berichtstandaard=None)


def _registreer(monkeypatch, zaaktype):
    """Add `zaaktype` to the catalogue, as the only one with its berichtstandaard (when it declares one)."""
    echt = processes.zaaktypen

    def catalogus():
        andere = {c: z for c, z in echt().items()
                  if zaaktype.berichtstandaard is None or z.berichtstandaard != zaaktype.berichtstandaard}
        return {**andere, zaaktype.code: zaaktype}

    monkeypatch.setattr(processes, "zaaktypen", catalogus)


def _team_jeugdhulp(db) -> Team:
    """The team that handles the test zaaktype; Jasmijn (consulent jeugd in the demo) moves to it."""
    team = Team(code="jeugdhulp_test", naam="Team Jeugdhulp (test)", domein=JEUGDHULP.domein, zaaktypen=[JEUGDHULP.code],
                gemeenten=db.scalars(select(Gemeente)).all())
    db.add(team)
    db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "jeugd")).teams = [team]
    db.commit()
    return team


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


@pytest.fixture
def maker(app):
    return app.extensions["db_sessionmaker"]


@pytest.fixture
def transport(tmp_path):
    return MapTransport(tmp_path / "berichten")


@pytest.fixture
def sim(transport):
    return Simulator(transport.map)


def _zaak_van_anna_als(db, zaaktype, *, team_code: str, product: Product | None = None) -> Zaak:
    """Anna's zaak (ready to order) becomes a zaak of `zaaktype`, handled by `team_code`."""
    zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    assert zaak.status == "besluit"
    zaak.zaaktype = zaaktype.code
    zaak.team_id = db.scalar(select(Team.id).where(Team.code == team_code))
    if product is not None:
        besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
        for v in besluit.voorzieningen:
            v.product_id = product.id
    db.commit()
    return zaak


def _jeugdproduct(db) -> Product:
    product = Product(code="JW-TEST", naam="Ambulante jeugdhulp", domein="jeugd", categorie="45",
                      productcode="45A05", eenheid="04", frequentie="2", tarief_cent=7000)
    db.add(product)
    db.commit()
    return product


def _client(inwoner: Inwoner) -> dict:
    return {"Bsn": inwoner.bsn, "Geboortedatum": {"Datum": inwoner.geboortedatum}, "Geslacht": "2",
            "Naam": {"Geslachtsnaam": {"Achternaam": inwoner.geslachtsnaam}, "Voorletters": inwoner.voornamen[0]}}


def test_an_ijw_zaaktype_orders_in_ijw_and_its_messages_find_the_zaak_or_the_team(
        demo, diensten, maker, transport, sim, client, monkeypatch):
    db = demo
    _registreer(monkeypatch, JEUGDHULP)
    team = _team_jeugdhulp(db)
    zaak = _zaak_van_anna_als(db, JEUGDHULP, team_code=team.code, product=_jeugdproduct(db))

    voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie,
             diensten=diensten)
    [b301] = db.scalars(select(Bericht).where(Bericht.zaak_id == zaak.id, Bericht.code == "301")).all()
    assert b301.standaard == "ijw"
    assert lees(b301.xml).naam == "JW301" and valideer(b301.xml) == []

    # The zorgaanbieder answers in the standard of the 301: a JW302 and a JW305; the care starts.
    verstuur_berichten(maker, transport)
    sim.stap()
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 2, "afgekeurd": 0, "dubbel": 0,
                                                                    "fout": 0}
    db.expire_all()
    assert db.get(Zaak, zaak.id).status == "geleverd"
    inkomend = db.scalars(select(Bericht).where(Bericht.richting == "in", Bericht.zaak_id == zaak.id)).all()
    assert sorted((b.standaard, b.code) for b in inkomend) == [("ijw", "302"), ("ijw", "305")]

    # A JW315 for Anna lands on her zaak of the iJw zaaktype; one for Sara (no zaak) on the team of its domein.
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    anna, sara = (db.scalar(select(Inwoner).where(Inwoner.bsn == bsn)) for bsn in (ANNA, SARA))
    for inwoner, referentie in ((anna, "JW-ANNA-1"), (sara, "JW-SARA-1")):
        sim.stuur_verzoek_toewijzing(
            gemeente=inwoner.gemeente.code, agb=t.aanbieder.agb_code, referentie=referentie, standaard="ijw",
            client=_client(inwoner), product={"Categorie": "45", "Code": "45A05"},
            ingangsdatum=tijd.vandaag() + dt.timedelta(days=14),
            omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 2
    db.expire_all()
    verzoeken = {}
    for b in db.scalars(select(Bericht).where(Bericht.richting == "in", Bericht.code == "315",
                                              Bericht.standaard == "ijw")):
        actie = db.scalar(select(Actie).where(Actie.bericht_id == b.id))
        verzoeken[lees(b.xml).inhoud["Client"]["Bsn"]] = (b, actie)
    b_anna, actie_anna = verzoeken[ANNA]
    assert b_anna.zaak_id == zaak.id and actie_anna.zaak_id == zaak.id and actie_anna.team_id == team.id
    b_sara, actie_sara = verzoeken[SARA]
    assert b_sara.zaak_id is None and actie_sara.zaak_id is None and actie_sara.team_id == team.id

    # The backoffice finds the same team: its member may answer Sara's verzoek, Team Wmo may not see it.
    medewerker_inloggen(client, "jeugd")
    assert client.get(f"/backoffice/berichten/{b_sara.id}").status_code == 200
    client.get("/backoffice/uitloggen")
    medewerker_inloggen(client, "wmo")
    assert client.get(f"/backoffice/berichten/{b_sara.id}").status_code == 404


def test_the_team_for_a_standard_follows_the_zaaktypen_that_declare_it(demo, monkeypatch):
    db = demo
    assert team_voor_standaard(db, "iwmo").code == "wmo"  # the Wmo zaaktype declares iwmo, team Wmo handles it
    assert team_voor_standaard(db, "ieb") is None  # no zaaktype declares it
    assert team_voor_standaard(db, "") is None
    _registreer(monkeypatch, JEUGDHULP)
    assert team_voor_standaard(db, "ijw") is None  # declared, but no team handles it
    team = _team_jeugdhulp(db)
    assert team_voor_standaard(db, "ijw") == team


def test_a_zaaktype_without_berichtstandaard_cannot_order(demo, diensten, monkeypatch):
    db = demo
    _registreer(monkeypatch, ZONDER_STANDAARD)
    zaak = _zaak_van_anna_als(db, ZONDER_STANDAARD, team_code="wmo")
    with pytest.raises(OvergangFout, match="geen berichtstandaard") as fout:
        voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie,
                 diensten=diensten)
    assert "Zonder berichten (test)" in fout.value.melding
    db.rollback()
    assert db.get(Zaak, zaak.id).status == "besluit"
    assert db.scalar(select(func.count()).select_from(Toewijzing).where(Toewijzing.zaak_id == zaak.id)) == 0
    assert db.scalar(select(func.count()).select_from(Bericht).where(Bericht.zaak_id == zaak.id)) == 0
