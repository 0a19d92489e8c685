"""Questions to the inwoner: the behandelaar asks, the inwoner answers in the portal with text and documents."""
from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain.models import AuditLog, Document, Inwoner, Notificatie, Poststuk, Vraag, Zaak
from domain.tijd import vandaag
from domain.vragen import beantwoord_vraag, stel_vraag
from domain.workflow import OvergangFout
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen
from tests.test_wmo_proces import inwoner_actor, medewerker

CORNELIA = "999990081"  # demo: Wmo zaak in onderzoek, behandelaar wmo
PDF = b"%PDF-1.4\n% een klein document\n"


def _zaak(db, bsn=CORNELIA) -> Zaak:
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == "wmo"))


def test_the_behandelaar_asks_and_the_inwoner_answers(demo, settings):
    db = demo
    zaak = _zaak(db)
    diensten = diensten_uit(settings)
    import pytest

    with pytest.raises(OvergangFout, match="geen vraag"):
        stel_vraag(db, medewerker(db, "jeugd"), zaak, tekst="Hoe gaat het?", uiterlijk=vandaag() + dt.timedelta(7),
                   diensten=diensten)
    with pytest.raises(OvergangFout, match="na vandaag"):
        stel_vraag(db, medewerker(db, "wmo"), zaak, tekst="Hoe gaat het?", uiterlijk=vandaag(), diensten=diensten)
    vraag = stel_vraag(db, medewerker(db, "wmo"), zaak, tekst="Wilt u de brief van uw huisarts {als die er is} sturen?",
                       uiterlijk=vandaag() + dt.timedelta(14), diensten=diensten)
    brief = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "vraag_om_informatie"))
    assert brief is not None and brief.zichtbaar_voor_inwoner
    assert db.scalar(select(Notificatie).where(Notificatie.inwoner_id == zaak.inwoner_id,
                                               Notificatie.onderwerp == "Wij hebben een vraag aan u"))

    with pytest.raises(OvergangFout, match="eigen vragen"):
        beantwoord_vraag(db, inwoner_actor(db, "999990093"), vraag, antwoord="Ik ben iemand anders.")
    with pytest.raises(OvergangFout, match="antwoord op"):
        beantwoord_vraag(db, inwoner_actor(db, CORNELIA), vraag, antwoord="  ")
    beantwoord_vraag(db, inwoner_actor(db, CORNELIA), vraag, antwoord="Ik stuur hem volgende week.")
    assert vraag.status == "beantwoord" and vraag.beantwoord_op is not None
    assert db.scalar(select(Notificatie).where(Notificatie.medewerker_id == zaak.behandelaar_id,
                                               Notificatie.onderwerp == f"De inwoner heeft geantwoord – {zaak.identificatie}"))
    with pytest.raises(OvergangFout, match="al beantwoord"):
        beantwoord_vraag(db, inwoner_actor(db, CORNELIA), vraag, antwoord="Nog eens.")
    assert db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.object_type == "vraag",
                                                                       AuditLog.object_id == str(vraag.id))) == 2


def test_the_letter_with_the_question_goes_by_post_when_preferred(demo, settings):
    db = demo
    zaak = _zaak(db)
    zaak.inwoner.contactvoorkeur = "post"
    db.commit()
    stel_vraag(db, medewerker(db, "wmo"), zaak, tekst="Welke hulpmiddelen gebruikt u?",
               uiterlijk=vandaag() + dt.timedelta(14), diensten=diensten_uit(settings))
    [stuk] = db.scalars(select(Poststuk).where(Poststuk.zaak_id == zaak.id)).all()
    assert stuk.document_versie.document.documenttype == "vraag_om_informatie"


def test_over_http_the_consulent_asks_and_the_inwoner_answers_with_a_document(demo, client, standin):
    db = demo
    zaak = _zaak(db)
    medewerker_inloggen(client, "wmo")
    pagina = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Vraag stellen aan de inwoner" in pagina
    url = f"/backoffice/zaken/{zaak.id}/vraag"
    token = csrf_token(client, url)
    leeg = client.post(url, data={"csrf_token": token, "tekst": "", "uiterlijk": ""}).get_data(as_text=True)
    assert "Schrijf de vraag op." in leeg
    te_vroeg = client.post(url, data={"csrf_token": token, "tekst": "Wilt u een foto sturen?",
                                      "uiterlijk": vandaag().isoformat()}).get_data(as_text=True)
    fout = te_vroeg.split('id="uiterlijk-fout"')[1].split("</div>")[0]  # under the date, not under the question
    assert "Kies een datum na vandaag" in fout and "Wilt u een foto sturen?" in te_vroeg
    html = client.post(url, data={"csrf_token": token, "tekst": "Wilt u een foto van de trap sturen?",
                                  "uiterlijk": (vandaag() + dt.timedelta(10)).isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "De vraag staat in het portaal" in html and "Wacht op antwoord" in html
    client.get("/backoffice/uitloggen")

    vraag = db.scalar(select(Vraag).where(Vraag.zaak_id == zaak.id).order_by(Vraag.id.desc()).limit(1))
    digid_inloggen(client, bsn=CORNELIA)
    assert "Wij hebben een vraag aan u" in client.get("/mijn-zaken").get_data(as_text=True)
    pagina = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Wij hebben een vraag aan u" in pagina and "foto van de trap" in pagina
    url = f"/zaken/{zaak.id}/vragen/{vraag.id}"
    token = csrf_token(client, url)
    assert db.scalar(select(AuditLog).where(AuditLog.object_type == "vraag", AuditLog.object_id == str(vraag.id),
                                            AuditLog.handeling == "lezen")) is not None
    fout = client.post(url, data={"csrf_token": token, "antwoord": "Hier is de foto.",
                                  "bijlagen": (io.BytesIO(b"MZ geen pdf"), "trap.exe")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "geen PDF, JPG of PNG" in fout and "Hier is de foto." in fout  # nothing typed is lost
    html = client.post(url, data={"csrf_token": token, "antwoord": "Hier is de foto.",
                                  "bijlagen": (io.BytesIO(PDF), "trap.pdf")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "We hebben uw antwoord ontvangen" in html and "Uw antwoorden" in html
    db.expire_all()
    assert db.get(Vraag, vraag.id).status == "beantwoord"
    bijlage = db.scalar(select(Document).where(Document.vraag_id == vraag.id))
    assert bijlage.versies[0].inhoud == PDF and bijlage.zichtbaar_voor_inwoner
    # Answered: the page says so instead of offering the form again.
    assert "al beantwoord" in client.get(url, follow_redirects=True).get_data(as_text=True)


def test_another_inwoner_gets_the_same_404_as_for_a_missing_question(demo, client, settings, standin):
    db = demo
    zaak = _zaak(db)
    vraag = stel_vraag(db, medewerker(db, "wmo"), zaak, tekst="Vraag?", uiterlijk=vandaag() + dt.timedelta(5),
                       diensten=diensten_uit(settings))
    digid_inloggen(client, bsn="999990093")
    anders = client.get(f"/zaken/{zaak.id}/vragen/{vraag.id}")
    weg = client.get(f"/zaken/{zaak.id}/vragen/999999")
    assert anders.status_code == weg.status_code == 404
