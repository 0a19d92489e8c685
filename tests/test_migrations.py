"""Migrating an empty database gives exactly the schema the models declare (SQLite and PostgreSQL)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from domain.models import Base


def test_migrations_match_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_model_table_exists(database_url):
    engine = create_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_audit_log_refuses_update_and_delete_in_the_database(database_url):
    """Even with a raw SQL client and the app's credentials, protocol records cannot be changed."""
    import pytest

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_log (tijdstip, actor_type, actor_naam, handeling, object_type, omschrijving, doel) "
            "VALUES (CURRENT_TIMESTAMP, 'systeem', 'test', 'lezen', 'zaak', 'test', 'test')"
        ))
    for sql in ("UPDATE audit_log SET omschrijving = 'vervalst'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="protocolregels"):
            with engine.begin() as conn:
                conn.execute(text(sql))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT omschrijving FROM audit_log")).scalar_one() == "test"
    engine.dispose()
