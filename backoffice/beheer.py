"""Backoffice for beheer: each gemeente's variant of each zaaktype, as versions that take effect on new zaken."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.db import get_session
from domain import authz, teksten, tijd
from domain.configuratie import ConfiguratieFout, leg_vast, toon_waarde, variant_op, versies
from domain.models import Gemeente, Team
from domain.processes import zaaktype_van, zaaktypen

from . import bp


def _beheerder():
    a = current_user.actor()
    if not authz.mag(a, "beheer.instellingen"):
        abort(403)
    return a


def _gemeente(a, gemeente_id: int) -> Gemeente:
    gemeente = get_session().get(Gemeente, gemeente_id)
    if gemeente is None or gemeente.id not in a.gemeente_ids:
        abort(404)
    return gemeente


@bp.get("/beheer/zaaktypen")
def beheer_zaaktypen():
    """Per gemeente and zaaktype: the version in force today, and whether a newer one is waiting."""
    a = _beheerder()
    db = get_session()
    vandaag = tijd.vandaag()
    gemeenten = db.scalars(select(Gemeente).where(Gemeente.id.in_(a.gemeente_ids or {-1})).order_by(Gemeente.naam)).all()
    rijen = []
    for gemeente in gemeenten:
        for code, zaaktype in zaaktypen().items():
            if not zaaktype.opties:
                continue
            alle = versies(db, gemeente.id, code)
            nu = variant_op(db, gemeente.id, code, vandaag)
            standaard = {o.code: o.standaard for o in zaaktype.opties}
            rijen.append({"gemeente": gemeente, "zaaktype": zaaktype, "versie": nu,
                          "afwijkend": [(o.label, toon_waarde(code, o.code, nu.waarden[o.code])) for o in zaaktype.opties
                                        if nu.waarden[o.code] != standaard[o.code]],
                          "gepland": [v for v in alle if v.begindatum > vandaag]})
    return render_template("backoffice/beheer_zaaktypen.html", rijen=rijen)


def _formulier(zaaktype, teams: list[Team], waarden: dict):
    """A form with one field per option the zaaktype declares, prefilled with the values in force."""

    class VariantForm(FlaskForm):
        pass

    for o in zaaktype.opties:
        if o.soort == "ja_nee":
            veld = BooleanField(o.label, description=o.toelichting, default=bool(waarden.get(o.code)))
        elif o.soort in ("keuze", "team"):
            keuzes = list(o.keuzes) if o.soort == "keuze" else (
                ([] if o.standaard else [("", "Automatisch: het team met dit zaaktype")]) + [(t.code, t.naam) for t in teams])
            veld = SelectField(o.label, choices=keuzes, description=o.toelichting, default=waarden.get(o.code) or "")
        elif o.soort == "tekst":
            veld = TextAreaField(o.label, description=o.toelichting, default=waarden.get(o.code) or "")
        else:
            getal = waarden.get(o.code)
            tonen = "" if getal is None else (teksten.getal(getal // 100) if o.soort == "bedrag" else str(getal))
            veld = StringField(o.label, description=(o.toelichting + (f" Bron: {o.bron}." if o.bron else "")).strip(),
                               default=tonen)
        setattr(VariantForm, o.code, veld)
    VariantForm.begindatum = DateField(
        "Geldt vanaf", description="Zaken die vanaf deze datum beginnen, krijgen deze instellingen. Lopende zaken "
        "houden de instellingen waarmee ze begonnen.", validators=[DataRequired("Kies de datum waarop dit ingaat.")])
    VariantForm.toelichting = TextAreaField("Waarom verandert dit?", validators=[
        DataRequired("Schrijf op waarom de instellingen veranderen."), Length(max=2000)])
    return VariantForm


@bp.route("/beheer/zaaktypen/<int:gemeente_id>/<code>", methods=["GET", "POST"])
def beheer_zaaktype(gemeente_id: int, code: str):
    a = _beheerder()
    db = get_session()
    gemeente = _gemeente(a, gemeente_id)
    try:
        zaaktype = zaaktype_van(code)
    except KeyError:
        abort(404)
    if not zaaktype.opties:
        abort(404)
    vandaag = tijd.vandaag()
    nu = variant_op(db, gemeente.id, code, vandaag)
    teams = db.scalars(select(Team).order_by(Team.naam)).all()
    form = _formulier(zaaktype, teams, nu.waarden)(begindatum=vandaag + dt.timedelta(days=1))
    if form.validate_on_submit():
        invoer = {o.code: getattr(form, o.code).data for o in zaaktype.opties}
        try:
            rij = leg_vast(db, a, gemeente, code, invoer, begindatum=form.begindatum.data,
                           toelichting=form.toelichting.data, vandaag=vandaag)
        except ConfiguratieFout as fout:
            db.rollback()
            for veld, melding in fout.fouten.items():
                if veld == "_algemeen":
                    flash(melding, "fout")
                else:
                    getattr(form, veld).errors = [*getattr(form, veld).errors, melding]
        else:
            flash(f"Versie {rij.versie} voor {zaaktype.naam} in {gemeente.naam} is opgeslagen. Zaken die vanaf "
                  f"{rij.begindatum:%d-%m-%Y} beginnen, krijgen deze instellingen; lopende zaken houden hun "
                  "instellingen.", "ok")
            return redirect(url_for("backoffice.beheer_zaaktype", gemeente_id=gemeente.id, code=code))
    geschiedenis = [{"rij": v, "waarden": [(o.label, toon_waarde(code, o.code, v.waarden[o.code]))
                                           for o in zaaktype.opties if o.code in (v.waarden or {})]}
                    for v in versies(db, gemeente.id, code)]
    return render_template("backoffice/beheer_zaaktype.html", form=form, gemeente=gemeente, zaaktype=zaaktype,
                           versie=nu, geschiedenis=geschiedenis, opties=zaaktype.opties)
