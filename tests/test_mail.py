"""The mail outbox end to end: queued in the caller's transaction, delivered over real SMTP on loopback.

No mocks of smtplib: every test talks to an aiosmtpd server (or to a closed port, for "server down"), so the
MIME building, smtplib and the retry bookkeeping are all exercised as in production.
"""
from __future__ import annotations

import datetime as dt
import email
import os
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from domain.models import MailBericht, utcnow
from integrations.mail import (
    MailTemplateFout,
    SmtpTransport,
    render_mail,
    start_lokale_smtp,
    transport_uit_instellingen,
    verstuur_klaarstaande,
    volgende_wachttijd,
    zet_klaar,
)

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
AFZENDER = "Gemeente Barendrecht <noreply@barendrecht.example>"
TEKST = "Beste mevrouw Daniëlle,\n\nDe eigen bijdrage is € 21,80 per maand.\n"
HTML = "<p>Beste mevrouw Daniëlle,</p><p>De eigen bijdrage is € 21,80 per maand.</p>"
CONTEXT = {
    "gemeente_naam": "Barendrecht",
    "gemeente_telefoon": "14 0180",
    "portaal_url": "https://portaal.example.nl/",
}
NIETS = {"verzonden": 0, "uitgesteld": 0, "mislukt": 0}


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Vanger:
    """aiosmtpd handler that keeps every received message in memory; can refuse one recipient address."""

    def __init__(self, weiger: str | None = None) -> None:
        self.ontvangen: list[tuple[str, list[str], EmailMessage]] = []
        self.weiger = weiger

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.weiger:
            return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.ontvangen.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers on loopback: smtp_server(port=None, weiger=None) -> (vanger, port)."""
    controllers: list[Controller] = []

    def _start(port: int | None = None, weiger: str | None = None) -> tuple[Vanger, int]:
        vanger = Vanger(weiger)
        port = port or _vrije_poort()
        controller = Controller(vanger, hostname="127.0.0.1", port=port, server_hostname="test.localhost")
        controller.start()
        controllers.append(controller)
        return vanger, port

    yield _start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def sessions(app):
    return app.extensions["db_sessionmaker"]


def _lf(tekst: str) -> str:
    """SMTP carries lines ending in CRLF; compare texts without that difference."""
    return tekst.replace("\r\n", "\n")


def _transport(port: int) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, "", "", False, False, AFZENDER, timeout=5)


def _aantal(db, **filters) -> int:
    db.rollback()  # a fresh snapshot: the sweep committed in other sessions
    query = select(func.count()).select_from(MailBericht)
    for kolom, waarde in filters.items():
        query = query.where(getattr(MailBericht, kolom) == waarde)
    return db.scalar(query)


def _zet_drie_klaar(db) -> list[int]:
    berichten = [
        zet_klaar(db, f"inwoner{i}@voorbeeld.nl", f"Uw eigen bijdrage ({i}) – gemeente Barendrecht", TEKST,
                  HTML)
        for i in range(3)
    ]
    db.commit()
    return [b.id for b in berichten]


def test_rollback_zet_niets_klaar(db):
    for i in range(3):
        zet_klaar(db, f"inwoner{i}@voorbeeld.nl", "Onderwerp", TEKST, HTML)
    db.rollback()
    assert _aantal(db) == 0


def test_zet_klaar_weigert_ongeldige_adressen_en_kopregels(db):
    for adres in ("", "geen-adres", "a@b.nl, c@d.nl", "a@b.nl\r\nBcc: x@y.nl"):
        with pytest.raises(ValueError):
            zet_klaar(db, adres, "Onderwerp", TEKST)
    bericht = zet_klaar(db, " a@b.nl ", "Twee\r\nregels", TEKST)
    assert (bericht.aan, bericht.onderwerp) == ("a@b.nl", "Twee regels")


def test_sweep_bezorgt_utf8_multipart(db, sessions, smtp_server):
    vanger, port = smtp_server()
    ids = _zet_drie_klaar(db)

    telling = verstuur_klaarstaande(sessions, _transport(port))

    assert telling == {"verzonden": 3, "uitgesteld": 0, "mislukt": 0}
    assert sorted(rcpt for _, rcpts, _ in vanger.ontvangen for rcpt in rcpts) == [
        "inwoner0@voorbeeld.nl", "inwoner1@voorbeeld.nl", "inwoner2@voorbeeld.nl"]
    afzender, _ontvangers, msg = next(o for o in vanger.ontvangen if o[1] == ["inwoner1@voorbeeld.nl"])
    assert afzender == "noreply@barendrecht.example"
    assert msg["Subject"] == "Uw eigen bijdrage (1) – gemeente Barendrecht"
    assert msg["To"] == "inwoner1@voorbeeld.nl"
    assert msg["Date"] and msg["Message-ID"].strip().startswith("<") and f"mail-{ids[1]}" in msg["Message-ID"]
    assert msg.get_content_type() == "multipart/alternative"
    tekst = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert tekst.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    assert _lf(tekst.get_content()) == TEKST
    assert "€ 21,80" in html.get_content() and "Daniëlle" in html.get_content()

    db.rollback()
    for bericht in db.scalars(select(MailBericht)):
        assert bericht.status == "verzonden"
        assert bericht.verzonden is not None and bericht.verzonden.tzinfo is not None
        assert bericht.laatste_fout is None


def test_alleen_tekst_is_geen_multipart(db, sessions, smtp_server):
    vanger, port = smtp_server()
    zet_klaar(db, "inwoner@voorbeeld.nl", "Alleen tekst", TEKST)
    db.commit()
    verstuur_klaarstaande(sessions, _transport(port))
    (_, _, msg), = vanger.ontvangen
    assert msg.get_content_type() == "text/plain"
    assert _lf(msg.get_content()) == TEKST


def test_server_plat_verliest_niets_en_bezorgt_later_precies_een_keer(db, sessions, smtp_server):
    port = _vrije_poort()  # nothing listens here yet
    _zet_drie_klaar(db)
    voor = utcnow()

    telling = verstuur_klaarstaande(sessions, _transport(port))

    assert telling == {"verzonden": 0, "uitgesteld": 3, "mislukt": 0}
    db.rollback()
    berichten = db.scalars(select(MailBericht)).all()
    assert len(berichten) == 3
    for bericht in berichten:
        assert bericht.status == "klaar"
        assert bericht.pogingen == 1
        assert bericht.laatste_fout.startswith("ConnectionRefusedError")
        assert "voorbeeld.nl" not in bericht.laatste_fout
        assert bericht.volgende_poging > voor
    # Not due yet: a sweep right now leaves them alone.
    assert verstuur_klaarstaande(sessions, _transport(port)) == NIETS

    vanger, _ = smtp_server(port=port)
    later = max(b.volgende_poging for b in berichten) + dt.timedelta(seconds=1)
    assert verstuur_klaarstaande(sessions, _transport(port), nu=later) == {**NIETS, "verzonden": 3}
    assert verstuur_klaarstaande(sessions, _transport(port), nu=later + dt.timedelta(hours=1)) == NIETS

    assert len(vanger.ontvangen) == 3
    assert sorted(r for _, rcpts, _ in vanger.ontvangen for r in rcpts) == [
        "inwoner0@voorbeeld.nl", "inwoner1@voorbeeld.nl", "inwoner2@voorbeeld.nl"]
    db.rollback()
    for bericht in db.scalars(select(MailBericht)):
        assert (bericht.status, bericht.pogingen) == ("verzonden", 2)
        assert bericht.verzonden == later


def test_na_max_pogingen_mislukt(db, sessions):
    port = _vrije_poort()
    zet_klaar(db, "inwoner@voorbeeld.nl", "Onderwerp", TEKST)
    db.commit()
    nu = utcnow()
    wachttijden = []
    for poging in range(1, 4):
        telling = verstuur_klaarstaande(sessions, _transport(port), nu=nu, max_pogingen=3)
        db.rollback()
        bericht = db.scalars(select(MailBericht)).one()
        assert bericht.pogingen == poging
        if poging < 3:
            assert telling["uitgesteld"] == 1 and bericht.status == "klaar"
            wachttijden.append(bericht.volgende_poging - nu)
            nu = bericht.volgende_poging
        else:
            assert telling["mislukt"] == 1 and bericht.status == "mislukt"
    assert wachttijden == [dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    # Given up means given up: a sweep far in the future does not touch it.
    verre_toekomst = nu + dt.timedelta(days=30)
    assert verstuur_klaarstaande(sessions, _transport(port), nu=verre_toekomst) == {
        "verzonden": 0, "uitgesteld": 0, "mislukt": 0}


def test_backoff_verdubbelt_tot_zes_uur():
    assert [volgende_wachttijd(n).total_seconds() / 60 for n in range(1, 8)] == [1, 2, 4, 8, 16, 32, 64]
    assert volgende_wachttijd(9) == dt.timedelta(minutes=256)
    assert volgende_wachttijd(10) == dt.timedelta(hours=6)
    assert volgende_wachttijd(1000) == dt.timedelta(hours=6)


def test_geweigerd_adres_mislukt_meteen_zonder_adres_in_de_fout(db, sessions, smtp_server):
    vanger, port = smtp_server(weiger="bestaat-niet@voorbeeld.nl")
    zet_klaar(db, "bestaat-niet@voorbeeld.nl", "Onderwerp", TEKST)
    zet_klaar(db, "bestaat@voorbeeld.nl", "Onderwerp", TEKST)
    db.commit()

    assert verstuur_klaarstaande(sessions, _transport(port)) == {**NIETS, "verzonden": 1, "mislukt": 1}

    db.rollback()
    fout = db.scalars(select(MailBericht).where(MailBericht.status == "mislukt")).one()
    assert fout.aan == "bestaat-niet@voorbeeld.nl"
    assert "550" in fout.laatste_fout and "bestaat-niet" not in fout.laatste_fout
    assert [rcpts for _, rcpts, _ in vanger.ontvangen] == [["bestaat@voorbeeld.nl"]]


def test_sweep_twee_keer_verstuurt_niets_dubbel(db, sessions, smtp_server):
    vanger, port = smtp_server()
    _zet_drie_klaar(db)
    transport = _transport(port)
    eerste = verstuur_klaarstaande(sessions, transport)
    tweede = verstuur_klaarstaande(sessions, transport)
    assert (eerste["verzonden"], tweede["verzonden"]) == (3, 0)
    assert len(vanger.ontvangen) == 3


def test_batch_begrenst_een_sweep(db, sessions, smtp_server):
    vanger, port = smtp_server()
    _zet_drie_klaar(db)
    assert verstuur_klaarstaande(sessions, _transport(port), batch=2)["verzonden"] == 2
    assert verstuur_klaarstaande(sessions, _transport(port), batch=2)["verzonden"] == 1
    assert len(vanger.ontvangen) == 3


@pytest.mark.skipif(not ON_POSTGRES, reason="SKIP LOCKED needs PostgreSQL; SQLite has no row locks")
def test_gelijktijdige_sweeps_versturen_niets_dubbel(db, sessions, smtp_server):
    """Two sweeps at the same time (two workers, or the scheduler and a CLI run) split the work."""
    vanger, port = smtp_server()
    for i in range(8):
        zet_klaar(db, f"inwoner{i}@voorbeeld.nl", "Onderwerp", TEKST)
    db.commit()

    class TraagTransport(SmtpTransport):
        def send(self, bericht):
            time.sleep(0.1)  # hold the row lock a while, so the sweeps really overlap
            super().send(bericht)

    tellingen: list[dict[str, int]] = []
    threads = [
        threading.Thread(target=lambda: tellingen.append(
            verstuur_klaarstaande(sessions, TraagTransport("127.0.0.1", port, sender=AFZENDER))))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sum(t["verzonden"] for t in tellingen) == 8
    assert all(t["verzonden"] > 0 for t in tellingen)
    ontvangers = [r for _, rcpts, _ in vanger.ontvangen for r in rcpts]
    assert sorted(ontvangers) == sorted(f"inwoner{i}@voorbeeld.nl" for i in range(8))


def test_lokale_outbox_schrijft_eml_bestanden(tmp_path):
    map = tmp_path / "mail"
    controller, port = start_lokale_smtp(map)
    try:
        assert port > 0
        bericht = MailBericht(id=7, aan="inwoner@voorbeeld.nl", onderwerp="Uw verslag staat klaar – ë",
                              tekst=TEKST, html=HTML)
        _transport(port).send(bericht)
    finally:
        controller.stop()
    bestanden = list(map.glob("*.eml"))
    assert len(bestanden) == 1
    assert not list(map.glob(".*.tmp"))
    msg = email.message_from_bytes(bestanden[0].read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Uw verslag staat klaar – ë"
    assert msg["Delivered-To"] == "inwoner@voorbeeld.nl"
    assert _lf(msg.get_body(("plain",)).get_content()) == TEKST


def test_lege_host_geeft_de_lokale_outbox(db, sessions, tmp_path: Path):
    map = tmp_path / "instance-mail"
    smtp = {"host": "", "port": 25, "user": "", "password": "", "starttls": False, "ssl": False,
            "sender": AFZENDER}
    transport = transport_uit_instellingen(smtp, map)
    assert transport.host == "127.0.0.1" and transport.port != 25
    assert transport_uit_instellingen(smtp, map).port == transport.port  # one server per process and map

    zet_klaar(db, "inwoner@voorbeeld.nl", *render_mail("verslag_klaar", **CONTEXT))
    db.commit()
    assert verstuur_klaarstaande(sessions, transport)["verzonden"] == 1
    (bestand,) = map.glob("*.eml")
    msg = email.message_from_bytes(bestand.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Uw verslag staat klaar – gemeente Barendrecht"
    assert "https://portaal.example.nl/" in msg.get_body(("html",)).get_content()


def test_echte_host_uit_instellingen():
    smtp = {"host": "smtp.gemeente.example", "port": 587, "user": "kt", "password": "geheim",
            "starttls": True, "ssl": False, "sender": AFZENDER}
    transport = transport_uit_instellingen(smtp, Path("/niet/gebruikt"))
    assert (transport.host, transport.port, transport.user, transport.starttls) == (
        "smtp.gemeente.example", 587, "kt", True)
    assert "geheim" not in repr(transport)


SJABLONEN = {
    "bevestiging_melding": {"zaaknummer": "2026-000123"},
    "afspraakbevestiging": {
        "begin": dt.datetime(2026, 3, 3, 13, 30, tzinfo=dt.UTC),
        "locatie": "Bij u thuis",
    },
    "verslag_klaar": {"uiterlijk": dt.date(2026, 3, 20)},
    "beschikking_klaar": {"besluit_datum": dt.date(2026, 4, 1)},
    "nieuwe_notificatie": {"onderwerp": "Nieuw bericht", "tekst": "Er staat een nieuw bericht voor u klaar."},
}


@pytest.mark.parametrize("naam", sorted(SJABLONEN))
def test_sjablonen_noemen_gemeente_en_portaal_maar_geen_bsn(naam):
    onderwerp, tekst, html = render_mail(naam, aanhef_naam="mevrouw Daniëlle de Vries", **CONTEXT,
                                         **SJABLONEN[naam])
    assert onderwerp and "\n" not in onderwerp and "Barendrecht" in onderwerp
    for deel in (tekst, html):
        assert "Barendrecht" in deel
        assert "14 0180" in deel
        assert "https://portaal.example.nl/" in deel
        assert "mevrouw Daniëlle de Vries" in deel
        assert "BSN" not in deel.upper().replace("BSN-", "")
    assert tekst.startswith("Beste mevrouw Daniëlle de Vries,")
    assert html.lstrip().startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "{{" not in tekst + html and "{%" not in tekst + html


def test_sjabloon_details():
    _, tekst, _ = render_mail("bevestiging_melding", **CONTEXT)
    assert "6 weken" in tekst and "onderzoek" in tekst and tekst.startswith("Beste inwoner,")
    onderwerp, tekst, html = render_mail("afspraakbevestiging", **CONTEXT,
                                         begin=dt.datetime(2026, 3, 3, 13, 30, tzinfo=dt.UTC),
                                         video_link="https://video.example/gesprek")
    assert "dinsdag 3 maart 2026" in onderwerp
    assert "14.30 uur" in tekst  # shown in Dutch time (UTC+1 in March)
    assert "https://video.example/gesprek" in tekst and 'href="https://video.example/gesprek"' in html
    _, tekst, _ = render_mail("beschikking_klaar", **CONTEXT)
    assert "bezwaar" in tekst and "6 weken" in tekst
    _, tekst, _ = render_mail("verslag_klaar", **CONTEXT)
    assert "handtekening" in tekst


def test_notificatie_escapet_html_en_maakt_link_absoluut():
    _, tekst, html = render_mail("nieuwe_notificatie", **CONTEXT, onderwerp="Nieuw <bericht>",
                                 tekst="Zie <script>alert(1)</script>", link="/zaken/12")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" in tekst  # plain text stays plain
    assert "https://portaal.example.nl/zaken/12" in tekst
    assert 'href="https://portaal.example.nl/zaken/12"' in html


def test_sjablonen_weigeren_bsn_en_onveilige_links():
    with pytest.raises(MailTemplateFout):
        render_mail("verslag_klaar", **CONTEXT, bsn="999993653")
    with pytest.raises(MailTemplateFout):
        render_mail("nieuwe_notificatie", **CONTEXT, onderwerp="Bericht", tekst="Uw BSN is 999993653.")
    with pytest.raises(MailTemplateFout):
        render_mail("nieuwe_notificatie", **CONTEXT, onderwerp="Bericht", tekst="x",
                    link="javascript:alert(1)")
    with pytest.raises(MailTemplateFout):
        render_mail("verslag_klaar", **{**CONTEXT, "portaal_url": ""})
    with pytest.raises(MailTemplateFout):
        render_mail("../layout/base", **CONTEXT)
    with pytest.raises(Exception, match="gemeente_telefoon"):
        render_mail("verslag_klaar", gemeente_naam="Barendrecht", portaal_url="https://portaal.example.nl/")
