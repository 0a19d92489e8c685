"""Back-up and restore (issue 12, item 15; docs/backup.md): the demo in PostgreSQL is backed up with
`keukentafel backup` (pg_dump -Fc of the machine, plus the berichten folder), restored with `keukentafel restore`
into a new, empty database, and compared: the rows of every table and the SHA-256 of every document version
(documents live in the database, document_versie.inhoud), computed here from the bytes themselves."""
from __future__ import annotations

import hashlib
import shutil

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from app.cli import main
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES or not shutil.which("pg_dump"),
    reason="back-up and restore are for PostgreSQL (pg_dump/pg_restore); this run has no PostgreSQL "
           "TEST_DATABASE_URL (SQLite only). CI runs the suite on PostgreSQL too (.ci/run)")


def _stand(url: str) -> tuple[dict[str, int], dict[int, tuple[str, str]]]:
    """Rows per table (every table in the schema, alembic_version too) and per document version the SHA-256 of its
    bytes as read back, next to the one stored at creation."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tabellen = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
            rijen = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in tabellen}
            documenten = {i: (hashlib.sha256(inhoud).hexdigest(), opgeslagen) for i, inhoud, opgeslagen in
                          conn.execute(text("SELECT id, inhoud, sha256 FROM document_versie"))}
    finally:
        engine.dispose()
    return rijen, documenten


@pytest.fixture
def lege_database(settings):
    """A new, empty database next to the test's own, dropped afterwards."""
    bron = make_url(settings.database_url)
    naam = f"{bron.database}_herstel"
    beheer = create_engine(bron, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{naam}"'))
    yield bron.set(database=naam).render_as_string(hide_password=False)
    with beheer.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
    beheer.dispose()


def test_the_demo_backed_up_and_restored_into_an_empty_database_is_the_same(demo, settings, lege_database, tmp_path,
                                                                             monkeypatch, capsys):
    demo.close()
    berichten = tmp_path / "berichten"
    for pad, inhoud in {"in/WMO305-A.xml": b"<in/>", "verwerkt/WMO302-B.xml": b"<verwerkt/>",
                        "zorgaanbieder/stand.json": b"{}"}.items():
        (berichten / pad).parent.mkdir(parents=True, exist_ok=True)
        (berichten / pad).write_bytes(inhoud)
    monkeypatch.setenv("KEUKENTAFEL_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KEUKENTAFEL_BERICHTEN_MAP", str(berichten))
    voor_rijen, voor_documenten = _stand(settings.database_url)
    assert voor_documenten and voor_rijen["zaak"] and voor_rijen["audit_log"]  # the demo is really there

    assert main(["backup", str(tmp_path / "backups")]) == 0
    [backup] = (tmp_path / "backups").iterdir()
    assert {p.name for p in backup.iterdir()} == {"database.dump", "berichten.tar", "manifest.json"}
    assert "documentversies" in capsys.readouterr().out

    herstelde_berichten = tmp_path / "hersteld"
    monkeypatch.setenv("DATABASE_URL", lege_database)
    monkeypatch.setenv("KEUKENTAFEL_BERICHTEN_MAP", str(herstelde_berichten))
    assert main(["restore", str(backup)]) == 0, capsys.readouterr().err
    assert "kloppen met het manifest" in capsys.readouterr().out

    na_rijen, na_documenten = _stand(lege_database)
    assert na_rijen == voor_rijen
    assert na_documenten == voor_documenten
    assert all(gelezen == opgeslagen for gelezen, opgeslagen in na_documenten.values())
    assert sorted(p.relative_to(herstelde_berichten).as_posix() for p in herstelde_berichten.rglob("*")
                  if p.is_file()) == ["in/WMO305-A.xml", "verwerkt/WMO302-B.xml", "zorgaanbieder/stand.json"]
    assert (herstelde_berichten / "verwerkt/WMO302-B.xml").read_bytes() == b"<verwerkt/>"

    # A second restore over the restored database is refused, and so is a damaged dump: nothing is overwritten.
    shutil.rmtree(herstelde_berichten)
    assert main(["restore", str(backup)]) == 2
    assert "niet leeg" in capsys.readouterr().err
    dump = backup / "database.dump"
    inhoud = dump.read_bytes()
    dump.write_bytes(inhoud[:-1] + bytes([inhoud[-1] ^ 0xFF]))
    assert main(["restore", str(backup)]) == 2
    assert "beschadigd" in capsys.readouterr().err
    assert _stand(lege_database)[0] == voor_rijen
