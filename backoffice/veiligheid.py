"""Backoffice: the Regieteam's ARIJ taxaties and the steps of the Meldcode, each on its own page (the zaak page's
sections are templates/backoffice/panelen/arij.html and meldcode.html). The rules are in domain/arij.py and
domain/meldcode.py; a zaak this medewerker may not see is a 404, a step they may not take a 403."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.db import get_session
from app.diensten import diensten_uit
from domain import arij, authz, meldcode, tijd
from domain.workflow import OvergangFout

from . import bp
from .formfout import toon_fout
from .zaken import _zaak_of_404, actor

BEREKEND = "berekend"


def _taxatie_form(instrument: arij.Instrument) -> FlaskForm:
    class TaxatieForm(FlaskForm):
        uitkomst = RadioField("Eindoordeel", default=BEREKEND, choices=[
            (BEREKEND, "De berekende uitkomst"), *((c, t) for c, t in arij.UITKOMSTEN.items())],
            validators=[InputRequired("Kies het eindoordeel.")])
        reden_afwijking = TextAreaField("Waarom wijkt uw oordeel af van de berekende uitkomst?",
                                        validators=[Optional(), Length(max=5000)])
        toelichting = TextAreaField("Toelichting (waar baseert u de antwoorden op?)",
                                    validators=[Optional(), Length(max=5000)])

    for vraag in instrument.vragen:
        setattr(TaxatieForm, vraag.code, RadioField(
            vraag.tekst, description=vraag.uitleg, choices=[(a.code, a.tekst) for a in vraag.antwoorden],
            validators=[InputRequired("Beantwoord deze vraag.")]))
    return TaxatieForm()


def _behandelaar_of_403(zaak) -> None:
    if not authz.is_behandelaar(actor(), zaak):
        abort(403)


@bp.route("/zaken/<int:zaak_id>/arij/<soort>/nieuw", methods=["GET", "POST"])
def arij_nieuw(zaak_id: int, soort: str):
    zaak = _zaak_of_404(zaak_id)
    if soort not in arij.INSTRUMENTEN:
        abort(404)
    _behandelaar_of_403(zaak)
    instrument = arij.INSTRUMENTEN[soort]
    form = _taxatie_form(instrument)
    if form.validate_on_submit():
        db = get_session()
        try:
            taxatie = arij.leg_taxatie_vast(
                db, actor(), zaak, soort, {v.code: form[v.code].data for v in instrument.vragen},
                uitkomst=None if form.uitkomst.data == BEREKEND else form.uitkomst.data,
                reden_afwijking=form.reden_afwijking.data, toelichting=form.toelichting.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
        else:
            db.commit()
            afwijking = (f" U week af van de berekende uitkomst ({taxatie.uitkomst_berekend}); uw reden is "
                         "vastgelegd." if taxatie.uitkomst != taxatie.uitkomst_berekend else "")
            flash(f"De {instrument.naam.lower()} is vastgelegd. Uitkomst: {taxatie.uitkomst}.{afwijking}", "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id) + "#kop-arij")
    return render_template("backoffice/veiligheid/taxatie.html", zaak=zaak, form=form, instrument=instrument)


@bp.get("/zaken/<int:zaak_id>/arij")
def arij_historie(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    _behandelaar_of_403(zaak)
    db = get_session()
    stand = arij.arij_stand(db, actor(), zaak)
    db.commit()  # the read is in the protocol
    return render_template("backoffice/veiligheid/historie.html", zaak=zaak, p=stand)


def _stap_form(stap: int) -> FlaskForm:
    class StapForm(FlaskForm):
        datum = DateField("Datum waarop u deze stap zette", validators=[Optional()])
        toelichting = TextAreaField(meldcode.STAP[stap].vraag, validators=[Optional(), Length(max=5000)])

    if stap == 2:
        StapForm.veilig_thuis_geraadpleegd = BooleanField("Ik heb Veilig Thuis geraadpleegd")
    if stap == 4:
        for a in meldcode.AFWEGINGEN:
            setattr(StapForm, a.code, RadioField(f"{a.nummer}. {a.vraag}", choices=list(a.keuzes),
                                                 validators=[Optional()], description=" ".join(
                                                     f"{dict(a.keuzes)[k]}: {g}" for k, g in a.gevolg.items())))
    if stap == 5:
        StapForm.besluit = RadioField("Wat besluit u?", choices=list(meldcode.BESLUITEN.items()),
                                      validators=[InputRequired("Kies wat u besluit.")])
        StapForm.veilig_thuis_datum = DateField("Datum van de melding bij Veilig Thuis (bij melden)",
                                                validators=[Optional()])
        StapForm.veilig_thuis_contact = StringField("Met wie sprak u bij Veilig Thuis? (bij melden)",
                                                    validators=[Optional(), Length(max=200)])
    return StapForm()


@bp.route("/zaken/<int:zaak_id>/meldcode/<int:stap>", methods=["GET", "POST"])
def meldcode_stap(zaak_id: int, stap: int):
    zaak = _zaak_of_404(zaak_id)
    if stap not in meldcode.STAP:
        abort(404)
    _behandelaar_of_403(zaak)
    db = get_session()
    form = _stap_form(stap)
    if not form.is_submitted():
        form.datum.data = tijd.vandaag()
    if form.validate_on_submit():
        antwoorden = {}
        if stap == 2:
            antwoorden = {"veilig_thuis_geraadpleegd": form.veilig_thuis_geraadpleegd.data}
        elif stap == 4:
            antwoorden = {a.code: form[a.code].data for a in meldcode.AFWEGINGEN if form[a.code].data}
        try:
            rij = meldcode.leg_stap_vast(
                db, actor(), zaak, stap, datum=form.datum.data, toelichting=form.toelichting.data,
                antwoorden=antwoorden, besluit=form.besluit.data if stap == 5 else None,
                veilig_thuis_datum=form.veilig_thuis_datum.data if stap == 5 else None,
                veilig_thuis_contact=form.veilig_thuis_contact.data if stap == 5 else None,
                diensten=diensten_uit(current_app.config["SETTINGS"]))
        except OvergangFout as fout:
            toon_fout(form, fout)
        else:
            db.commit()
            flash(_bevestiging(rij), "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id) + "#kop-meldcode")
    gedaan = meldcode.stappen_van(db, zaak)
    weging = meldcode.weeg(gedaan[4].antwoorden or {}) if stap == 5 and 4 in gedaan else None
    return render_template("backoffice/veiligheid/meldcode_stap.html", zaak=zaak, form=form,
                           stap=meldcode.STAP[stap], weging=weging, gedaan=gedaan)


def _bevestiging(rij) -> str:
    tekst = f"Stap {rij.stap} van de meldcode ({meldcode.STAP[rij.stap].titel.lower()}) is vastgelegd."
    if rij.stap == 4:
        tekst += (" Volgens het afwegingskader is melden bij Veilig Thuis nodig." if rij.melden_verplicht
                  else " Volgens het afwegingskader is melden niet verplicht.")
    if rij.stap == 5 and rij.besluit in (meldcode.MELDEN, meldcode.BEIDE):
        tekst += " De melding bij Veilig Thuis is vastgelegd en het team heeft een bericht gekregen."
    return tekst
