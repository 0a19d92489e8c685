"""Friendly Dutch error pages in the face's own layout, with the request id for the helpdesk."""
from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

log = logging.getLogger("keukentafel.errors")

TEKSTEN = {
    400: ("Er ging iets mis met uw verzoek", "We konden uw verzoek niet verwerken. Probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar de startpagina."),
    405: ("Dit kan zo niet", "Deze actie is op deze manier niet mogelijk."),
    413: ("Bestand te groot", "Het bestand dat u stuurt is te groot."),
    429: ("Te veel pogingen", "U heeft het te vaak geprobeerd. Wacht een kwartier en probeer het dan opnieuw."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Het ligt niet aan u. Probeer het later opnieuw."),
}


def face_of_request() -> str:
    faces = current_app.config["SETTINGS"].faces
    if "backoffice" in faces and (request.path.startswith("/backoffice") or "portal" not in faces):
        return "backoffice"
    return "portal"


def render_error(code: int, titel: str | None = None, tekst: str | None = None, terug: str | None = None):
    default_titel, default_tekst = TEKSTEN.get(code, TEKSTEN[500])
    return (
        render_template(
            "errors/fout.html",
            code=code,
            titel=titel or default_titel,
            tekst=tekst or default_tekst,
            face=face_of_request(),
            terug=terug,
            request_id=g.get("request_id", "-"),
        ),
        code,
    )


def te_groot(exc: RequestEntityTooLarge | None = None):
    """More than MAX_CONTENT_LENGTH in one request. Such a request is not read at all, so the form cannot come back
    with what was typed; a link back to it instead. A file over the per-file limit within it is an error at its
    field (domain/uploads.py, docs/uploads.md)."""
    mb = 1024 * 1024
    per_bestand = current_app.config["SETTINGS"].upload_max_bytes // mb
    return render_error(
        413, "Bestanden te groot",
        f"U stuurde meer dan {current_app.config['MAX_CONTENT_LENGTH'] // mb} MB in één keer. Elk bestand mag "
        f"hoogstens {per_bestand} MB zijn. Ga terug naar het formulier en kies kleinere bestanden, of stuur ze "
        "één voor één.",
        terug=request.script_root + request.path if request.method == "POST" else None)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        log.warning("CSRF geweigerd: %s", exc.description)
        return render_error(
            400,
            "Uw formulier is verlopen",
            "Uw formulier was te lang open of de beveiligingscode klopte niet. Ga terug, vernieuw de pagina en "
            "probeer het opnieuw.",
        )

    app.register_error_handler(RequestEntityTooLarge, te_groot)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        if code >= 500:
            log.error("HTTP %s op %s %s", code, request.method, request.path)
        return render_error(code if code in TEKSTEN else 400 if code < 500 else 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # The stack trace goes to the log with the request id; the page shows only the id.
        log.exception("Onverwachte fout op %s %s", request.method, request.path)
        return render_error(500)

    app.register_error_handler(InternalServerError, _unexpected)
