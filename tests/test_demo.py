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
