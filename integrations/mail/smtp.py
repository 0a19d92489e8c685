"""Sending a `MailBericht` over real SMTP, and choosing the transport from the settings.

Production points SMTP_HOST at the gemeente's relay. Without SMTP_HOST the embedded default is used: a small
SMTP server on loopback (see `integrations.mail.lokaal`) that stores every mail as an .eml file under
instance/mail/. The application code is the same in both cases: it always speaks SMTP.
"""
from __future__ import annotations

import smtplib
import ssl as ssl_module
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from domain.models import MailBericht, utcnow

from .outbox import PermanenteFout

__all__ = ["SmtpTransport", "bouw_bericht", "transport_uit_instellingen"]

DEFAULT_SENDER = "Keukentafel <noreply@keukentafel.localhost>"


def bouw_bericht(bericht: MailBericht, sender: str) -> EmailMessage:
    """The MIME message: text/plain, plus text/html as multipart/alternative when there is HTML. UTF-8.

    Separate from sending so it can be inspected in tests and reused by other transports.
    """
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = bericht.aan
    msg["Subject"] = bericht.onderwerp
    msg["Date"] = format_datetime(utcnow())
    domein = parseaddr(sender)[1].rpartition("@")[2] or "keukentafel.localhost"
    # The row id in the Message-ID makes a duplicate after a crash recognisable; passing the domain avoids the
    # DNS lookup make_msgid would otherwise do for the local host name.
    msg["Message-ID"] = make_msgid(idstring=f"mail-{bericht.id}", domain=domein)
    # RFC 3834: stops out-of-office replies to a no-reply address.
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = "nl"
    msg.set_content(bericht.tekst, charset="utf-8")
    if bericht.html:
        msg.add_alternative(bericht.html, subtype="html", charset="utf-8")
    return msg


class SmtpTransport:
    """Delivers one message per SMTP connection (smtplib), with implicit TLS, STARTTLS, login as configured.

    A connection per message keeps failure handling simple: one broken message or connection never affects
    the next one. At the volumes of a gemeente (hundreds a day) the extra handshakes do not matter.
    """

    def __init__(
        self,
        host: str,
        port: int,
        user: str = "",
        password: str = "",
        starttls: bool = False,
        ssl: bool = False,
        sender: str = DEFAULT_SENDER,
        *,
        timeout: float = 30.0,
        ssl_context: ssl_module.SSLContext | None = None,
    ) -> None:
        if starttls and ssl:
            raise ValueError("kies SMTP_STARTTLS of SMTP_SSL, niet allebei")
        self.host = host
        self.port = int(port)
        self.user = user
        self.password = password
        self.starttls = starttls
        self.ssl = ssl
        self.sender = sender or DEFAULT_SENDER
        # A timeout matters: the sweep holds a row lock while sending; a hanging server must not keep it.
        self.timeout = timeout
        self.ssl_context = ssl_context

    def __repr__(self) -> str:  # never show the password
        return f"<SmtpTransport {self.host}:{self.port} ssl={self.ssl} starttls={self.starttls}>"

    def _verbind(self) -> smtplib.SMTP:
        if self.ssl:
            context = self.ssl_context or ssl_module.create_default_context()
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def send(self, bericht: MailBericht) -> None:
        """Send or raise. A 5xx refusal of the recipient raises `PermanenteFout` (no use retrying)."""
        msg = bouw_bericht(bericht, self.sender)
        with self._verbind() as smtp:
            if self.starttls:
                smtp.starttls(context=self.ssl_context or ssl_module.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            try:
                smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                if codes and all(500 <= code < 600 for code in codes):
                    raise PermanenteFout(f"ontvanger geweigerd door de mailserver (code {codes[0]})") from exc
                raise


def transport_uit_instellingen(smtp_settings: dict[str, Any], outbox_dir: Path) -> SmtpTransport:
    """The transport for `Settings.smtp`. With an empty host: the embedded default, the local mail outbox.

    For the embedded default this starts (once per process and directory) the loopback SMTP server that writes
    .eml files into `outbox_dir` (use ``INSTANCE / "mail"``), and returns an `SmtpTransport` pointed at it.
    The server runs in a daemon thread of the process that calls this, so call it in the process that runs the
    sweep, after any fork. For `make run` (``keukentafel serve --with-standins``): call it in `cmd_serve`
    next to `start_standin(settings)`, before `run_simple`, and hand the transport to the scheduler job; the
    CLI command that runs one sweep calls it too, and gets a short-lived server of its own. A caller that
    wants to manage the server itself uses `integrations.mail.lokaal.start_lokale_smtp`.
    """
    host = (smtp_settings.get("host") or "").strip()
    sender = smtp_settings.get("sender") or DEFAULT_SENDER
    if host:
        return SmtpTransport(
            host=host,
            port=int(smtp_settings.get("port") or 25),
            user=smtp_settings.get("user") or "",
            password=smtp_settings.get("password") or "",
            starttls=bool(smtp_settings.get("starttls")),
            ssl=bool(smtp_settings.get("ssl")),
            sender=sender,
        )
    try:
        from .lokaal import lokale_smtp_poort  # aiosmtpd is only needed for the embedded default
    except ImportError as exc:
        raise RuntimeError(
            "SMTP_HOST is leeg en de lokale mail-outbox heeft aiosmtpd nodig. Zet SMTP_HOST (productie) of "
            "installeer de ontwikkelpakketten: pip install -e '.[dev]'."
        ) from exc
    poort = lokale_smtp_poort(Path(outbox_dir))
    return SmtpTransport(host="127.0.0.1", port=poort, sender=sender)
