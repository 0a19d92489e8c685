"""A local stand-in for the DigiD broker, speaking real OpenID Connect.

Municipalities reach DigiD through an OIDC broker. For development, demos and tests we need the same
protocol without the real DigiD, so the production OIDC client (Authlib) can run unchanged against this
stand-in: authorization code flow with PKCE (S256 only), RS256-signed ID tokens published via JWKS, a
userinfo endpoint and RP-initiated logout.

Instead of a password the stand-in shows a page where the tester picks a test person from the local BRP
register (or types any valid BSN, to test "unknown in BRP") and the level of assurance
(betrouwbaarheidsniveau). Everything is kept in memory: it is a test tool, not an identity provider.

It is a separate Flask application on its own port, so it behaves like a real external provider
(own origin, own cookies, real HTTP between client and provider).

The parts: ``levels`` (betrouwbaarheidsniveaus and their `acr`), ``keys`` (the signing key on disk), ``grants``
(codes and tokens in memory), ``provider`` (what the endpoints share), and one module per group of endpoints:
``discovery`` (metadata, JWKS, index page), ``authorize`` (the log-in page), ``tokens`` (token and userinfo),
``logout`` and ``stylesheet``.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response

from integrations.brp import Persoon

from . import authorize, discovery, logout, stylesheet, tokens
from .grants import Store
from .keys import load_or_create_key
from .levels import LEVELS, acr_for_level
from .provider import Client, Provider

__all__ = ["LEVELS", "acr_for_level", "create_standin_app", "load_or_create_key"]

TEMPLATES = Path(__file__).parent.parent / "templates"


def create_standin_app(
    issuer: str,
    clients: dict[str, dict],
    key_path: Path,
    personen: Callable[[], list[Persoon]],
) -> Flask:
    """Build the DigiD stand-in as its own Flask app.

    issuer: base URL the stand-in is reached at, e.g. "http://127.0.0.1:5001" (all endpoints hang off it).
    clients: {client_id: {"client_secret": ..., "redirect_uris": [...]}}; redirect URIs match exactly.
    key_path: PEM file with the RS256 signing key; generated (mode 0600) when missing.
    personen: returns the test persons to offer, normally `LocalBrp().alle`.
    """
    issuer = issuer.rstrip("/")
    registered = {
        cid: Client(cid, str(c["client_secret"]), tuple(c.get("redirect_uris", ())))
        for cid, c in clients.items()
    }
    key = load_or_create_key(Path(key_path))
    kid = key.thumbprint()
    store = Store()
    provider = Provider(issuer=issuer, clients=registered, key=key, kid=kid, store=store, personen=personen)
    redirect_origins = sorted({o for c in registered.values() for o in c.origins})
    csp = (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
        # Browsers apply form-action to the redirect that follows the log-in POST, too.
        f"form-action 'self' {' '.join(redirect_origins)}".rstrip()
    )

    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=None)
    app.config.update(
        # Random per start: the session only carries CSRF tokens for log-in pages that are open right now.
        SECRET_KEY=secrets.token_bytes(32),
        # Own cookie name: on 127.0.0.1 cookies are shared between ports, so "session" would collide with
        # the portal's session cookie.
        SESSION_COOKIE_NAME="digid_standin_session",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=issuer.startswith("https://"),
        SESSION_COOKIE_HTTPONLY=True,
    )
    app.extensions["digid_standin"] = {"issuer": issuer, "kid": kid, "store": store}

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # The authorization response carries the code in the URL; do not leak it via Referer.
        response.headers["Referrer-Policy"] = "no-referrer"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    discovery.register(app, provider)
    stylesheet.register(app)
    authorize.register(app, provider)
    tokens.register(app, provider)
    logout.register(app, provider)
    return app
