"""HTTP hardening: security headers on every response and cookie settings."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import SecurityError

# The only responses a browser or proxy may keep: the same for everyone, no personal data (stylesheets, scripts,
# images, the favicon, the NL Design System files and a gemeente's theme). Everything else is no-store.
CACHEBAAR = frozenset({"static", "nlds_css", "gemeente_theme", "favicon"})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# What may follow the prefix of a return address: a path, query or fragment in the characters RFC 3986 allows there.
# No control characters (a CR/LF in a Location header was a 500 after a valid log-in), no spaces, no backslashes
# (browsers read a backslash as '/', so '/\host' is '//host').
_RELATIEF_VERVOLG = re.compile(r"(?:[/?#][A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*)?")


def veilige_volgende(waarde: str | None, prefix: str, standaard: str) -> str:
    """`waarde` when it is a relative address on this site under `prefix` (like '/backoffice'), else `standaard`:
    the safe-redirect check for a return address taken from the request."""
    if not waarde or not waarde.startswith(prefix) or "//" in waarde:
        return standaard
    if not _RELATIEF_VERVOLG.fullmatch(waarde[len(prefix):]):
        return standaard
    parts = urlsplit(waarde)
    return standaard if parts.scheme or parts.netloc else waarde


def externe_url(endpoint: str, **values) -> str:
    """An absolute URL of this application, always on the configured base URL (KEUKENTAFEL_BASE_URL), never on the
    Host the request came in on: for what leaves the site (DigiD's redirect_uri, the address to return to after
    logging out at the provider). A path in the base URL is where the application is mounted."""
    base = urlsplit(current_app.config["SETTINGS"].base_url)
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    # A logout form posts and is redirected to the provider's end_session endpoint: allow that origin.
    form_targets = " ".join(
        o for o in {_origin(settings.digid.get("issuer", "")), _origin(settings.medewerker_oidc.get("issuer", ""))} if o
    )
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
        f"form-action 'self' {form_targets}".strip()
    )
    app.config.update(
        SESSION_COOKIE_NAME="kt_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.https,
        PREFERRED_URL_SCHEME="https" if settings.https else "http",
        # A request for any other Host (or X-Forwarded-Host behind the proxy) is a 400 before any view runs.
        TRUSTED_HOSTS=settings.vertrouwde_hosts(),
        MAX_CONTENT_LENGTH=max(settings.request_max_bytes, settings.upload_max_bytes + 1024 * 1024),
    )

    @app.errorhandler(SecurityError)
    def _onbekende_host(exc: SecurityError):
        # Plain text: the error page's layout builds URLs, and there is no host to build them on.
        return "Onbekend adres.", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.after_request
    def _security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", csp)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if settings.https:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint not in CACHEBAAR:
            # Personal data must not linger in shared caches, the browser's disk cache or the back button of a shared
            # computer: pages, redirects, JSON and documents alike. Overwrites what send_file says (no-cache, which
            # lets the browser store the PDF and only asks it to check before use).
            h["Cache-Control"] = "no-store"
        return response
