"""horen en gesprek: an afspraak records that it took place (date, who were there, a short verslag) or why it was
cancelled; a bezwaarschrift records why horen was left out (Awb 7:3). Deciding on a bezwaar needs one of the two
(Awb 7:2), and a verslag goes to the inwoner only after the gesprek.

Revision ID: 0021_horen_en_gesprek
Revises: 0020_prestaties
Create Date: 2026-12-04 07:15:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021_horen_en_gesprek'
down_revision = '0020_prestaties'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('afspraak') as t:
        t.add_column(sa.Column('annuleringsreden', sa.Text(), nullable=True))
        t.add_column(sa.Column('gehouden_op', sa.Date(), nullable=True))
        t.add_column(sa.Column('aanwezig', sa.Text(), nullable=True))
        t.add_column(sa.Column('verslag', sa.Text(), nullable=True))
    with op.batch_alter_table('bezwaarschrift') as t:
        t.add_column(sa.Column('horen_achterwege', sa.String(length=40), nullable=True))
        t.add_column(sa.Column('horen_toelichting', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bezwaarschrift') as t:
        t.drop_column('horen_toelichting')
        t.drop_column('horen_achterwege')
    with op.batch_alter_table('afspraak') as t:
        t.drop_column('verslag')
        t.drop_column('aanwezig')
        t.drop_column('gehouden_op')
        t.drop_column('annuleringsreden')
