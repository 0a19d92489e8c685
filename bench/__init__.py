"""Benchmarks (`make bench`, `make bench-laad`). Shared here: a fresh, migrated PostgreSQL database with the demo."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def nieuwe_database(url: str, env: dict[str, str]) -> None:
    """Drop and create the database of `url`, migrate it and load the demo, through the production CLI
    (`keukentafel db upgrade`, `keukentafel demo`) with the environment `env`."""
    import psycopg

    naam = url.rsplit("/", 1)[1]
    beheer = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(beheer, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{naam}"')
    kt = str(Path(sys.executable).with_name("keukentafel"))
    subprocess.run([kt, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([kt, "demo"], env=env, check=True, capture_output=True)


def app_op(url: str | None = None):
    """The app on a freshly migrated database: `url`, else BENCH_DATABASE_URL, else SQLite in a temp folder.
    Returns (settings, app)."""
    import os
    import tempfile

    from app import create_app
    from app.config import Settings
    from app.migrate import upgrade

    url = url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    settings = Settings(env="test", database_url=url, secret_key="b" * 40, https=False, base_url="http://localhost",
                        digid={"issuer": ""}, medewerker_oidc={"issuer": ""})
    return settings, create_app(settings)
