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
