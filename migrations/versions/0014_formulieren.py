"""formulieren: drafts and submissions of portal forms; a hulpvraag action points at its klantcontact

Revision ID: 0014_formulieren
Revises: 0013_zaaktype_configuratie
Create Date: 2026-12-03 08:40:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import domain.models.base


revision = '0014_formulieren'
down_revision = '0013_zaaktype_configuratie'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('formulier_inzending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('formulier', sa.String(length=60), nullable=False),
    sa.Column('inwoner_id', sa.Integer(), nullable=False),
    sa.Column('waarden', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('aangemaakt', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd', domain.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('verzonden_op', domain.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inwoner_id'], ['inwoner.id'], name=op.f('fk_formulier_inzending_inwoner_id_inwoner')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaak.id'], name=op.f('fk_formulier_inzending_zaak_id_zaak'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formulier_inzending'))
    )
    with op.batch_alter_table('formulier_inzending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_formulier_inzending_inwoner_id'), ['inwoner_id'], unique=False)
        batch_op.create_index('ix_formulier_inzending_zaak_formulier', ['zaak_id', 'formulier', 'status'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('formulier_inzending_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_document_formulier_inzending_id'), ['formulier_inzending_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_document_formulier_inzending_id_formulier_inzending'),
                                    'formulier_inzending', ['formulier_inzending_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('actie', schema=None) as batch_op:
        batch_op.add_column(sa.Column('klantcontact_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_actie_klantcontact_id'), ['klantcontact_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_actie_klantcontact_id_klantcontact'), 'klantcontact',
                                    ['klantcontact_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('actie', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_actie_klantcontact_id_klantcontact'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_actie_klantcontact_id'))
        batch_op.drop_column('klantcontact_id')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_formulier_inzending_id_formulier_inzending'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_document_formulier_inzending_id'))
        batch_op.drop_column('formulier_inzending_id')

    with op.batch_alter_table('formulier_inzending', schema=None) as batch_op:
        batch_op.drop_index('ix_formulier_inzending_zaak_formulier')
        batch_op.drop_index(batch_op.f('ix_formulier_inzending_inwoner_id'))

    op.drop_table('formulier_inzending')
