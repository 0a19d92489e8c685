"""eigenschappen_relaties: typed zaakeigenschappen per zaak, and relations between zaken with their kind.

Revision ID: 0017_eigenschappen_relaties
Revises: 0016_termijn_tijdgestuurd
Create Date: 2026-12-03 14:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import domain.models.base


revision = '0017_eigenschappen_relaties'
down_revision = '0016_termijn_tijdgestuurd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'zaak_eigenschap',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('zaak_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('waarde', sa.JSON(), nullable=True),
        sa.Column('gewijzigd', domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('gewijzigd_door_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['gewijzigd_door_id'], ['medewerker.id'], ),
        sa.ForeignKeyConstraint(['zaak_id'], ['zaak.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('zaak_id', 'code', name='uq_zaak_eigenschap'),
    )
    op.create_index(op.f('ix_zaak_eigenschap_zaak_id'), 'zaak_eigenschap', ['zaak_id'], unique=False)
    op.create_table(
        'zaak_relatie',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('zaak_id', sa.Integer(), nullable=False),
        sa.Column('andere_zaak_id', sa.Integer(), nullable=False),
        sa.Column('soort', sa.String(length=40), nullable=False),
        sa.Column('toelichting', sa.Text(), nullable=True),
        sa.Column('aangemaakt', domain.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('aangemaakt_door_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['aangemaakt_door_id'], ['medewerker.id'], ),
        sa.ForeignKeyConstraint(['andere_zaak_id'], ['zaak.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['zaak_id'], ['zaak.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_zaak_relatie_andere_zaak_id'), 'zaak_relatie', ['andere_zaak_id'], unique=False)
    op.create_index(op.f('ix_zaak_relatie_zaak_id'), 'zaak_relatie', ['zaak_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_zaak_relatie_zaak_id'), table_name='zaak_relatie')
    op.drop_index(op.f('ix_zaak_relatie_andere_zaak_id'), table_name='zaak_relatie')
    op.drop_table('zaak_relatie')
    op.drop_index(op.f('ix_zaak_eigenschap_zaak_id'), table_name='zaak_eigenschap')
    op.drop_table('zaak_eigenschap')
