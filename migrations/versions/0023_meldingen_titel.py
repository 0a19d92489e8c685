"""meldingen titel: a medewerker's notification is titled by what happened and on which zaak ("Wijzigingen in het
verslag – 0613-2026-000004") with the message as its text, and the Meldingen page lists them newest first.

Old rows get the same shape: the zaak's identificatie moves from the front of the text to the end of the title, and
a title that was the whole message cut off at 200 characters (an actie from a zorgaanbieder's message) gets a short
title derived from the message.

Revision ID: 0023_meldingen_titel
Revises: 0022_zorgaanbieder_telefoon
Create Date: 2026-12-04 18:00:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0023_meldingen_titel'
down_revision = '0022_zorgaanbieder_telefoon'
branch_labels = None
depends_on = None

STREEP = " – "
_ID = "(SELECT zaak.identificatie FROM zaak WHERE zaak.id = notificatie.zaak_id)"
_ALS_MEDEWERKER = "notificatie.medewerker_id IS NOT NULL AND notificatie.zaak_id IS NOT NULL"


def upgrade() -> None:
    op.drop_index('ix_notificatie_medewerker', table_name='notificatie')
    op.create_index('ix_notificatie_medewerker_aangemaakt', 'notificatie', ['medewerker_id', 'aangemaakt', 'id'])
    # Only rows in the old shape: their text starts with "<identificatie>: ".
    oud = f"{_ALS_MEDEWERKER} AND substr(tekst, 1, length({_ID}) + 2) = {_ID} || ': '"
    # Titles that were the message itself (only actions from a zorgaanbieder's message made those).
    op.execute(f"""UPDATE notificatie SET onderwerp = CASE
        WHEN tekst LIKE '%vraagt een toewijzing aan%' THEN 'Verzoek om toewijzing'
        WHEN tekst LIKE '%vraagt een wijziging van de toewijzing%' THEN 'Verzoek om wijziging van de toewijzing'
        WHEN tekst LIKE '%heeft de toewijzing afgekeurd%' THEN 'Toewijzing afgekeurd door de zorgaanbieder'
        ELSE 'Nieuwe actie' END
        WHERE {oud} AND length(onderwerp) > 80
          AND substr(tekst, length({_ID}) + 3, length(onderwerp)) = onderwerp""")
    op.execute(f"""UPDATE notificatie SET onderwerp = substr(onderwerp || '{STREEP}' || {_ID}, 1, 200),
        tekst = substr(tekst, length({_ID}) + 3) WHERE {oud}""")


def downgrade() -> None:
    nieuw = f"{_ALS_MEDEWERKER} AND substr(onderwerp, length(onderwerp) - length({_ID}) - 2) = '{STREEP}' || {_ID}"
    op.execute(f"""UPDATE notificatie SET tekst = {_ID} || ': ' || tekst,
        onderwerp = substr(onderwerp, 1, length(onderwerp) - length({_ID}) - 3) WHERE {nieuw}""")
    op.drop_index('ix_notificatie_medewerker_aangemaakt', table_name='notificatie')
    op.create_index('ix_notificatie_medewerker', 'notificatie', ['medewerker_id', 'id'])
