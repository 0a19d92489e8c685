"""Filing a bezwaar against a besluit, from the portal (or by letter, registered in the backoffice)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from .actor import Actor
from .configuratie import variant_van
from .deadlines import bereken, is_tijdig
from .feestdagen import gelijkgestelde_dagen_van
from .models import Besluit, Bezwaarschrift, Zaak, utcnow
from .tijd import datum_van
from .uploads import Upload, als_document
from .workflow import Diensten, OvergangFout, start_zaak


def bezwaartermijn(besluit: Besluit):
    """The term for a bezwaar against this besluit: 6 weeks from the day after bekendmaking (Awb 6:7, 6:8), with
    the gelijkgestelde dagen of the besluit's gemeente."""
    zaak = object_session(besluit).get(Zaak, besluit.zaak_id)
    return bereken("bezwaartermijn", besluit.verzenddatum, extra_feestdagen=gelijkgestelde_dagen_van(zaak.gemeente))


AL_BEZWAAR = "U heeft al bezwaar gemaakt tegen dit besluit. U ziet het bij Mijn zaken."
GEEN_BEZWAAR_TEGEN_BESLISSING = ("Tegen een beslissing op bezwaar kunt u geen bezwaar maken. U kunt wel beroep "
                                 "instellen bij de rechtbank (Awb, artikel 7:1 en 8:1).")


def _bezwaarcode() -> str:
    from .processes import bezwaarzaaktype

    return bezwaarzaaktype().code


def is_bezwaarzaak(zaak: Zaak) -> bool:
    from .processes import zaaktype_van

    return zaaktype_van(zaak.zaaktype).behandelt_bezwaar


def beroepstermijn(schrift: Bezwaarschrift):
    """The term for beroep at the rechtbank against the beslissing op bezwaar: 6 weeks, counted like the
    bezwaartermijn from the day after the beslissing was sent (Awb 8:1, 6:7, 6:8 lid 1). The one place that
    computes it: the letter and the portal both ask here."""
    zaak = object_session(schrift).get(Zaak, schrift.zaak_id)
    return bereken("beroepstermijn", schrift.beslist_op, extra_feestdagen=gelijkgestelde_dagen_van(zaak.gemeente))


def rechtbank_van(gemeente) -> str | None:
    """The court for beroep: the rechtbank of the gemeente's arrondissement, a setting in its briefhoofd."""
    return (gemeente.briefhoofd or {}).get("rechtbank") or None


def bezwaarschrift_van(session: Session, zaak: Zaak) -> Bezwaarschrift | None:
    return session.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == zaak.id))


def vastgesteld_besluit(session: Session, zaak: Zaak, *laden) -> Besluit | None:
    """The latest besluit of the zaak that was signed and sent: the one an inwoner can object to. `laden`: loader
    options for what the caller reads from it (its voorzieningen with their product)."""
    return session.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id, Besluit.status == "vastgesteld")
                          .order_by(Besluit.id.desc()).limit(1).options(*laden))


def lopend_bezwaar(session: Session, besluit: Besluit) -> Zaak | None:
    return session.scalar(select(Zaak).where(Zaak.zaaktype == _bezwaarcode(), Zaak.besluit_id == besluit.id))


def dien_bezwaar_in(session: Session, actor: Actor, hoofdzaak: Zaak, *, gronden: str, contact_hoorzitting: str,
                    bijlagen: Sequence[Upload] = (), diensten: Diensten, nu: dt.datetime | None = None) -> Zaak:
    """The inwoner objects to the besluit of their zaak. A late bezwaar is accepted and flagged for the
    verschoonbaarheid question (Awb 6:11); juridische zaken decide on it."""
    nu = nu or utcnow()
    vandaag = datum_van(nu)
    if not actor.mag_handelen_voor(hoofdzaak.inwoner_id):
        raise OvergangFout("U kunt alleen bezwaar maken tegen uw eigen besluit.")
    if is_bezwaarzaak(hoofdzaak):
        raise OvergangFout(GEEN_BEZWAAR_TEGEN_BESLISSING)
    besluit = vastgesteld_besluit(session, hoofdzaak)
    if besluit is None:
        raise OvergangFout("Er is nog geen besluit waartegen u bezwaar kunt maken.")
    if lopend_bezwaar(session, besluit) is not None:
        raise OvergangFout(AL_BEZWAAR)
    if not gronden.strip():
        raise OvergangFout("Schrijf op waarom u het niet eens bent met het besluit.")
    termijn = bezwaartermijn(besluit)
    te_laat = not is_tijdig(termijn, vandaag)
    try:
        zaak = _schrijf_bezwaar(session, actor, hoofdzaak, besluit, gronden=gronden,
                                contact_hoorzitting=contact_hoorzitting, bijlagen=bijlagen, te_laat=te_laat,
                                laatste_dag=termijn.einddatum, diensten=diensten, nu=nu)
        session.commit()
    except IntegrityError:
        # The check above and these inserts are two steps: the database holds the rule when two submissions
        # arrive at the same moment (uq_bezwaarschrift_besluit, uq_zaak_besluit).
        session.rollback()
        raise OvergangFout(AL_BEZWAAR) from None
    return zaak


def _schrijf_bezwaar(session: Session, actor: Actor, hoofdzaak: Zaak, besluit: Besluit, *, gronden: str,
                     contact_hoorzitting: str, bijlagen: Sequence[Upload], te_laat: bool,
                     laatste_dag: dt.date | None = None, diensten: Diensten, nu: dt.datetime) -> Zaak:
    vandaag = datum_van(nu)
    # The team comes from configuration: the gemeente's choice, or the team that handles bezwaren.
    zaak = start_zaak(session, actor, zaaktype_code=_bezwaarcode(), inwoner_id=hoofdzaak.inwoner_id,
                      gemeente_id=hoofdzaak.gemeente_id, team_id=None,
                      hulpvraag=gronden.strip(), startdatum=vandaag, diensten=diensten, nu=nu,
                      hoofdzaak_id=hoofdzaak.id, besluit_id=besluit.id,
                      gegevens={"te_laat": te_laat, "laatste_dag": laatste_dag,
                                "bijlagen": [u.bestandsnaam for u in bijlagen]})
    session.add(Bezwaarschrift(zaak_id=zaak.id, besluit_id=besluit.id, ontvangen_op=vandaag, gronden=gronden.strip(),
                               contact_hoorzitting=contact_hoorzitting.strip() or None, te_laat=te_laat,
                               adviescommissie=bool(variant_van(session, zaak).get("adviescommissie"))))
    for upload in bijlagen:
        session.add(als_document(upload, zaak_id=zaak.id, inwoner_id=hoofdzaak.inwoner_id,
                                 documenttype="bijlage_bezwaar", titel=f"Bijlage: {upload.bestandsnaam}", nu=nu))
    return zaak
