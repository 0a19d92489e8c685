"""A werkvoorraad page (domain/werkvoorraad.py): open zaken by deadline, zaken without one last, keyset-paged; a
medewerker in two teams gets both teams' zaken merged in that one order; the "Volgende pagina" link walks it all."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.parameters import keyset_tekst
from domain.actor import Actor
from domain.models import Gemeente, Inwoner, Medewerker, StatusHistorie, Team, Zaak
from domain.models.zaak import EINDE
from domain.roles import Rol
from domain.tijd import vandaag
from domain.werkvoorraad import pagina, sleutel
from tests.helpers import medewerker_inloggen


def _zaken(db, team: Team, n: int, *, start: int, zonder_deadline: int = 0) -> None:
    inwoners = db.scalars(select(Inwoner).order_by(Inwoner.id)).all()
    for i in range(n):
        inwoner = inwoners[i % len(inwoners)]
        zaak = Zaak(identificatie=f"WV-{team.code}-{start + i}", zaaktype="wmo", gemeente_id=inwoner.gemeente_id,
                    inwoner_id=inwoner.id, team_id=team.id, status="melding", startdatum=vandaag(),
                    uiterlijke_einddatum=None if i < zonder_deadline else vandaag() + dt.timedelta(days=(i * 7) % 40))
        zaak.historie.append(StatusHistorie(status="melding"))
        db.add(zaak)
    db.commit()


def _alles(db, actor, **kw) -> list[Zaak]:
    gezien, na = [], None
    while True:
        zaken, na = pagina(db, actor, grootte=7, na=na, **kw)
        gezien += zaken
        if na is None:
            return gezien


def test_two_teams_merged_in_one_order_without_gaps_or_doubles(demo, db):
    wmo = db.scalar(select(Team).where(Team.code == "wmo"))
    jeugd = db.scalar(select(Team).where(Team.code == "jeugd"))
    _zaken(db, wmo, 12, start=0, zonder_deadline=2)
    _zaken(db, jeugd, 9, start=100, zonder_deadline=1)
    gemeenten = frozenset(db.scalars(select(Gemeente.id)))
    beide = Actor(soort="medewerker", id=-1, naam="Twee teams", rollen=frozenset({Rol.CONSULENT}),
                  gemeente_ids=gemeenten, team_ids=frozenset({wmo.id, jeugd.id}))
    gezien = _alles(db, beide)
    verwacht = db.scalars(select(Zaak).where(Zaak.afgesloten.is_(False), Zaak.team_id.in_({wmo.id, jeugd.id}),
                                             Zaak.gemeente_id.in_(gemeenten))).all()
    assert sorted(z.id for z in gezien) == sorted(z.id for z in verwacht)  # each exactly once
    assert [sleutel(z) for z in gezien] == sorted(sleutel(z) for z in verwacht)  # by deadline, then id
    assert sleutel(gezien[-1])[0] == EINDE  # zaken without a deadline come last
    assert {z.team_id for z in gezien} == {wmo.id, jeugd.id}


def test_the_next_page_link_walks_the_whole_team_queue(demo, db, client):
    wmo = db.scalar(select(Team).where(Team.code == "wmo"))
    _zaken(db, wmo, 40, start=0, zonder_deadline=3)
    medewerker_inloggen(client, "wmo")
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    pad, gezien = "/backoffice/werkvoorraad?weergave=team", []
    while pad:
        html = client.get(pad).get_data(as_text=True)
        gezien += list(dict.fromkeys(re.findall(r'href="/backoffice/zaken/(\d+)"', html)))  # once per page
        volgende = re.search(r'href="(/backoffice/werkvoorraad\?[^"]*na=[^"]+)">Volgende pagina', html)
        pad = volgende.group(1).replace("&amp;", "&") if volgende else None
    open_ = db.scalars(select(Zaak.id).where(Zaak.afgesloten.is_(False), Zaak.team_id == wmo.id,
                                             Zaak.gemeente_id.in_({g.id for g in wim.gemeenten}))).all()
    assert sorted(map(int, gezien)) == sorted(open_)  # every open zaak of the team on exactly one page
    assert keyset_tekst((dt.date(2027, 1, 2), 5)) == "2027-01-02_5"
