"""Demo data: a werkorganisatie with three gemeenten, every role, test inwoners; idempotent."""
from __future__ import annotations

from sqlalchemy import func, select
from stdnum.nl import bsn

from domain.demo import laad_demo
from domain.models import Gemeente, Inwoner, Medewerker, MedewerkerRol, Team, Zaak
from domain.roles import Rol


def _counts(db):
    return {m.__name__: db.scalar(select(func.count()).select_from(m)) for m in (Gemeente, Team, Medewerker, Inwoner, Zaak)}


def test_demo_is_idempotent(db):
    first = laad_demo(db)
    assert first["gemeenten"] == 3
    before = _counts(db)
    second = laad_demo(db)
    assert all(v == 0 for v in second.values())
    assert _counts(db) == before


def test_demo_has_every_role_and_three_gemeenten(demo):
    db = demo
    codes = set(db.scalars(select(Gemeente.code)))
    assert codes == {"0489", "0613", "0597"}
    rollen = set(db.scalars(select(MedewerkerRol.rol)))
    assert rollen == {r.value for r in Rol}


def test_demo_inwoners_have_valid_bsns_and_belong_to_the_gemeente_of_their_address(demo):
    inwoners = demo.scalars(select(Inwoner)).all()
    assert len(inwoners) >= 10
    woonplaats_gemeente = {"Barendrecht": "0489", "Rhoon": "0613", "Poortugaal": "0613", "Ridderkerk": "0597"}
    for inwoner in inwoners:
        assert bsn.is_valid(inwoner.bsn)
        assert inwoner.gemeente.code == woonplaats_gemeente[inwoner.woonplaats]


def test_a_medewerker_may_work_for_several_gemeenten(demo):
    wmo = demo.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    wmo2 = demo.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo2"))
    assert len(wmo.gemeenten) == 3
    assert [g.naam for g in wmo2.gemeenten] == ["Ridderkerk"]


def test_the_demo_refuses_to_load_in_production(settings, monkeypatch, capsys, db):
    """Found by the ASVS walk (V2.5.4): `keukentafel demo` in production made 14 staff accounts, beheer among
    them, with the published demo password."""
    from sqlalchemy import func, select

    from app.cli import main
    from domain.models import Medewerker

    monkeypatch.setenv("KEUKENTAFEL_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    voor = db.scalar(select(func.count()).select_from(Medewerker))
    assert main(["demo"]) == 2
    assert "niet in productie" in capsys.readouterr().err
    assert db.scalar(select(func.count()).select_from(Medewerker)) == voor
