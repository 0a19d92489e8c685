"""The interface shell shared by both faces: NL Design System CSS from npm, the gemeente theme, filters."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, g, send_from_directory
from sqlalchemy import select

from domain import processes, uploads
from domain.afspraken import staat as afspraak_staat
from domain.models import Gemeente
from domain.voorzieningen import omschrijving, omvang, periode

from .config import ROOT
from .db import get_session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
from domain.teksten import aantal, bedrag, datum_nl

# Only these files of node_modules are served: the component library and the design-token theme.
VENDOR_FILES = {
    "component-library.css": ROOT / "node_modules/@utrecht/component-library-css/dist/index.css",
    "design-tokens.css": ROOT / "node_modules/@utrecht/design-tokens/dist/index.css",
}

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _hex(value: str | None, fallback: str) -> str:
    return value if value and _HEX.match(value) else fallback


def theme_css(primair: str, accent: str) -> str:
    """Design tokens of one gemeente on top of the base theme. Only validated hex colours go in."""
    primair = _hex(primair, "#1f4e79")
    accent = _hex(accent, "#c8102e")
    return f""".kt-theme {{
  --kt-color-primary: {primair};
  --kt-color-accent: {accent};
  --utrecht-page-header-background-color: {primair};
  --utrecht-page-header-color: #ffffff;
  --utrecht-button-primary-action-background-color: {primair};
  --utrecht-button-primary-action-hover-background-color: {accent};
  --utrecht-link-color: {primair};
  --utrecht-heading-color: #1a1a1a;
}}
"""


def datum(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(AMSTERDAM).date()
    return datum_nl(value)


def datumtijd(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(AMSTERDAM)
    return f"{datum(local.date())} om {local:%H:%M} uur"


def _termijn_naam(soort: str) -> str:
    """The short name of a term on screens, from its rule (the Awb's, or the one its zaaktype registered)."""
    from domain.deadlines import REGELS

    processes.zaaktypen()  # the definitions register their own terms
    r = REGELS.get(soort)
    return (r.naam if r and r.naam else None) or soort


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.jinja_env.filters.update(datum=datum, datumtijd=datumtijd, bedrag=bedrag, aantal=aantal)
    # A toegekende voorziening in words, the same on every page and in the beschikking (domain/voorzieningen.py).
    app.jinja_env.filters.update(omschrijving=omschrijving, omvang=omvang, periode=periode)
    app.jinja_env.globals["werkorganisatie"] = settings.werkorganisatie
    app.jinja_env.globals["zaaktype_naam"] = processes.zaaktype_naam
    app.jinja_env.globals["upload_uitleg"] = lambda: uploads.uitleg(settings.upload_max_bytes)  # under file fields
    app.jinja_env.globals["afspraak_staat"] = afspraak_staat
    app.jinja_env.globals["termijn_naam"] = _termijn_naam
    app.jinja_env.globals["status_tekst"] = lambda zaak, voor_inwoner=False: processes.status_tekst(
        zaak.zaaktype, zaak.status, voor_inwoner=voor_inwoner)

    @app.context_processor
    def _shell_context():
        return {"gemeente": g.get("gemeente"), "faces": settings.faces, "settings": settings}

    @app.get("/static/nlds/<name>")
    def nlds_css(name: str):
        path = VENDOR_FILES.get(name)
        if path is None or not path.exists():
            abort(404)
        response = send_from_directory(path.parent, path.name, mimetype="text/css", max_age=3600)
        return response

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for it on every site, also for pages without a <link rel="icon"> (PDFs, error pages).
        return send_from_directory(ROOT / "static", "favicon.ico", mimetype="image/vnd.microsoft.icon",
                                   max_age=86400)

    @app.get("/thema/<code>.css")
    def gemeente_theme(code: str):
        if code == "werkorganisatie":
            css = theme_css("#1f4e79", "#c8102e")
        else:
            gemeente = get_session().scalar(select(Gemeente).where(Gemeente.code == code))
            if gemeente is None:
                abort(404)
            css = theme_css(gemeente.kleur_primair, gemeente.kleur_accent)
        return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})

    @app.get("/gezondheid")
    def health():
        from sqlalchemy import text

        get_session().execute(text("SELECT 1"))
        return {"status": "ok"}
