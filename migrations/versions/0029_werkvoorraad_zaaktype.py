"""werkvoorraad per zaaktype: the open zaken of one zaaktype in werkvoorraad order (partial: only open zaken), so
that juridisch's queue of bezwaren reads one page of index entries instead of walking every open zaak (at
5.000.000 zaken it took 2,9 s and timed out under load; bench/laad_bench.py).

Revision ID: 0029_werkvoorraad_zaaktype
Revises: 0028_beveiligde_mail
Create Date: 2026-12-04 22:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0029_werkvoorraad_zaaktype'
down_revision = '0028_beveiligde_mail'
branch_labels = None
depends_on = None

DEADLINE = sa.text("coalesce(uiterlijke_einddatum, '9999-12-31')")
OPEN = sa.text("afgesloten IS false")


def upgrade() -> None:
    op.create_index('ix_zaak_open_zaaktype', 'zaak', ['zaaktype', DEADLINE, 'id'], postgresql_where=OPEN,
                    sqlite_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_zaak_open_zaaktype', table_name='zaak')
