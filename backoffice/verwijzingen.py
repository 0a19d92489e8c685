"""Backoffice: register a referral that starts a zaak directly (Veilig Thuis → Regieteam), domain/verwijzingen.py."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz, tijd
from domain.models.betrokkene import BETROKKENE_ROLLEN
from domain.verwijzingen import Betrokkene, VerwijzingFout, VerwijzingInvoer, registreer_verwijzing, verwijsbare_zaaktypen
from domain.workflow import OvergangFout
from integrations.brp import get_brp

from . import bp
from .formfout import _veld
from .forms import bsn_veld_controle
from .zaken import actor


class BetrokkeneRegel(FlaskForm):
    class Meta:
        csrf = False

    bsn = StringField("BSN", validators=[Optional(), Length(max=12)])
    rol = SelectField("Rol", choices=[SelectChoice(k, v) for k, v in BETROKKENE_ROLLEN.items()])


class VerwijzingForm(FlaskForm):
    zaaktype = SelectField("Voor", choices=[])
    organisatie = SelectField("Verwezen door", choices=[])
    contactpersoon = StringField("Contactpersoon bij de verwijzer",
                                 validators=[DataRequired("Vul in wie er verwees."), Length(max=200)])
    telefoon = StringField("Telefoonnummer van de contactpersoon", validators=[Optional(), Length(max=30)])
    verwezen_op = DateField("Datum van de verwijzing", validators=[DataRequired("Vul de datum van de verwijzing in.")])
    zorgen = TextAreaField("Zorgen over de veiligheid",
                           validators=[DataRequired("Beschrijf de zorgen, zoals de verwijzer ze noemde."),
                                       Length(max=10000)])
    betrokkenen = FieldList(FormField(BetrokkeneRegel), min_entries=5, max_entries=10)
    email = EmailField("E-mailadres van de ouders", validators=[Optional(), Email("Vul een geldig e-mailadres in."),
                                                                 Length(max=200)])
    mobiel = StringField("Mobiel nummer van de ouders", validators=[Optional(), Length(max=30)])


@bp.route("/verwijzingen/nieuw", methods=["GET", "POST"])
def verwijzing_nieuw():
    a = actor()
    if not authz.mag(a, "melding.registreren"):
        abort(403)
    zaaktypen = verwijsbare_zaaktypen()
    if not zaaktypen:
        abort(404)
    form = VerwijzingForm()
    form.zaaktype.choices = [(z.code, z.naam) for z in zaaktypen]
    form.organisatie.choices = [(o, o) for z in zaaktypen for o in z.verwijzers]
    if form.is_submitted() and form.validate():
        # Every BSN checked (not only up to the first wrong one): each error at its own row.
        geldig = [bsn_veld_controle(r.form.bsn) for r in form.betrokkenen if r.bsn.data]
        if all(geldig):
            regels = [Betrokkene(bsn=r.bsn.data or "", rol=r.rol.data) for r in form.betrokkenen]
            invoer = VerwijzingInvoer(
                zaaktype=form.zaaktype.data, organisatie=form.organisatie.data, contactpersoon=form.contactpersoon.data,
                telefoon=form.telefoon.data or "", verwezen_op=form.verwezen_op.data, zorgen=form.zorgen.data,
                betrokkenen=regels,
                email=form.email.data or "", mobiel=form.mobiel.data or "")
            db = get_session()
            try:
                zaak = registreer_verwijzing(db, a, invoer, brp=get_brp(),
                                             diensten=diensten_uit(current_app.config["SETTINGS"]),
                                             vandaag=tijd.vandaag())
            except VerwijzingFout as fout:
                for pad, melding in fout.fouten.items():
                    veld = _veld(form, pad)
                    if veld is not None:
                        veld.errors = [*veld.errors, melding]
                    else:
                        flash(melding, "fout")
            except OvergangFout as fout:
                db.rollback()
                flash(fout.melding, "fout")
            else:
                flash(f"De verwijzing staat als melding {zaak.identificatie} in de werkvoorraad van {zaak.team.naam}. "
                      "Het team heeft een melding gekregen.", "ok")
                if authz.is_behandelaar(a, zaak):
                    return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
                return redirect(url_for("backoffice.inwoner_zoeken"))
    return render_template("backoffice/verwijzing.html", form=form)
