"""Letters: invitations are letters too, signed by the sender's function and team, with the gemeente's variant."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from domain.bezwaren import dien_bezwaar_in
from domain.feestdagen import datum_tekst
from domain.models import Document, Inwoner, Poststuk, Zaak
from domain.tijd import datum_van
from domain.workflow import voer_uit
from tests.test_bezwaar import ANNA, _hoofdzaak
from tests.test_wmo_proces import _melding, inwoner_actor, medewerker

WILLEM = "999990123"  # prefers post


def _tekst(db, zaak, documenttype) -> str:
    doc = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == documenttype)
                    .order_by(Document.id.desc()))
    assert doc is not None, f"geen {documenttype}"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(doc.versies[-1].inhoud)).pages)


def test_the_appointment_is_a_letter_by_the_preferred_channel_post_included(demo, diensten):
    db = demo
    zaak = _melding(db, diensten, WILLEM)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    voer_uit(db, medewerker(db, "wmo"), zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"start": start, "locatie": "Bij u thuis"})
    tekst = _tekst(db, zaak, "afspraakbevestiging")
    assert datum_tekst(datum_van(start)) in tekst and "Bij u thuis" in tekst and "Wim van Wmo" in tekst
    versie_ids = [v.id for d in db.scalars(select(Document).where(Document.zaak_id == zaak.id,
                                                                   Document.documenttype == "afspraakbevestiging"))
                  for v in d.versies]
    assert db.scalar(select(Poststuk).where(Poststuk.document_versie_id.in_(versie_ids)))  # Willem gets it on paper


def test_letters_are_signed_by_the_senders_function_and_team_not_always_team_toegang(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    bevestiging = _tekst(db, zaak, "bevestigingsbrief")
    assert "Tessa de Toegang Team Toegang" in " ".join(bevestiging.split()) and "Medewerker," not in bevestiging
    voer_uit(db, medewerker(db, "wmo"), zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=3), "locatie": "Bij u thuis"})
    brief = _tekst(db, zaak, "afspraakbevestiging")
    assert "Consulent, Team Wmo" in brief and "Team Toegang" not in brief


def test_the_gemeentes_own_paragraph_is_in_its_bevestigingsbrief_only(demo, diensten):
    db = demo
    barendrecht = _melding(db, diensten)  # Johanna, Barendrecht: the demo variant adds the Wmo-loket
    ridderkerk = _melding(db, diensten, WILLEM)
    assert "Wmo-loket in het gemeentehuis van Barendrecht" in _tekst(db, barendrecht, "bevestigingsbrief")
    assert "Wmo-loket" not in _tekst(db, ridderkerk, "bevestigingsbrief")


def test_the_hoorzitting_invitation_is_a_letter(demo, diensten):
    db = demo
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), _hoofdzaak(db), gronden="Te weinig uren.",
                              contact_hoorzitting="", diensten=diensten)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=bezwaar.versie, diensten=diensten)
    voer_uit(db, jur, bezwaar, "hoorzitting_plannen", verwachte_versie=bezwaar.versie, diensten=diensten,
             gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=10), "locatie": "Raadhuis, zaal 2"})
    tekst = _tekst(db, bezwaar, "uitnodiging_hoorzitting")
    assert "Raadhuis, zaal 2" in tekst and "7:2" in tekst and "Julia Juridisch Juridische Zaken" in " ".join(tekst.split())
    assert "Juridische zaken, Juridische Zaken" not in tekst  # function and team said once when they are the same
    assert db.scalar(select(Zaak.team_id).where(Zaak.id == bezwaar.id)) is not None
    assert db.scalar(select(Inwoner).where(Inwoner.bsn == ANNA))


# --- The aanhef and the rechtbank (issue 14, item 10) ---------------------------------------------------------

PIETER = "999990019"  # Pieter de Vries, M
FATIMA = "999990020"  # Fatima El Amrani, V
JOHANNA = "999990007"  # Johanna Maria Jansen, V in the BRP; below as if the BRP did not say


def test_the_letter_greets_mevrouw_or_heer_from_the_brp_and_never_guesses(demo, diensten):
    db = demo
    assert "Geachte mevrouw El Amrani," in _tekst(db, _melding(db, diensten, FATIMA), "bevestigingsbrief")
    # A voorvoegsel right after "heer" starts with a capital: De Vries, not de Vries.
    assert "Geachte heer De Vries," in _tekst(db, _melding(db, diensten, PIETER), "bevestigingsbrief")
    johanna = db.scalar(select(Inwoner).where(Inwoner.bsn == JOHANNA))
    for onbekend in (None, "O"):  # the BRP said nothing, or "onbekend": the initials, no mevrouw or heer
        johanna.geslacht = onbekend
        db.commit()
        tekst = _tekst(db, _melding(db, diensten, JOHANNA), "bevestigingsbrief")
        assert "Geachte J.M. Jansen," in tekst and "mevrouw" not in tekst and "heer" not in tekst


def test_a_letter_about_a_child_greets_the_parents_without_brackets(demo, diensten):
    db = demo
    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == "999990032"))  # Sem Bakker, born 2012
    tekst = _tekst(db, _melding(db, diensten, kind.bsn), "bevestigingsbrief")
    assert "Aan de ouders of verzorgers van Sem Bakker" in tekst and "Beste ouders of verzorgers," in tekst
    assert "(s)" not in tekst


def test_beroep_goes_to_the_rechtbank_by_its_name_without_a_sector(demo, diensten):
    from tests.helpers import bezwaar_beslist
    from tests.test_bezwaar import _hoofdzaak

    db = demo
    hoofdzaak = _hoofdzaak(db)
    assert hoofdzaak.gemeente.briefhoofd["rechtbank"] == "Rechtbank Rotterdam"
    beschikking = _tekst(db, hoofdzaak, "beschikking")
    assert "Geachte mevrouw Visser," in beschikking
    assert "voorzieningenrechter van de Rechtbank Rotterdam." in beschikking
    bezwaar = bezwaar_beslist(db, hoofdzaak, diensten, uitkomst="ongegrond", motivering="Het besluit is juist.")
    beslissing = _tekst(db, bezwaar, "beslissing_op_bezwaar")
    assert "Geachte mevrouw Visser," in beslissing
    assert "Stuur uw beroepschrift naar de Rechtbank Rotterdam, team bestuursrecht." in beslissing
    assert "sector" not in beslissing.lower()
