"""Post: an inwoner who prefers post gets every letter on paper too; administratie prints and records the mailing."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.models import AuditLog, Inwoner, Poststuk
from domain.zaken import registreer_melding
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_wmo_proces import medewerker


def _melding(db, settings, bsn: str, voorkeur: str):
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    inwoner.contactvoorkeur = voorkeur
    db.commit()
    return registreer_melding(db, medewerker(db, "toegang"), inwoner=inwoner, zaaktype_code="wmo",
                              hulpvraag="Hulp bij het huishouden", kanaal="balie", diensten=diensten_uit(settings))


def test_a_letter_for_an_inwoner_who_prefers_post_is_queued_printed_and_marked_sent(demo, settings, client):
    db = demo
    zaak = _melding(db, settings, "999990007", "post")
    [stuk] = db.scalars(select(Poststuk).where(Poststuk.zaak_id == zaak.id)).all()
    assert stuk.status == "te_versturen" and stuk.document_versie.document.documenttype == "bevestigingsbrief"
    per_mail = _melding(db, settings, "999990019", "email")  # e-mail preference: no paper
    assert db.scalar(select(Poststuk).where(Poststuk.zaak_id == per_mail.id)) is None

    medewerker_inloggen(client, "administratie")
    pagina = client.get("/backoffice/post").get_data(as_text=True)
    assert "Bevestiging van uw melding" in pagina and "Johanna Maria Jansen" in pagina and "Middenbaan 12" in pagina
    token = csrf_token(client, "/backoffice/post")
    pdf = client.post("/backoffice/post/afdrukken", data={"csrf_token": token, "stuk": [str(stuk.id)]})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pagina_s = PdfReader(io.BytesIO(pdf.data)).pages
    assert len(pagina_s) % 2 == 0 and "Bevestiging van uw melding" in pagina_s[0].extract_text()
    assert db.scalar(select(AuditLog).where(AuditLog.inwoner_id == zaak.inwoner_id,
                                            AuditLog.omschrijving.like("Brief afgedrukt%"))) is not None

    html = client.post("/backoffice/post/verstuurd", data={"csrf_token": token, "stuk": [str(stuk.id)]},
                       follow_redirects=True).get_data(as_text=True)
    assert "1 brief is als verstuurd vastgelegd" in html and "Johanna Maria Jansen" not in html
    db.expire_all()
    stuk = db.get(Poststuk, stuk.id)
    assert stuk.status == "verstuurd" and stuk.verstuurd_door_id == medewerker(db, "administratie").id
    # Nothing chosen: a clear message, nothing changes.
    html = client.post("/backoffice/post/verstuurd", data={"csrf_token": token}, follow_redirects=True)
    assert "Kies de brieven" in html.get_data(as_text=True)


def test_only_administratie_of_the_gemeente_handles_post(demo, settings, client):
    db = demo
    zaak = _melding(db, settings, "999990007", "post")
    [stuk] = db.scalars(select(Poststuk).where(Poststuk.zaak_id == zaak.id)).all()
    medewerker_inloggen(client, "wmo")
    assert client.get("/backoffice/post").status_code == 403
    token = csrf_token(client, "/backoffice/werkvoorraad")
    assert client.post("/backoffice/post/verstuurd", data={"csrf_token": token, "stuk": [str(stuk.id)]}).status_code == 403
    client.get("/backoffice/uitloggen")
    medewerker_inloggen(client, "administratie")
    assert client.post("/backoffice/post/verstuurd", data={"stuk": [str(stuk.id)]}).status_code == 400  # no CSRF
    db.expire_all()
    assert db.get(Poststuk, stuk.id).status == "te_versturen"


def test_a_long_queue_is_shown_in_pages(demo, settings, client, monkeypatch):
    import backoffice.post as scherm

    db = demo
    for bsn in ("999990007", "999990019", "999990020"):
        _melding(db, settings, bsn, "post")
    monkeypatch.setattr(scherm, "PAGINA", 2)
    medewerker_inloggen(client, "administratie")
    eerste = client.get("/backoffice/post").get_data(as_text=True)
    import re

    volgende = re.search(r'href="(/backoffice/post\?na=\d+)"', eerste)
    assert volgende and "hier 2" in eerste
    tweede = client.get(volgende.group(1)).get_data(as_text=True)
    ids = lambda h: set(re.findall(r'name="stuk" value="(\d+)"', h))  # noqa: E731
    assert len(ids(eerste)) == 2 and ids(tweede) and not ids(eerste) & ids(tweede)


def test_printing_the_batch_reads_the_letters_in_one_go_however_many(demo, settings, app):
    """The print batch loads every letter's bytes with one statement: the PDFs are not loaded with lists
    (DocumentVersie.inhoud is deferred), so reading them one by one would cost two statements per letter."""
    from sqlalchemy import event

    from domain.post import afdrukbestand, te_versturen

    db = demo
    for bsn in ("999990007", "999990019", "999990020"):
        _melding(db, settings, bsn, "post")
    administratie = medewerker(db, "administratie")
    teller = {"n": 0}

    def tel(_conn, _cursor, statement, *_a):
        teller["n"] += statement.lstrip().upper().startswith("SELECT")  # reads; each letter's protocol row is an INSERT

    def statements(aantal: int) -> int:
        db.expire_all()
        stukken = te_versturen(db, administratie)[:aantal]
        assert len(stukken) == aantal
        teller["n"] = 0
        event.listen(app.extensions["db_engine"], "before_cursor_execute", tel)
        try:
            pdf = afdrukbestand(db, administratie, stukken)
            db.flush()
        finally:
            event.remove(app.extensions["db_engine"], "before_cursor_execute", tel)
        db.rollback()
        assert len(PdfReader(io.BytesIO(pdf)).pages) >= aantal
        return teller["n"]

    assert statements(1) == statements(3)
