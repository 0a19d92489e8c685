"""The back channel: the token endpoint (client authentication, the code exchanged once with its PKCE verifier,
an RS256-signed ID token) and the userinfo endpoint (the claims behind a Bearer access token)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from urllib.parse import unquote

from flask import Flask, jsonify, request
from joserfc import jwt

from .grants import ACCESS_TOKEN_TTL, ID_TOKEN_TTL, Grant
from .levels import acr_for_level
from .provider import Client, Provider

__all__ = ["register"]

# RFC 7636 section 4.1: 43-128 characters from the unreserved set.
_PKCE_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _s256(verifier: str) -> str:
    """PKCE S256 transformation (RFC 7636 section 4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _json_error(error: str, description: str, status: int = 400, headers: dict[str, str] | None = None):
    response = jsonify(error=error, error_description=description)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _authenticate_client(provider: Provider) -> tuple[Client | None, tuple[str, str] | None]:
    """Client authentication by HTTP Basic or client_secret_post (RFC 6749 section 2.3.1).

    Returns (client, error). Basic credentials are form-urlencoded before base64 encoding,
    so they are unquoted here (Authlib quotes them).
    """
    header = request.headers.get("Authorization", "")
    form_id = request.form.get("client_id")
    form_secret = request.form.get("client_secret")
    used_basic = header[:6].lower() == "basic "
    if used_basic:
        if form_secret is not None:
            return None, ("invalid_request", "Use one client authentication method.")
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            raw_id, raw_secret = decoded.split(":", 1)
        except (ValueError, UnicodeDecodeError):
            return None, ("invalid_client", "Malformed Basic credentials.")
        client_id, secret = unquote(raw_id), unquote(raw_secret)
        if form_id is not None and form_id != client_id:
            return None, ("invalid_request", "client_id does not match the credentials.")
    elif form_id is not None and form_secret is not None:
        client_id, secret = form_id, form_secret
    else:
        return None, ("invalid_client", "Client authentication is required.")
    client = provider.clients.get(client_id)
    if client is None or not hmac.compare_digest(client.client_secret.encode(), secret.encode()):
        return None, ("invalid_client", "Client authentication failed.")
    return client, None


def _profile_claims(provider: Provider, grant: Grant) -> dict[str, str]:
    """Only with scope profile and only for persons in the register; real DigiD gives no name at all."""
    if "profile" not in grant.scope.split():
        return {}
    persoon = provider.person_by_bsn(grant.bsn)
    return {"name": persoon.naam} if persoon else {}


def _id_token_for(provider: Provider, grant: Grant, client_id: str, access_token: str) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": provider.issuer,
        "sub": provider.sub_for(grant.bsn),
        "aud": client_id,
        "exp": now + ID_TOKEN_TTL,
        "iat": now,
        "auth_time": grant.auth_time,
        "acr": acr_for_level(grant.level),
        "bsn": grant.bsn,
        "sid": grant.sid,
        # Left half of SHA-256 of the access token (OIDC Core 3.1.3.6); Authlib verifies it.
        "at_hash": _b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16]),
    }
    if grant.nonce is not None:
        claims["nonce"] = grant.nonce
    claims.update(_profile_claims(provider, grant))
    header = {"alg": "RS256", "kid": provider.kid, "typ": "JWT"}
    return jwt.encode(header, claims, provider.key, algorithms=["RS256"])


def register(app: Flask, provider: Provider) -> None:
    """Add ``/token`` and ``/userinfo`` to the stand-in app."""
    store = provider.store

    @app.post("/token")
    def token():
        client, error = _authenticate_client(provider)
        if error is not None:
            status = 401 if error[0] == "invalid_client" else 400
            headers = {"WWW-Authenticate": 'Basic realm="DigiD (testomgeving)"'} if status == 401 else None
            return _json_error(*error, status=status, headers=headers)
        assert client is not None

        if request.form.get("grant_type") != "authorization_code":
            return _json_error("unsupported_grant_type", "Only authorization_code is supported.")
        code = request.form.get("code", "")
        redirect_uri = request.form.get("redirect_uri", "")
        verifier = request.form.get("code_verifier", "")
        if not code or not redirect_uri:
            return _json_error("invalid_request", "code and redirect_uri are required.")
        if not verifier:
            return _json_error("invalid_request", "code_verifier is required (PKCE).")

        grant = store.take_code(code)
        if grant is None:
            return _json_error("invalid_grant", "The code is unknown, expired or already used.")
        if grant.expires_at <= time.time():
            return _json_error("invalid_grant", "The code has expired.")
        if grant.client_id != client.client_id:
            return _json_error("invalid_grant", "The code was issued to another client.")
        if grant.redirect_uri != redirect_uri:
            return _json_error("invalid_grant", "redirect_uri does not match the authorization request.")
        if not _PKCE_RE.match(verifier) or not hmac.compare_digest(_s256(verifier), grant.code_challenge):
            return _json_error("invalid_grant", "PKCE verification failed.")

        token_grant = Grant(**{**grant.__dict__, "expires_at": time.time() + ACCESS_TOKEN_TTL})
        access_token = store.add_token(token_grant)
        response = jsonify(
            access_token=access_token,
            token_type="Bearer",
            expires_in=ACCESS_TOKEN_TTL,
            id_token=_id_token_for(provider, grant, client.client_id, access_token),
            scope=grant.scope,
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo():
        realm = 'Bearer realm="DigiD (testomgeving)"'
        header = request.headers.get("Authorization", "")
        if header[:7].lower() != "bearer ":
            return _json_error("invalid_request", "A Bearer access token is required.", status=401,
                               headers={"WWW-Authenticate": realm})
        grant = store.token(header[7:].strip())
        if grant is None:
            return _json_error(
                "invalid_token", "The access token is unknown or expired.", status=401,
                headers={"WWW-Authenticate": f'{realm}, error="invalid_token", '
                                             'error_description="The access token is unknown or expired"'},
            )
        response = jsonify(sub=provider.sub_for(grant.bsn), bsn=grant.bsn, acr=acr_for_level(grant.level),
                           **_profile_claims(provider, grant))
        response.headers["Cache-Control"] = "no-store"
        return response
