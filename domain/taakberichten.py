"""Which of the inwoner's berichten asked her to do something, and whether that is done: a bericht sent as her
zaak entered a status in which she must act ("Lees en onderteken het verslag") is a task until the zaak moved
on. The portal marks it done, so an old task never reads as if it still waits (issue 14, item 8)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Notificatie, StatusHistorie, Zaak

TE_DOEN, GEDAAN = "te_doen", "gedaan"


def taakstand(session: Session, berichten: Sequence[Notificatie]) -> dict[int, str]:
    """{notificatie id: TE_DOEN or GEDAAN} for the berichten that asked for an action; others are absent. Two
    statements for the page, however many berichten it shows."""
    from .processes import zaaktype_van

    zaak_ids = {n.zaak_id for n in berichten if n.zaak_id}
    if not zaak_ids:
        return {}
    zaaktypen = dict(session.execute(select(Zaak.id, Zaak.zaaktype).where(Zaak.id.in_(zaak_ids))).all())
    historie: dict[int, list[tuple]] = {}
    for zaak_id, status, tijdstip in session.execute(
            select(StatusHistorie.zaak_id, StatusHistorie.status, StatusHistorie.tijdstip)
            .where(StatusHistorie.zaak_id.in_(zaak_ids)).order_by(StatusHistorie.tijdstip, StatusHistorie.id)):
        historie.setdefault(zaak_id, []).append((status, tijdstip))
    stand: dict[int, str] = {}
    for n in berichten:
        stappen = historie.get(n.zaak_id, [])
        for i, (status, tijdstip) in enumerate(stappen):
            if tijdstip != n.aangemaakt:
                continue
            try:
                vraagt = zaaktype_van(zaaktypen[n.zaak_id]).status(status).actie_inwoner
            except KeyError:
                vraagt = None
            if vraagt:
                stand[n.id] = GEDAAN if i + 1 < len(stappen) else TE_DOEN
    return stand
