"""termijn_tijdgestuurd: what the system does by itself when a term ends (an overgang, a reminder), and a
suspension without an end date until an event.

Revision ID: 0016_termijn_tijdgestuurd
Revises: 0015_gezag
Create Date: 2026-12-03 09:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import domain.models.base


revision = '0016_termijn_tijdgestuurd'
down_revision = '0015_gezag'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('termijn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opgeschort_tot', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('bij_einde', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('afgehandeld_op', domain.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('afhandeling', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('herinner_op', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('herinnerd_op', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('termijn', schema=None) as batch_op:
        batch_op.drop_column('herinnerd_op')
        batch_op.drop_column('herinner_op')
        batch_op.drop_column('afhandeling')
        batch_op.drop_column('afgehandeld_op')
        batch_op.drop_column('bij_einde')
        batch_op.drop_column('opgeschort_tot')
