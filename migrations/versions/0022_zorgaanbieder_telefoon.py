"""zorgaanbieder telefoon: the inwoner's zaak page says who delivers what she got and how to reach them.

Revision ID: 0022_zorgaanbieder_telefoon
Revises: 0021_horen_en_gesprek
Create Date: 2026-12-04 18:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022_zorgaanbieder_telefoon'
down_revision = '0021_horen_en_gesprek'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('zorgaanbieder') as t:
        t.add_column(sa.Column('telefoon', sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('zorgaanbieder') as t:
        t.drop_column('telefoon')
