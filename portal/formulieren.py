"""Portal: a form of the zaaktype, rendered from its declaration (domain/formulieren.py); save and resume later,
send it. Works without JavaScript: two submit buttons, errors at the fields, a summary at the top."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.db import get_session
from app.diensten import diensten_uit
from app.parameters import id_param, ids_uit
from domain import authz
from domain.formulieren import BESTAND, als_invoer
from domain.inzendingen import (
    FormulierFout, bekijk, is_open, op_zaak, sla_op, verstuur, verzonden_van, zoek,
)
from domain.uploads import UploadFout, controleer, lees
from domain.workflow import Conflict, OvergangFout

from . import bp
from .forms import KaleForm
from .zaken import _namens, inwoner_nodig

OPGESLAGEN = ("Uw antwoorden zijn opgeslagen. U kunt later verder gaan, ook op een ander apparaat: log in met DigiD "
              "en open uw zaak.")


@bp.app_context_processor
def _formulieren_op_zaak():
    """For the zaak page's "Wat moet ik doen": the forms open on the zaak (templates/portal/_formulieren_todo.html)."""
    return {"formulieren_op_zaak": lambda zaak: op_zaak(get_session(), zaak)}


def _zoek(zaak_id: int, code: str):
    try:
        return zoek(get_session(), current_user.actor(), zaak_id, code)
    except authz.NietGevonden:
        abort(404)


def _invoer(formulier) -> dict[str, str]:
    return {v.code: request.form.get(v.code, "") for v in formulier.velden if v.soort != BESTAND}


def _uploads(formulier) -> tuple[dict, dict[str, str]]:
    """The files per file field through the one checked upload path; a refused file is an error at its field."""
    max_bytes = current_app.config["SETTINGS"].upload_max_bytes
    uploads, fouten = {}, {}
    for veld in formulier.velden:
        if veld.soort != BESTAND:
            continue
        try:
            uploads[veld.code] = [
                controleer(f.filename or "bijlage", lees(f, max_bytes=max_bytes), max_bytes=max_bytes)
                for f in request.files.getlist(veld.code) if f and f.filename]
        except UploadFout as fout:
            fouten[veld.code] = fout.melding
    return uploads, fouten


def _pagina(stand, *, invoer=None, fouten=None, status=200):
    invoer = invoer if invoer is not None else {v.code: als_invoer(v, stand.waarden.get(v.code))
                                                for v in stand.formulier.velden}
    return render_template("portal/formulier.html", stand=stand, zaak=stand.zaak, formulier=stand.formulier,
                           namens=_namens(stand.zaak),
                           invoer=invoer, fouten=fouten or {}, form=KaleForm()), status


@bp.route("/zaken/<int:zaak_id>/formulieren/<code>", methods=["GET", "POST"])
@inwoner_nodig
def formulier(zaak_id: int, code: str):
    db = get_session()
    actor = current_user.actor()
    zaak, formulier = _zoek(zaak_id, code)
    if request.method == "GET":
        if not is_open(zaak, formulier):
            verzonden = verzonden_van(db, zaak, formulier)
            if verzonden is None:
                abort(404)
            return redirect(url_for("portal.formulier_verzonden", zaak_id=zaak.id, code=code, inzending_id=verzonden.id))
        stand = bekijk(db, actor, zaak, formulier)
        db.commit()
        return _pagina(stand)

    if not KaleForm().validate_on_submit():
        abort(400)
    invoer = _invoer(formulier)
    uploads, upload_fouten = _uploads(formulier)
    argumenten = dict(invoer=invoer, uploads=uploads, weg=set(ids_uit(request.form.getlist("weg"))),
                      inzending_id=id_param("inzending", request.form),
                      verwachte_versie=request.form.get("versie", type=int))
    try:
        if request.form.get("actie") == "versturen" and not upload_fouten:
            ctx = verstuur(db, actor, zaak, formulier, diensten=diensten_uit(current_app.config["SETTINGS"]),
                           **argumenten)
            # The form's own confirmation, and the overgang's when it says something else.
            teksten = dict.fromkeys([formulier.bevestiging, ctx.bevestiging])
            flash(" ".join(t for t in teksten if t), "ok")
            return redirect(url_for("portal.formulier_verzonden", zaak_id=zaak.id, code=code,
                                    inzending_id=ctx.gegevens["inzending_id"]))
        inzending, fouten = sla_op(db, actor, zaak, formulier, **argumenten)
    except FormulierFout as fout:
        return _pagina(bekijk(db, actor, zaak, formulier), invoer=invoer, fouten={**fout.fouten, **upload_fouten},
                       status=422)
    except Conflict as fout:
        flash(fout.melding, "waarschuwing")
        return redirect(url_for("portal.formulier", zaak_id=zaak.id, code=code))
    except OvergangFout as fout:
        flash(fout.melding, "fout")
        return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    fouten = {**fouten, **upload_fouten}
    if fouten:
        return _pagina(bekijk(db, actor, zaak, formulier), invoer=invoer, fouten=fouten, status=422)
    flash(OPGESLAGEN, "ok")
    return redirect(url_for("portal.formulier", zaak_id=zaak.id, code=code))


@bp.get("/zaken/<int:zaak_id>/formulieren/<code>/<int:inzending_id>")
@inwoner_nodig
def formulier_verzonden(zaak_id: int, code: str, inzending_id: int):
    """A sent form, read-only: what was sent, when, and the PDF on the zaak."""
    db = get_session()
    zaak, formulier = _zoek(zaak_id, code)
    try:
        stand = bekijk(db, current_user.actor(), zaak, formulier, inzending_id=inzending_id)
    except authz.NietGevonden:
        abort(404)
    if not stand.verzonden:
        return redirect(url_for("portal.formulier", zaak_id=zaak.id, code=code))
    db.commit()
    from sqlalchemy import select

    from domain.models import Document

    pdf = db.scalar(select(Document).where(Document.formulier_inzending_id == stand.inzending.id,
                                           Document.documenttype == "formulier"))
    return render_template("portal/formulier_verzonden.html", stand=stand, zaak=zaak, formulier=formulier, pdf=pdf)
