"""The Regie Team process on the engine, through the real domain operations: as Jeugd in its steps, with every
letter by secure e-mail instead of the portal (issue 15 points 2 and 6)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from domain.models import Document, Inwoner, Notificatie, Termijn
from domain.workflow import voer_uit
from domain.zaken import registreer_melding, sla_verslag_op
from tests.helpers import afspraak_gehouden
from tests.test_wmo_proces import VERSLAG, medewerker

KIND = "999990305"


def _melding(db, diensten):
    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == KIND))
    kind.telefoon = "06 12345678"
    return registreer_melding(db, medewerker(db, "toegang"), inwoner=kind, zaaktype_code="regie_team",
                              hulpvraag="Zorgen over de veiligheid van Lieke thuis.", kanaal="telefoon",
                              diensten=diensten)


def _documenten(db, zaak) -> list[str]:
    return list(db.scalars(select(Document.documenttype).where(Document.zaak_id == zaak.id).order_by(Document.id)))


def test_from_melding_to_the_verslag_with_seven_days_and_the_term_moving_it_on(demo, diensten):
    from domain.tijd import vandaag
    from domain.tijdgestuurd import verwerk_termijnen

    db = demo
    verwerk_termijnen(db, vandaag() + dt.timedelta(days=60), diensten=diensten)  # the demo's own terms first
    zaak = _melding(db, diensten)
    regie = medewerker(db, "regieteam")
    assert zaak.team.code == "regie_team" and _documenten(db, zaak) == ["bevestigingsbrief"]
    voer_uit(db, regie, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "locatie": "Bij het gezin thuis"})
    afspraak_gehouden(db, regie, zaak, diensten)
    sla_verslag_op(db, regie, zaak, VERSLAG)
    voer_uit(db, regie, zaak, "verslag_versturen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "verslag_ter_reactie"
    assert _documenten(db, zaak) == ["bevestigingsbrief", "afspraakbevestiging", "onderzoeksverslag"]
    reactie = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "reactietermijn-7-dagen"))
    assert reactie.einddatum >= reactie.startdatum + dt.timedelta(days=7)
    # Nothing of it in the portal: the inwoner has no notification about this zaak, whatever happened.
    assert db.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.zaak_id == zaak.id, Notificatie.inwoner_id.is_not(None))) == 0
    verwerk_termijnen(db, reactie.einddatum + dt.timedelta(days=1), diensten=diensten)
    db.refresh(zaak)
    assert zaak.status == "aanvraagformulier"


def test_the_beschikking_grants_jeugdhulp_from_the_productshop(client, demo):
    """The Regieteam's own team domain has no products: it grants jeugdhulp with its iJw codes (Zaaktype.productshop)."""
    from domain.models import Zaak
    from tests.helpers import medewerker_inloggen

    noah = demo.scalar(select(Inwoner).where(Inwoner.bsn == "999990354"))  # the demo: his aanvraag is complete
    zaak = demo.scalar(select(Zaak).where(Zaak.inwoner_id == noah.id, Zaak.zaaktype == "regie_team"))
    assert zaak.status == "aanvraag"
    medewerker_inloggen(client, "regieteam")
    html = client.get(f"/backoffice/zaken/{zaak.id}/beschikking").get_data(as_text=True)
    assert "Jeugdhulp ambulant, individueel" in html and "Hulp bij het huishouden" not in html
