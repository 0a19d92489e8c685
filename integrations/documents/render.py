"""Render letters, onderzoeksverslagen and beschikkingen to PDF/A with Jinja2 + WeasyPrint.

Why standalone Jinja (not Flask's ``render_template``): documents are also rendered by background jobs and the
CLI, outside any request or app context, and a beschikking must look the same wherever it is produced. This
module therefore never imports Flask.

Why PDF/A-3b: a beschikking is an archival record (Archiefwet; the ZGW informatieobject is kept for years), and
PDF/A guarantees it renders the same later: every font is embedded, colours carry an sRGB output intent, the XMP
metadata says which conformance level the file claims. WeasyPrint 70 writes PDF/A-3b natively
(``pdf_variant="pdf/a-3b"``). It does not *validate* the result; run veraPDF in CI if strict conformance must be
proven. The PDF is also tagged (``pdf_tags``) for screen readers; that too is not validated against PDF/UA.

Public API
----------
``render_html(template, context) -> str``   the filled-in HTML (for previews in the backoffice and for tests)
``render_pdf(template, context) -> bytes``  the PDF/A-3b bytes
``html_naar_pdf(html) -> bytes``            the same from ``render_html``'s output (for a process pool)
``sha256_hex(data) -> str``                 the hash stored with a ``DocumentVersie`` and bound by an ``Ondertekening``
``TEMPLATES_DIR``                           ``<repo>/templates/documents``

Context shape
-------------
Every value may be a plain dict or an object (an ORM row): templates use Jinja's attribute syntax, which tries
``getattr`` and then ``[key]``. Missing required keys raise ``ValueError`` (checked up front) or
``jinja2.UndefinedError`` (StrictUndefined) instead of silently producing a letter with holes: a beschikking with
an empty field is worse than no beschikking.

Shared by all templates (``_brief.html``):

- ``gemeente``: ``naam``, ``code`` (CBS code; the logo is ``static/img/gemeenten/<code>.svg`` unless ``logo``
  names another file there), optional ``kleur_primair`` ("#rrggbb"), ``briefhoofd`` dict with optional
  ``adres``, ``telefoon``, ``website``, ``email``.
- ``inwoner``: ``naam``, ``adres`` (a string "Straat 1, 1234 AB Plaats" is split on commas, or a list of lines).
- ``zaak``: ``identificatie`` (printed as "Ons kenmerk").
- ``datum``: the letter's date (``date``, ``datetime`` or ISO string).
- optional ``onderwerp`` (each template has a default), ``aanhef`` (default "Geachte <inwoner.naam>,"),
  ``contactpersoon`` (``naam``, optional ``telefoon``).

``beschikking.html`` (Wmo, Jeugdwet, minimaregelingen):

- ``besluit``: ``"toekenning"`` or ``"afwijzing"``.
- ``onderbouwing``: text; blank lines separate paragraphs.
- ``voorzieningen``: list of ``omschrijving``, optional ``productcategorie``, ``productcode`` (iWmo/iJw),
  ``volume``, ``eenheid`` ("uur"), ``frequentie`` ("per week"), ``bedrag`` (integer cents, e.g. a pgb or a
  toeslag), ``ingangsdatum``, ``einddatum`` (none: "onbepaalde tijd"), ``leveringsvorm`` ("zin", "pgb" or text),
  ``tekst`` (the voorziening in words, ``domain.voorzieningen.omschrijving``: a toekenning lists these above the table).
- ``wettelijke_grondslag``: a string or a list of strings.
- ``ondertekening``: ``naam``, ``functie``, optional ``namens_college`` (bool: adds "namens het college van
  burgemeester en wethouders", as a toetser signs under mandaat).
- ``bezwaar_uiterlijk``: the last day for a bezwaar (a formatted string or a date).
- optional ``regeling`` ("Wmo", "Jeugdwet", ...), ``inleiding`` (text), ``aanvullende_informatie`` (list of
  paragraphs), ``portaal_url``, ``rechtbank`` ("Rechtbank Rotterdam" or "Rotterdam", for the voorlopige voorziening).

``onderzoeksverslag.html``:

- ``hulpvraag``, ``situatie``, ``eigen_kracht`` (eigen kracht en netwerk), ``afweging``, ``advies``: texts.
- ``leefgebieden``: list of ``leefgebied`` + ``bevinding``.
- optional ``gesprek`` (``datum``, ``locatie``, ``aanwezigen``), ``opsteller`` (``naam``, ``functie``),
  ``ondertekening_medewerker`` / ``ondertekening_inwoner`` (``naam``, ``datum``: filled in once signed in the
  portal; empty lines until then).

``brief.html`` (bevestiging melding, afspraakbevestiging, ...):

- ``onderwerp``, ``alineas`` (list of paragraphs).
- optional ``afspraak`` (``datum``, optional ``tijd``, ``locatie``, ``met``), ``afsluiting`` (default "Met vriendelijke groet,"),
  ``ondertekening`` (``naam``, ``functie``).

Filters registered in the environment: ``datum`` ("2 maart 2026"), ``bedrag`` (cents -> "€ 1.234,56"),
``alineas`` (text -> paragraphs), ``regels`` (address -> lines), ``leveringsvorm`` ("zin" -> "Zorg in natura").
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

# The one money format of Keukentafel ("€ 1.234,56"), the same in a PDF as on the screen.
from domain.teksten import bedrag

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = REPO_ROOT / "templates" / "documents"
STATIC_DIR = REPO_ROOT / "static"
LOGO_DIR = STATIC_DIR / "img" / "gemeenten"

# WeasyPrint may only read files from these folders. Context values are autoescaped so they cannot inject
# <img src="file:///etc/passwd">, but a template or CSS slip should not turn the renderer into a file reader
# (or an SSRF probe) either: no network, no files elsewhere on disk.
_TOEGESTANE_MAPPEN = (TEMPLATES_DIR.resolve(), STATIC_DIR.resolve())

PDF_VARIANT = "pdf/a-3b"
STANDAARD_KLEUR = "#1f4e79"

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

LEVERINGSVORMEN = {
    "zin": "Zorg in natura",
    "pgb": "Persoonsgebonden budget (pgb)",
}

BESLUITEN = ("toekenning", "afwijzing")

_GEDEELD = ("gemeente", "inwoner", "zaak", "datum")
# Checked before rendering so the error names the missing key instead of a Jinja traceback.
VERPLICHT: dict[str, tuple[str, ...]] = {
    "beschikking.html": _GEDEELD + (
        "besluit", "onderbouwing", "voorzieningen", "wettelijke_grondslag", "ondertekening", "bezwaar_uiterlijk",
    ),
    "onderzoeksverslag.html": _GEDEELD + (
        "hulpvraag", "situatie", "leefgebieden", "eigen_kracht", "afweging", "advies",
    ),
    "brief.html": _GEDEELD + ("onderwerp", "alineas"),
}


# --- helpers usable from Python and templates -------------------------------------------------------------

def _veld(obj: Any, naam: str, standaard: Any = None) -> Any:
    """Read ``naam`` from a dict or an object alike, as Jinja does, for the helpers written in Python."""
    if isinstance(obj, Mapping):
        return obj.get(naam, standaard)
    return getattr(obj, naam, standaard)


def _als_datum(waarde: Any) -> dt.date | None:
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if isinstance(waarde, str):
        try:
            return dt.date.fromisoformat(waarde.strip()[:10])
        except ValueError:
            return None
    return None


def datum(waarde: Any) -> str:
    """Format a date in Dutch, "2 maart 2026" (the form B1 letters use; no weekday, no leading zero).

    A string that is not an ISO date is returned unchanged: callers may pass a date they already formatted
    (``bezwaar_uiterlijk``). ``None`` gives "" so optional dates need no ``if`` in every template.
    """
    if waarde is None or waarde == "":
        return ""
    d = _als_datum(waarde)
    if d is None:
        if isinstance(waarde, str):
            return waarde
        raise TypeError(f"datum: kan {waarde!r} niet als datum lezen")
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def rechtbank(naam: Any) -> str:
    """The court by its name: "Rechtbank Rotterdam" stays, a bare "Rotterdam" becomes "rechtbank Rotterdam".

    The rechtbanken have had no sectors since 2013; beroep goes to the rechtbank (its team bestuursrecht)."""
    naam = str(naam or "").strip()
    return naam if naam.lower().startswith("rechtbank") else f"rechtbank {naam}"


def alineas(tekst: Any) -> list[str]:
    """Split free text into paragraphs on blank lines; single newlines stay (CSS ``white-space: pre-line``)."""
    if tekst is None:
        return []
    if isinstance(tekst, str):
        return [a.strip() for a in re.split(r"\n\s*\n", tekst.strip()) if a.strip()]
    return [str(a) for a in tekst if a]


def regels(adres: Any) -> list[str]:
    """Address as lines: ``Inwoner.adres`` is "Straat 1, 1234 AB Plaats"; a list of lines passes through."""
    if not adres:
        return []
    if isinstance(adres, str):
        return [r.strip() for r in re.split(r"[,\n]", adres) if r.strip()]
    return [str(r) for r in adres if r]


def leveringsvorm(waarde: Any) -> str:
    """Spell out "zin"/"pgb" as the inwoner reads it; any other text passes through."""
    if not waarde:
        return ""
    return LEVERINGSVORMEN.get(str(waarde).strip().lower(), str(waarde))


def lijst(waarde: Any) -> list[Any]:
    """One string or a list of them (``wettelijke_grondslag``), always as a list."""
    if waarde is None:
        return []
    if isinstance(waarde, str):
        return [waarde]
    return list(waarde)


def heeft(rijen: Any, naam: str) -> bool:
    """Whether any row has a value for ``naam``: a column nobody fills (leveringsvorm on a minima besluit) is left out."""
    return any(_veld(rij, naam) not in (None, "") for rij in rijen or ())


def logo_url(gemeente: Any) -> str | None:
    """The relative URL of the gemeente's logo (from templates/documents), or None if there is no such file.

    Only a bare file name inside static/img/gemeenten is accepted: the value comes from the database and must
    not be able to point the renderer anywhere else.
    """
    naam = _veld(gemeente, "logo") or f"{_veld(gemeente, 'code', '')}.svg"
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.(svg|png)", naam or ""):
        return None
    if not (LOGO_DIR / naam).is_file():
        log.warning("Geen logo gevonden voor gemeente %s: %s", _veld(gemeente, "code"), naam)
        return None
    return f"../../static/img/gemeenten/{naam}"


def huiskleur(gemeente: Any) -> str:
    """The gemeente's primary colour if it is a valid "#rrggbb" (it goes into a style attribute), else a default."""
    kleur = _veld(gemeente, "kleur_primair")
    if isinstance(kleur, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", kleur):
        return kleur
    return STANDAARD_KLEUR


def _iso(waarde: Any) -> str:
    d = _als_datum(waarde)
    return d.isoformat() if d else ""


def _maak_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        datum=datum, bedrag=bedrag, alineas=alineas, regels=regels, leveringsvorm=leveringsvorm, lijst=lijst,
        iso=_iso, rechtbank=rechtbank,
    )
    env.globals.update(logo_url=logo_url, huiskleur=huiskleur, heeft=heeft)
    return env


ENV = _maak_environment()


# --- WeasyPrint ---------------------------------------------------------------------------------------------

def _url_fetcher_klasse() -> type:
    """Built lazily so that importing this module does not load WeasyPrint (and Pango) until a PDF is made."""
    from weasyprint.urls import URLFetcher

    class AlleenLokaleBestanden(URLFetcher):
        """Fetch only ``data:`` URLs and files under templates/documents and static/."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            delen = urlsplit(url)
            if delen.scheme == "data":
                return super().fetch(url, headers)
            if delen.scheme == "file":
                pad = Path(unquote(delen.path)).resolve()
                if any(pad.is_relative_to(map_) for map_ in _TOEGESTANE_MAPPEN):
                    return super().fetch(url, headers)
            raise ValueError(f"Documentrenderer weigert bron buiten templates/static: {url}")

    return AlleenLokaleBestanden


def _controleer(template: str, context: Mapping[str, Any]) -> None:
    ontbreekt = [k for k in VERPLICHT.get(template, ()) if context.get(k) is None]
    if ontbreekt:
        raise ValueError(f"{template}: context mist {', '.join(ontbreekt)}")
    if template == "beschikking.html" and context["besluit"] not in BESLUITEN:
        raise ValueError(f"beschikking.html: besluit moet een van {BESLUITEN} zijn, niet {context['besluit']!r}")


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """Fill in a template from templates/documents and return the HTML.

    Separate from ``render_pdf`` so the backoffice can show a preview and tests can check the text cheaply.
    """
    _controleer(template, context)
    return ENV.get_template(template).render(**context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """Render a template to PDF/A-3b bytes.

    Deterministic for the same input: no creation timestamp is taken from the clock (the letter's ``datum`` is
    written as the creation date), so the text, and with this WeasyPrint version the bytes too, are the same on
    every run. That matters because the sha256 of these bytes is what an ``Ondertekening`` binds.
    """
    return html_naar_pdf(render_html(template, context))


def html_naar_pdf(html: str) -> bytes:
    """The WeasyPrint half of ``render_pdf``: HTML from ``render_html`` to PDF/A-3b bytes. A top-level function of
    plain text in, bytes out, so a process pool can run it (a letter campaign renders on every core)."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=_url_fetcher_klasse()(),
    )
    # pdf_tags: a tagged (structured) PDF lets screen readers follow headings, lists and the voorzieningen table;
    # many Wmo clients read with assistive technology. It costs about a fifth more render time.
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of the PDF bytes, as stored in ``DocumentVersie.sha256`` and ``Ondertekening.sha256``."""
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "TEMPLATES_DIR", "VERPLICHT", "bedrag", "datum", "html_naar_pdf", "render_html", "render_pdf", "sha256_hex",
]
