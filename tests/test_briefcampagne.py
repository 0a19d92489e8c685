"""Briefcampagnes: a letter to every inwoner whose voorziening ends in a period, made in the background, each letter
once (also after a crash), with its progress; only administratie or a teamleider starts one."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain import authz
from domain.briefcampagne import plan_campagne, tel_brieven, uitkomst, voortgang
from domain.campagne_uitvoering import claim_volgende, verwerk_geplande, voer_uit
from domain.models import (
    AuditLog,
    Besluit,
    Briefcampagne,
    Campagnebrief,
    Document,
    DocumentVersie,
    Notificatie,
    Voorziening,
    Zaak,
)
from domain.workflow import OvergangFout
from tests.test_wmo_proces import inwoner_actor, medewerker

VAN, TOT = dt.date(2040, 3, 1), dt.date(2040, 3, 31)
NEP_PDF = b"%PDF-1.7\n% nep: deze tests meten de campagne, niet WeasyPrint\n"


def nep_pdf(html: str) -> bytes:
    assert "stopt op" in html
    return NEP_PDF


def voorzieningen_die_stoppen(db, n: int) -> list[Voorziening]:
    """n granted voorzieningen (on the demo's besluiten) that end in March 2040, where the demo has none."""
    besluiten = list(db.scalars(select(Besluit).where(Besluit.status == "vastgesteld",
                                                      Besluit.besluittype == "toekenning").order_by(Besluit.id)))
    assert besluiten
    nieuw = []
    for i in range(n):
        b = besluiten[i % len(besluiten)]
        oud = b.voorzieningen[0]
        v = Voorziening(besluit_id=b.id, zaak_id=b.zaak_id, inwoner_id=oud.inwoner_id, product_id=oud.product_id,
                        volume=2, eenheid=oud.eenheid, frequentie=oud.frequentie, ingangsdatum=dt.date(2039, 3, 1),
                        einddatum=VAN + dt.timedelta(days=i % 28), leveringsvorm="zin", status="geleverd")
        db.add(v)
        nieuw.append(v)
    db.commit()
    return nieuw


@pytest.fixture
def diensten(settings):
    return dataclasses.replace(diensten_uit(settings), html_naar_pdf=nep_pdf)


def _brieven(db, campagne) -> int:
    return db.scalar(select(func.count()).select_from(Campagnebrief).where(Campagnebrief.campagne_id == campagne.id))


def test_a_campaign_counts_then_makes_one_letter_per_voorziening_on_the_zaak(demo, diensten):
    db = demo
    nieuw = voorzieningen_die_stoppen(db, 5)
    gestopt = nieuw[4]
    gestopt.status = "beeindigd"  # stopped early: no letter
    db.commit()
    administratie = medewerker(db, "administratie")
    assert tel_brieven(db, administratie, "herindicatie", VAN, TOT) == 4
    assert tel_brieven(db, administratie, "herindicatie", VAN, VAN) == 1  # only the one that ends on 1 March
    documenten_voor = db.scalar(select(func.count()).select_from(Document))

    campagne = plan_campagne(db, administratie, "herindicatie", VAN, TOT)
    assert (campagne.status, campagne.totaal, campagne.klaar) == ("gepland", 4, 0)
    assert verwerk_geplande(db, diensten, workers=0, batch=3) == 1
    db.expire_all()
    campagne = db.get(Briefcampagne, campagne.id)
    assert (campagne.status, campagne.klaar, campagne.mislukt, campagne.totaal) == ("afgerond", 4, 0, 4)
    assert campagne.gestart and campagne.afgerond and campagne.aangemaakt_door_id == administratie.id
    assert voortgang(campagne) == "4 van 4 brieven klaar (100 %)" and uitkomst(campagne) == "4 brieven gemaakt."
    assert db.scalar(select(func.count()).select_from(Document)) == documenten_voor + 4

    for v in nieuw[:4]:
        rij = db.scalar(select(Campagnebrief).where(Campagnebrief.voorziening_id == v.id))
        versie = db.get(DocumentVersie, rij.document_versie_id)
        assert versie.document.zaak_id == v.zaak_id and versie.document.zichtbaar_voor_inwoner
        assert versie.inhoud == NEP_PDF
    zaak = db.get(Zaak, nieuw[0].zaak_id)
    assert db.scalar(select(Notificatie).where(Notificatie.inwoner_id == zaak.inwoner_id,
                                               Notificatie.onderwerp == "Uw ondersteuning stopt"))
    assert db.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.doel == "Briefcampagne", AuditLog.object_type == "document",
        AuditLog.omschrijving.like(f"Brief van briefcampagne {campagne.id} %"))) == 4
    # A second campaign over the same period has nothing left to write: every inwoner already got the letter.
    assert tel_brieven(db, administratie, "herindicatie", VAN, TOT) == 0
    with pytest.raises(OvergangFout, match="geen brieven"):
        plan_campagne(db, administratie, "herindicatie", VAN, TOT)
    # Running the finished campaign again makes nothing new.
    voer_uit(db, campagne, diensten, workers=0)
    assert _brieven(db, campagne) == 4 and db.scalar(select(func.count()).select_from(Document)) == documenten_voor + 4


def test_a_campaign_cut_off_by_a_crash_resumes_without_a_second_letter(demo, diensten):
    db = demo
    voorzieningen_die_stoppen(db, 7)
    campagne = plan_campagne(db, medewerker(db, "teamleider"), "herindicatie", VAN, TOT)
    gerenderd = []

    def valt_om(html: str) -> bytes:
        gerenderd.append(html)
        if len(gerenderd) == 5:
            raise KeyboardInterrupt  # the process is killed while the pool renders the third batch
        return NEP_PDF

    claim_volgende(db)
    with pytest.raises(KeyboardInterrupt):
        voer_uit(db, campagne, dataclasses.replace(diensten, html_naar_pdf=valt_om), workers=0, batch=2)
    db.expire_all()
    campagne = db.get(Briefcampagne, campagne.id)
    assert campagne.status == "bezig" and campagne.klaar == 2 and _brieven(db, campagne) == 2  # batch 1 committed
    # Not taken again while its heartbeat is fresh; after ten quiet minutes the next worker resumes it.
    assert claim_volgende(db) is None
    later = campagne.bijgewerkt + dt.timedelta(minutes=11)
    assert claim_volgende(db, nu=later).id == campagne.id
    voer_uit(db, campagne, diensten, workers=0, batch=2)
    db.expire_all()
    campagne = db.get(Briefcampagne, campagne.id)
    assert (campagne.status, campagne.klaar, campagne.totaal) == ("afgerond", 7, 7)
    per_voorziening = db.execute(select(Campagnebrief.voorziening_id, func.count()).where(
        Campagnebrief.campagne_id == campagne.id).group_by(Campagnebrief.voorziening_id)).all()
    assert len(per_voorziening) == 7 and all(n == 1 for _, n in per_voorziening)
    assert db.scalar(select(func.count()).select_from(Document).join(Campagnebrief, Campagnebrief.zaak_id == Document.zaak_id)
                     .where(Document.titel == "Brief: uw ondersteuning stopt", Campagnebrief.campagne_id == campagne.id)
                     ) >= 7


def test_a_letter_that_fails_is_counted_and_the_rest_goes_on(demo, diensten):
    db = demo
    voorzieningen_die_stoppen(db, 3)
    campagne = plan_campagne(db, medewerker(db, "administratie"), "herindicatie", VAN, TOT)
    teller = []

    def een_faalt(html: str) -> bytes:
        teller.append(1)
        if len(teller) == 2:
            raise ValueError("lettertype ontbreekt")
        return NEP_PDF

    voer_uit(db, campagne, dataclasses.replace(diensten, html_naar_pdf=een_faalt), workers=0)
    assert (campagne.status, campagne.klaar, campagne.mislukt) == ("afgerond", 2, 1)
    assert voortgang(campagne) == "2 van 3 brieven klaar (100 %)"
    assert uitkomst(campagne).startswith("2 brieven gemaakt. 1 brief is niet gelukt.")
    fout = db.scalar(select(Campagnebrief).where(Campagnebrief.status == "mislukt"))
    assert "lettertype ontbreekt" in fout.fout and fout.document_versie_id is None


def test_progress_text_in_dutch_numbers():
    c = Briefcampagne(totaal=1234, klaar=412, mislukt=0)
    assert voortgang(c) == "412 van 1.234 brieven klaar (33 %)"
    assert voortgang(Briefcampagne(totaal=1, klaar=0, mislukt=0)) == "0 van 1 brief klaar (0 %)"
    assert uitkomst(Briefcampagne(totaal=1, klaar=1, mislukt=0)) == "1 brief gemaakt."


def test_only_administratie_or_a_teamleider_starts_a_campaign(demo):
    db = demo
    voorzieningen_die_stoppen(db, 1)
    voor = db.scalar(select(func.count()).select_from(Briefcampagne))
    for actor in (inwoner_actor(db, "999990056"), medewerker(db, "wmo"), medewerker(db, "toetser")):
        with pytest.raises(authz.Geweigerd):
            tel_brieven(db, actor, "herindicatie", VAN, TOT)
        with pytest.raises(authz.Geweigerd):
            plan_campagne(db, actor, "herindicatie", VAN, TOT)
    assert db.scalar(select(func.count()).select_from(Briefcampagne)) == voor
    assert tel_brieven(db, medewerker(db, "teamleider"), "herindicatie", VAN, TOT) == 1
    with pytest.raises(OvergangFout, match="vóór de eerste dag"):
        tel_brieven(db, medewerker(db, "administratie"), "herindicatie", TOT, VAN)


def test_the_pool_renders_real_letters_that_name_the_end_date(demo, settings):
    """Two worker processes, real WeasyPrint: the stored PDFs say in Dutch when the voorziening stops."""
    from pypdf import PdfReader

    from domain.teksten import datum_nl

    db = demo
    nieuw = voorzieningen_die_stoppen(db, 5)
    campagne = plan_campagne(db, medewerker(db, "administratie"), "herindicatie", VAN, TOT)
    voer_uit(db, campagne, diensten_uit(settings), workers=2, batch=2)
    assert (campagne.status, campagne.klaar, campagne.mislukt) == ("afgerond", 5, 0)
    for v in nieuw:
        rij = db.scalar(select(Campagnebrief).where(Campagnebrief.voorziening_id == v.id))
        tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(db.get(DocumentVersie, rij.document_versie_id)
                                                                         .inhoud)).pages)
        tekst = " ".join(tekst.split())
        assert f"stopt op {datum_nl(v.einddatum)}" in tekst and "/hulpvraag" in tekst


def test_the_demo_has_a_finished_campaign_with_a_letter_to_the_parents(demo):
    """`make run` shows a campaign: the herindicatie letter about Julia de Wit (15), to her parents."""
    from pypdf import PdfReader

    db = demo
    [campagne] = db.scalars(select(Briefcampagne)).all()
    assert (campagne.status, campagne.klaar, campagne.totaal, campagne.mislukt) == ("afgerond", 1, 1, 0)
    rij = db.scalar(select(Campagnebrief).where(Campagnebrief.campagne_id == campagne.id))
    tekst = " ".join(PdfReader(io.BytesIO(db.get(DocumentVersie, rij.document_versie_id).inhoud)).pages[0]
                     .extract_text().split())
    assert "ouders of verzorgers van Julia" in tekst and "stopt op" in tekst


def test_the_cli_counts_plans_runs_and_lists_a_campaign(demo, settings, monkeypatch, capsys):
    from app.cli import main

    db = demo
    voorzieningen_die_stoppen(db, 2)
    monkeypatch.setenv("KEUKENTAFEL_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    periode = ["--van", VAN.isoformat(), "--tot", TOT.isoformat()]
    assert main(["campagne", "tel", *periode, "--gebruiker", "administratie"]) == 0
    assert capsys.readouterr().out.strip() == "Er komen 2 brieven."
    assert main(["campagne", "start", *periode, "--gebruiker", "wmo"]) == 2
    assert "Alleen administratie of een teamleider" in capsys.readouterr().err
    assert main(["campagne", "start", *periode, "--gebruiker", "administratie", "--achtergrond"]) == 0
    assert "gepland: 2 brieven" in capsys.readouterr().out
    assert main(["campagne", "draai", "--workers", "0"]) == 0  # as the worker's job does, here without a pool
    assert main(["campagne", "lijst"]) == 0
    assert "afgerond  2 van 2 brieven klaar (100 %)" in capsys.readouterr().out
