"""eenmalig: the "only once" rules held by the database, not only by a check before the insert: one bezwaar per
besluit (bezwaarschrift and its zaak), one signature per document version, one approval per beschikking.

Revision ID: 0019_eenmalig
Revises: 0018_berichten_in_variant
Create Date: 2026-12-03 15:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0019_eenmalig'
down_revision = '0018_berichten_in_variant'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bezwaarschrift', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_bezwaarschrift_besluit', ['besluit_id'])
    with op.batch_alter_table('ondertekening', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_ondertekening_versie', ['document_versie_id'])
    op.create_index('uq_zaak_besluit', 'zaak', ['besluit_id'], unique=True)
    op.create_index('uq_toetsoordeel_goedgekeurd', 'toetsoordeel', ['besluit_id'], unique=True,
                    sqlite_where=sa.text("oordeel = 'goedgekeurd'"), postgresql_where=sa.text("oordeel = 'goedgekeurd'"))


def downgrade() -> None:
    op.drop_index('uq_toetsoordeel_goedgekeurd', table_name='toetsoordeel')
    op.drop_index('uq_zaak_besluit', table_name='zaak')
    with op.batch_alter_table('ondertekening', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ondertekening_versie', type_='unique')
    with op.batch_alter_table('bezwaarschrift', schema=None) as batch_op:
        batch_op.drop_constraint('uq_bezwaarschrift_besluit', type_='unique')
