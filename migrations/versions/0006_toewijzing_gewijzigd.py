"""toewijzing.gewijzigd: the moment of the latest change, sent as Toewijzingsdatum/-tijd in a 301

Revision ID: 0006_toewijzing_gewijzigd
Revises: 0005_berichten
Create Date: 2026-11-23 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.models.base

revision = "0006_toewijzing_gewijzigd"
down_revision = "0005_berichten"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("toewijzing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gewijzigd", domain.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("toewijzing", schema=None) as batch_op:
        batch_op.drop_column("gewijzigd")
