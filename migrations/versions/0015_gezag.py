"""gezag: a parent with gezag acts for their minor child ("namens")

The session keeps whom the inwoner may act for; the protocol and the signature say when someone acted for another.

Revision ID: 0015_gezag
Revises: 0014_formulieren
Create Date: 2026-12-03 09:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0015_gezag'
down_revision = '0014_formulieren'
branch_labels = None
depends_on = None


def _sqlite_audit_log_triggers() -> None:
    """On SQLite a batch alter rebuilds audit_log, and the rebuilt table has no triggers: put the append-only
    triggers of 0001 back (PostgreSQL alters in place and keeps them)."""
    if op.get_bind().dialect.name == "postgresql":
        return
    for soort in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_geen_{soort.lower()}")
        op.execute(
            f"CREATE TRIGGER audit_log_geen_{soort.lower()} BEFORE {soort} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'protocolregels kunnen niet worden gewijzigd of verwijderd'); END"
        )


def upgrade() -> None:
    with op.batch_alter_table('sessie', schema=None) as batch_op:
        batch_op.add_column(sa.Column('namens_inwoner_ids', sa.JSON(), nullable=True))

    with op.batch_alter_table('ondertekening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('namens_inwoner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ondertekening_namens_inwoner_id_inwoner'), 'inwoner',
                                    ['namens_inwoner_id'], ['id'])

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('namens_inwoner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_namens_inwoner_id_inwoner'), 'inwoner',
                                    ['namens_inwoner_id'], ['id'])
    _sqlite_audit_log_triggers()


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_log_namens_inwoner_id_inwoner'), type_='foreignkey')
        batch_op.drop_column('namens_inwoner_id')
    _sqlite_audit_log_triggers()

    with op.batch_alter_table('ondertekening', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ondertekening_namens_inwoner_id_inwoner'), type_='foreignkey')
        batch_op.drop_column('namens_inwoner_id')

    with op.batch_alter_table('sessie', schema=None) as batch_op:
        batch_op.drop_column('namens_inwoner_ids')
