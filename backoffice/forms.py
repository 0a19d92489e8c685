"""Backoffice forms (WTForms via Flask-WTF: CSRF on every form)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class InlogForm(FlaskForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in."), Length(max=80)]
    )
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=200)])


class ProtocolZoekForm(FlaskForm):
    """Posted, not a GET: a BSN must never end up in a URL (browser history, proxy logs)."""

    inwoner_bsn = StringField("BSN van de inwoner", validators=[Optional(), Length(min=8, max=9)])
    medewerker = StringField("Naam medewerker", validators=[Optional(), Length(max=120)])
    handeling = SelectField(
        "Handeling",
        choices=[SelectChoice(w, t) for w, t in [
            ("", "Alle"), ("lezen", "Lezen"), ("wijzigen", "Wijzigen"), ("aanmaken", "Aanmaken"), ("zoeken", "Zoeken"),
            ("inloggen", "Inloggen"), ("uitloggen", "Uitloggen"), ("geweigerd", "Geweigerd")]],
        validators=[Optional()],
    )
    van = DateField("Vanaf", validators=[Optional()])
    tot = DateField("Tot en met", validators=[Optional()])
