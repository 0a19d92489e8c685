"""prestaties: indexes that keep every page flat from 10.000 to 5.000.000 zaken (bench/laad_bench.py), and the
daily stand of overdue terms per team that the teamleider's trend reads.

- the open zaken in werkvoorraad order, per team, per behandelaar and for all (partial: only open zaken);
- a medewerker's unread notifications (the menu's count);
- a team's open actions in arrival order;
- the running terms by last day, and terms by the day they stopped (the trend of past weeks);
- outgoing messages by status in the order they were sent (the ones still without an answer).

Revision ID: 0020_prestaties
Revises: 0019_eenmalig
Create Date: 2026-12-03 18:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

import domain.models.base


revision = '0020_prestaties'
down_revision = '0019_eenmalig'
branch_labels = None
depends_on = None

DEADLINE = sa.text("coalesce(uiterlijke_einddatum, '9999-12-31')")
OPEN = sa.text("afgesloten IS false")


def _partial(naam, tabel, kolommen, waar):
    op.create_index(naam, tabel, kolommen, postgresql_where=sa.text(waar), sqlite_where=sa.text(waar))


def upgrade() -> None:
    _partial('ix_zaak_open_team', 'zaak', ['team_id', DEADLINE, 'id'], "afgesloten IS false")
    _partial('ix_zaak_open_behandelaar', 'zaak', ['behandelaar_id', DEADLINE, 'id'], "afgesloten IS false")
    _partial('ix_zaak_open', 'zaak', [DEADLINE, 'id'], "afgesloten IS false")
    _partial('ix_notificatie_medewerker_ongelezen', 'notificatie', ['medewerker_id'], "gelezen IS NULL")
    _partial('ix_actie_open', 'actie', ['team_id', 'id'], "afgerond IS NULL")
    _partial('ix_termijn_lopend', 'termijn', ['einddatum', 'id'], "gestopt_op IS NULL")
    op.create_index('ix_termijn_gestopt_op', 'termijn', ['gestopt_op'])
    _partial('ix_bericht_uit_verzonden', 'bericht', ['status', 'verzonden'], "richting = 'uit'")
    op.create_table(
        'termijn_stand',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('datum', sa.Date(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('gemeente_id', sa.Integer(), nullable=False),
        sa.Column('te_laat', sa.Integer(), nullable=False),
        sa.Column('aangemaakt', domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_termijn_stand_gemeente_id_gemeente')),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_termijn_stand_team_id_team')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_termijn_stand')),
        sa.UniqueConstraint('datum', 'team_id', 'gemeente_id', name='uq_termijn_stand'),
    )


def downgrade() -> None:
    op.drop_table('termijn_stand')
    for naam, tabel in [('ix_bericht_uit_verzonden', 'bericht'), ('ix_termijn_gestopt_op', 'termijn'), ('ix_termijn_lopend', 'termijn'), ('ix_actie_open', 'actie'),
                        ('ix_notificatie_medewerker_ongelezen', 'notificatie'), ('ix_zaak_open', 'zaak'),
                        ('ix_zaak_open_behandelaar', 'zaak'), ('ix_zaak_open_team', 'zaak')]:
        op.drop_index(naam, table_name=tabel)
