"""Secure e-mail (issue 15 point 2), in the domain: what the mail holds and what not, which documents a zending
carries, no e-mail or phone means no link and a notification for the team, and the expiry sweep."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from domain import beveiligde_mail as bm
from domain.models import (
    AuditLog,
    BeveiligdeZending,
    Inwoner,
    MailBericht,
    Medewerker,
    Notificatie,
    Team,
    Zaak,
)
from domain.workflow import voer_uit
from domain.zaken import registreer_melding, sla_verslag_op
from tests.helpers import afspraak_gehouden
from tests.test_wmo_proces import VERSLAG, medewerker

KIND = "999990305"  # Lieke Meijer (4), a child of the demo
TELEFOON = "06 12345678"


def regie_zaak(db, diensten, *, telefoon: str | None = TELEFOON, email: str | None = "ouders.meijer@inwoner.example"):
    """A Regie Team zaak for the demo child, with the contact data toegang registered for the parents."""
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == KIND))
    inwoner.telefoon, inwoner.email = telefoon, email
    db.commit()
    zaak = registreer_melding(db, medewerker(db, "toegang"), inwoner=inwoner, zaaktype_code="regie_team",
                              hulpvraag="Zorgen over de veiligheid thuis.", kanaal="telefoon", diensten=diensten)
    db.commit()
    return zaak


def verslag_verstuurd(db, diensten, **contact) -> Zaak:
    """The zaak with the verslag sent to the inwoner (status verslag_ter_reactie)."""
    zaak = regie_zaak(db, diensten, **contact)
    regie = medewerker(db, "regieteam")
    voer_uit(db, regie, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "locatie": "Bij het gezin thuis"})
    afspraak_gehouden(db, regie, zaak, diensten)
    sla_verslag_op(db, regie, zaak, VERSLAG)
    voer_uit(db, regie, zaak, "verslag_versturen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "verslag_ter_reactie"
    return zaak


def zendingen(db, zaak) -> list[BeveiligdeZending]:
    return db.scalars(select(BeveiligdeZending).where(BeveiligdeZending.zaak_id == zaak.id)
                      .order_by(BeveiligdeZending.id)).all()


def test_the_mail_holds_only_a_link_no_name_bsn_zaaknummer_or_attachment(demo, diensten):
    zaak = verslag_verstuurd(demo, diensten)
    inwoner = zaak.inwoner
    mails = demo.scalars(select(MailBericht).where(MailBericht.aan == inwoner.email).order_by(MailBericht.id)).all()
    # The bevestiging of the melding, the afspraakbevestiging and the verslag: three secure mails, nothing else.
    assert len(mails) == 3
    for mail in mails:
        assert mail.onderwerp == "Beveiligd bericht van de gemeente Barendrecht"
        for deel in (mail.tekst, mail.html):
            for geheim in (inwoner.bsn, inwoner.voornamen, inwoner.geslachtsnaam, zaak.identificatie, "verslag",
                           "huisbezoek", "Regieteam"):
                assert geheim not in deel, geheim
            assert "/beveiligd/" in deel and "sms" in deel and "14 0180" in deel and "De link werkt tot en met" in deel
        assert "Content-Disposition" not in mail.tekst and "%PDF" not in (mail.html or "")
    from integrations.mail.smtp import bouw_bericht

    assert not [p for p in bouw_bericht(mails[-1], "gemeente@example").walk() if p.get_filename()]  # no attachment
    # The token is in the mail only: the zending keeps its hash.
    link = bm.laatste_link(demo, inwoner.email)
    token = link.rsplit("/", 1)[1]
    zending = zendingen(demo, zaak)[-1]
    assert zending.token_hash != token and bm.zoek(demo, token) is zending
    assert zending.email == inwoner.email and zending.telefoon == TELEFOON
    assert zending.verloopt_op - zending.verzonden_op == bm.LINK_GELDIG


def test_each_zending_carries_the_documents_of_its_own_overgang(demo, diensten):
    zaak = verslag_verstuurd(demo, diensten)
    soorten = [[v.document.documenttype for v in z.documenten] for z in zendingen(demo, zaak)]
    assert soorten == [["bevestigingsbrief"], ["afspraakbevestiging"], ["onderzoeksverslag"]]
    melding, afspraak, verslag = zendingen(demo, zaak)
    assert verslag.onderwerp == "Lees het verslag van het huisbezoek" and "7 dagen" in verslag.tekst
    assert all(z.status == bm.VERZONDEN for z in (melding, afspraak, verslag))
    assert demo.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.object_type == "beveiligde_zending", AuditLog.handeling == "aanmaken",
        AuditLog.inwoner_id == zaak.inwoner_id)) == 3


def _team_meldingen(db, zaak) -> list[str]:
    return db.scalars(select(Notificatie.onderwerp).where(Notificatie.zaak_id == zaak.id,
                                                          Notificatie.medewerker_id.is_not(None),
                                                          Notificatie.onderwerp.like("Beveiligde e-mail%"))).all()


def _demo_links_verlopen(db) -> None:
    """The demo's own Regieteam links (domain/demo/regie.py) run out first: what a sweep counts below is the
    test's own zending."""
    bm.verloop_zendingen(db, bm.nu() + dt.timedelta(days=60))


def _mails_met_link(db) -> int:
    return db.scalar(select(func.count()).select_from(MailBericht).where(MailBericht.tekst.like("%/beveiligd/%")))


def test_without_an_email_address_no_link_goes_out_and_the_team_is_told(demo, diensten):
    eerder = _mails_met_link(demo)
    zaak = regie_zaak(demo, diensten, email=None)
    (zending,) = zendingen(demo, zaak)
    assert zending.status == bm.NIET_VERZONDEN and zending.token_hash is None
    assert zending.reden == "Er is geen e-mailadres van de inwoner bekend."
    assert [g.soort for g in zending.gebeurtenissen] == ["niet_verzonden"]
    assert _mails_met_link(demo) == eerder
    team = demo.scalar(select(Team).where(Team.code == "regie_team"))
    leden = {m.id for m in team.leden if m.actief}
    ontvangers = set(demo.scalars(select(Notificatie.medewerker_id).where(
        Notificatie.zaak_id == zaak.id, Notificatie.onderwerp.like("Beveiligde e-mail niet verstuurd%"))))
    assert ontvangers and ontvangers <= leden
    assert demo.get(Medewerker, medewerker(demo, "regieteam").id).id in ontvangers


def test_without_a_phone_number_no_link_goes_out_and_the_consulent_hears_it_at_once(demo, diensten):
    zaak = regie_zaak(demo, diensten, telefoon=None)
    regie = medewerker(demo, "regieteam")
    ctx = voer_uit(demo, regie, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "locatie": "Bij het gezin thuis"})
    assert "niet verstuurd" in ctx.bevestiging and "telefoonnummer" in ctx.bevestiging
    assert [z.status for z in zendingen(demo, zaak)] == [bm.NIET_VERZONDEN, bm.NIET_VERZONDEN]
    assert _team_meldingen(demo, zaak)
    # The contact data completed, the consulent sends a new link: the same message and documents.
    zaak.inwoner.telefoon = TELEFOON
    demo.commit()
    oud = zendingen(demo, zaak)[-1]
    nieuw = bm.opnieuw_versturen(demo, regie, oud, portaal_url=diensten.portaal_url)
    assert nieuw.status == bm.VERZONDEN and nieuw.vervangt_id == oud.id
    assert [v.id for v in nieuw.documenten] == [v.id for v in oud.documenten] and nieuw.documenten
    assert oud.gebeurtenissen[-1].soort == "nieuwe_link"


def test_the_expiry_sweep_marks_each_expired_link_once(demo, diensten):
    _demo_links_verlopen(demo)
    zaak = regie_zaak(demo, diensten)
    (zending,) = zendingen(demo, zaak)
    assert bm.verloop_zendingen(demo, zending.verloopt_op - dt.timedelta(minutes=1)) == {"verlopen": 0, "afgerond": 0}
    later = zending.verloopt_op + dt.timedelta(minutes=1)
    assert bm.verloop_zendingen(demo, later)["verlopen"] == 1
    assert bm.verloop_zendingen(demo, later)["verlopen"] == 0  # idempotent
    demo.refresh(zending)
    assert zending.status == bm.VERLOPEN and [g.soort for g in zending.gebeurtenissen].count("verlopen") == 1
    assert demo.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.object_type == "beveiligde_zending", AuditLog.object_id == str(zending.id),
        AuditLog.omschrijving.like("%verlopen%"))) == 1
    # An expired link can be replaced by the consulent, not by someone outside the team.
    import pytest

    from domain import authz

    with pytest.raises(authz.Geweigerd):
        bm.opnieuw_versturen(demo, medewerker(demo, "jeugd"), zending, portaal_url=diensten.portaal_url)
    assert bm.opnieuw_versturen(demo, medewerker(demo, "regieteam"), zending,
                                portaal_url=diensten.portaal_url).status == bm.VERZONDEN


def test_the_scheduler_job_runs_the_sweep(app, demo, diensten, settings, monkeypatch):
    from app.scheduler import beveiligde_mail_job

    _demo_links_verlopen(demo)
    zaak = regie_zaak(demo, diensten)
    (zending,) = zendingen(demo, zaak)
    monkeypatch.setattr(bm, "nu", lambda: zending.verloopt_op + dt.timedelta(seconds=1))
    job = beveiligde_mail_job(settings, app.extensions["db_sessionmaker"])
    assert job() == {"verlopen": 1, "afgerond": 0}
    assert job() == {"verlopen": 0, "afgerond": 0}
    demo.expire_all()
    assert demo.get(BeveiligdeZending, zending.id).status == bm.VERLOPEN
