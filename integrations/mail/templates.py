"""Mail texts from Jinja2 templates in templates/mail/, without Flask.

Why not Flask's render_template: mails are queued from the domain and from scheduler jobs, outside any request
or app context. Each mail is a pair: ``naam.txt`` (first line ``Onderwerp: ...``, then the plain text) and
``naam.html`` (the same message in HTML). Files starting with ``_`` are shared parts.

Privacy rule for every mail: no BSN, no medical or care details. A mail says that something is ready and
links to the portal, where the inwoner reads it after logging in with DigiD. `render_mail` enforces the BSN
part; the rest is up to the templates and the caller's context.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from stdnum.nl import bsn as bsn_check

__all__ = ["MAIL_TEMPLATES", "MailTemplateFout", "render_mail"]

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STANDAARD_KLEUR = "#1f4e79"  # Gemeente.kleur_primair's default

_DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
            "oktober", "november", "december")
_NEGEN_CIJFERS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_ONDERWERP = "Onderwerp:"


class MailTemplateFout(ValueError):
    """A mail template is missing, malformed, or would put a BSN in a mail."""


def _lokaal(waarde: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(waarde, dt.datetime) and waarde.tzinfo is not None:
        return waarde.astimezone(AMSTERDAM)
    return waarde


def datum_nl(waarde: dt.date | dt.datetime) -> str:
    """'dinsdag 3 maart 2026', independent of the server's locale; aware datetimes shown in Dutch time."""
    d = _lokaal(waarde)
    return f"{_DAGEN[d.weekday()]} {d.day} {_MAANDEN[d.month - 1]} {d.year}"


def datum_kort_nl(waarde: dt.date | dt.datetime) -> str:
    """'1 april 2026': a date without the weekday, for dates in the past (the date of a besluit)."""
    d = _lokaal(waarde)
    return f"{d.day} {_MAANDEN[d.month - 1]} {d.year}"


def tijd_nl(waarde: dt.datetime | dt.time) -> str:
    """'14.30 uur', the Dutch way of writing a time, in Dutch time."""
    t = _lokaal(waarde) if isinstance(waarde, dt.datetime) else waarde
    return f"{t.hour:02d}.{t.minute:02d} uur"


@lru_cache(maxsize=1)
def _omgeving() -> Environment:
    env = Environment(
        loader=FileSystemLoader(MAIL_TEMPLATES),
        autoescape=select_autoescape(["html"]),
        # A missing gemeente_naam or portaal_url must fail loudly, not produce a mail with a hole in it.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = datum_nl
    env.filters["datum_kort"] = datum_kort_nl
    env.filters["tijd"] = tijd_nl
    return env


def _bevat_bsn(tekst: str) -> bool:
    return any(bsn_check.is_valid(m.group(0)) for m in _NEGEN_CIJFERS.finditer(tekst))


def _normaliseer(context: dict[str, Any]) -> dict[str, Any]:
    """Check the values that end up in links and styles, and fill the optional ones.

    Links must be http(s): a configuration mistake must not turn into a javascript: link in a mail. A relative
    `link` (as stored on a Notificatie, e.g. "/zaken/12") is made absolute against `portaal_url`.
    """
    context = dict(context)
    portaal_url = context.get("portaal_url")
    if not isinstance(portaal_url, str) or not re.match(r"https?://", portaal_url):
        raise MailTemplateFout("portaal_url ontbreekt of is geen http(s)-adres")
    link = context.get("link")
    if isinstance(link, str) and link.startswith("/"):
        context["link"] = portaal_url.rstrip("/") + link
    for sleutel in ("link", "video_link"):
        waarde = context.get(sleutel)
        if waarde and not (isinstance(waarde, str) and re.match(r"https?://", waarde)):
            raise MailTemplateFout(f"{sleutel} moet een http(s)-adres zijn")
    kleur = context.get("gemeente_kleur")
    if not (isinstance(kleur, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", kleur)):
        context["gemeente_kleur"] = STANDAARD_KLEUR
    return context


def render_mail(naam: str, **context: Any) -> tuple[str, str, str]:
    """Render the pair `naam`.txt/`naam`.html; returns (onderwerp, tekst, html), ready for `zet_klaar`.

    Every template needs ``gemeente_naam``, ``gemeente_telefoon`` and ``portaal_url``; ``aanhef_naam`` is
    optional ("Beste inwoner," without it), ``gemeente_kleur`` too (the HTML header colour). The HTML
    template also gets ``mail_onderwerp``, the rendered subject. Refuses a context key or output that looks
    like a BSN: mail is not a safe channel for it.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]*", naam):
        raise MailTemplateFout(f"ongeldige mailtemplatenaam: {naam!r}")
    if any("bsn" in sleutel.lower() for sleutel in context):
        raise MailTemplateFout("een mail mag geen BSN bevatten")
    context = _normaliseer(context)
    env = _omgeving()
    tekst_volledig = env.get_template(f"{naam}.txt").render(**context)
    eerste, _, tekst = tekst_volledig.partition("\n")
    if not eerste.startswith(_ONDERWERP):
        raise MailTemplateFout(f"{naam}.txt moet beginnen met '{_ONDERWERP} ...'")
    onderwerp = " ".join(eerste[len(_ONDERWERP):].split())
    tekst = tekst.lstrip("\n")
    html = env.get_template(f"{naam}.html").render({**context, "mail_onderwerp": onderwerp})
    if _bevat_bsn(onderwerp) or _bevat_bsn(tekst) or _bevat_bsn(html):
        raise MailTemplateFout("een mail mag geen BSN bevatten")
    return onderwerp, tekst, html
