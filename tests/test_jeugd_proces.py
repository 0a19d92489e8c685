"""The Jeugd process on the engine, step by step, through the real domain operations (each branch)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from domain.formulieren import formulier_van
from domain.inzendingen import FormulierFout, verstuur
from domain.models import Actie, Besluit, Document, Inwoner, Klantcontact, Product, Termijn
from domain.processes import zaaktype_van
from domain.workflow import OvergangFout, voer_uit
from domain.zaken import VoorzieningInvoer, registreer_melding, sla_besluit_op, sla_verslag_op
from tests.helpers import afspraak_gehouden
from tests.test_wmo_proces import VERSLAG, inwoner_actor, medewerker

OUDER = "999990007"  # until the gezag fixtures: the inwoner acts for herself
JEUGD = zaaktype_van("jeugd")


def _melding(db, diensten, bsn=OUDER):
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    return registreer_melding(db, medewerker(db, "toegang"), inwoner=inwoner, zaaktype_code="jeugd",
                              hulpvraag="Onze zoon van 10 heeft veel woedeaanvallen, op school en thuis.",
                              kanaal="telefoon", diensten=diensten)


def _onderzocht(db, diensten):
    zaak = _melding(db, diensten)
    jeugd = medewerker(db, "jeugd")
    voer_uit(db, jeugd, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "locatie": "Bij het gezin thuis"})
    afspraak_gehouden(db, jeugd, zaak, diensten)
    sla_verslag_op(db, jeugd, zaak, VERSLAG)
    return zaak


def _oordeel(db, zaak, waarde: str) -> None:
    """The consulent records "Jeugdwet van toepassing?" (a zaakeigenschap): only the matching branch is offered."""
    from domain.eigenschappen import leg_vast

    leg_vast(db, medewerker(db, "jeugd"), zaak, {"jeugdwet_van_toepassing": waarde}, verwachte_versie=zaak.versie)


def _documenten(db, zaak) -> list[str]:
    return [d.documenttype for d in db.scalars(select(Document).where(Document.zaak_id == zaak.id).order_by(Document.id))]


def test_melding_lands_at_team_jeugd_with_a_letter_that_mentions_the_form(demo, diensten):
    zaak = _melding(demo, diensten)
    assert zaak.team.code == "jeugd" and zaak.status == "melding"
    assert _documenten(demo, zaak) == ["bevestigingsbrief"]
    # Nothing of the Wmo: no Wmo term, no Wmo team; the beslistermijn only starts with the aanvraag (Awb 4:13).
    assert demo.scalars(select(Termijn.soort).where(Termijn.zaak_id == zaak.id)).all() == []
    with pytest.raises(OvergangFout):
        voer_uit(demo, medewerker(demo, "wmo"), zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten,
                 gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "locatie": "Thuis"})


def test_jeugdwet_applies_seven_days_then_form_then_beschikking_and_ijw_order(demo, diensten):
    from domain.tijd import vandaag
    from domain.tijdgestuurd import verwerk_termijnen

    db = demo
    # The demo's own Jeugd zaak that waits for a reaction runs out first: what the sweep counts below is this zaak.
    verwerk_termijnen(db, vandaag() + dt.timedelta(days=60), diensten=diensten)
    zaak = _onderzocht(db, diensten)
    jeugd = medewerker(db, "jeugd")
    assert _documenten(db, zaak) == ["bevestigingsbrief", "afspraakbevestiging"]
    _oordeel(db, zaak, "ja")
    voer_uit(db, jeugd, zaak, "jeugdwet_van_toepassing", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "verslag_ter_reactie"
    reactie = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "reactietermijn-7-dagen"))
    assert reactie.einddatum >= reactie.startdatum + dt.timedelta(days=7)
    ouder = inwoner_actor(db, OUDER)
    formulier = formulier_van(JEUGD, "aanvraagformulier")
    with pytest.raises(FormulierFout):  # not signed: refused, the draft kept
        verstuur(db, ouder, zaak, formulier, invoer={"naam_ouder": "J. Jansen", "hulp": "Hulp bij woede"},
                 diensten=diensten)
    db.rollback()
    # Nobody reacts within 7 days: the term's sweep moves on to the aanvraagformulier, once.
    assert verwerk_termijnen(db, reactie.einddatum, diensten=diensten).overgangen == 0  # the last day still counts
    assert verwerk_termijnen(db, reactie.einddatum + dt.timedelta(days=1), diensten=diensten).overgangen == 1
    assert verwerk_termijnen(db, reactie.einddatum + dt.timedelta(days=2), diensten=diensten).overgangen == 0
    db.refresh(zaak)
    assert zaak.status == "aanvraagformulier"
    from domain.models import FormulierInzending

    concept = db.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == zaak.id))
    assert concept.waarden["hulp"] == "Hulp bij woede"  # the refused attempt was kept as a draft
    verstuur(db, ouder, zaak, formulier, invoer={"naam_ouder": "J. Jansen", "telefoon": "0612345678",
                                                "hulp": "Hulp bij woede", "verslag_gelezen": "ja", "ondertekend": "ja"},
             inzending_id=concept.id, verwachte_versie=concept.versie, diensten=diensten)
    db.refresh(zaak)
    assert zaak.status == "aanvraag"
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "awb-beschikking"))
    assert "4:13" in termijn.bron and zaak.uiterlijke_einddatum == termijn.einddatum
    product = db.scalar(select(Product).where(Product.code == "JW-AMB"))
    sla_besluit_op(db, jeugd, zaak, besluittype="toekenning", onderbouwing="Ambulante hulp helpt het gezin.",
                   wettelijke_grondslag="", voorzieningen=[VoorzieningInvoer(
                       product_id=product.id, volume=1, frequentie="2", ingangsdatum=vandaag(), einddatum=None)])
    voer_uit(db, jeugd, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "besluit"  # 1 hour a week: under the cost level, self-signed
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    assert besluit.wettelijke_grondslag == "artikel 2.3 Jeugdwet"
    soorten = {a.soort for a in db.scalars(select(Actie).where(Actie.zaak_id == zaak.id, Actie.afgerond.is_(None)))}
    assert soorten == {"besluit_bespreken", "bestellen"}
    voer_uit(db, jeugd, zaak, "besluit_besproken", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"reden": "Besluit uitgelegd; aanbieders De Hoeksteen en Yulius genoemd."})
    assert db.scalar(select(Klantcontact).where(Klantcontact.zaak_id == zaak.id, Klantcontact.kanaal == "telefoon"))
    voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie, diensten=diensten)
    from domain.models import Bericht

    berichten = db.scalars(select(Bericht).where(Bericht.zaak_id == zaak.id)).all()
    assert [(b.standaard, b.code) for b in berichten] == [("ijw", "301")]  # and no iEb: jeugdhulp has no eigen bijdrage


def test_changes_to_the_verslag_go_back_to_the_consulent(demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    _oordeel(db, zaak, "ja")
    voer_uit(db, medewerker(db, "jeugd"), zaak, "jeugdwet_van_toepassing", verwachte_versie=zaak.versie, diensten=diensten)
    verstuur(db, inwoner_actor(db, OUDER), zaak, formulier_van(JEUGD, "wijzigingen_verslag"),
             invoer={"wijzigingen": "Het gaat ook op de sportclub mis."}, diensten=diensten)
    db.refresh(zaak)
    assert zaak.status == "in_onderzoek"
    assert db.scalar(select(Termijn.gestopt_op).where(Termijn.zaak_id == zaak.id,
                                                      Termijn.soort == "reactietermijn-7-dagen")) is not None


@pytest.mark.parametrize("akkoord", [True, False])
def test_jeugdwet_does_not_apply_intrekking_agreed_or_a_negative_beschikking(demo, diensten, akkoord):
    db = demo
    zaak = _onderzocht(db, diensten)
    _oordeel(db, zaak, "nee")
    voer_uit(db, medewerker(db, "jeugd"), zaak, "jeugdwet_niet_van_toepassing", verwachte_versie=zaak.versie,
             diensten=diensten)
    assert zaak.status == "intrekking_voorgelegd" and "intrekking" in _documenten(db, zaak)
    ouder = inwoner_actor(db, OUDER)
    if akkoord:
        voer_uit(db, ouder, zaak, "akkoord_intrekking", verwachte_versie=zaak.versie, diensten=diensten)
        assert zaak.status == "afgesloten" and zaak.afgesloten
        return
    voer_uit(db, ouder, zaak, "niet_akkoord_intrekking", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "aanvraag"
    sla_besluit_op(db, medewerker(db, "jeugd"), zaak, besluittype="afwijzing", wettelijke_grondslag="",
                   onderbouwing="De hulp valt niet onder de Jeugdwet; u kunt terecht bij het Sociaal Team.", voorzieningen=[])
    voer_uit(db, medewerker(db, "jeugd"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "ter_toetsing"  # an afwijzing is always judged by a toetser
    voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    soorten = {a.soort for a in db.scalars(select(Actie).where(Actie.zaak_id == zaak.id, Actie.afgerond.is_(None)))}
    assert soorten == {"besluit_bespreken"}  # an afwijzing orders nothing


def test_the_inwoner_agrees_with_the_intrekking_in_the_portal(client, demo, diensten, standin):
    """An inwoner step without a form is a button in the portal, for the version the inwoner saw."""
    from tests.helpers import csrf_token, digid_inloggen

    db = demo
    zaak = _onderzocht(db, diensten)
    _oordeel(db, zaak, "nee")
    voer_uit(db, medewerker(db, "jeugd"), zaak, "jeugdwet_niet_van_toepassing", verwachte_versie=zaak.versie,
             diensten=diensten)
    zaak_id, versie = zaak.id, zaak.versie
    digid_inloggen(client, OUDER)
    html = client.get(f"/zaken/{zaak_id}").get_data(as_text=True)
    assert "Ik ben het eens: trek de aanvraag in" in html and "Ik ben het niet eens: neem een besluit" in html
    url = f"/zaken/{zaak_id}/keuze/akkoord_intrekking"
    assert client.post(url, data={"versie": versie}).status_code == 400  # no CSRF token
    verouderd = client.post(url, data={"csrf_token": csrf_token(client, f"/zaken/{zaak_id}"), "versie": versie - 1},
                            follow_redirects=True).get_data(as_text=True)
    assert "Iemand anders heeft deze zaak net gewijzigd" in verouderd
    niet = client.post(f"/zaken/{zaak_id}/keuze/beschikking_indienen",
                       data={"csrf_token": csrf_token(client, f"/zaken/{zaak_id}"), "versie": versie},
                       follow_redirects=True).get_data(as_text=True)
    assert "Deze keuze kunt u nu niet maken" in niet  # a consulent's overgang is no inwoner choice
    klaar = client.post(url, data={"csrf_token": csrf_token(client, f"/zaken/{zaak_id}"), "versie": versie},
                        follow_redirects=True).get_data(as_text=True)
    assert "U heeft uw aanvraag ingetrokken" in klaar
    db.expire_all()
    assert db.get(type(zaak), zaak_id).status == "afgesloten"
