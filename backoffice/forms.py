"""Backoffice forms (WTForms via Flask-WTF: CSRF on every form)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional


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


def bsn_veld_controle(veld) -> bool:
    """A BSN typed with dots or spaces: cleaned and checked with the elfproef, the error at the field."""
    from stdnum.nl import bsn as bsn_nummer

    schoon = (veld.data or "").replace(".", "").replace(" ", "")
    if not bsn_nummer.is_valid(schoon.zfill(9)):
        veld.errors = [*veld.errors, "Dit is geen geldig BSN (de elfproef klopt niet). Controleer het nummer."]
        return False
    veld.data = schoon.zfill(9)
    return True


class InwonerZoekForm(FlaskForm):
    """Search the BRP by BSN, or by surname and date of birth. Posted: a BSN never goes into a URL."""

    bsn = StringField("BSN", validators=[Optional(), Length(max=11)])
    geslachtsnaam = StringField("Achternaam", validators=[Optional(), Length(max=200)])
    geboortedatum = DateField("Geboortedatum", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.bsn.data:
            return bsn_veld_controle(self.bsn)
        if self.geslachtsnaam.data and self.geboortedatum.data:
            return True
        self.bsn.errors.append("Vul een BSN in, of een achternaam en een geboortedatum.")
        return False


# How an inwoner wants to be contacted: the stored value and what a medewerker reads.
CONTACTVOORKEUREN = {"email": "E-mail", "telefoon": "Telefoon", "post": "Post"}


class ContactForm(FlaskForm):
    kanaal = SelectField("Hoe nam de inwoner contact op?", choices=[
        SelectChoice("telefoon", "Telefoon"), SelectChoice("email", "E-mail"), SelectChoice("balie", "Balie"),
        SelectChoice("brief", "Brief"), SelectChoice("portaal", "Portaal")])
    hulpvraag = TextAreaField("Hulpvraag en notities", validators=[DataRequired("Beschrijf de hulpvraag."), Length(max=5000)])
    contactvoorkeur = SelectField("Hoe wil de inwoner contact?",
                                  choices=[SelectChoice(k, v) for k, v in CONTACTVOORKEUREN.items()])
    email = StringField("E-mailadres inwoner", validators=[Optional(), Email("Vul een geldig e-mailadres in."), Length(max=200)])
    telefoon = StringField("Telefoonnummer inwoner", validators=[Optional(), Length(max=30)])
    uitkomst = RadioField("Wat is de uitkomst?", choices=[
        SelectChoice("advies", "Advies gegeven, geen melding"), SelectChoice("melding", "Melding maken")],
        default="melding", validators=[DataRequired("Kies de uitkomst.")])
    zaaktype = SelectField("Melding voor", choices=[])  # the zaaktypen that can be melded here, set by the view


class ToewijzenForm(FlaskForm):
    behandelaar_id = SelectField("Consulent", coerce=int, validators=[DataRequired("Kies een consulent.")])
    versie = HiddenField()


class BulkToewijzenForm(FlaskForm):
    behandelaar_id = SelectField("Toewijzen aan", coerce=int, validators=[DataRequired("Kies een consulent.")])


class GesprekForm(FlaskForm):
    datum = DateField("Datum", validators=[DataRequired("Kies een datum.")])
    tijd = TimeField("Tijd", validators=[DataRequired("Kies een tijd.")])
    duur_minuten = IntegerField("Duur in minuten", default=60, validators=[DataRequired("Vul de duur in."), NumberRange(15, 480, "Tussen 15 en 480 minuten.")])
    locatie = StringField("Plaats", description="Bijvoorbeeld: bij de inwoner thuis, of het adres van het gemeentehuis.", validators=[Optional(), Length(max=300)])
    video_link = URLField("Of: link voor een videogesprek", validators=[Optional(), URL(message="Vul een volledige link in, die begint met https://"), Length(max=500)])
    # Prefilled by the view with the zaaktype's suggestion for this kind of appointment (PlanAfspraak.voorbereiding).
    voorbereiding = TextAreaField("Hoe kan de inwoner zich voorbereiden?", validators=[Optional(), Length(max=3000)])
    versie = HiddenField()


class VerslagForm(FlaskForm):
    hulpvraag = TextAreaField("Hulpvraag", validators=[DataRequired("Vul de hulpvraag in.")])
    situatie = TextAreaField("Situatie", validators=[DataRequired("Beschrijf de situatie.")])
    eigen_kracht = TextAreaField("Eigen kracht en netwerk", validators=[DataRequired("Beschrijf eigen kracht en netwerk.")])
    afweging = TextAreaField("Afweging", validators=[DataRequired("Beschrijf de afweging.")])
    advies = TextAreaField("Advies", validators=[DataRequired("Vul het advies in.")])


class VoorzieningRegel(FlaskForm):
    class Meta:
        csrf = False

    product_id = SelectField("Voorziening", coerce=int, validators=[Optional()])
    volume = IntegerField("Volume", validators=[Optional(), NumberRange(1, 10000, "Het volume moet tussen 1 en 10.000 liggen.")])
    frequentie = SelectField("Frequentie", choices=[SelectChoice("2", "per week"), SelectChoice("1", "per dag"),
                                                    SelectChoice("4", "per maand"), SelectChoice("6", "totaal")])
    ingangsdatum = DateField("Ingangsdatum", validators=[Optional()])
    einddatum = DateField("Einddatum", validators=[Optional()])
    leveringsvorm = SelectField("Leveringsvorm", choices=[SelectChoice("zin", "Zorg in natura"), SelectChoice("pgb", "Persoonsgebonden budget (pgb)")])


class BesluitForm(FlaskForm):
    besluittype = RadioField("Besluit", choices=[SelectChoice("toekenning", "Toekenning"), SelectChoice("afwijzing", "Afwijzing")],
                             validators=[DataRequired("Kies toekenning of afwijzing.")])
    onderbouwing = TextAreaField("Onderbouwing", validators=[DataRequired("Schrijf de onderbouwing.")])
    # Prefilled by the view with the zaaktype's grondslag.
    wettelijke_grondslag = StringField("Wettelijke grondslag", validators=[Optional(), Length(max=300)])
    voorzieningen = FieldList(FormField(VoorzieningRegel), min_entries=2, max_entries=5)


class AfspraakGehoudenForm(FlaskForm):
    gehouden_op = DateField("Datum van de afspraak", validators=[DataRequired("Vul de datum in waarop de afspraak was.")])
    aanwezig = StringField("Wie waren er bij?", description="Bijvoorbeeld: de inwoner, haar dochter en de consulent.",
                           validators=[DataRequired("Vul in wie er bij waren."), Length(max=500)])
    verslag = TextAreaField("Wat is er besproken?", description="Kort: de punten die de inwoner naar voren bracht.",
                            validators=[DataRequired("Schrijf kort op wat er is besproken."), Length(max=10000)])
    versie = HiddenField()


class HorenAchterwegeForm(FlaskForm):
    grond = RadioField("Waarom is horen niet nodig?", validators=[DataRequired("Kies de reden uit de wet.")])
    toelichting = TextAreaField("Toelichting", description="Waarom geldt deze reden hier?",
                                validators=[DataRequired("Leg uit waarom deze reden hier geldt."), Length(max=3000)])
    versie = HiddenField()


class RedenForm(FlaskForm):
    reden = TextAreaField("Reden", validators=[DataRequired("Vul de reden in."), Length(max=3000)])
    versie = HiddenField()


class KaleActieForm(FlaskForm):
    """A button-only overgang still posts a CSRF token and the version the medewerker saw."""

    versie = HiddenField()


class BeslisOpBezwaarForm(FlaskForm):
    uitkomst = RadioField("Beslissing", choices=[SelectChoice("gegrond", "Gegrond: het besluit wordt herzien"),
                                                 SelectChoice("ongegrond", "Ongegrond: het besluit blijft"),
                                                 SelectChoice("niet_ontvankelijk", "Niet-ontvankelijk")],
                          validators=[DataRequired("Kies de beslissing.")])
    motivering = TextAreaField("Motivering", validators=[DataRequired("Schrijf de motivering."), Length(max=10000)])
    versie = HiddenField()


class MeldingAnderTeamForm(FlaskForm):
    """A melding for another team, made from a zaak (the choices are set by the view)."""

    zaaktype = SelectField("Soort melding", choices=[], validators=[DataRequired("Kies waarvoor de melding is.")])
    reden = TextAreaField("Hulpvraag voor het andere team",
                          validators=[DataRequired("Beschrijf de hulpvraag voor het andere team."), Length(max=3000)])
    versie = HiddenField()


def kenmerken_form(eigenschappen, waarden: dict, formdata=None) -> FlaskForm:
    """A form with one field per zaakeigenschap (domain/eigenschappen.py), filled with the recorded values. The
    domain reads and checks the input; its messages are put at the fields by the view."""
    from domain.eigenschappen import ONBEKEND, formulierwaarde

    velden: dict = {"versie": HiddenField()}
    for e in eigenschappen:
        opties = {"description": e.toelichting or None, "default": formulierwaarde(e, waarden.get(e.code))}
        if e.soort in ("keuze", "ja_nee"):
            keuzes = e.keuzes if e.soort == "keuze" else (("ja", "Ja"), ("nee", "Nee"))
            velden[e.code] = SelectField(e.label, choices=[("", ONBEKEND), *keuzes], validate_choice=False, **opties)
        elif e.soort == "tekst" and e.max_lengte > 200:
            velden[e.code] = TextAreaField(e.label, **opties)
        else:
            velden[e.code] = StringField(e.label, **opties)
    return type("KenmerkenForm", (FlaskForm,), velden)(formdata=formdata)
