"""Portal forms (CSRF on every one)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class OndertekenForm(FlaskForm):
    opmerking = TextAreaField("Wilt u iets toevoegen of verbeteren? (niet verplicht)", validators=[Optional(), Length(max=3000)])
    akkoord = BooleanField("Ik heb het verslag gelezen. Ik onderteken het en vraag hiermee de ondersteuning aan.",
                           validators=[DataRequired("Zet een vinkje om te laten zien dat u het verslag heeft gelezen.")])
    versie = HiddenField()
    sha256 = HiddenField()
