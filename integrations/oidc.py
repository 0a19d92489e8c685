"""What an ID token must be before anyone is logged in with it, for every OpenID Connect client here (DigiD on
the portal, the organisation's identity provider on the backoffice). Authlib does the checking; this module
says what it checks, through Authlib's claims options (docs/security.md, "Inloggen (OIDC)").

Authlib on its own checks the signature (JWKS), the nonce, at_hash, azp (when present, and required when `aud` is
not just our client id) and `iss` against the provider's discovery document, but not `aud`, and it allows two
minutes of clock skew. Here: `iss` exactly the issuer of the discovery document, which must itself be the
configured issuer (OIDC Discovery 4.3; a trailing slash aside, which the configuration strips); `aud` contains our
client id; `azp`, when present, is our client id; `sub`, `exp` and `iat` are required; `exp`, `iat` and `nbf` are
checked with a leeway of one minute.
"""
from __future__ import annotations

from typing import Any

# Seconds of clock skew allowed between the provider and us, for exp, iat and nbf.
LEEWAY = 60


class IssuerFout(Exception):
    """The provider's discovery document names another issuer than the one configured."""


def claims_options(issuer: str, client_id: str, metadata: dict[str, Any]) -> dict[str, dict]:
    """The claims options for Authlib's ID-token validation. A new dict on every call: Authlib takes the
    `validate` hooks out of the options it is given."""
    uitgever = metadata.get("issuer")
    if not isinstance(uitgever, str) or uitgever.rstrip("/") != issuer.rstrip("/"):
        raise IssuerFout("de discovery van de provider noemt een andere issuer dan ingesteld")
    return {
        "iss": {"essential": True, "value": uitgever},
        # A list is fine when our client id is in it; Authlib then requires azp (and that it is ours).
        "aud": {"essential": True, "values": [client_id]},
        "azp": {"value": client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }


def haal_token_op(remote, issuer: str, client_id: str) -> dict:
    """Exchange the code of this callback for tokens and validate the ID token (Authlib's
    authorize_access_token with our claims options); raises on anything that is not right."""
    opties = claims_options(issuer, client_id, remote.load_server_metadata())
    return remote.authorize_access_token(claims_options=opties, leeway=LEEWAY)
