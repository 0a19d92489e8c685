"""Too large a file on a portal form, over HTTP: the form comes back with what was typed and the error at the file
field (up to the request limit); beyond that limit a page in the gemeente's branding that links back to the form.
The limit is shown before a file is chosen. See docs/uploads.md."""
from __future__ import annotations

import re
from io import BytesIO

from sqlalchemy import select

from domain.models import Inwoner, Vraag, Zaak
from domain.vragen import OPEN
from tests.gezag import OUDER_BSN, jeugd_zaak_van_kind
from tests.helpers import csrf_token, digid_inloggen

ANNA = "999990056"  # demo: besluit, bezwaar possible (gemeente Albrandswaard)
CORNELIA = "999990081"  # demo: an open vraag
MB = 1024 * 1024
TE_GROOT = "is groter dan 10 MB. Kies een kleiner bestand."
UITLEG = "PDF, JPG of PNG, hoogstens 10 MB per bestand."


def _pdf(megabytes: int) -> BytesIO:
    return BytesIO(b"%PDF-1.4\n" + b"0" * (megabytes * MB))


def _zaak(db, bsn):
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == "wmo"))


def _fout_bij(html: str, veld_id: str) -> str:
    """The error message at one field (the div the field's aria-describedby points to)."""
    match = re.search(rf'<div[^>]*id="{veld_id}-fout"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert match, f"no error at {veld_id}"
    veld = re.search(rf'<input[^>]*\bid="{veld_id}"[^>]*>', html).group(0)
    assert re.search(rf'aria-describedby="[^"]*{veld_id}-fout', veld) and 'aria-invalid="true"' in veld, veld
    return match.group(1)


def test_a_12_mb_file_brings_the_bezwaar_form_back_with_the_text_kept(client, demo, standin, db):
    zaak = _zaak(db, ANNA)
    digid_inloggen(client, bsn=ANNA)
    url = f"/zaken/{zaak.id}/bezwaar"
    leeg = client.get(url).get_data(as_text=True)
    assert UITLEG in leeg and 'aria-describedby="bijlagen-uitleg"' in leeg  # before choosing a file
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "gronden": "Twee uur is te weinig voor mijn huis.",
                               "contact_hoorzitting": "06-11112222", "bijlagen": (_pdf(12), "foto's.pdf")},
                    content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:300]
    assert TE_GROOT in _fout_bij(html, "bijlagen")
    assert "Twee uur is te weinig voor mijn huis.</textarea>" in html and 'value="06-11112222"' in html
    assert 'class="utrecht-form-field utrecht-form-field--invalid"' in html
    assert _zaak(db, ANNA).status == zaak.status  # nothing filed
    db.expire_all()
    assert db.scalar(select(Zaak).where(Zaak.hoofdzaak_id == zaak.id)) is None


def test_a_12_mb_file_on_the_answer_to_a_vraag_is_an_error_at_the_field(client, demo, standin, db):
    zaak = _zaak(db, CORNELIA)
    vraag = db.scalar(select(Vraag).where(Vraag.zaak_id == zaak.id, Vraag.status == OPEN))
    digid_inloggen(client, bsn=CORNELIA)
    url = f"/zaken/{zaak.id}/vragen/{vraag.id}"
    assert UITLEG in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "antwoord": "Hierbij de brief.",
                               "bijlagen": (_pdf(12), "brief.pdf")}, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and TE_GROOT in _fout_bij(html, "bijlagen")
    assert "Hierbij de brief.</textarea>" in html
    db.expire_all()
    assert db.get(Vraag, vraag.id).status == OPEN


def test_a_12_mb_file_on_a_declared_form_is_an_error_at_its_field(app, client, demo, standin, db, diensten):
    zaak = jeugd_zaak_van_kind(db, diensten, status="verslag_ter_reactie")
    db.commit()
    digid_inloggen(client, bsn=OUDER_BSN, niveau="substantieel")
    url = f"/zaken/{zaak.id}/formulieren/aanvraagformulier"
    assert UITLEG in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "actie": "versturen", "telefoon": "06-33334444",
                               "getekend_formulier": (_pdf(12), "formulier.pdf")}, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and TE_GROOT in _fout_bij(html, "f-getekend_formulier")
    assert 'value="06-33334444"' in html


def test_more_than_the_request_limit_gives_a_page_in_the_gemeentes_branding_that_links_back(client, demo, standin,
                                                                                            db):
    zaak = _zaak(db, ANNA)
    digid_inloggen(client, bsn=ANNA)
    url = f"/zaken/{zaak.id}/bezwaar"
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "gronden": "Te weinig.",
                               "bijlagen": [(_pdf(9), "a.pdf"), (_pdf(9), "b.pdf"), (_pdf(9), "c.pdf")]},
                    content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 413
    assert "meer dan 25 MB in één keer" in html and "hoogstens 10 MB" in html
    assert f'href="{url}">Terug naar het formulier</a>' in html
    assert f"/thema/{zaak.inwoner.gemeente.code}.css" in html and zaak.inwoner.gemeente.naam in html
