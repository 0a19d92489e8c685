"""Four eyes on a beschikking (domain/toetsing.py): the rule that sends it to a toetser as data with its reason in
words, the consulent's confirmation that says which way it went, and "may this actor judge it" asked by the page
(the buttons) and by the operation alike."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from domain.models import Medewerker, MedewerkerRol
from domain.processes import zaaktype_van
from domain.teksten import bedrag
from domain.toetsing import EIGEN_BESCHIKKING, mag_toetsen, toetsingsgrond
from domain.workflow import OvergangFout, beschikbare_overgangen, voer_uit
from domain.zaken import sla_besluit_op
from tests.test_wmo_proces import _toekenning, _tot_aanvraag, diensten, medewerker  # noqa: F401 (fixture)


def _besluit(besluittype="toekenning", uren=10, tarief=3250):
    product = SimpleNamespace(tarief_cent=tarief)
    voorzieningen = [SimpleNamespace(volume=uren, frequentie="2", product=product)] if uren else []
    return SimpleNamespace(besluittype=besluittype, voorzieningen=voorzieningen)


def test_the_cost_rule_gives_its_reason_with_the_amounts():
    grond = toetsingsgrond(_besluit(uren=10), {"toetsing_kosten_boven": 1_000_000})  # 10 h * 52 * € 32,50
    assert grond.vereist and grond.regel == "kosten"
    assert (grond.kosten_cent, grond.grens_cent) == (1_690_000, 1_000_000)
    assert grond.tekst == "Toetsing nodig: de kosten (€ 16.900,00 per jaar) zijn hoger dan € 10.000,00 per jaar."


def test_the_other_rules_and_self_signing():
    assert toetsingsgrond(_besluit(), {"toetsing_altijd": True}).tekst == (
        "Toetsing nodig: deze gemeente laat elke beschikking toetsen.")
    assert toetsingsgrond(_besluit("afwijzing", uren=0), {}).tekst == (
        "Toetsing nodig: een afwijzing wordt altijd getoetst.")
    klein = toetsingsgrond(_besluit(uren=2), {})  # 2 h * 52 * € 32,50 = € 3.380, the default grens is € 5.000
    assert not klein.vereist and klein.regel == "zelf"
    assert klein.tekst == "Geen toetsing nodig: de kosten (€ 3.380,00 per jaar) zijn niet hoger dan € 5.000,00 per jaar."
    assert not toetsingsgrond(_besluit("afwijzing", uren=0), {"toetsing_afwijzing": False}).vereist
    assert bedrag(507_050) == "€ 5.070,50" and bedrag(500_000) == "€ 5.000,00"  # one money format


def test_only_someone_else_may_judge_a_beschikking():
    besluit = SimpleNamespace(auteur_id=7)
    assert not mag_toetsen(SimpleNamespace(id=7), besluit)
    assert mag_toetsen(SimpleNamespace(id=8), besluit)
    assert not mag_toetsen(SimpleNamespace(id=8), None)


def test_the_confirmation_says_the_beschikking_went_to_the_toetser_and_why(demo, diensten):  # noqa: F811
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    _toekenning(db, zaak, uren=10)
    db.refresh(zaak)
    ctx = voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie,
                   diensten=diensten)
    assert zaak.status == "ter_toetsing"
    assert ctx.bevestiging == ("De beschikking is afgerond. De beschikking ligt bij de toetser. Toetsing nodig: de "
                               "kosten (€ 16.900,00 per jaar) zijn hoger dan € 5.000,00 per jaar.")


def test_the_confirmation_says_the_consulent_signed_it_themselves(demo, diensten):  # noqa: F811
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    _toekenning(db, zaak, uren=2)
    db.refresh(zaak)
    ctx = voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie,
                   diensten=diensten)
    assert zaak.status == "besluit"
    assert ctx.bevestiging.startswith("De beschikking is afgerond. U heeft de beschikking zelf ondertekend")
    assert "Geen toetsing nodig: de kosten (€ 3.380,00 per jaar)" in ctx.bevestiging


def test_the_author_who_is_also_toetser_is_not_offered_to_judge_their_own(demo, diensten):  # noqa: F811
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    m.rollen_rel.append(MedewerkerRol(rol="toetser"))
    db.commit()
    beide = medewerker(db, "wmo")
    sla_besluit_op(db, beide, zaak, besluittype="afwijzing", onderbouwing="Nee.", wettelijke_grondslag="",
                   voorzieningen=[])
    voer_uit(db, beide, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "ter_toetsing"
    wmo = zaaktype_van("wmo")
    assert not {"goedkeuren", "afkeuren"} & {o.code for o in beschikbare_overgangen(wmo, beide, zaak)}
    assert {"goedkeuren", "afkeuren"} <= {o.code for o in beschikbare_overgangen(wmo, medewerker(db, "toetser"), zaak)}
    with pytest.raises(OvergangFout) as fout:
        voer_uit(db, beide, zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    assert fout.value.melding == EIGEN_BESCHIKKING
    db.rollback()
    with pytest.raises(OvergangFout, match="eigen beschikking"):
        voer_uit(db, beide, zaak, "afkeuren", verwachte_versie=zaak.versie, diensten=diensten,
                 gegevens={"reden": "Zelf afkeuren."})


# --- The pages: the toetser judges with the reason, the beschikking and the verslag in view ----------------------

HENDRIK = "999990044"  # demo: Albrandswaard (toetst above € 4.000 a year), 10 h/week ter toetsing


def _zaak_van(db, bsn):
    from domain.models import Inwoner, Zaak

    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn).order_by(Zaak.id.desc()))


def test_the_toetser_sees_why_and_what_before_the_approve_button(demo, client):
    from io import BytesIO

    from pypdf import PdfReader

    from domain.models import Besluit
    from domain.voorzieningen import omschrijving
    from tests.helpers import medewerker_inloggen

    db = demo
    zaak = _zaak_van(db, HENDRIK)
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    medewerker_inloggen(client, "toetser")
    html = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    reden = "Toetsing nodig: de kosten (€ 16.900,00 per jaar) zijn hoger dan € 4.000,00 per jaar."
    knop = "Beschikking goedkeuren en ondertekenen"
    assert reden in html and knop in html
    voor_de_knop = html[:html.index(knop)]
    for wat in (reden, besluit.onderbouwing, omschrijving(besluit.voorzieningen[0]), "Onderzoeksverslag (versie 1)",
                "Het netwerk kan het zware huishouden niet overnemen.", "Voorbeeld van de beschikking (PDF)"):
        assert wat in voor_de_knop, wat
    assert "zelf opgesteld" not in html

    pdf = client.get(f"/backoffice/zaken/{zaak.id}/beschikking/voorbeeld")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    tekst = " ".join("".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages).split())
    assert "Voorbeeld, nog niet verzonden" in tekst and omschrijving(besluit.voorzieningen[0]) in tekst
    assert "Tom Toetser" in tekst  # signed by who will sign it
    db.expire_all()
    assert _zaak_van(db, HENDRIK).status == "ter_toetsing"  # nothing was stored or sent


def test_the_consulents_confirmation_over_http_says_the_toetser_has_it(demo, client):
    from tests.helpers import csrf_token, medewerker_inloggen

    db = demo
    zaak = _zaak_van(db, HENDRIK)
    medewerker_inloggen(client, "toetser")
    url = f"/backoffice/zaken/{zaak.id}/afkeuren"
    client.post(url, data={"csrf_token": csrf_token(client, url), "versie": zaak.versie, "reden": "Graag 8 uur."})
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "wmo")
    zaak = _zaak_van(db, HENDRIK)
    pagina = f"/backoffice/zaken/{zaak.id}"
    r = client.post(f"{pagina}/actie/beschikking_indienen", data={"csrf_token": csrf_token(client, pagina),
                                                                  "versie": zaak.versie}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "De beschikking ligt bij de toetser. Toetsing nodig: de kosten (€ 16.900,00 per jaar)" in html
    assert "Ter toetsing" in html  # the consulent sees the reason on the page too, without the buttons
    assert "Beschikking goedkeuren en ondertekenen" not in html


def test_the_author_who_is_also_toetser_sees_no_approve_button_but_who_must_judge(demo, client, diensten):  # noqa: F811
    from tests.helpers import csrf_token, medewerker_inloggen

    db = demo
    zaak = _tot_aanvraag(db, diensten)
    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    m.rollen_rel.append(MedewerkerRol(rol="toetser"))
    db.commit()
    _toekenning(db, zaak, uren=10)
    db.refresh(zaak)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    medewerker_inloggen(client, "wmo")
    html = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Beschikking goedkeuren en ondertekenen" not in html and "Beschikking afkeuren" not in html
    assert EIGEN_BESCHIKKING in html
    # ... and a forged click is refused with the same words
    pagina = f"/backoffice/zaken/{zaak.id}"
    r = client.post(f"{pagina}/actie/goedkeuren", data={"csrf_token": csrf_token(client, pagina), "versie": zaak.versie},
                    follow_redirects=True)
    assert EIGEN_BESCHIKKING in r.get_data(as_text=True)
    assert _zaak_van(db, zaak.inwoner.bsn).status == "ter_toetsing"
