"""E-mail: a durable outbox in the database, sent over SMTP by a sweep, with texts from templates/mail/.

Typical use in a domain action (inside the action's own transaction, so mail and action commit together)::

    onderwerp, tekst, html = render_mail("verslag_klaar", gemeente_naam=..., gemeente_telefoon=...,
                                         portaal_url=...)
    zet_klaar(session, inwoner_email, onderwerp, tekst, html)

and from a scheduler job or CLI command::

    transport = transport_uit_instellingen(settings.smtp, INSTANCE / "mail")
    verstuur_klaarstaande(sessionmaker, transport)

Nothing here imports Flask. The local outbox server (`start_lokale_smtp`) needs aiosmtpd and is only imported
when used.
"""
from __future__ import annotations

from typing import Any

from .outbox import MailTransport, PermanenteFout, verstuur_klaarstaande, volgende_wachttijd, zet_klaar
from .smtp import SmtpTransport, bouw_bericht, transport_uit_instellingen
from .templates import MailTemplateFout, render_mail

__all__ = [
    "MailTemplateFout",
    "MailTransport",
    "PermanenteFout",
    "SmtpTransport",
    "bouw_bericht",
    "render_mail",
    "start_lokale_smtp",
    "transport_uit_instellingen",
    "verstuur_klaarstaande",
    "volgende_wachttijd",
    "zet_klaar",
]


def __getattr__(name: str) -> Any:
    # Lazy, so production installs without the dev dependency aiosmtpd can import this package.
    if name == "start_lokale_smtp":
        from .lokaal import start_lokale_smtp

        return start_lokale_smtp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
