"""What the stand-in publishes about itself: the OpenID Provider metadata, the JWKS with its public signing key,
and the index page that links to them."""
from __future__ import annotations

from flask import Flask, jsonify, render_template

from .levels import LEVELS
from .provider import Provider

__all__ = ["register"]


def register(app: Flask, provider: Provider) -> None:
    """Add ``/.well-known/openid-configuration``, ``/jwks`` and ``/`` to the stand-in app."""
    issuer = provider.issuer
    jwk_public = {**provider.key.as_dict(private=False), "kid": provider.kid, "use": "sig", "alg": "RS256"}

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            issuer=issuer,
            authorization_endpoint=f"{issuer}/authorize",
            token_endpoint=f"{issuer}/token",
            userinfo_endpoint=f"{issuer}/userinfo",
            jwks_uri=f"{issuer}/jwks",
            end_session_endpoint=f"{issuer}/logout",
            response_types_supported=["code"],
            response_modes_supported=["query"],
            grant_types_supported=["authorization_code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
            scopes_supported=["openid", "profile"],
            claims_supported=["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "sid",
                              "at_hash", "bsn", "name"],
            acr_values_supported=list(LEVELS.values()),
            claims_parameter_supported=False,
            request_parameter_supported=False,
            request_uri_parameter_supported=False,
            authorization_response_iss_parameter_supported=True,
            ui_locales_supported=["nl"],
            service_documentation=f"{issuer}/",
        )

    @app.get("/jwks")
    def jwks():
        response = jsonify(keys=[jwk_public])
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    @app.get("/")
    def index():
        return render_template("index.html", issuer=issuer)
