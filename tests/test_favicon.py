"""Every app answers /favicon.ico with a real icon (issue 14, item 18): the portal, the backoffice (each also when
it runs as its own face) and the DigiD stand-in. A 404 there was a console error on every page."""
from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from app import create_app
from integrations.digid.standin import create_standin_app
from tests.conftest import make_settings


def _is_icoon(r) -> None:
    assert r.status_code == 200
    assert r.mimetype.startswith("image/")
    icoon = Image.open(BytesIO(r.get_data()))
    assert icoon.format == "ICO" and (16, 16) in icoon.info["sizes"] and (32, 32) in icoon.info["sizes"]
    assert "max-age" in r.headers.get("Cache-Control", "")


def test_the_portal_and_backoffice_app_serves_a_favicon(client):
    _is_icoon(client.get("/favicon.ico"))


@pytest.mark.parametrize("face", ["portal", "backoffice"])
def test_each_face_on_its_own_serves_a_favicon(database_url, tmp_path, face):
    app = create_app(make_settings(database_url, tmp_path, faces=(face,)))
    app.config["TESTING"] = True
    try:
        _is_icoon(app.test_client().get("/favicon.ico"))
    finally:
        app.extensions["db_engine"].dispose()


def test_the_digid_stand_in_serves_a_favicon(tmp_path):
    app = create_standin_app("http://127.0.0.1:5001", {}, tmp_path / "sleutel.pem", list)
    _is_icoon(app.test_client().get("/favicon.ico"))
