"""Portal forms (CSRF on every one)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class OndertekenForm(FlaskForm):
    opmerking = TextAreaField("Wilt u iets toevoegen of verbeteren? (niet verplicht)", validators=[Optional(), Length(max=3000)])
    akkoord = BooleanField("Ik heb het verslag gelezen. Ik onderteken het en vraag hiermee de ondersteuning aan.",
                           validators=[DataRequired("Zet een vinkje om te laten zien dat u het verslag heeft gelezen.")])
    versie = HiddenField()
    sha256 = HiddenField()


class BezwaarForm(FlaskForm):
    gronden = TextAreaField("Waarom bent u het niet eens met het besluit?",
                            validators=[DataRequired("Schrijf op waarom u het niet eens bent met het besluit."), Length(max=10000)])
    contact_hoorzitting = StringField("Hoe kunnen we u bereiken voor een hoorzitting? (telefoon of e-mail)",
                                      validators=[Optional(), Length(max=300)])
    bijlagen = MultipleFileField("Bijlagen (niet verplicht)")  # the types and size: layout/_form.html


class KaleForm(FlaskForm):
    """A button that only needs a CSRF token."""


class AntwoordForm(FlaskForm):
    antwoord = TextAreaField("Uw antwoord", validators=[Optional(), Length(max=10000)])
    bijlagen = MultipleFileField("Documenten meesturen (niet verplicht)")


class HulpvraagForm(FlaskForm):
    """The inwoner's hulpvraag. The choices come from the domain (domain/hulpvragen.py), which also checks the
    answers and gives the messages per field; WTForms here carries the CSRF token and the lengths."""

    tekst = TextAreaField("Waarmee heeft u hulp nodig?", validators=[Optional(), Length(max=5000)])
    voor = RadioField("Voor wie vraagt u hulp?", validate_choice=False)
    onderwerp = RadioField("Waar gaat uw vraag over?", validate_choice=False)
    contactvoorkeur = RadioField("Hoe wilt u dat wij contact met u opnemen?", validate_choice=False)
    telefoon = StringField("Uw telefoonnummer", validators=[Optional(), Length(max=30)])
    email = StringField("Uw e-mailadres", validators=[Optional(), Length(max=200)])
