"""DigiD log-in through OpenID Connect, with Authlib.

Authorization code flow with PKCE (S256), state and nonce; Authlib checks the id_token's signature against the
provider's JWKS, its nonce, and iss, aud, azp, exp, iat and nbf as `integrations.oidc` tells it. On top of that we
read the BSN from the configured claim (it must pass the elfproef) and the betrouwbaarheidsniveau from the
configured claim, mapped to the four DigiD levels.
Works with any standard OIDC provider: the local stand-in, a DigiD broker, or an independent mock.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from stdnum.nl import bsn as bsn_nummer

from integrations.oidc import haal_token_op

NIVEAUS = ("basis", "midden", "substantieel", "hoog")

# The SAML authentication context classes DigiD uses, and the levels they stand for.
SAML_ACR = {
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport": "basis",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract": "midden",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard": "substantieel",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI": "hoog",
}


class DigidFout(Exception):
    """A log-in that did not succeed; `melding` is the Dutch text for the inwoner."""

    def __init__(self, melding: str, reden: str):
        super().__init__(reden)
        self.melding = melding
        self.reden = reden


@dataclass(frozen=True)
class DigidLogin:
    bsn: str
    niveau: str
    id_token: str | None
    subject: str


def niveau_van(acr: str | None, mapping: dict[str, str]) -> str | None:
    """Map an acr value to basis/midden/substantieel/hoog; the configured mapping wins over the defaults."""
    if not acr or not isinstance(acr, str):
        return None
    if acr in mapping:
        return mapping[acr].lower()
    if acr in SAML_ACR:
        return SAML_ACR[acr]
    kort = acr.rsplit(":", 1)[-1].lower()
    if kort in NIVEAUS:
        return kort
    short_saml = {k.rsplit(":", 1)[-1].lower(): v for k, v in SAML_ACR.items()}
    return short_saml.get(kort)


def niveau_voldoet(niveau: str | None, minimum: str) -> bool:
    return niveau in NIVEAUS and NIVEAUS.index(niveau) >= NIVEAUS.index(minimum)


def claim(claims: dict[str, Any], pad: str) -> Any:
    """A claim by name, or by a dotted path into nested claims (brokers nest the BSN differently)."""
    if pad in claims:
        return claims[pad]
    waarde: Any = claims
    for deel in pad.split("."):
        if not isinstance(waarde, dict) or deel not in waarde:
            return None
        waarde = waarde[deel]
    return waarde


def bsn_uit(waarde: Any) -> str | None:
    """Brokers send the BSN plain, as a JSON number or as 's00000000:123456789' (the SAML sector code). Only a
    valid BSN passes, as its nine digits; any other shape (a list, an object, a boolean, a fraction) is None."""
    if isinstance(waarde, bool) or not isinstance(waarde, (str, int)):
        return None
    tekst = str(waarde).strip()
    if ":" in tekst:
        tekst = tekst.rsplit(":", 1)[-1]
    tekst = tekst.zfill(9) if tekst.isdigit() and len(tekst) == 8 else tekst
    return bsn_nummer.compact(tekst) if bsn_nummer.is_valid(tekst) else None


class DigidClient:
    def __init__(self, app, config: dict[str, Any]):
        self.config = config
        self.oauth = OAuth(app)
        self.oauth.register(
            "digid",
            client_id=config["client_id"],
            client_secret=config["client_secret"],
            server_metadata_url=f"{config['issuer']}/.well-known/openid-configuration",
            client_kwargs={"scope": config.get("scope", "openid"), "code_challenge_method": "S256"},
        )

    @property
    def remote(self):
        return self.oauth.digid

    def start(self, redirect_uri: str):
        """Redirect to the provider. Authlib stores state, nonce and the PKCE verifier in the session."""
        return self.remote.authorize_redirect(redirect_uri)

    def verwerk_antwoord(self) -> DigidLogin:
        from flask import request

        if request.args.get("error"):
            fout = request.args["error"]
            if fout in {"access_denied", "login_required", "consent_required"}:
                raise DigidFout("U heeft het inloggen met DigiD geannuleerd. U bent niet ingelogd.", fout)
            raise DigidFout("Inloggen met DigiD is niet gelukt. Probeer het later opnieuw.", fout)
        try:
            token = haal_token_op(self.remote, self.config["issuer"], self.config["client_id"])
        except OAuthError as exc:
            raise DigidFout("Inloggen met DigiD is niet gelukt. Probeer het opnieuw.", f"oauth: {exc.error}") from exc
        except Exception as exc:  # signature, iss, aud, azp, exp/iat/nbf, nonce or state failures: never a 500
            raise DigidFout(
                "Inloggen met DigiD is niet gelukt. Probeer het opnieuw.", f"{type(exc).__name__}: {exc}"
            ) from exc
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise DigidFout("Inloggen met DigiD is niet gelukt. Probeer het opnieuw.", "geen id_token")
        # Every claim read here is checked for its shape first: a claim of another type is a log-in that did not
        # succeed, never a 500. The reason names the claim and the type, never the value.
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise DigidFout("Inloggen met DigiD is niet gelukt. Probeer het opnieuw.",
                            f"sub is geen tekst maar {type(subject).__name__}")
        bsn = bsn_uit(claim(claims, self.config["bsn_claim"]))
        if bsn is None:
            raise DigidFout(
                "We konden uw burgerservicenummer niet lezen. Probeer het opnieuw of neem contact op met de gemeente.",
                "geen geldig bsn in claim",
            )
        acr = claim(claims, self.config["loa_claim"])
        if acr is not None and not isinstance(acr, str):
            raise DigidFout("Inloggen met DigiD is niet gelukt. Probeer het opnieuw.",
                            f"claim {self.config['loa_claim']} is geen tekst maar {type(acr).__name__}")
        niveau = niveau_van(acr, self.config.get("loa_mapping", {}))
        minimum = self.config.get("min_loa", "midden")
        if not niveau_voldoet(niveau, minimum):
            raise DigidFout(
                f"U logde in met DigiD op niveau '{niveau or 'onbekend'}'. Voor uw gegevens is minimaal niveau "
                f"'{minimum}' nodig. Log opnieuw in met de DigiD app of een sms-controle.",
                f"niveau {niveau} onder {minimum}",
            )
        return DigidLogin(bsn=bsn, niveau=niveau or "", id_token=token.get("id_token"), subject=subject)

    def uitlog_url(self, id_token: str | None, terug_url: str) -> str | None:
        """The provider's end_session URL, or None when it offers none."""
        from urllib.parse import urlencode

        try:
            metadata = self.remote.load_server_metadata()
        except Exception:
            return None
        endpoint = metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"post_logout_redirect_uri": terug_url, "client_id": self.config["client_id"]}
        if id_token:
            params["id_token_hint"] = id_token
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
