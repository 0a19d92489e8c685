"""Backoffice: what the toetser sees before judging a beschikking (why toetsing is needed, the beschikking, the
verslag) and a preview of the beschikking as the inwoner will get it."""
from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, send_file
from flask_login import current_user

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz, tijd
from domain.configuratie import variant_van
from domain.models import Besluit, Zaak, utcnow
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.roles import Rol
from domain.stappen import beschikking_pdf, lopend_besluit
from domain.toetsing import EIGEN_BESCHIKKING, mag_toetsen, toetsingsgrond
from domain.vertrouwelijkheid import toegestaan, voor_documenttype
from domain.workflow import Context

from . import bp


def toetsbeeld(session, actor, zaak: Zaak, besluit: Besluit | None) -> dict | None:
    """For the zaak page while its beschikking waits for a toetser: the rule that sent it there (to everyone who
    sees the zaak), and for a toetser whether they may judge it (not their own) and whether they may open the
    preview."""
    if besluit is None or besluit.status != "ter_toetsing":
        return None
    return {
        "grond": toetsingsgrond(besluit, variant_van(session, zaak)),
        "toetser": actor.heeft_rol(Rol.TOETSER),
        "eigen": not mag_toetsen(actor, besluit),
        "eigen_melding": EIGEN_BESCHIKKING,
        "voorbeeld": _mag_beschikking_lezen(actor, zaak),
    }


def _mag_beschikking_lezen(actor, zaak: Zaak) -> bool:
    return voor_documenttype(zaaktype_van(zaak.zaaktype), "beschikking") in toegestaan(actor, zaak)


@bp.get("/zaken/<int:zaak_id>/beschikking/voorbeeld")
def beschikking_voorbeeld(zaak_id: int):
    """The beschikking ter toetsing as PDF, as the inwoner would get it if it were signed today: nothing is stored
    or sent."""
    db = get_session()
    a = current_user.actor()
    try:
        zaak = authz.zaak_voor(db, a, zaak_id)
    except authz.NietGevonden:
        abort(404)
    besluit = lopend_besluit(db, zaak.id)
    if besluit is None or besluit.status not in ("concept", "ter_toetsing") or not _mag_beschikking_lezen(a, zaak):
        abort(404)
    zaaktype = zaaktype_van(zaak.zaaktype)
    nu = utcnow()
    ctx = Context(session=db, zaak=zaak, actor=a, zaaktype=zaaktype, overgang=None, gegevens={}, nu=nu,
                  vandaag=tijd.vandaag(), diensten=diensten_uit(current_app.config["SETTINGS"]))
    ondertekenaar = a if a.heeft_rol(Rol.TOETSER) and mag_toetsen(a, besluit) else besluit.auteur
    regeling = f" {zaaktype.regeling}" if zaaktype.regeling else ""
    pdf, _ = beschikking_pdf(ctx, besluit, ondertekenaar,
                             onderwerp=f"Voorbeeld, nog niet verzonden: besluit op uw aanvraag{regeling}")
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="besluit", object_id=besluit.id,
                 omschrijving=f"Voorbeeld van de beschikking geopend ({zaak.identificatie})", doel="Behandeling zaak",
                 inwoner_id=zaak.inwoner_id)
    db.commit()
    return send_file(BytesIO(pdf), mimetype="application/pdf",
                     download_name=f"voorbeeld-beschikking-{zaak.identificatie}.pdf")
