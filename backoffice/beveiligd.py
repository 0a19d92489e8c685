"""Backoffice: a new secure e-mail link for a zending that expired, was blocked or could not go out (the zaak
page's panel "Beveiligde e-mail", templates/backoffice/panelen/beveiligde_mail.html)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for

from app.db import get_session
from domain import authz
from domain import beveiligde_mail as bm
from domain.models import BeveiligdeZending

from . import bp
from .forms import KaleActieForm
from .zaken import _zaak_of_404, actor


@bp.post("/zaken/<int:zaak_id>/beveiligd/<int:zending_id>/opnieuw")
def beveiligd_opnieuw(zaak_id: int, zending_id: int):
    zaak = _zaak_of_404(zaak_id)
    db = get_session()
    zending = db.get(BeveiligdeZending, zending_id)
    if zending is None or zending.zaak_id != zaak.id:
        abort(404)
    if not KaleActieForm().validate_on_submit():
        abort(400)
    try:
        nieuw = bm.opnieuw_versturen(db, actor(), zending, portaal_url=current_app.config["SETTINGS"].base_url)
    except authz.Geweigerd:
        abort(403)
    except bm.BeveiligdFout as fout:
        flash(fout.melding, "waarschuwing")
        return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    if nieuw.status == bm.VERZONDEN:
        flash("Er is een nieuwe link per beveiligde e-mail naar de inwoner verstuurd.", "ok")
    else:
        flash(f"De nieuwe link is niet verstuurd. {nieuw.reden} Geef het bericht op een andere manier aan de inwoner.",
              "waarschuwing")
    return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
