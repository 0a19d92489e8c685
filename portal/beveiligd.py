"""Portal: the page of a secure e-mail (domain/beveiligde_mail.py), without DigiD. The link's token is the only key
to the landing page; the SMS code opens the message for this browser for a while (a secret in its session).

The token is only in the URL path: these responses send `Referrer-Policy: no-referrer` (no other site ever sees
the address) and `Cache-Control: no-store`, and the development server's access log shows "/beveiligd/[token]".
"""
from __future__ import annotations

import logging
import re
from io import BytesIO

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from app.config import INSTANCE
from app.db import get_session
from app.diensten import diensten_uit
from app.parameters import id_param
from domain import beveiligde_mail as bm
from domain.formulieren import als_invoer
from domain.inzendingen import FormulierFout, bekijk, verstuur
from domain.workflow import Conflict, OvergangFout

from . import bp
from .forms import KaleForm
from .formulieren import _invoer, _uploads

_TOKEN = re.compile(r"/beveiligd/[A-Za-z0-9_-]+")


class _ZonderToken(logging.Filter):
    """An access log line carries the path: the token becomes [token]."""

    def filter(self, record: logging.LogRecord) -> bool:
        bericht = record.getMessage()
        schoon = _TOKEN.sub("/beveiligd/[token]", bericht)
        if schoon != bericht:
            record.msg, record.args = schoon, ()
        return True


_werkzeug = logging.getLogger("werkzeug")
if not any(isinstance(f, _ZonderToken) for f in _werkzeug.filters):
    _werkzeug.addFilter(_ZonderToken())


def _antwoord(inhoud, status: int | None = None):
    antwoord = make_response(inhoud) if status is None else make_response(inhoud, status)
    antwoord.headers["Referrer-Policy"] = "no-referrer"
    antwoord.headers["Cache-Control"] = "no-store"
    return antwoord


def _sms():
    client = current_app.extensions.get("sms_client")
    if client is None:
        from integrations.sms import get_sms

        instellingen = current_app.config["SETTINGS"]
        client = get_sms(instellingen.sms, INSTANCE / "sms", development=instellingen.development)
        current_app.extensions["sms_client"] = client
    return client


def _zending(token: str):
    zending = bm.zoek(get_session(), token)
    if zending is not None:
        g.gemeente = zending.zaak.gemeente
    return zending


def _sleutel(zending) -> str:
    return f"beveiligd-{zending.id}"


def _onbekend():
    return _antwoord(render_template("portal/beveiligd/onbekend.html"), 404)


def _einde(stand: str, zending):
    """The page of a link that does not work (any more): expired, blocked or used."""
    status = 403 if stand == bm.GEBLOKKEERD else 410
    return _antwoord(render_template(f"portal/beveiligd/{stand}.html", zending=zending), status)


def _stand(token: str):
    """(zending, state) with the state recorded, or (None, None) for an unknown link."""
    db = get_session()
    zending = _zending(token)
    if zending is None:
        return None, None
    stand = bm.toestand(db, zending, session.get(_sleutel(zending)))
    db.commit()
    return zending, stand


@bp.get("/beveiligd/<token>")
def beveiligd(token: str):
    zending, stand = _stand(token)
    if zending is None:
        return _onbekend()
    if stand == bm.TOEGANG:
        return _antwoord(redirect(url_for("portal.beveiligd_bericht", token=token)))
    if stand != bm.OPEN:
        return _einde(stand, zending)
    return _antwoord(render_template("portal/beveiligd/start.html", zending=zending, token=token, form=KaleForm(),
                                     eindigt_op=bm.eindigt_op(zending.telefoon),
                                     code_loopt=bm.geldige_code(get_session(), zending, bm.nu()) is not None))


@bp.post("/beveiligd/<token>/sms")
def beveiligd_sms(token: str):
    zending, stand = _stand(token)
    if zending is None:
        return _onbekend()
    if not KaleForm().validate_on_submit():
        abort(400)
    if stand != bm.OPEN:
        return _antwoord(redirect(url_for("portal.beveiligd", token=token)))
    try:
        bm.stuur_code(get_session(), zending, _sms())
    except bm.BeveiligdFout as fout:
        flash(fout.melding, "fout")
        if bm.geldige_code(get_session(), zending, bm.nu()) is None:
            return _antwoord(redirect(url_for("portal.beveiligd", token=token)))
    else:
        flash(f"We hebben een sms met de code gestuurd naar uw telefoonnummer dat eindigt op "
              f"{bm.eindigt_op(zending.telefoon)}.", "ok")
    return _antwoord(redirect(url_for("portal.beveiligd_code", token=token)))


def _codepagina(zending, token: str, fout: str | None = None, over: int | None = None, status: int = 200):
    return _antwoord(render_template("portal/beveiligd/code.html", zending=zending, token=token, form=KaleForm(),
                                     fout=fout, over=over, eindigt_op=bm.eindigt_op(zending.telefoon)), status)


@bp.route("/beveiligd/<token>/code", methods=["GET", "POST"])
def beveiligd_code(token: str):
    zending, stand = _stand(token)
    if zending is None:
        return _onbekend()
    if stand != bm.OPEN:
        return _antwoord(redirect(url_for("portal.beveiligd", token=token)))
    if request.method == "GET":
        return _codepagina(zending, token)
    if not KaleForm().validate_on_submit():
        abort(400)
    try:
        geheim = bm.controleer_code(get_session(), zending, request.form.get("code", ""))
    except bm.BeveiligdFout as fout:
        if zending.status == bm.GEBLOKKEERD:
            return _einde(bm.GEBLOKKEERD, zending)
        if zending.status != bm.VERZONDEN:
            return _antwoord(redirect(url_for("portal.beveiligd", token=token)))
        return _codepagina(zending, token, fout.melding, fout.pogingen_over, 422)
    session[_sleutel(zending)] = geheim
    return _antwoord(redirect(url_for("portal.beveiligd_bericht", token=token)))


def _toegang(token: str):
    """The zending when this browser has access now; otherwise the response to give instead."""
    zending, stand = _stand(token)
    if zending is None:
        return None, _onbekend()
    if stand != bm.TOEGANG:
        return None, _antwoord(redirect(url_for("portal.beveiligd", token=token)))
    return zending, None


def _berichtpagina(zending, token: str, *, fouten: dict | None = None, invoer: dict | None = None,
                   status: int = 200):
    """The message, its documents and the open forms; `fouten`/`invoer` per form code after a refused reply."""
    db = get_session()
    actor = bm.ontvanger(zending)
    formulieren = []
    for formulier in bm.open_formulieren(zending):
        stand = bekijk(db, actor, zending.zaak, formulier)
        eigen = (invoer or {}).get(formulier.code)
        formulieren.append({
            "formulier": formulier, "stand": stand, "fouten": (fouten or {}).get(formulier.code, {}),
            "invoer": eigen if eigen is not None else {v.code: als_invoer(v, stand.waarden.get(v.code))
                                                       for v in formulier.velden}})
    db.commit()
    return _antwoord(render_template("portal/beveiligd/bericht.html", zending=zending, token=token, form=KaleForm(),
                                     formulieren=formulieren), status)


@bp.get("/beveiligd/<token>/bericht")
def beveiligd_bericht(token: str):
    zending, anders = _toegang(token)
    return anders or _berichtpagina(zending, token)


@bp.get("/beveiligd/<token>/documenten/<int:versie_id>")
def beveiligd_document(token: str, versie_id: int):
    zending, anders = _toegang(token)
    if anders:
        return anders
    try:
        versie = bm.download(get_session(), zending, versie_id)
    except LookupError:
        return _onbekend()
    return _antwoord(send_file(BytesIO(versie.inhoud), mimetype=versie.mediatype, download_name=versie.bestandsnaam,
                               as_attachment=True))


@bp.post("/beveiligd/<token>/formulieren/<code>")
def beveiligd_formulier(token: str, code: str):
    zending, anders = _toegang(token)
    if anders:
        return anders
    formulier = next((f for f in bm.open_formulieren(zending) if f.code == code), None)
    if formulier is None:
        return _onbekend()
    if not KaleForm().validate_on_submit():
        abort(400)
    db = get_session()
    invoer = _invoer(formulier)
    uploads, upload_fouten = _uploads(formulier)
    if upload_fouten:
        return _berichtpagina(zending, token, fouten={code: upload_fouten}, invoer={code: invoer}, status=422)
    try:
        ctx = verstuur(db, bm.ontvanger(zending), zending.zaak, formulier, invoer=invoer, uploads=uploads,
                       inzending_id=id_param("inzending", request.form),
                       verwachte_versie=request.form.get("versie", type=int),
                       diensten=diensten_uit(current_app.config["SETTINGS"]))
    except FormulierFout as fout:
        return _berichtpagina(zending, token, fouten={code: fout.fouten}, invoer={code: invoer}, status=422)
    except OvergangFout as fout:  # Conflict too: saved elsewhere meanwhile, or the zaak moved on
        flash(fout.melding, "waarschuwing" if isinstance(fout, Conflict) else "fout")
        return _antwoord(redirect(url_for("portal.beveiligd_bericht", token=token)))
    bm.reactie_verstuurd(db, zending, formulier)
    teksten = dict.fromkeys([formulier.bevestiging, ctx.bevestiging])
    flash(" ".join(t for t in teksten if t), "ok")
    return _antwoord(redirect(url_for("portal.beveiligd_bericht", token=token)))
