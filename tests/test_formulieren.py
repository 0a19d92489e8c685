"""Portal forms: declared in a zaaktype, filled in as a draft, resumed on another device, sent (a PDF on the zaak and
the declared overgang). The zaaktype here exists only in this test suite (domain.processes.registreer)."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from domain import processes
from domain.actor import SYSTEEM
from domain.effects import MeldMedewerkers
from domain.notificaties import titel
from domain.formulieren import (
    BEDRAG, BESTAND, DATUM, GETAL, IBAN, JANEE, KEUZE, TEKSTVAK, Formulier, Veld, lees_veld,
)
from domain.models import AuditLog, Document, FormulierInzending, Inwoner, Notificatie, StatusHistorie, Team, Zaak
from domain.roles import Rol
from domain.tijd import vandaag
from domain.workflow import INWONER, Overgang, Status, Zaaktype, start_zaak
from tests.helpers import csrf_token, digid_inloggen

PIETER = "999990019"  # demo inwoner without zaken, gemeente 0489
FATIMA = "999990020"  # another inwoner of the same gemeente
PDF = b"%PDF-1.4\n% huurcontract\n"

AANVRAAG = Formulier(
    code="aanvraag", titel="Aanvraagformulier testregeling",
    intro="Vul het formulier in. U kunt tussendoor opslaan en later verder gaan.",
    overgang="aanvraag_versturen", open_in=("aanvraag_open",),
    bevestiging="We hebben uw aanvraag ontvangen.",
    velden=(
        Veld("naam", "Uw naam", prefill="naam"),
        Veld("geboortedatum", "Uw geboortedatum", soort=DATUM, prefill="geboortedatum"),
        Veld("toelichting", "Waarom vraagt u dit aan?", soort=TEKSTVAK, uitleg="Schrijf het in uw eigen woorden."),
        Veld("personen", "Met hoeveel mensen woont u in huis?", soort=GETAL, minimum=1, maximum=20),
        Veld("huur", "Hoeveel huur betaalt u per maand?", soort=BEDRAG, uitleg="Bijvoorbeeld 850,00"),
        Veld("iban", "Op welk rekeningnummer (IBAN) wilt u het geld krijgen?", soort=IBAN),
        Veld("woonvorm", "Hoe woont u?", soort=KEUZE, keuzes=(("huur", "Ik huur mijn huis"), ("koop", "Ik heb een koophuis"))),
        Veld("werk", "Heeft u betaald werk?", soort=JANEE),
        Veld("contract", "Uw huurcontract", soort=BESTAND, uitleg="Een PDF, JPG of PNG."),
        Veld("opmerking", "Wilt u nog iets zeggen?", verplicht=False),
    ),
)

TESTREGELING = Zaaktype(
    code="testregeling", naam="Testregeling", domein="wmo", meldbaar=False,
    behandelaar_rollen=frozenset({Rol.CONSULENT}),
    statussen=(
        Status("aanvraag_open", "Aanvraagformulier bij de inwoner", "Vul het aanvraagformulier in."),
        Status("aanvraag", "Aanvraag ontvangen", "We hebben uw aanvraag ontvangen. We nemen een besluit."),
        Status("afgesloten", "Afgesloten", "Deze zaak is afgesloten.", eind=True),
    ),
    overgangen=(
        Overgang("aanvraag_versturen", "Aanvraagformulier versturen", van=("aanvraag_open",), naar="aanvraag",
                 rollen=frozenset({INWONER}), formulier=True,
                 effecten=(MeldMedewerkers("team", "Aanvraag ontvangen", "De inwoner heeft het aanvraagformulier verstuurd."),),
                 bevestiging="We nemen binnen 8 weken een besluit."),
    ),
    formulieren=(AANVRAAG,),
)

VOLLEDIG = {"naam": "Pieter de Vries", "geboortedatum": "1961-07-14", "toelichting": "Mijn huur is te hoog.",
            "personen": "2", "huur": "1.234,56", "iban": "NL91 ABNA 0417 1643 00", "woonvorm": "huur", "werk": "nee"}


@pytest.fixture
def testregeling():
    processes.registreer(TESTREGELING)
    yield TESTREGELING
    processes.verwijder(TESTREGELING.code)


@pytest.fixture
def zaak(demo, testregeling):
    db = demo
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == PIETER))
    team = db.scalar(select(Team).where(Team.domein == "wmo"))
    z = start_zaak(db, SYSTEEM, zaaktype_code="testregeling", inwoner_id=inwoner.id, gemeente_id=inwoner.gemeente_id,
                   team_id=team.id, hulpvraag="Test", startdatum=vandaag())
    db.commit()
    return z


def _url(zaak) -> str:
    return f"/zaken/{zaak.id}/formulieren/aanvraag"


def _post(client, zaak, actie: str, velden: dict, bestanden=None, **verborgen):
    html = client.get(_url(zaak)).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "actie": actie, **velden}
    for naam in ("inzending", "versie"):
        m = re.search(rf'name="{naam}" value="(\d+)"', html)
        if m and naam not in verborgen:
            data[naam] = m.group(1)
    data.update(verborgen)
    if bestanden:
        data["contract"] = bestanden
    return client.post(_url(zaak), data=data, content_type="multipart/form-data")


def _fout(html: str, code: str) -> str:
    return html.split(f'id="f-{code}-fout"')[1].split("</div>")[0]


# --- Declaring and reading fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("soort,tekst,waarde", [
    (BEDRAG, "1.234,56", 123456), (BEDRAG, "€ 12", 1200), (BEDRAG, "12,5", 1250), (BEDRAG, "12.50", 1250),
    (BEDRAG, "1.250", 125000), (GETAL, "3", 3), (DATUM, "3-12-2026", "2026-12-03"), (DATUM, "2026-12-03", "2026-12-03"),
    (IBAN, "nl91 abna 0417 1643 00", "NL91ABNA0417164300"), (JANEE, "nee", False),
])
def test_what_the_inwoner_types_is_stored_typed(soort, tekst, waarde):
    assert lees_veld(Veld("x", "X", soort=soort), tekst) == waarde


@pytest.mark.parametrize("soort,tekst,melding", [
    (BEDRAG, "twaalf euro", "bedrag in euro's"), (BEDRAG, "12,345", "bedrag in euro's"), (BEDRAG, "-5", "bedrag"),
    (GETAL, "2,5", "heel getal"), (DATUM, "31-02-2026", "bestaande datum"), (IBAN, "NL91 ABNA 0417 1643 01", "IBAN klopt niet"),
    (JANEE, "misschien", "ja of nee"),
])
def test_a_wrong_answer_gets_a_dutch_message(soort, tekst, melding):
    with pytest.raises(ValueError, match=melding):
        lees_veld(Veld("x", "X", soort=soort), tekst)


def test_a_declaration_with_a_mistake_is_refused_when_the_zaaktype_is_loaded():
    with pytest.raises(ValueError, match="keuzes"):
        Veld("x", "X", soort=KEUZE)
    with pytest.raises(ValueError, match="prefill"):
        Veld("x", "X", prefill="bsn")
    from dataclasses import replace

    with pytest.raises(ValueError, match="bestaat niet"):
        processes.registreer(replace(TESTREGELING, code="kapot", formulieren=(replace(AANVRAAG, overgang="weg"),)))
    with pytest.raises(ValueError, match="open_in"):
        processes.registreer(replace(TESTREGELING, code="kapot", formulieren=(replace(AANVRAAG, open_in=("aanvraag",)),)))
    assert "kapot" not in processes.zaaktypen()


def test_every_zaaktype_declares_its_forms_consistently(testregeling):
    from domain.formulieren import controleer_declaratie

    assert "testregeling" in processes.zaaktypen()
    for zaaktype in processes.zaaktypen().values():
        controleer_declaratie(zaaktype)


# --- Over HTTP ------------------------------------------------------------------------------------------------


def test_a_draft_is_saved_and_resumed_on_another_device(app, demo, zaak, client, standin):
    db = demo
    digid_inloggen(client, bsn=PIETER)
    pagina = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Aanvraagformulier testregeling" in pagina and _url(zaak) in pagina
    nieuw = client.get(_url(zaak)).get_data(as_text=True)
    # Prefilled from the Inwoner record (BRP); the required fields still empty are listed with links.
    assert 'value="Pieter' in nieuw and 'id="f-geboortedatum"' in nieuw
    ontbreekt = nieuw.split('id="kop-ontbreekt"')[1].split("</ul>")[0]
    assert 'href="#f-huur"' in ontbreekt and 'href="#f-naam"' not in ontbreekt and 'href="#f-opmerking"' not in ontbreekt

    r = _post(client, zaak, "opslaan", {"naam": "Pieter de Vries", "huur": "1.234,56", "woonvorm": "huur"},
              bestanden=(io.BytesIO(PDF), "huurcontract.pdf"))
    assert r.status_code == 302
    assert "Uw antwoorden zijn opgeslagen" in client.get(r.headers["Location"]).get_data(as_text=True)
    inzending = db.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == zaak.id))
    assert inzending.status == "concept" and inzending.waarden["huur"] == 123456
    [bijlage] = db.scalars(select(Document).where(Document.formulier_inzending_id == inzending.id)).all()
    assert bijlage.zaak_id is None  # a draft's file is not on the zaak yet: the consulent does not see it

    ander_apparaat = app.test_client()
    digid_inloggen(ander_apparaat, bsn=PIETER)
    verder = ander_apparaat.get(_url(zaak)).get_data(as_text=True)
    assert 'value="1.234,56"' in verder and 'value="huur" checked' in verder and "huurcontract.pdf" in verder
    ontbreekt = verder.split('id="kop-ontbreekt"')[1].split("</ul>")[0]
    assert 'href="#f-huur"' not in ontbreekt and 'href="#f-contract"' not in ontbreekt and 'href="#f-iban"' in ontbreekt
    assert "U bent al begonnen" in ander_apparaat.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.object_type == "formulier_inzending", AuditLog.handeling == "lezen")) >= 2


def test_field_errors_are_shown_at_the_field_and_what_was_typed_is_kept(demo, zaak, client, standin):
    db = demo
    digid_inloggen(client, bsn=PIETER)
    r = _post(client, zaak, "opslaan", {"huur": "twaalf", "iban": "NL91 ABNA 0417 1643 01", "personen": "2",
                                        "toelichting": "Te hoge huur"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "bedrag in euro" in _fout(html, "huur") and "IBAN klopt niet" in _fout(html, "iban")
    assert 'value="twaalf"' in html and 'value="NL91 ABNA 0417 1643 01"' in html  # nothing typed is lost
    assert re.search(r'id="f-huur"[^>]*aria-describedby="f-huur-uitleg f-huur-fout"[^>]*aria-invalid="true"', html)
    assert 'href="#f-huur"' in html.split('role="alert"')[1].split("</div>")[0]
    inzending = db.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == zaak.id))
    assert inzending.waarden["personen"] == 2 and inzending.waarden["toelichting"] == "Te hoge huur"
    assert inzending.waarden.get("huur") is None  # the wrong answer is not stored


def test_sending_checks_everything_stores_a_pdf_and_fires_the_overgang(demo, zaak, client, standin):
    db = demo
    digid_inloggen(client, bsn=PIETER)
    onvolledig = _post(client, zaak, "versturen", {"naam": "Pieter de Vries", "huur": "850"})
    html = onvolledig.get_data(as_text=True)
    assert onvolledig.status_code == 422 and "Vul dit in." in _fout(html, "iban")
    assert "Voeg een bestand toe." in _fout(html, "contract") and "Kies een antwoord." in _fout(html, "werk")
    db.expire_all()
    assert db.get(Zaak, zaak.id).status == "aanvraag_open"
    assert db.scalar(select(FormulierInzending.waarden).where(FormulierInzending.zaak_id == zaak.id))["huur"] == 85000

    r = _post(client, zaak, "versturen", VOLLEDIG, bestanden=(io.BytesIO(PDF), "huurcontract.pdf"))
    assert r.status_code == 302, r.get_data(as_text=True)
    bevestiging = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "We hebben uw aanvraag ontvangen. We nemen binnen 8 weken een besluit." in bevestiging
    assert "€ 1.234,56" in bevestiging and "NL91 ABNA 0417 1643 00" in bevestiging and "14 juli 1961" in bevestiging
    db.expire_all()
    z = db.get(Zaak, zaak.id)
    assert z.status == "aanvraag"
    historie = db.scalar(select(StatusHistorie).where(StatusHistorie.zaak_id == z.id, StatusHistorie.status == "aanvraag"))
    assert historie.overgang == "aanvraag_versturen" and historie.door_inwoner
    inzending = db.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == z.id))
    assert inzending.status == "verzonden" and inzending.verzonden_op is not None
    documenten = {d.documenttype: d for d in db.scalars(select(Document).where(Document.formulier_inzending_id == inzending.id))}
    assert documenten["formulier"].zaak_id == z.id and documenten["formulier"].versies[0].inhoud.startswith(b"%PDF")
    assert documenten["bijlage_formulier"].zaak_id == z.id  # the upload is on the zaak now
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == z.id, Notificatie.onderwerp == titel("Aanvraag ontvangen", z.identificatie)))

    # The consulent reads what was sent in the PDF.
    from pypdf import PdfReader

    tekst = "".join(p.extract_text() for p in PdfReader(io.BytesIO(documenten["formulier"].versies[0].inhoud)).pages)
    assert "Mijn huur is te hoog." in tekst and "1.234,56" in tekst

    # Sent is final: the page shows it read-only, and posting to it again changes nothing.
    lezen = client.get(_url(z))
    assert lezen.status_code == 302 and f"/{inzending.id}" in lezen.headers["Location"]
    token = csrf_token(client, f"{_url(z)}/{inzending.id}")
    opnieuw = client.post(_url(z), data={"csrf_token": token, "actie": "opslaan", "inzending": inzending.id,
                                         "versie": inzending.versie, "huur": "1,00"}, follow_redirects=True)
    assert "al verstuurd" in opnieuw.get_data(as_text=True)
    db.expire_all()
    assert db.get(FormulierInzending, inzending.id).waarden["huur"] == 123456


def test_saving_on_two_devices_at_once_does_not_overwrite_silently(app, demo, zaak, client, standin):
    db = demo
    digid_inloggen(client, bsn=PIETER)
    _post(client, zaak, "opslaan", {"huur": "800"})
    inzending = db.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == zaak.id))
    oude_versie = inzending.versie
    ander = app.test_client()
    digid_inloggen(ander, bsn=PIETER)
    _post(ander, zaak, "opslaan", {"huur": "900"})
    r = _post(client, zaak, "opslaan", {"huur": "700"}, versie=str(oude_versie))
    assert "ergens anders opgeslagen" in client.get(r.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    assert db.get(FormulierInzending, inzending.id).waarden["huur"] == 90000


def test_another_inwoner_gets_the_same_404_as_for_a_missing_form(demo, zaak, client, standin):
    digid_inloggen(client, bsn=PIETER)
    _post(client, zaak, "opslaan", {"huur": "800"})
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    digid_inloggen(client, bsn=FATIMA)
    assert client.get(_url(zaak)).status_code == 404
    assert client.get(f"/zaken/{zaak.id}/formulieren/bestaat_niet").status_code == 404
    token = csrf_token(client, "/mijn-zaken")
    assert client.post(_url(zaak), data={"csrf_token": token, "actie": "opslaan", "huur": "1"}).status_code == 404
    inzending = demo.scalar(select(FormulierInzending).where(FormulierInzending.zaak_id == zaak.id))
    assert client.get(f"{_url(zaak)}/{inzending.id}").status_code == 404


def test_saving_needs_the_csrf_token(demo, zaak, client, standin):
    digid_inloggen(client, bsn=PIETER)
    r = client.post(_url(zaak), data={"actie": "opslaan", "huur": "800"})
    assert r.status_code == 400
    assert demo.scalar(select(func.count()).select_from(FormulierInzending).where(
        FormulierInzending.zaak_id == zaak.id)) == 0  # the demo's Jeugd zaken have forms of their own
