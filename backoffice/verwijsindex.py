"""Backoffice: the zaak's Verwijsindex section (domain/verwijsindex.py): signal the young person, withdraw the signal.

The section's values come from the domain (`domain.verwijsindex.paneel`); its forms from here, through the template
global `verwijsindex_formulieren`: fresh and prefilled, or the posted one with its errors when a post is refused.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.db import get_session
from domain import authz, verwijsindex
from domain.teksten import aantal, datum_nl
from domain.workflow import OvergangFout
from integrations.verwijsindex import get_verwijsindex

from . import bp
from .formfout import toon_fout
from .zaken import _zaak_context, _zaak_of_404, actor

TEMPLATE = "backoffice/panelen/verwijsindex.html"


class AanmeldForm(FlaskForm):
    contactpersoon = StringField("Contactpersoon", validators=[
        DataRequired("Vul de naam van de contactpersoon in."), Length(max=200)])
    telefoon = StringField("Telefoonnummer van de contactpersoon", validators=[
        DataRequired("Vul het telefoonnummer van de contactpersoon in."), Length(max=30)])


class IntrekForm(FlaskForm):
    reden = TextAreaField("Waarom trekt u de aanmelding in?", validators=[
        DataRequired("Schrijf op waarom u de aanmelding intrekt."), Length(max=2000)])


@bp.app_template_global()
def verwijsindex_formulieren(p: dict) -> tuple[AanmeldForm, IntrekForm]:
    aanmeld = p.get("aanmeld_form") or AanmeldForm(formdata=None, contactpersoon=p["contactpersoon"],
                                                   telefoon=p["telefoon"])
    return aanmeld, p.get("intrek_form") or IntrekForm(formdata=None)


def _opnieuw(zaak, **forms):
    """The zaak page again, with the posted form, its input and its errors in the Verwijsindex section."""
    context = _zaak_context(zaak)
    for template, p in context["panelen"]:
        if template == TEMPLATE:
            p.update(forms)
    return render_template("backoffice/zaak.html", **context), 422


def _terug(zaak):
    return redirect(url_for("backoffice.zaak", zaak_id=zaak.id) + "#kop-verwijsindex")


@bp.post("/zaken/<int:zaak_id>/verwijsindex/aanmelden")
def verwijsindex_aanmelden(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    form = AanmeldForm()
    if not form.validate_on_submit():
        return _opnieuw(zaak, aanmeld_form=form)
    try:
        signaal = verwijsindex.aanmelden(get_session(), actor(), zaak, contactpersoon=form.contactpersoon.data,
                                         telefoon=form.telefoon.data, client=get_verwijsindex())
    except authz.Geweigerd:
        abort(403)
    except OvergangFout as fout:
        toon_fout(form, fout)
        return _opnieuw(zaak, aanmeld_form=form)
    tekst = f"{zaak.inwoner.naam} is aangemeld in de Verwijsindex, tot {datum_nl(signaal.eindigt_op)}."
    if signaal.matches:
        tekst += (f" Er {'is' if len(signaal.matches) == 1 else 'zijn'} {aantal(len(signaal.matches), 'match', 'matches')}:"
                  f" ook gemeld door {verwijsindex.opsomming([m.organisatie for m in signaal.matches])}.")
    else:
        tekst += " Nog geen andere organisatie heeft deze jongere gemeld. Komt er een match, dan krijgt u een melding."
    flash(tekst, "ok")
    return _terug(zaak)


@bp.post("/zaken/<int:zaak_id>/verwijsindex/intrekken")
def verwijsindex_intrekken(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    form = IntrekForm()
    if not form.validate_on_submit():
        return _opnieuw(zaak, intrek_form=form)
    try:
        verwijsindex.intrekken(get_session(), actor(), zaak, reden=form.reden.data, client=get_verwijsindex())
    except authz.Geweigerd:
        abort(403)
    except OvergangFout as fout:
        toon_fout(form, fout)
        return _opnieuw(zaak, intrek_form=form)
    flash(f"De aanmelding van {zaak.inwoner.naam} in de Verwijsindex is ingetrokken. Er komen "
          "geen nieuwe matches meer.", "ok")
    return _terug(zaak)
