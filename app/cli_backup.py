"""`keukentafel backup MAP` and `keukentafel restore MAP`: a back-up of PostgreSQL and the berichten folder, and
putting one back into an empty database, checked against what was backed up (docs/backup.md).

What a back-up is (one folder, ``MAP/keukentafel-<UTC time>/``):

    database.dump   pg_dump in custom format (-Fc) of the whole database: every table, the documents included
                    (document_versie.inhoud: documents live in the database, there is no separate document store)
    berichten.tar   the folder of the iWmo/iJw folder transport ($KEUKENTAFEL_BERICHTEN_MAP), if it exists
    manifest.json   versions, the rows per table and the SHA-256 of every document version, read in the same
                    snapshot as the dump (pg_export_snapshot), and the SHA-256 of both files

`restore` refuses a database that has tables or a berichten folder that is not empty, checks the files against the
manifest, runs pg_restore in one transaction, unpacks the berichten folder and then compares the rows per table and
every document's SHA-256 with the manifest. Exit code 0 only when everything matches.

Wiring in app/cli.py: ``cli_backup.add_parser(sub)``. pg_dump and pg_restore come from the machine (PATH, or
$PG_BIN); pg_dump must be at least the server's major version.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

MANIFEST = "manifest.json"
DUMP = "database.dump"
BERICHTEN = "berichten.tar"


class BackupFout(RuntimeError):
    """The back-up or restore cannot go on; the message says why (in Dutch, for the operator)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help="back-up van de database (PostgreSQL) en de berichtenmap",
                              description="Maakt MAP/keukentafel-<tijd>/ met database.dump (pg_dump -Fc), "
                                          "berichten.tar en manifest.json.")
    p.add_argument("map", metavar="MAP", help="map waarin de back-up komt (wordt aangemaakt)")
    p.set_defaults(func=backup_command)
    r = subparsers.add_parser("restore", help="een back-up terugzetten in een lege database en controleren",
                              description="Zet een back-up (de map met manifest.json) terug in de lege database "
                                          "van DATABASE_URL en de lege KEUKENTAFEL_BERICHTEN_MAP.")
    r.add_argument("map", metavar="MAP", help="de back-upmap (met manifest.json)")
    r.set_defaults(func=restore_command)


# --- PostgreSQL connection and tools -------------------------------------------------------------------------


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URI (without password) and the environment for pg_dump/pg_restore; the password goes in
    PGPASSWORD, never on a command line that `ps` shows."""
    from sqlalchemy import make_url

    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        raise BackupFout("backup en restore zijn voor PostgreSQL; DATABASE_URL is "
                         f"'{u.drivername}'. Een SQLite-bestand kopieert u met: sqlite3 DB \".backup KOPIE\".")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    return u.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _tool(naam: str) -> str:
    pad = shutil.which(naam, path=os.environ.get("PG_BIN") or None)
    if not pad:
        raise BackupFout(f"{naam} niet gevonden (installeer postgresql-client van de serverversie of zet PG_BIN)")
    return pad


def _major(pad: str) -> int:
    uit = subprocess.run([pad, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", uit)
    if not match:
        raise BackupFout(f"versie van {pad} niet te lezen: {uit!r}")
    return int(match.group(1))


def _engine(url: str):
    """A plain engine (no pool, no lease from app.db: a snapshot may have to stay open while pg_dump starts)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, poolclass=NullPool)


def _tabellen(conn) -> list[str]:
    from sqlalchemy import text

    return list(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")))


def _telling(conn) -> tuple[dict[str, int], dict[str, str]]:
    """Rows per table and the SHA-256 of every document version, computed by the server (no blobs on the wire)."""
    from sqlalchemy import text

    rijen = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in _tabellen(conn)}
    documenten = {}
    if "document_versie" in rijen:
        documenten = {str(i): h for i, h in conn.execute(text(
            "SELECT id, encode(sha256(inhoud), 'hex') FROM document_versie ORDER BY id"))}
    return rijen, documenten


def _sha256(pad: Path) -> str:
    h = hashlib.sha256()
    with pad.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


# --- backup --------------------------------------------------------------------------------------------------


def maak_backup(url: str, doel: Path, berichten: Path | None) -> Path:
    """Write a back-up folder under `doel` and return it."""
    from sqlalchemy import text

    uri, env = _libpq(url)
    pg_dump = _tool("pg_dump")
    engine = _engine(url)
    map_ = Path(doel) / f"keukentafel-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
    gemaakt = False
    try:
        with engine.connect() as conn:
            server = int(conn.scalar(text("SHOW server_version_num")))
            if _major(pg_dump) < server // 10000:
                raise BackupFout(f"pg_dump {_major(pg_dump)} is ouder dan de server ({server // 10000}); "
                                 "gebruik pg_dump van dezelfde of een nieuwere versie")
            conn.rollback()
            map_.mkdir(parents=True, exist_ok=False)  # a back-up of the same second: refuse, never overwrite
            gemaakt = True
            # The berichten folder before the database: a received file processed in between is then still in in/
            # after a restore, and the inbox recognises it by its BerichtIdentificatie (counted as dubbel). The
            # other order would restore it in verwerkt/ with a database that never processed it: lost.
            bestanden = {}
            if berichten is not None and berichten.is_dir():
                with tarfile.open(map_ / BERICHTEN, "w") as tar:
                    tar.add(berichten, arcname=".")
                bestanden[BERICHTEN] = _sha256(map_ / BERICHTEN)
            # One snapshot for the manifest and the dump: what the manifest counts is exactly what the dump holds,
            # also while the application keeps writing.
            with conn.execution_options(isolation_level="REPEATABLE READ").begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
                rijen, documenten = _telling(conn)
                revisie = conn.scalar(text("SELECT version_num FROM alembic_version")) \
                    if "alembic_version" in rijen else None
                dump = subprocess.run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file",
                                       str(map_ / DUMP), f"--dbname={uri}"],
                                      check=False, env=env, capture_output=True, text=True)
        if dump.returncode != 0:
            raise BackupFout(f"pg_dump mislukt: {dump.stderr.strip()[-2000:]}")
        bestanden[DUMP] = _sha256(map_ / DUMP)
        manifest = {
            "gemaakt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "pg_dump": _major(pg_dump), "server_version_num": server, "alembic_revisie": revisie,
            "bestanden": bestanden, "rijen": rijen, "document_versies_sha256": documenten,
        }
        # The manifest last: a folder without one is not a back-up, and restore refuses it.
        (map_ / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    except BaseException:
        if gemaakt:
            shutil.rmtree(map_, ignore_errors=True)  # never leave half a back-up behind
        raise
    finally:
        engine.dispose()
    return map_


# --- restore -------------------------------------------------------------------------------------------------


def zet_terug(url: str, bron: Path, berichten: Path | None) -> list[str]:
    """Restore the back-up folder `bron` into the empty database of `url` (and `berichten`); returns the
    differences with the manifest (empty: everything matches)."""
    bron = Path(bron)
    try:
        manifest = json.loads((bron / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupFout(f"geen leesbaar {MANIFEST} in {bron}: {exc}") from exc
    for naam, hash_ in manifest["bestanden"].items():
        if not (bron / naam).is_file() or _sha256(bron / naam) != hash_:
            raise BackupFout(f"{naam} ontbreekt of is beschadigd (SHA-256 klopt niet met het manifest)")
    uri, env = _libpq(url)
    pg_restore = _tool("pg_restore")
    if _major(pg_restore) < manifest["pg_dump"]:
        raise BackupFout(f"pg_restore {_major(pg_restore)} is ouder dan de pg_dump ({manifest['pg_dump']}) "
                         "waarmee de back-up is gemaakt")
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            if _tabellen(conn):
                raise BackupFout("de database van DATABASE_URL is niet leeg; zet terug in een nieuwe, lege database "
                                 "(createdb) en wijs DATABASE_URL daarheen")
        if BERICHTEN in manifest["bestanden"] and berichten is not None and berichten.exists() \
                and any(berichten.iterdir()):
            raise BackupFout(f"de berichtenmap {berichten} is niet leeg; kies een lege KEUKENTAFEL_BERICHTEN_MAP")
        terug = subprocess.run([pg_restore, "--exit-on-error", "--single-transaction", "--no-owner",
                                "--no-privileges", f"--dbname={uri}", str(bron / DUMP)],
                               check=False, env=env, capture_output=True, text=True)
        if terug.returncode != 0:
            raise BackupFout(f"pg_restore mislukt (niets teruggezet): {terug.stderr.strip()[-2000:]}")
        if BERICHTEN in manifest["bestanden"] and berichten is not None:
            berichten.mkdir(parents=True, exist_ok=True)
            with tarfile.open(bron / BERICHTEN) as tar:
                tar.extractall(berichten, filter="data")
        with engine.connect() as conn:
            rijen, documenten = _telling(conn)
    finally:
        engine.dispose()
    verschillen = [f"tabel {t}: {manifest['rijen'].get(t)} in de back-up, {rijen.get(t)} teruggezet"
                   for t in sorted(set(manifest["rijen"]) | set(rijen)) if manifest["rijen"].get(t) != rijen.get(t)]
    verwacht = manifest["document_versies_sha256"]
    verschillen += [f"document_versie {i}: SHA-256 wijkt af" for i in sorted(set(verwacht) | set(documenten), key=int)
                    if verwacht.get(i) != documenten.get(i)]
    return verschillen


# --- the commands --------------------------------------------------------------------------------------------


def _onbereikbaar(exc: Exception) -> str:
    return f"database niet bereikbaar: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}"


def _url_en_map() -> tuple[str, Path]:
    from .cli import _settings
    from .cli_berichten import berichten_map

    return _settings().database_url, berichten_map()


def backup_command(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    url, berichten = _url_en_map()
    try:
        map_ = maak_backup(url, Path(args.map), berichten)
    except (BackupFout, OperationalError) as exc:
        print(f"Back-up mislukt: {_onbereikbaar(exc) if isinstance(exc, OperationalError) else exc}", file=sys.stderr)
        return 2
    manifest = json.loads((map_ / MANIFEST).read_text())
    print(f"Back-up gemaakt in {map_}: {sum(manifest['rijen'].values())} rijen in {len(manifest['rijen'])} "
          f"tabellen, {len(manifest['document_versies_sha256'])} documentversies"
          + (", berichtenmap erbij." if BERICHTEN in manifest["bestanden"] else ", geen berichtenmap."))
    return 0


def restore_command(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    url, berichten = _url_en_map()
    try:
        verschillen = zet_terug(url, Path(args.map), berichten)
    except (BackupFout, OperationalError) as exc:
        print(f"Terugzetten mislukt: {_onbereikbaar(exc) if isinstance(exc, OperationalError) else exc}",
              file=sys.stderr)
        return 2
    if verschillen:
        print("Teruggezet, maar het klopt niet met het manifest:\n  " + "\n  ".join(verschillen), file=sys.stderr)
        return 1
    print(f"Teruggezet uit {args.map}; rijen per tabel en de SHA-256 van elke documentversie kloppen met het "
          "manifest.")
    return 0
