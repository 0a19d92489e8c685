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
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, jsonify, redirect, render_template, request, session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from stdnum.nl import bsn as bsn_check

from integrations.brp import Persoon

__all__ = ["LEVELS", "acr_for_level", "create_standin_app", "load_or_create_key"]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")

# DigiD levels of assurance and the SAML authentication context classes DigiD brokers report as `acr`.
LEVELS: dict[str, str] = {
    "basis": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "midden": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "substantieel": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "hoog": "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
}
LEVEL_LABELS: dict[str, str] = {
    "basis": "Basis – gebruikersnaam en wachtwoord",
    "midden": "Midden – met sms-controle of de DigiD app",
    "substantieel": "Substantieel – DigiD app met gecontroleerd identiteitsbewijs",
    "hoog": "Hoog – identiteitsbewijs met chip",
}
DEFAULT_LEVEL = "midden"

CODE_TTL = 60  # seconds an authorization code is valid
ACCESS_TOKEN_TTL = 300
ID_TOKEN_TTL = 300
MAX_CSRF_TOKENS = 8  # open log-in pages per browser; more tabs than this invalidates the oldest

# RFC 7636 section 4.1: 43-128 characters from the unreserved set.
_PKCE_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")

_MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

# Served from a route because the Content-Security-Policy forbids inline styles.
_CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1.125rem;
  line-height: 1.5; color: #1a1a1a; background: #f3f3f3; margin: 0; }
.testbalk { background: #ffd24d; color: #1a1a1a; padding: .75rem 1rem; border-bottom: 3px solid #1a1a1a; }
main { max-width: 44rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem 2rem 2rem;
  border: 1px solid #ccc; }
h1 { font-size: 1.75rem; line-height: 1.2; margin-top: 0; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
legend { font-weight: 700; font-size: 1.25rem; margin-bottom: .5rem; }
.keuze { display: flex; gap: .75rem; align-items: flex-start; padding: .5rem 0;
  border-bottom: 1px solid #e5e5e5; }
.keuze input { width: 1.5rem; height: 1.5rem; margin: .15rem 0 0; flex: none; }
.keuze label { cursor: pointer; }
.details { display: block; color: #444; font-size: 1rem; }
.veld { margin-bottom: 1.5rem; }
.veld label { display: block; font-weight: 700; }
.hint { color: #444; font-size: 1rem; margin: .25rem 0; }
input[type=text], select { font: inherit; padding: .5rem; border: 2px solid #1a1a1a; border-radius: 0;
  min-width: 14rem; max-width: 100%; }
input[aria-invalid=true] { border-color: #b00020; }
.fout { color: #b00020; font-weight: 700; margin: .25rem 0; }
.foutmelding { border: 3px solid #b00020; padding: .75rem 1rem; margin-bottom: 1.5rem; }
.foutmelding h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
.knoppen { display: flex; gap: 1rem; flex-wrap: wrap; }
button, .knop { font: inherit; font-weight: 700; padding: .6rem 1.25rem; border: 2px solid #154273;
  background: #154273; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secundair { background: #fff; color: #154273; }
a { color: #154273; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd24d; }
"""


def acr_for_level(level: str) -> str:
    """The `acr` value DigiD brokers send for a betrouwbaarheidsniveau (KeyError for unknown levels)."""
    return LEVELS[level]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _s256(verifier: str) -> str:
    """PKCE S256 transformation (RFC 7636 section 4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _add_query(uri: str, params: Mapping[str, str | None]) -> str:
    """Add parameters to a URI, keeping any query it already has (RFC 6749 section 3.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, v) for k, v in params.items() if v is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _datum(d: dt.date) -> str:
    return f"{d.day} {_MAANDEN[d.month - 1]} {d.year}"


def load_or_create_key(key_path: Path) -> RSAKey:
    """Load the RS256 signing key, creating it on first start.

    The key is kept on disk so ID tokens and the published JWKS stay valid across restarts (clients cache
    the JWKS). The file is created with mode 0600 and linked into place atomically, so a second process
    starting at the same moment never reads half a key.
    """
    key_path = Path(key_path)
    if not key_path.exists():
        key_path.parent.mkdir(parents=True, exist_ok=True)
        pem = RSAKey.generate_key(2048, private=True).as_pem(private=True)
        tmp = key_path.with_name(f".{key_path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, pem)
        finally:
            os.close(fd)
        try:
            os.link(tmp, key_path)  # fails if another process won the race; then we use its key
        except FileExistsError:
            pass
        except OSError:  # file system without hard links
            if not key_path.exists():
                os.replace(tmp, key_path)
        finally:
            tmp.unlink(missing_ok=True)
    key = RSAKey.import_key(key_path.read_bytes())
    if not key.is_private:
        raise ValueError(f"{key_path.name} bevat geen private RSA-sleutel")
    return key


@dataclass(frozen=True)
class _Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(_origin(u) for u in self.redirect_uris)


@dataclass(frozen=True)
class _AuthRequest:
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


@dataclass(frozen=True)
class _Grant:
    """What an authorization code (and later the access token) stands for."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str
    bsn: str
    level: str
    sid: str
    auth_time: int
    expires_at: float


class _AuthorizeError(Exception):
    """An authorization request error that may be sent back to the (validated) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class _Store:
    """In-memory codes and access tokens. A lock, because the dev server handles requests in threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, _Grant] = {}

    def _purge(self, now: float) -> None:
        for table in (self._codes, self._tokens):
            for key in [k for k, g in table.items() if g.expires_at <= now]:
                del table[key]

    def add_code(self, grant: _Grant) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._purge(time.time())
            self._codes[code] = grant
        return code

    def take_code(self, code: str) -> _Grant | None:
        """Remove and return the grant: a code can be presented once, whatever the outcome."""
        with self._lock:
            self._purge(time.time())
            return self._codes.pop(code, None)

    def add_token(self, grant: _Grant) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = grant
        return token

    def token(self, token: str) -> _Grant | None:
        with self._lock:
            self._purge(time.time())
            return self._tokens.get(token)

    def end_session(self, sid: str) -> None:
        with self._lock:
            for key in [k for k, g in self._tokens.items() if g.sid == sid]:
                del self._tokens[key]


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
        cid: _Client(cid, str(c["client_secret"]), tuple(c.get("redirect_uris", ())))
        for cid, c in clients.items()
    }
    key = load_or_create_key(Path(key_path))
    kid = key.thumbprint()
    jwk_public = {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": "RS256"}
    store = _Store()
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

    # --- helpers -------------------------------------------------------------------------------------

    def sub_for(bsn: str) -> str:
        """A stable pseudonym per BSN: clients must not use `sub` as BSN, just like with the real broker."""
        return hashlib.sha256(f"{issuer}|{bsn}".encode()).hexdigest()[:32]

    def person_by_bsn(bsn: str) -> Persoon | None:
        return next((p for p in personen() if p.bsn == bsn), None)

    def error_page(message: str, status: int = 400) -> tuple[str, int]:
        return render_template("error.html", melding=message), status

    def new_csrf_token() -> str:
        token = secrets.token_urlsafe(32)
        tokens = [t for t in session.get("csrf", []) if isinstance(t, str)]
        session["csrf"] = (tokens + [token])[-MAX_CSRF_TOKENS:]
        return token

    def consume_csrf_token(token: str) -> bool:
        tokens = [t for t in session.get("csrf", []) if isinstance(t, str)]
        match = next((t for t in tokens if token and hmac.compare_digest(t, token)), None)
        if match is None:
            return False
        tokens.remove(match)
        session["csrf"] = tokens
        return True

    def client_and_redirect(params: Mapping[str, str]) -> tuple[_Client, str] | str:
        """Validate client_id and redirect_uri first: until both are trusted we may not redirect at all."""
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        client = registered.get(client_id)
        if not client_id or client is None:
            return "De website die u hierheen stuurde is niet bekend bij DigiD (testomgeving)."
        if not redirect_uri:
            return "De website gaf niet op waar u na het inloggen naartoe moet."
        if redirect_uri not in client.redirect_uris:
            return "Het terugkeeradres van de website is niet geregistreerd bij DigiD (testomgeving)."
        return client, redirect_uri

    def parse_auth_request(params: Mapping[str, str], client: _Client, redirect_uri: str) -> _AuthRequest:
        """Check the rest of the request; errors here go back to the client as an error redirect."""
        if params.get("response_type") != "code":
            raise _AuthorizeError("unsupported_response_type", "Only response_type=code is supported.")
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            raise _AuthorizeError("invalid_scope", "The scope must include openid.")
        if params.get("request") or params.get("request_uri"):
            raise _AuthorizeError("request_not_supported", "Request objects are not supported.")
        challenge = params.get("code_challenge", "")
        method = params.get("code_challenge_method", "")
        if not challenge:
            raise _AuthorizeError("invalid_request", "PKCE is required: code_challenge is missing.")
        if method != "S256":
            raise _AuthorizeError("invalid_request", "PKCE code_challenge_method must be S256.")
        if not re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge):
            raise _AuthorizeError("invalid_request", "code_challenge is not a base64url SHA-256 value.")
        if "none" in params.get("prompt", "").split():
            raise _AuthorizeError("login_required", "The stand-in always asks the user to log in.")
        return _AuthRequest(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            scope=scope,
            state=params.get("state") or None,
            nonce=params.get("nonce") or None,
            code_challenge=challenge,
            code_challenge_method=method,
        )

    def auth_redirect(redirect_uri: str, params: dict[str, str | None]) -> Response:
        # `iss` per RFC 9207, so clients can tell which provider answered (mix-up protection).
        response = redirect(_add_query(redirect_uri, {**params, "iss": issuer}), code=302)
        response.headers["Cache-Control"] = "no-store"
        return response

    def render_login(
        auth: _AuthRequest,
        *,
        gekozen: str = "",
        ander_bsn: str = "",
        niveau: str = DEFAULT_LEVEL,
        fouten: dict[str, str] | None = None,
        status: int = 200,
    ) -> tuple[str, int]:
        lijst = [
            {"bsn": p.bsn, "naam": p.naam, "geboortedatum": _datum(p.geboortedatum), "woonplaats": p.woonplaats}
            for p in personen()
        ]
        return (
            render_template(
                "authorize.html",
                auth=auth,
                client_origin=_origin(auth.redirect_uri),
                personen=lijst,
                gekozen=gekozen,
                ander_bsn=ander_bsn,
                niveau=niveau,
                niveaus=LEVEL_LABELS,
                fouten=fouten or {},
                csrf_token=new_csrf_token(),
            ),
            status,
        )

    def json_error(error: str, description: str, status: int = 400, headers: dict[str, str] | None = None):
        response = jsonify(error=error, error_description=description)
        response.status_code = status
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    def authenticate_client() -> tuple[_Client | None, tuple[str, str] | None]:
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
        client = registered.get(client_id)
        if client is None or not hmac.compare_digest(client.client_secret.encode(), secret.encode()):
            return None, ("invalid_client", "Client authentication failed.")
        return client, None

    def id_token_for(grant: _Grant, client_id: str, access_token: str) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": issuer,
            "sub": sub_for(grant.bsn),
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
        claims.update(profile_claims(grant))
        header = {"alg": "RS256", "kid": kid, "typ": "JWT"}
        return jwt.encode(header, claims, key, algorithms=["RS256"])

    def profile_claims(grant: _Grant) -> dict[str, str]:
        """Only with scope profile and only for persons in the register; real DigiD gives no name at all."""
        if "profile" not in grant.scope.split():
            return {}
        persoon = person_by_bsn(grant.bsn)
        return {"name": persoon.naam} if persoon else {}

    # --- security headers ----------------------------------------------------------------------------

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

    # --- discovery -----------------------------------------------------------------------------------

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

    @app.get("/standin.css")
    def stylesheet():
        return Response(_CSS, mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"})

    # --- authorization endpoint ------------------------------------------------------------------------

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        params = request.args if request.method == "GET" else request.form
        checked = client_and_redirect(params)
        if isinstance(checked, str):
            return error_page(checked)
        client, redirect_uri = checked
        state = params.get("state") or None

        if request.method == "POST" and not consume_csrf_token(request.form.get("csrf_token", "")):
            return error_page(
                "Deze pagina is verlopen of niet via DigiD (testomgeving) geopend. "
                "Ga terug naar de website en log opnieuw in."
            )
        try:
            auth = parse_auth_request(params, client, redirect_uri)
        except _AuthorizeError as exc:
            return auth_redirect(redirect_uri, {"error": exc.error, "error_description": exc.description,
                                                "state": state})

        if request.method == "GET":
            return render_login(auth)

        if request.form.get("actie") == "annuleren":
            return auth_redirect(redirect_uri, {
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
        elif gekozen and person_by_bsn(gekozen):
            bsn = gekozen
        elif gekozen:
            fouten["persoon"] = "Deze testpersoon bestaat niet (meer). Kies een testpersoon uit de lijst."
        else:
            fouten["persoon"] = "Kies een testpersoon, of vul een ander BSN in."
        if niveau not in LEVELS:
            fouten["niveau"] = "Kies een betrouwbaarheidsniveau."
            niveau = DEFAULT_LEVEL
        if fouten or bsn is None:
            return render_login(auth, gekozen=gekozen, ander_bsn=ander_bsn, niveau=niveau, fouten=fouten,
                                status=400)

        now = time.time()
        code = store.add_code(_Grant(
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
        return auth_redirect(redirect_uri, {"code": code, "state": auth.state})

    # --- token endpoint --------------------------------------------------------------------------------

    @app.post("/token")
    def token():
        client, error = authenticate_client()
        if error is not None:
            status = 401 if error[0] == "invalid_client" else 400
            headers = {"WWW-Authenticate": 'Basic realm="DigiD (testomgeving)"'} if status == 401 else None
            return json_error(*error, status=status, headers=headers)
        assert client is not None

        if request.form.get("grant_type") != "authorization_code":
            return json_error("unsupported_grant_type", "Only authorization_code is supported.")
        code = request.form.get("code", "")
        redirect_uri = request.form.get("redirect_uri", "")
        verifier = request.form.get("code_verifier", "")
        if not code or not redirect_uri:
            return json_error("invalid_request", "code and redirect_uri are required.")
        if not verifier:
            return json_error("invalid_request", "code_verifier is required (PKCE).")

        grant = store.take_code(code)
        if grant is None:
            return json_error("invalid_grant", "The code is unknown, expired or already used.")
        if grant.expires_at <= time.time():
            return json_error("invalid_grant", "The code has expired.")
        if grant.client_id != client.client_id:
            return json_error("invalid_grant", "The code was issued to another client.")
        if grant.redirect_uri != redirect_uri:
            return json_error("invalid_grant", "redirect_uri does not match the authorization request.")
        if not _PKCE_RE.match(verifier) or not hmac.compare_digest(_s256(verifier), grant.code_challenge):
            return json_error("invalid_grant", "PKCE verification failed.")

        token_grant = _Grant(**{**grant.__dict__, "expires_at": time.time() + ACCESS_TOKEN_TTL})
        access_token = store.add_token(token_grant)
        response = jsonify(
            access_token=access_token,
            token_type="Bearer",
            expires_in=ACCESS_TOKEN_TTL,
            id_token=id_token_for(grant, client.client_id, access_token),
            scope=grant.scope,
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    # --- userinfo --------------------------------------------------------------------------------------

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo():
        realm = 'Bearer realm="DigiD (testomgeving)"'
        header = request.headers.get("Authorization", "")
        if header[:7].lower() != "bearer ":
            return json_error("invalid_request", "A Bearer access token is required.", status=401,
                              headers={"WWW-Authenticate": realm})
        grant = store.token(header[7:].strip())
        if grant is None:
            return json_error(
                "invalid_token", "The access token is unknown or expired.", status=401,
                headers={"WWW-Authenticate": f'{realm}, error="invalid_token", '
                                             'error_description="The access token is unknown or expired"'},
            )
        response = jsonify(sub=sub_for(grant.bsn), bsn=grant.bsn, acr=acr_for_level(grant.level),
                           **profile_claims(grant))
        response.headers["Cache-Control"] = "no-store"
        return response

    # --- RP-initiated logout -------------------------------------------------------------------------

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
                claims = jwt.decode(hint, key, algorithms=["RS256"]).claims
            except (JoseError, ValueError):
                claims = {}
            # An expired hint is fine (OIDC RP-Initiated Logout 1.0 section 2); the signature is what counts.
            if claims.get("iss") == issuer:
                aud = claims.get("aud")
                hint_client = aud if isinstance(aud, str) else (aud[0] if isinstance(aud, list) and aud else None)
                if client_id is None or client_id == hint_client:
                    client_id, sid, hint_valid = hint_client, claims.get("sid"), True
                else:
                    client_id = None  # contradicting client_id: trust neither
            else:
                client_id = None  # a hint we did not issue: do not redirect on the strength of client_id
        if sid:
            store.end_session(sid)

        client = registered.get(client_id) if client_id else None
        if target and client is not None and _origin(target) in client.origins:
            response = redirect(_add_query(target, {"state": state}), code=302)
            response.headers["Cache-Control"] = "no-store"
            return response
        if target:
            log.info("DigiD stand-in: refused post_logout_redirect_uri (hint valid: %s)", hint_valid)
        return render_template("logged_out.html", terugverwijzing_geweigerd=bool(target))

    return app
