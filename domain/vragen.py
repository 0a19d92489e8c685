"""Questions of the gemeente to the inwoner (informatieverzoek): the behandelaar asks, the inwoner answers in the
portal with text and/or documents.

Asking makes a letter on the zaak ("Vraag om informatie", so it is on record and goes by post to an inwoner who
prefers post) and a notification (and e-mail when preferred). The answer notifies the behandelaar (or the zaak's
team when nobody is assigned). Whether the term stands still meanwhile (Awb 4:15) the behandelaar decides on the
zaak's term (opschorten); a question does not do that by itself. A term suspended "until the inwoner answers"
(``ANTWOORD_INWONER``) runs again when an answer comes in.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .effects import MeldInwoner, hervat_termijnen
from .models import Medewerker, Notificatie, Vraag, Zaak, utcnow
from .notificaties import titel
from .protocol import Handeling, protocolleer
from .stappen import Brief, letterlijk
from .teksten import aantal, datum_nl
from .tijd import datum_van
from .uploads import Upload, als_document
from .workflow import Diensten, OvergangFout, handeling_context

OPEN, BEANTWOORD = "open", "beantwoord"
ANTWOORD_INWONER = "antwoord_inwoner"
"""The event "the inwoner answered a question": a term suspended until it (``Termijn.opgeschort_tot``) resumes."""


class VraagFout(OvergangFout):
    """Refused input; `veld` names the form field the message belongs to ("tekst", "uiterlijk", "antwoord")."""

    def __init__(self, melding: str, veld: str):
        super().__init__(melding)
        self.veld = veld
STANDAARD_DAGEN = 14  # a reasonable term to answer (Awb 4:5: the inwoner gets the chance to complete)


def mag_vragen(actor: Actor, zaak: Zaak) -> bool:
    return not zaak.afgesloten and authz.is_behandelaar(actor, zaak)


def stel_vraag(session: Session, actor: Actor, zaak: Zaak, *, tekst: str, uiterlijk: dt.date, diensten: Diensten,
               nu: dt.datetime | None = None) -> Vraag:
    nu = nu or utcnow()
    if not mag_vragen(actor, zaak):
        raise OvergangFout("U kunt bij deze zaak geen vraag aan de inwoner stellen.")
    tekst = (tekst or "").strip()
    if not tekst:
        raise VraagFout("Schrijf de vraag op.", "tekst")
    if uiterlijk is None or uiterlijk <= datum_van(nu):
        raise VraagFout("Kies een datum na vandaag waarop de inwoner uiterlijk antwoordt.", "uiterlijk")
    vraag = Vraag(zaak_id=zaak.id, inwoner_id=zaak.inwoner_id, gesteld_door_id=actor.id, tekst=tekst,
                  uiterlijk=uiterlijk, status=OPEN, gesteld_op=nu)
    session.add(vraag)
    session.flush()
    ctx = handeling_context(session, actor, zaak, "vraag", "Vraag aan de inwoner", diensten=diensten, nu=nu)
    Brief("vraag_om_informatie", "Vraag om informatie", "Wij hebben een vraag aan u",
          ("Wij hebben informatie van u nodig voor uw zaak {zaaknummer}:",
           letterlijk(tekst),
           (f"Wilt u ons uiterlijk op {datum_nl(uiterlijk)} antwoorden? Dat kan in het portaal: log in met DigiD, "
            "open uw zaak en kies 'Vraag beantwoorden'. U kunt daar ook documenten meesturen."),
           "Heeft u vragen? Bel ons gerust.")).toepassen(ctx)
    MeldInwoner("nieuwe_notificatie", "Wij hebben een vraag aan u",
                f"Wij hebben informatie van u nodig. Wilt u uiterlijk op {datum_nl(uiterlijk)} antwoorden? "
                "Dat kan in het portaal.").toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="vraag", object_id=vraag.id,
                 omschrijving=f"Vraag gesteld aan de inwoner ({zaak.identificatie})", doel="Behandeling zaak",
                 inwoner_id=zaak.inwoner_id)
    session.commit()
    return vraag


def vragen_van(session: Session, zaak: Zaak) -> list[Vraag]:
    return list(session.scalars(select(Vraag).where(Vraag.zaak_id == zaak.id).order_by(Vraag.id)))


def beantwoord_vraag(session: Session, actor: Actor, vraag: Vraag, *, antwoord: str, bijlagen: Sequence[Upload] = (),
                     nu: dt.datetime | None = None) -> Vraag:
    nu = nu or utcnow()
    if not actor.mag_handelen_voor(vraag.inwoner_id):
        raise OvergangFout("U kunt alleen uw eigen vragen beantwoorden.")
    if vraag.status != OPEN:
        raise OvergangFout("Deze vraag heeft u al beantwoord.")
    antwoord = (antwoord or "").strip()
    if not antwoord and not bijlagen:
        raise VraagFout("Schrijf uw antwoord op, of stuur een document mee.", "antwoord")
    zaak = session.get(Zaak, vraag.zaak_id)
    vraag.antwoord, vraag.status, vraag.beantwoord_op = antwoord or None, BEANTWOORD, nu
    hervat_termijnen(session, zaak, ANTWOORD_INWONER, datum_van(nu))
    for upload in bijlagen:
        session.add(als_document(upload, zaak_id=zaak.id, inwoner_id=vraag.inwoner_id, documenttype="bijlage_antwoord",
                                 titel=f"Bij uw antwoord: {upload.bestandsnaam}", nu=nu, vraag_id=vraag.id))
    ontvangers = [zaak.behandelaar_id] if zaak.behandelaar_id else [
        m.id for m in session.scalars(select(Medewerker).where(Medewerker.actief, Medewerker.teams.any(id=zaak.team_id)))
    ] if zaak.team_id else []
    for medewerker_id in ontvangers:
        session.add(Notificatie(medewerker_id=medewerker_id, zaak_id=zaak.id,
                                onderwerp=titel("De inwoner heeft geantwoord", zaak.identificatie),
                                tekst="Antwoord op uw vraag"
                                      + (f", met {aantal(len(bijlagen), 'document', 'documenten')}" if bijlagen else "") + ".",
                                link=f"/backoffice/zaken/{zaak.id}", aangemaakt=nu))
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="vraag", object_id=vraag.id,
                 omschrijving=f"Vraag beantwoord ({zaak.identificatie})", doel="Behandeling zaak",
                 inwoner_id=vraag.inwoner_id)
    session.commit()
    return vraag
