"""berichten_in_variant: the rule "grant a 317 within the beschikking automatically" moves from
gemeente.instellingen["berichten"] into the zaaktype variants of the zaaktypen that order through iWmo/iJw.

The setting used to apply to every zaak of the gemeente whatever its start, so a gemeente that had turned it off
gets the value in each existing version of those zaaktypen (running zaken keep behaving as before), or a first
version when it had none. No schema change.

Revision ID: 0018_berichten_in_variant
Revises: 0017_eigenschappen_relaties
Create Date: 2026-12-03 14:20:00.000000
"""
from __future__ import annotations

import datetime as dt
import json

from alembic import op
import sqlalchemy as sa


revision = '0018_berichten_in_variant'
down_revision = '0017_eigenschappen_relaties'
branch_labels = None
depends_on = None

SLEUTEL = "wijziging_binnen_beschikking_automatisch"
ZAAKTYPEN = ("wmo", "jeugd")  # those with a berichtstandaard when this migration was written


def _json(waarde):
    return json.loads(waarde) if isinstance(waarde, str) else (waarde or {})


def upgrade() -> None:
    conn = op.get_bind()
    for gemeente_id, instellingen in conn.execute(sa.text("SELECT id, instellingen FROM gemeente")).all():
        instellingen = _json(instellingen)
        berichten = instellingen.pop("berichten", None) or {}
        if SLEUTEL in berichten and berichten[SLEUTEL] is False:
            for zaaktype in ZAAKTYPEN:
                versies = conn.execute(sa.text(
                    "SELECT id, waarden FROM zaaktype_configuratie WHERE gemeente_id = :g AND zaaktype = :z"),
                    {"g": gemeente_id, "z": zaaktype}).all()
                for rij_id, waarden in versies:
                    conn.execute(sa.text("UPDATE zaaktype_configuratie SET waarden = :w WHERE id = :id"),
                                 {"w": json.dumps({**_json(waarden), SLEUTEL: False}), "id": rij_id})
                if not versies:
                    conn.execute(sa.text(
                        "INSERT INTO zaaktype_configuratie (gemeente_id, zaaktype, versie, begindatum, waarden, "
                        "toelichting, aangemaakt) VALUES (:g, :z, 1, :b, :w, :t, CURRENT_TIMESTAMP)"),
                        {"g": gemeente_id, "z": zaaktype, "b": dt.date.today(), "w": json.dumps({SLEUTEL: False}),
                         "t": "Overgenomen uit de gemeente-instellingen (berichtenverkeer)."})
        conn.execute(sa.text("UPDATE gemeente SET instellingen = :i WHERE id = :id"),
                     {"i": json.dumps(instellingen), "id": gemeente_id})


def downgrade() -> None:
    pass  # the values stay in the variants, where the code reads them
