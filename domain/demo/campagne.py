"""A demo briefcampagne that has finished: the herindicatie letter to Julia de Wit's parents, whose jeugdhulp ends
in some eight months, so the backoffice's Briefcampagnes page shows a campaign and its numbers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Briefcampagne, Inwoner, Voorziening
from .basis import medewerker_actor

BSN = "999990391"  # Julia de Wit (15), jeugd-ggz geleverd (domain/demo/jeugd.py)


def demo_campagne(session: Session, diensten) -> int:
    """Plan and run the campaign in this process (no pool: one letter). Idempotent: made once."""
    from ..briefcampagne import plan_campagne
    from ..campagne_uitvoering import claim, voer_uit

    if diensten.html_naar_pdf is None or session.scalar(select(func.count()).select_from(Briefcampagne)):
        return 0
    einde = session.scalar(select(Voorziening.einddatum).join(Inwoner, Inwoner.id == Voorziening.inwoner_id).where(
        Inwoner.bsn == BSN, Voorziening.status == "geleverd", Voorziening.einddatum.is_not(None)).limit(1))
    if einde is None:
        return 0
    campagne = plan_campagne(session, medewerker_actor(session, "administratie"), "herindicatie",
                             einde - dt.timedelta(days=7), einde + dt.timedelta(days=7))
    voer_uit(session, claim(session, campagne.id), diensten, workers=0)
    return 1
