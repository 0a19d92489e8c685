"""The authorization endpoint: the request is checked (client and redirect URI first, then the rest of OIDC with
PKCE S256), the tester picks a test person (or types any valid BSN) and a betrouwbaarheidsniveau on the log-in
page, and the browser goes back to the client with a code. The log-in form is protected by CSRF tokens in the
stand-in's own session."""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, Response, redirect, render_template, request, session
from stdnum.nl import bsn as bsn_check

from .grants import CODE_TTL, Grant
from .levels import DEFAULT_LEVEL, LEVEL_LABELS, LEVELS
from .provider import Client, Provider, add_query, origin

__all__ = ["AuthRequest", "AuthorizeError", "register"]

log = logging.getLogger(__package__)

MAX_CSRF_TOKENS = 8  # open log-in pages per browser; more tabs than this invalidates the oldest

_MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def _datum(d: dt.date) -> str:
    return f"{d.day} {_MAANDEN[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class AuthRequest:
    """The validated parameters of an authorization request, carried in the log-in form."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str
    code_challenge_method: str

    FIELDS = ("client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
              "code_challenge_method")

    def hidden_fields(self) -> list[tuple[str, str]]:
        fields = [("response_type", "code")]
        fields.extend((name, getattr(self, name)) for name in self.FIELDS if getattr(self, name) is not None)
        return fields


class AuthorizeError(Exception):
    """An authorization request error that may be sent back to the (validated) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def _error_page(message: str, status: int = 400) -> tuple[str, int]:
    return render_template("error.html", melding=message), status


def _new_csrf_token() -> str:
    token = secrets.token_urlsafe(32)
    tokens = [t for t in session.get("csrf", []) if isinstance(t, str)]
    session["csrf"] = (tokens + [token])[-MAX_CSRF_TOKENS:]
    return token


def _consume_csrf_token(token: str) -> bool:
    tokens = [t for t in session.get("csrf", []) if isinstance(t, str)]
    match = next((t for t in tokens if token and hmac.compare_digest(t, token)), None)
    if match is None:
        return False
    tokens.remove(match)
    session["csrf"] = tokens
    return True


def _client_and_redirect(provider: Provider, params: Mapping[str, str]) -> tuple[Client, str] | str:
    """Validate client_id and redirect_uri first: until both are trusted we may not redirect at all."""
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    client = provider.clients.get(client_id)
    if not client_id or client is None:
        return "De website die u hierheen stuurde is niet bekend bij DigiD (testomgeving)."
    if not redirect_uri:
        return "De website gaf niet op waar u na het inloggen naartoe moet."
    if redirect_uri not in client.redirect_uris:
        return "Het terugkeeradres van de website is niet geregistreerd bij DigiD (testomgeving)."
    return client, redirect_uri


def _parse_auth_request(params: Mapping[str, str], client: Client, redirect_uri: str) -> AuthRequest:
    """Check the rest of the request; errors here go back to the client as an error redirect."""
    if params.get("response_type") != "code":
        raise AuthorizeError("unsupported_response_type", "Only response_type=code is supported.")
    scope = params.get("scope", "")
    if "openid" not in scope.split():
        raise AuthorizeError("invalid_scope", "The scope must include openid.")
    if params.get("request") or params.get("request_uri"):
        raise AuthorizeError("request_not_supported", "Request objects are not supported.")
    challenge = params.get("code_challenge", "")
    method = params.get("code_challenge_method", "")
    if not challenge:
        raise AuthorizeError("invalid_request", "PKCE is required: code_challenge is missing.")
    if method != "S256":
        raise AuthorizeError("invalid_request", "PKCE code_challenge_method must be S256.")
    if not re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge):
        raise AuthorizeError("invalid_request", "code_challenge is not a base64url SHA-256 value.")
    if "none" in params.get("prompt", "").split():
        raise AuthorizeError("login_required", "The stand-in always asks the user to log in.")
    return AuthRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=params.get("state") or None,
        nonce=params.get("nonce") or None,
        code_challenge=challenge,
        code_challenge_method=method,
    )


def _auth_redirect(provider: Provider, redirect_uri: str, params: dict[str, str | None]) -> Response:
    # `iss` per RFC 9207, so clients can tell which provider answered (mix-up protection).
    response = redirect(add_query(redirect_uri, {**params, "iss": provider.issuer}), code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_login(
    provider: Provider,
    auth: AuthRequest,
    *,
    gekozen: str = "",
    ander_bsn: str = "",
    niveau: str = DEFAULT_LEVEL,
    fouten: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    lijst = [
        {"bsn": p.bsn, "naam": p.naam, "geboortedatum": _datum(p.geboortedatum), "woonplaats": p.woonplaats}
        for p in provider.personen()
    ]
    return (
        render_template(
            "authorize.html",
            auth=auth,
            client_origin=origin(auth.redirect_uri),
            personen=lijst,
            gekozen=gekozen,
            ander_bsn=ander_bsn,
            niveau=niveau,
            niveaus=LEVEL_LABELS,
            fouten=fouten or {},
            csrf_token=_new_csrf_token(),
        ),
        status,
    )


def register(app: Flask, provider: Provider) -> None:
    """Add ``/authorize`` (GET: the log-in page; POST: the tester's choice) to the stand-in app."""

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        params = request.args if request.method == "GET" else request.form
        checked = _client_and_redirect(provider, params)
        if isinstance(checked, str):
            return _error_page(checked)
        client, redirect_uri = checked
        state = params.get("state") or None

        if request.method == "POST" and not _consume_csrf_token(request.form.get("csrf_token", "")):
            return _error_page(
                "Deze pagina is verlopen of niet via DigiD (testomgeving) geopend. "
                "Ga terug naar de website en log opnieuw in."
            )
        try:
            auth = _parse_auth_request(params, client, redirect_uri)
        except AuthorizeError as exc:
            return _auth_redirect(provider, redirect_uri,
                                  {"error": exc.error, "error_description": exc.description, "state": state})

        if request.method == "GET":
            return _render_login(provider, auth)

        if request.form.get("actie") == "annuleren":
            return _auth_redirect(provider, redirect_uri, {
                "error": "access_denied",
                "error_description": "The user cancelled the DigiD log-in.",
                "state": auth.state,
            })

        gekozen = request.form.get("persoon", "").strip()
        ander_bsn = request.form.get("ander_bsn", "").strip()
        niveau = request.form.get("niveau", "")
        fouten: dict[str, str] = {}
        bsn: str | None = None
        if ander_bsn:
            if bsn_check.is_valid(ander_bsn):
                bsn = bsn_check.compact(ander_bsn)
            else:
                fouten["ander_bsn"] = (
                    "Dit BSN is niet geldig. Een BSN heeft 9 cijfers en moet kloppen met de elfproef."
                )
        elif gekozen and provider.person_by_bsn(gekozen):
            bsn = gekozen
        elif gekozen:
            fouten["persoon"] = "Deze testpersoon bestaat niet (meer). Kies een testpersoon uit de lijst."
        else:
            fouten["persoon"] = "Kies een testpersoon, of vul een ander BSN in."
        if niveau not in LEVELS:
            fouten["niveau"] = "Kies een betrouwbaarheidsniveau."
            niveau = DEFAULT_LEVEL
        if fouten or bsn is None:
            return _render_login(provider, auth, gekozen=gekozen, ander_bsn=ander_bsn, niveau=niveau,
                                 fouten=fouten, status=400)

        now = time.time()
        code = provider.store.add_code(Grant(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            code_challenge=auth.code_challenge,
            nonce=auth.nonce,
            scope=auth.scope,
            bsn=bsn,
            level=niveau,
            sid=secrets.token_urlsafe(16),
            auth_time=int(now),
            expires_at=now + CODE_TTL,
        ))
        log.info("DigiD stand-in: log-in for client %s at level %s", client.client_id, niveau)
        return _auth_redirect(provider, redirect_uri, {"code": code, "state": auth.state})
