"""Dutch as users read it (issue 14, item 16): one plural helper, one money format with Dutch separators on
screens, in PDFs and in the texts staff read; and the salutation of a letter (item 10)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from domain.models import Inwoner
from domain.teksten import aanhef, aantal, bedrag, voorletters
from tests.helpers import medewerker_inloggen


@pytest.mark.parametrize(("n", "verwacht"), [
    (0, "0 zaken"), (1, "1 zaak"), (3, "3 zaken"), (1234, "1.234 zaken"),
])
def test_aantal_says_one_or_many(n, verwacht):
    assert aantal(n, "zaak", "zaken") == verwacht


@pytest.mark.parametrize(("centen", "verwacht"), [
    (1_690_000, "€ 16.900,00"), (507_000, "€ 5.070,00"), (5, "€ 0,05"), (-1250, "€ -12,50"),
    (123_456_789, "€ 1.234.567,89"), (None, ""),
])
def test_bedrag_with_dutch_separators(centen, verwacht):
    assert bedrag(centen) == verwacht


def test_one_money_format_for_screens_pdfs_and_forms(app):
    """The screen filter, the PDF filter and the form helper are the same function, so they cannot drift apart
    (before, the screens wrote a negative amount as "-€ 12,50" and the PDFs as "€ -12,50")."""
    from domain.formulieren import bedrag_nl
    from integrations.documents.render import ENV

    assert app.jinja_env.filters["bedrag"] is bedrag
    assert ENV.filters["bedrag"] is bedrag
    assert bedrag_nl is bedrag
    assert app.jinja_env.from_string("{{ 2|aantal('dag', 'dagen') }}, {{ 1|aantal('dag', 'dagen') }}").render() == (
        "2 dagen, 1 dag")


def test_the_toetsing_reason_names_the_costs_in_euros_with_separators():
    from domain.toetsing import toetsingsgrond

    # 3 hours a week x 52 weeks x € 32,50 = € 5.070,00 a year: above the € 5.000,00 for self-signing.
    product = SimpleNamespace(tarief_cent=3250)
    besluit = SimpleNamespace(besluittype="toekenning",
                              voorzieningen=[SimpleNamespace(volume=3, frequentie="2", product=product)])
    grond = toetsingsgrond(besluit, {})
    assert grond.vereist and "€ 5.070,00 per jaar" in grond.reden and "euro" not in grond.reden


@pytest.mark.parametrize(("voornamen", "voorvoegsel", "achternaam", "geslacht", "verwacht"), [
    ("Fatima", "", "El Amrani", "V", "Geachte mevrouw El Amrani"),
    ("Pieter", "de", "Vries", "M", "Geachte heer De Vries"),
    ("Hendrik", "van der", "Berg", "M", "Geachte heer Van der Berg"),
    ("Johanna Maria", None, "Jansen", None, "Geachte J.M. Jansen"),
    ("Pieter", "de", "Vries", "O", "Geachte P. de Vries"),
])
def test_aanhef_as_the_brp_forms_it(voornamen, voorvoegsel, achternaam, geslacht, verwacht):
    assert aanhef(voornamen, voorvoegsel, achternaam, geslacht) == verwacht


def test_voorletters():
    assert voorletters("johanna  maria") == "J.M." and voorletters("") == ""


def test_the_inwoner_page_counts_the_dossiers_of_other_teams_in_words(client, demo, db):
    """'Er is nog 1 dossier bij een ander team', not '1 dossier(s)'."""
    # A consulent of one team, who registered neither: the zaken of the other team are only counted.
    for wie, bsn, zin in (("jeugd", "999990007", "Er is nog 1 dossier bij een ander team."),  # Johanna: her Wmo zaak
                          ("wmo", "999990299", "Er zijn nog 2 dossiers bij een ander team.")):  # Daan: two jeugd zaken
        medewerker_inloggen(client, wie)
        inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        html = client.get(f"/backoffice/inwoners/{inwoner.id}").get_data(as_text=True)
        assert zin in html and "(s)" not in html


@pytest.mark.parametrize(("naam", "verwacht"), [
    ("Rechtbank Rotterdam", "Rechtbank Rotterdam"), ("Rotterdam", "rechtbank Rotterdam"),
])
def test_the_rechtbank_by_its_name(naam, verwacht):
    from integrations.documents.render import rechtbank

    assert rechtbank(naam) == verwacht


def test_the_demo_summary_counts_in_words():
    from app.cli import demo_telling

    assert demo_telling({"gemeenten": 3, "zaken": 1, "briefcampagnes": 1, "berichten": 0}) == (
        "3 gemeenten, 1 zaak, 1 briefcampagne")
    assert demo_telling({"zaken": 0}) == "niets nieuws (alles stond er al)"
