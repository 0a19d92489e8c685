"""Controles na een run van de berichtenbench (``berichten_bench.py``): in de database en in de map, niets kwijt en
niets dubbel (elk WMO305 precies één keer verwerkt, elke toewijzing gestart, elk antwoord 306 één keer)."""
from __future__ import annotations

from pathlib import Path

from berichten_opbouw import PREFIX, maker


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

    maak = maker(url)
    uit: list[tuple[str, bool, str]] = []

    def check(naam: str, ok: bool, detail: str) -> None:
        uit.append((naam, ok, detail))

    with maak() as db:
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
    maak.kw["bind"].dispose()

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
