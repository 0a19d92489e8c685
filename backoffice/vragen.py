"""Backoffice: the behandelaar asks the inwoner a question (domain/vragen.py)."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz, tijd
from domain.vragen import STANDAARD_DAGEN, mag_vragen, stel_vraag
from domain.workflow import OvergangFout

from . import bp


class VraagForm(FlaskForm):
    tekst = TextAreaField("Uw vraag aan de inwoner", description="Schrijf in gewone taal wat u nodig heeft en waarom.",
                          validators=[DataRequired("Schrijf de vraag op."), Length(max=5000)])
    uiterlijk = DateField("Antwoord uiterlijk op", validators=[DataRequired("Kies een datum.")])


@bp.route("/zaken/<int:zaak_id>/vraag", methods=["GET", "POST"])
def zaak_vraag(zaak_id: int):
    db = get_session()
    actor = current_user.actor()
    try:
        zaak = authz.zaak_voor(db, actor, zaak_id)
    except authz.NietGevonden:
        abort(404)
    if not mag_vragen(actor, zaak):
        abort(403)
    form = VraagForm()
    if not form.is_submitted():
        form.uiterlijk.data = tijd.vandaag() + dt.timedelta(days=STANDAARD_DAGEN)
    if form.validate_on_submit():
        try:
            stel_vraag(db, actor, zaak, tekst=form.tekst.data, uiterlijk=form.uiterlijk.data,
                       diensten=diensten_uit(current_app.config["SETTINGS"]))
        except OvergangFout as fout:
            db.rollback()
            veld = getattr(form, getattr(fout, "veld", "tekst"), form.tekst)  # the message under its own field
            veld.errors = [*veld.errors, fout.melding]
        else:
            flash("De vraag staat in het portaal van de inwoner. De inwoner krijgt er bericht over, met een brief "
                  "bij de zaak.", "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Vraag aan de inwoner",
                           knop="Vraag versturen",
                           uitleg="De inwoner ziet de vraag in het portaal en kan daar antwoorden en documenten "
                                  "meesturen. U krijgt bericht als het antwoord er is. Moet de termijn stilstaan tot "
                                  "het antwoord er is, schort hem dan op bij de termijnen van de zaak (Awb 4:15).")
