"""The stand-in's stylesheet, served from a route because its Content-Security-Policy forbids inline styles, and its
favicon."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, Response

__all__ = ["register"]

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


# The same small icon as the portal and the backoffice: without it every page of the stand-in logs a 404.
_FAVICON = Path(__file__).resolve().parents[3] / "static" / "favicon.ico"


def register(app: Flask) -> None:
    """Add ``/standin.css`` and ``/favicon.ico`` to the stand-in app."""

    @app.get("/favicon.ico")
    def favicon():
        return Response(_FAVICON.read_bytes(), mimetype="image/vnd.microsoft.icon",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/standin.css")
    def stylesheet():
        return Response(_CSS, mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"})
