"""Backoffice: team toegang marks a hulpvraag from the portal as handled (domain/hulpvragen.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from app.db import get_session
from domain import authz
from domain.hulpvragen import rond_af

from . import bp
from .forms import KaleActieForm


@bp.post("/acties/<int:actie_id>/hulpvraag-afgehandeld")
def hulpvraag_afgehandeld(actie_id: int):
    if not KaleActieForm().validate_on_submit():
        abort(400)
    try:
        rond_af(get_session(), current_user.actor(), actie_id)
    except authz.NietGevonden:
        abort(404)
    flash("De hulpvraag is afgehandeld. Hij staat niet meer in de acties.", "ok")
    return redirect(url_for("backoffice.acties"))
