"""Backoffice: verlengen or opschorten of a term on a zaak, with the reason in a letter to the inwoner."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz
from domain.models import Termijn
from domain.termijnbewaking import pas_termijn_aan
from domain.vragen import ANTWOORD_INWONER
from domain.workflow import OvergangFout

from . import bp


class TermijnForm(FlaskForm):
    soort = RadioField("Wat wilt u doen?", choices=[
        SelectChoice("verlengen", "Verlengen (Awb 4:14 of 7:10 lid 3)"),
        SelectChoice("opschorten", "Opschorten: we wachten op gegevens van de inwoner (Awb 4:15)")],
        validators=[DataRequired("Kies verlengen of opschorten.")])
    weken = IntegerField("Aantal weken (bij verlengen)", validators=[Optional(), NumberRange(1, 12, "Tussen 1 en 12 weken.")])
    van = DateField("Opgeschort vanaf (bij opschorten)", validators=[Optional()])
    tot = DateField("Tot (bij opschorten)", validators=[Optional()])
    tot_antwoord = BooleanField("Tot de inwoner heeft geantwoord op onze vraag (het einde is nog niet bekend)")
    met_instemming = BooleanField("De inwoner stemt in met het uitstel")
    reden = TextAreaField("Reden (komt in de brief aan de inwoner)", validators=[DataRequired("Vul de reden in."), Length(max=2000)])


@bp.route("/zaken/<int:zaak_id>/termijnen/<int:termijn_id>", methods=["GET", "POST"])
def termijn_aanpassen(zaak_id: int, termijn_id: int):
    db = get_session()
    actor = current_user.actor()
    try:
        zaak = authz.zaak_voor(db, actor, zaak_id)
    except authz.NietGevonden:
        abort(404)
    termijn = db.scalar(select(Termijn).where(Termijn.id == termijn_id, Termijn.zaak_id == zaak.id))
    if termijn is None:
        abort(404)
    form = TermijnForm()
    if form.validate_on_submit():
        open_einde = form.soort.data == "opschorten" and form.tot_antwoord.data
        if open_einde and form.tot.data:
            form.tot.errors.append("Kies een einddatum of 'tot de inwoner heeft geantwoord', niet allebei.")
            return render_template("backoffice/termijn_aanpassen.html", zaak=zaak, termijn=termijn, form=form)
        try:
            pas_termijn_aan(db, actor, zaak, termijn, soort=form.soort.data, reden=form.reden.data,
                            weken=form.weken.data, van=form.van.data, tot=None if open_einde else form.tot.data,
                            tot_gebeurtenis=ANTWOORD_INWONER if open_einde else None,
                            met_instemming=form.met_instemming.data,
                            diensten=diensten_uit(current_app.config["SETTINGS"]))
        except authz.Geweigerd:
            abort(403)
        except OvergangFout as fout:
            db.rollback()
            flash(fout.melding, "fout")
        else:
            flash("De termijn staat stil tot de inwoner antwoordt. De inwoner krijgt een brief in het portaal."
                  if open_einde else "De termijn is aangepast. De inwoner krijgt een brief in het portaal.", "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/termijn_aanpassen.html", zaak=zaak, termijn=termijn, form=form)
