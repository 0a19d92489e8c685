"""The DigiD stand-in must behave as a real OIDC provider, so the production client works against it unchanged.

Self-contained: own fixtures, a temporary signing key and a small list of test persons.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import stat
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from integrations.brp import Persoon
from integrations.digid.standin import LEVELS, create_standin_app

ISSUER = "http://digid.test:5001"
CLIENT_ID = "keukentafel-portaal"
CLIENT_SECRET = "standin-geheim"
REDIRECT_URI = "http://portal.test/inloggen/digid/terug"
ONBEKEND_BSN = "999999023"  # valid (elfproef) but not in the test list


def _persoon(bsn: str, voornamen: str, voorvoegsel: str | None, achternaam: str, geboren: dt.date,
             woonplaats: str) -> Persoon:
    return Persoon(
        bsn=bsn, voornamen=voornamen, voorvoegsel=voorvoegsel, geslachtsnaam=achternaam, geboortedatum=geboren,
        straat="Middenbaan", huisnummer="12", postcode="2991CT", woonplaats=woonplaats, gemeentecode="0489",
        gemeentenaam="Barendrecht",
    )


PERSONEN = [
    _persoon("999990007", "Johanna Maria", None, "Jansen", dt.date(1941, 3, 12), "Barendrecht"),
    _persoon("999990019", "Pieter", "de", "Vries", dt.date(1958, 7, 1), "Ridderkerk"),
]


def _clients() -> dict[str, dict]:
    return {CLIENT_ID: {"client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT_URI]}}


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "digid-standin.pem"


@pytest.fixture
def standin_app(key_path: Path):
    standin_app = create_standin_app(ISSUER, _clients(), key_path, lambda: list(PERSONEN))
    standin_app.config["TESTING"] = True
    return standin_app


@pytest.fixture
def idp(standin_app):
    return standin_app.test_client()


# --- helpers ---------------------------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """Collects inputs, labels and style attributes of a page: enough to drive and check the log-in form."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.style_attrs = 0
        self.html_lang: str | None = None
        self.headings = 0
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.style_attrs += 1
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag in {"input", "select", "textarea"}:
            self.inputs.append({"tag": tag, **a})
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        elif tag == "h1":
            self.headings += 1
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1

    def hidden(self) -> dict[str, str]:
        return {str(i["name"]): str(i.get("value") or "") for i in self.inputs if i.get("type") == "hidden"}


def _parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    return parser


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _auth_params(challenge: str | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": "staat-123",
        "nonce": "nonce-456",
    }
    if challenge is not None:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra)
    return params


def _query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _login(idp, challenge: str, *, persoon: str = "999990019", niveau: str = "midden",
           actie: str = "inloggen", ander_bsn: str = "", **extra: str):
    page = idp.get("/authorize", query_string=_auth_params(challenge, **extra))
    assert page.status_code == 200, page.get_data(as_text=True)
    form = _parse(page.get_data(as_text=True)).hidden()
    form.update(persoon=persoon, niveau=niveau, actie=actie, ander_bsn=ander_bsn)
    return idp.post("/authorize", data=form)


def _token(idp, code: str, verifier: str, *, basic: bool = True, redirect_uri: str = REDIRECT_URI):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": verifier}
    headers = {}
    if basic:
        creds = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        headers["Authorization"] = f"Basic {creds}"
    else:
        data.update(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    return idp.post("/token", data=data, headers=headers)


def _code_flow(idp, **login_kwargs) -> dict:
    verifier, challenge = _pkce()
    response = _login(idp, challenge, **login_kwargs)
    assert response.status_code == 302
    code = _query(response.headers["Location"])["code"]
    token = _token(idp, code, verifier)
    assert token.status_code == 200, token.get_json()
    return token.get_json()


# --- discovery and keys ----------------------------------------------------------------------------------


def test_discovery_document(idp):
    doc = idp.get("/.well-known/openid-configuration").get_json()
    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert doc["token_endpoint"] == f"{ISSUER}/token"
    assert doc["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["end_session_endpoint"] == f"{ISSUER}/logout"
    assert doc["response_types_supported"] == ["code"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}
    assert set(doc["scopes_supported"]) == {"openid", "profile"}
    assert {"sub", "bsn", "acr", "name"} <= set(doc["claims_supported"])


def test_jwks_has_rs256_key(idp):
    keys = idp.get("/jwks").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig"
    assert keys[0]["kid"]
    assert "d" not in keys[0], "the private exponent must never be published"


def test_key_is_persisted_with_mode_0600_and_reused(key_path):
    first = create_standin_app(ISSUER, _clients(), key_path, lambda: PERSONEN)
    assert key_path.exists()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    second = create_standin_app(ISSUER, _clients(), key_path, lambda: PERSONEN)
    kid1 = first.test_client().get("/jwks").get_json()["keys"][0]["kid"]
    kid2 = second.test_client().get("/jwks").get_json()["keys"][0]["kid"]
    assert kid1 == kid2


# --- the code flow ---------------------------------------------------------------------------------------


def test_authorize_page_lists_test_persons(idp):
    _, challenge = _pkce()
    page = idp.get("/authorize", query_string=_auth_params(challenge))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "DigiD (testomgeving)" in html
    assert "Johanna Maria Jansen" in html and "Pieter de Vries" in html
    assert "12 maart 1941" in html and "Ridderkerk" in html and "999990019" in html
    assert "Inloggen" in html and "Annuleren" in html
    for niveau in LEVELS:
        assert f'value="{niveau}"' in html
    assert '<option value="midden" selected>' in html
    assert "'self'" in page.headers["Content-Security-Policy"]
    assert "http://portal.test" in page.headers["Content-Security-Policy"]


def test_authorize_page_is_accessible(idp):
    _, challenge = _pkce()
    html = idp.get("/authorize", query_string=_auth_params(challenge)).get_data(as_text=True)
    page = _parse(html)
    assert page.html_lang == "nl"
    assert page.headings == 1
    assert page.fieldsets >= 1 and page.legends == page.fieldsets
    visible = [i for i in page.inputs if i.get("type") != "hidden"]
    assert visible
    for field in visible:
        assert field.get("id") in page.label_for, f"no <label> for {field}"
    assert page.style_attrs == 0
    assert "<style" not in html and "<script" not in html


def test_full_code_flow_with_verified_id_token(idp):
    verifier, challenge = _pkce()
    response = _login(idp, challenge, persoon="999990019", niveau="substantieel")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    params = _query(location)
    assert params["state"] == "staat-123"
    assert params["code"]

    token = _token(idp, params["code"], verifier)
    assert token.status_code == 200
    assert token.headers["Cache-Control"] == "no-store"
    body = token.get_json()
    assert body["token_type"] == "Bearer" and body["access_token"] and body["expires_in"] > 0
    assert body["scope"] == "openid"

    jwks = KeySet.import_key_set(idp.get("/jwks").get_json())
    id_token = jwt.decode(body["id_token"], jwks, algorithms=["RS256"])
    assert id_token.header["alg"] == "RS256"
    assert id_token.header["kid"] == idp.get("/jwks").get_json()["keys"][0]["kid"]
    claims = id_token.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": "nonce-456"},
        exp={"essential": True},
    ).validate(claims)
    assert claims["acr"] == "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
    assert claims["bsn"] == "999990019"
    assert claims["sub"] != "999990019" and len(claims["sub"]) == 32
    assert claims["sid"]
    assert claims["iat"] <= claims["exp"] <= claims["iat"] + 600


def test_sub_is_stable_per_bsn_and_client_secret_post_works(idp):
    first = _code_flow(idp)
    verifier, challenge = _pkce()
    code = _query(_login(idp, challenge).headers["Location"])["code"]
    second = _token(idp, code, verifier, basic=False)
    assert second.status_code == 200
    sub1 = jwt.decode(first["id_token"], KeySet.import_key_set(idp.get("/jwks").get_json())).claims["sub"]
    sub2 = jwt.decode(second.get_json()["id_token"],
                      KeySet.import_key_set(idp.get("/jwks").get_json())).claims["sub"]
    assert sub1 == sub2


def test_free_bsn_not_in_register_logs_in(idp):
    body = _code_flow(idp, persoon="", ander_bsn=ONBEKEND_BSN, niveau="basis")
    claims = jwt.decode(body["id_token"], KeySet.import_key_set(idp.get("/jwks").get_json())).claims
    assert claims["bsn"] == ONBEKEND_BSN
    assert claims["acr"] == LEVELS["basis"]


def test_wrong_verifier_is_invalid_grant(idp):
    _, challenge = _pkce()
    code = _query(_login(idp, challenge).headers["Location"])["code"]
    other_verifier, _ = _pkce()
    response = _token(idp, code, other_verifier)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"


def test_code_cannot_be_used_twice(idp):
    verifier, challenge = _pkce()
    code = _query(_login(idp, challenge).headers["Location"])["code"]
    assert _token(idp, code, verifier).status_code == 200
    again = _token(idp, code, verifier)
    assert again.status_code == 400
    assert again.get_json()["error"] == "invalid_grant"


def test_code_is_bound_to_redirect_uri(idp):
    verifier, challenge = _pkce()
    code = _query(_login(idp, challenge).headers["Location"])["code"]
    response = _token(idp, code, verifier, redirect_uri="http://portal.test/elders")
    assert response.get_json()["error"] == "invalid_grant"


def test_code_expires(idp, monkeypatch):
    import time

    verifier, challenge = _pkce()
    code = _query(_login(idp, challenge).headers["Location"])["code"]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)  # the stand-in's clock is the time module's
    assert _token(idp, code, verifier).get_json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(idp):
    creds = base64.b64encode(f"{CLIENT_ID}:fout".encode()).decode()
    response = idp.post("/token", data={"grant_type": "authorization_code", "code": "x",
                                           "redirect_uri": REDIRECT_URI, "code_verifier": "y" * 43},
                           headers={"Authorization": f"Basic {creds}"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "WWW-Authenticate" in response.headers


def test_missing_pkce_gives_error_redirect(idp):
    response = idp.get("/authorize", query_string=_auth_params(None))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    params = _query(location)
    assert params["error"] == "invalid_request"
    assert params["state"] == "staat-123"
    assert "code" not in params


def test_plain_pkce_is_refused(idp):
    verifier, _ = _pkce()
    params = _auth_params(verifier, code_challenge_method="plain")
    response = idp.get("/authorize", query_string=params)
    assert _query(response.headers["Location"])["error"] == "invalid_request"


def test_unknown_redirect_uri_shows_error_page_without_redirect(idp):
    _, challenge = _pkce()
    response = idp.get("/authorize",
                          query_string=_auth_params(challenge, redirect_uri="https://aanvaller.example/terug"))
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "aanvaller.example" not in response.get_data(as_text=True)
    assert 'lang="nl"' in response.get_data(as_text=True)


def test_unknown_client_shows_error_page_without_redirect(idp):
    _, challenge = _pkce()
    response = idp.get("/authorize", query_string=_auth_params(challenge, client_id="onbekend"))
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_cancel_redirects_with_access_denied_and_state(idp):
    _, challenge = _pkce()
    response = _login(idp, challenge, actie="annuleren")
    assert response.status_code == 302
    params = _query(response.headers["Location"])
    assert params["error"] == "access_denied"
    assert params["error_description"]
    assert params["state"] == "staat-123"
    assert "code" not in params


def test_invalid_free_bsn_shows_dutch_error_and_keeps_input(idp):
    _, challenge = _pkce()
    response = _login(idp, challenge, persoon="", ander_bsn="123456789", niveau="hoog")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dit BSN is niet geldig" in html
    assert 'value="123456789"' in html
    assert 'aria-invalid="true"' in html
    assert '<option value="hoog" selected>' in html
    assert _parse(html).style_attrs == 0


def test_no_choice_shows_dutch_error(idp):
    _, challenge = _pkce()
    response = _login(idp, challenge, persoon="")
    assert response.status_code == 400
    assert "Kies een testpersoon" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(idp):
    _, challenge = _pkce()
    idp.get("/authorize", query_string=_auth_params(challenge))
    form = {**_auth_params(challenge), "persoon": "999990019", "niveau": "midden", "actie": "inloggen",
            "csrf_token": "vervalst"}
    response = idp.post("/authorize", data=form)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_post_cannot_swap_in_unregistered_redirect_uri(idp):
    _, challenge = _pkce()
    page = idp.get("/authorize", query_string=_auth_params(challenge))
    form = _parse(page.get_data(as_text=True)).hidden()
    form.update(persoon="999990019", niveau="midden", actie="inloggen", redirect_uri="https://aanvaller.example/")
    response = idp.post("/authorize", data=form)
    assert response.status_code == 400
    assert "Location" not in response.headers


# --- userinfo and logout ---------------------------------------------------------------------------------


def test_userinfo_with_access_token(idp):
    body = _code_flow(idp, persoon="999990007", niveau="hoog")
    info = idp.get("/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 200
    data = info.get_json()
    assert data["bsn"] == "999990007"
    assert data["acr"] == LEVELS["hoog"]
    claims = jwt.decode(body["id_token"], KeySet.import_key_set(idp.get("/jwks").get_json())).claims
    assert data["sub"] == claims["sub"]


def test_userinfo_with_bad_token_is_401(idp):
    response = idp.get("/userinfo", headers={"Authorization": "Bearer onzin"})
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_logout_redirects_only_to_permitted_origin(idp):
    body = _code_flow(idp)
    allowed = idp.get("/logout", query_string={
        "id_token_hint": body["id_token"], "post_logout_redirect_uri": "http://portal.test/uitgelogd",
        "state": "s1"})
    assert allowed.status_code == 302
    assert allowed.headers["Location"].startswith("http://portal.test/uitgelogd")
    assert _query(allowed.headers["Location"])["state"] == "s1"

    refused = idp.get("/logout", query_string={
        "id_token_hint": body["id_token"], "post_logout_redirect_uri": "https://aanvaller.example/"})
    assert refused.status_code == 200
    assert "Location" not in refused.headers
    assert "U bent uitgelogd bij DigiD (testomgeving)" in refused.get_data(as_text=True)

    anonymous = idp.get("/logout", query_string={"post_logout_redirect_uri": "http://portal.test/uitgelogd"})
    assert anonymous.status_code == 200
    assert "Location" not in anonymous.headers

    # RP-Initiated Logout also lets the client identify itself with client_id (the portal does this).
    by_client_id = idp.get("/logout", query_string={
        "client_id": CLIENT_ID, "post_logout_redirect_uri": "http://portal.test/uitgelogd"})
    assert by_client_id.status_code == 302
    assert by_client_id.headers["Location"] == "http://portal.test/uitgelogd"
    other_origin = idp.get("/logout", query_string={
        "client_id": CLIENT_ID, "post_logout_redirect_uri": "https://aanvaller.example/"})
    assert "Location" not in other_origin.headers


def test_logout_ends_the_access_token(idp):
    body = _code_flow(idp)
    idp.get("/logout", query_string={"id_token_hint": body["id_token"]})
    info = idp.get("/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 401


def test_logout_rejects_forged_id_token_hint(idp, tmp_path):
    other = create_standin_app(ISSUER, _clients(), tmp_path / "ander.pem", lambda: PERSONEN).test_client()
    forged = _code_flow(other)["id_token"]
    response = idp.get("/logout", query_string={
        "id_token_hint": forged, "post_logout_redirect_uri": "http://portal.test/uitgelogd"})
    assert response.status_code == 200
    assert "Location" not in response.headers


# --- the production idp, unchanged, over real HTTP ---------------------------------------------------


def test_authlib_client_works_against_live_standin(tmp_path, monkeypatch):
    """Authlib's Flask client does discovery, PKCE, token exchange and ID token checks over real HTTP."""
    from authlib.integrations.flask_client import OAuth
    from flask import Flask, jsonify
    from werkzeug.serving import make_server

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = make_server("127.0.0.1", 0, Flask("placeholder"), threaded=True)
    issuer = f"http://127.0.0.1:{server.server_port}"
    standin = create_standin_app(issuer, _clients(), tmp_path / "key.pem", lambda: list(PERSONEN))
    server.app = standin
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        portal = Flask("portal")
        portal.secret_key = "test"
        oauth = OAuth(portal)
        oauth.register(
            "digid",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid", "code_challenge_method": "S256"},
        )

        @portal.get("/inloggen")
        def inloggen():
            return oauth.digid.authorize_redirect(REDIRECT_URI)

        @portal.get("/inloggen/digid/terug")
        def terug():
            token = oauth.digid.authorize_access_token()
            return jsonify(token["userinfo"])

        browser = portal.test_client()
        start = browser.get("/inloggen", base_url="http://portal.test")
        authorize_url = urlsplit(start.headers["Location"])
        assert f"{authorize_url.scheme}://{authorize_url.netloc}" == issuer

        standin_browser = standin.test_client()
        page = standin_browser.get(f"{authorize_url.path}?{authorize_url.query}")
        form = _parse(page.get_data(as_text=True)).hidden()
        form.update(persoon="999990007", niveau="midden", actie="inloggen")
        back = urlsplit(standin_browser.post("/authorize", data=form).headers["Location"])

        result = browser.get(f"{back.path}?{back.query}", base_url="http://portal.test")
        assert result.status_code == 200, result.get_data(as_text=True)
        userinfo = result.get_json()
        assert userinfo["bsn"] == "999990007"
        assert userinfo["acr"] == LEVELS["midden"]
        assert userinfo["iss"] == issuer
    finally:
        server.shutdown()
        thread.join(timeout=5)
