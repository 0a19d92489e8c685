"""Backoffice: briefcampagnes (domain/briefcampagne.py). Choose a period, see how many letters it makes, start it,
follow its progress. The page only plans the campaign; the scheduler's job (app/cli_campagne.py) makes the letters."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import InputRequired

from app.db import get_session
from domain.briefcampagne import (
    AFGEROND,
    SOORTEN,
    campagne_van,
    campagnes,
    mag_starten,
    plan_campagne,
    procent,
    tel_brieven,
    uitkomst,
    voortgang,
)
from domain.workflow import OvergangFout

from . import bp
from .formfout import toon_fout

VERVERS_SECONDEN = 2


class PeriodeForm(FlaskForm):
    """The period, in the address bar (GET): counting changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    soort = SelectField("Soort brief", choices=[(s.code, s.label) for s in SOORTEN.values()], default="herindicatie")
    van = DateField("Ondersteuning stopt vanaf", validators=[InputRequired("Vul de eerste dag in.")])
    tot = DateField("Tot en met", validators=[InputRequired("Vul de laatste dag in.")])


class StartForm(FlaskForm):
    soort = HiddenField()
    van = HiddenField()
    tot = HiddenField()


def _actor():
    actor = current_user.actor()
    if not mag_starten(actor):
        abort(403)
    return actor


@bp.get("/campagnes")
def campagnes_overzicht():
    actor = _actor()
    db = get_session()
    form = PeriodeForm(request.args)
    telling = None
    if request.args and form.validate():
        try:
            telling = tel_brieven(db, actor, form.soort.data, form.van.data, form.tot.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    start = StartForm(soort=form.soort.data, van=request.args.get("van"), tot=request.args.get("tot"))
    return render_template("backoffice/campagnes.html", form=form, start=start, telling=telling,
                           soort=SOORTEN.get(form.soort.data) or SOORTEN["herindicatie"],
                           campagnes=campagnes(db, actor), voortgang=voortgang)


@bp.post("/campagnes")
def campagne_starten():
    actor = _actor()
    start = StartForm()
    if not start.validate_on_submit():
        abort(400)
    try:
        van, tot = dt.date.fromisoformat(start.van.data or ""), dt.date.fromisoformat(start.tot.data or "")
    except ValueError:
        abort(400)
    db = get_session()
    try:
        campagne = plan_campagne(db, actor, start.soort.data, van, tot)
    except OvergangFout as fout:
        db.rollback()
        flash(fout.melding, "fout")
        return redirect(url_for("backoffice.campagnes_overzicht", soort=start.soort.data, van=van, tot=tot))
    return redirect(url_for("backoffice.campagne", campagne_id=campagne.id))


@bp.get("/campagnes/<int:campagne_id>")
def campagne(campagne_id: int):
    actor = _actor()
    campagne = campagne_van(get_session(), actor, campagne_id)
    if campagne is None:
        abort(404)
    klaar = campagne.status == AFGEROND
    return render_template("backoffice/campagne.html", campagne=campagne, soort=SOORTEN[campagne.soort],
                           voortgang=voortgang(campagne), procent=procent(campagne), klaar=klaar,
                           uitkomst=uitkomst(campagne) if klaar else None,
                           ververs=None if klaar else VERVERS_SECONDEN)
