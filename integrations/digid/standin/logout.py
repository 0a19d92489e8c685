"""RP-initiated logout: ends the session named by a valid ``id_token_hint`` and sends the browser back only to an
origin of the client that hint was issued to; otherwise it shows the logged-out page."""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request
from joserfc import jwt
from joserfc.errors import JoseError

from .provider import Provider, add_query, origin

__all__ = ["register"]

log = logging.getLogger(__package__)


def register(app: Flask, provider: Provider) -> None:
    """Add ``/logout`` to the stand-in app."""

    @app.route("/logout", methods=["GET", "POST"])
    def logout():
        params = request.values
        hint = params.get("id_token_hint", "")
        target = params.get("post_logout_redirect_uri", "")
        state = params.get("state") or None
        client_id = params.get("client_id") or None
        sid: str | None = None
        hint_valid = False
        if hint:
            try:
                claims = jwt.decode(hint, provider.key, algorithms=["RS256"]).claims
            except (JoseError, ValueError):
                claims = {}
            # An expired hint is fine (OIDC RP-Initiated Logout 1.0 section 2); the signature is what counts.
            if claims.get("iss") == provider.issuer:
                aud = claims.get("aud")
                hint_client = aud if isinstance(aud, str) else (aud[0] if isinstance(aud, list) and aud else None)
                if client_id is None or client_id == hint_client:
                    client_id, sid, hint_valid = hint_client, claims.get("sid"), True
                else:
                    client_id = None  # contradicting client_id: trust neither
            else:
                client_id = None  # a hint we did not issue: do not redirect on the strength of client_id
        if sid:
            provider.store.end_session(sid)

        client = provider.clients.get(client_id) if client_id else None
        if target and client is not None and origin(target) in client.origins:
            response = redirect(add_query(target, {"state": state}), code=302)
            response.headers["Cache-Control"] = "no-store"
            return response
        if target:
            log.info("DigiD stand-in: refused post_logout_redirect_uri (hint valid: %s)", hint_valid)
        return render_template("logged_out.html", terugverwijzing_geweigerd=bool(target))
