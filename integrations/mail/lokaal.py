"""The embedded default for mail: an SMTP server on loopback that stores each message as an .eml file.

Why a real server instead of a "write to file" transport: the sweep, the MIME building and smtplib then run
exactly as in production, so a developer or tester sees what a real relay would receive. Open the files in
instance/mail/ with any mail program. Nothing ever leaves the machine.

Requires aiosmtpd (a dev dependency); only this module imports it.
"""
from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["LokaleOutbox", "lokale_smtp_poort", "start_lokale_smtp"]


class LokaleOutbox:
    """aiosmtpd handler: write every accepted message into `map` as ``<UTC time>-<random>.eml``."""

    def __init__(self, map: Path) -> None:
        self.map = Path(map)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.map.mkdir(parents=True, exist_ok=True)
        inhoud = envelope.original_content or envelope.content
        if isinstance(inhoud, str):
            inhoud = inhoud.encode("utf-8")
        # Envelope headers, as a delivering mail server adds them, so Bcc-style recipients stay visible.
        kop = f"Return-Path: <{envelope.mail_from}>\r\n"
        kop += "".join(f"Delivered-To: {rcpt}\r\n" for rcpt in envelope.rcpt_tos)
        naam = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.eml"
        tijdelijk = self.map / f".{naam}.tmp"
        # Write then rename: a reader of the directory never sees half a message.
        tijdelijk.write_bytes(kop.encode("utf-8") + inhoud)
        os.replace(tijdelijk, self.map / naam)
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's Controller, able to listen on port 0 (a free port chosen by the OS).

    The stock controller connects to `self.port` to check that the server is up, which fails for port 0;
    here the real port is read from the listening socket first.
    """

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None and self.server.sockets:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_lokale_smtp(map: Path, host: str = "127.0.0.1", port: int = 0) -> tuple[Controller, int]:
    """Start the local mail outbox server in a daemon thread; returns (controller, port).

    Stop it with ``controller.stop()``. `port` 0 lets the OS choose a free port (the one returned).

    Listens on loopback only by default: it accepts mail from anyone who can connect, with no authentication.
    """
    map = Path(map)
    map.mkdir(parents=True, exist_ok=True)
    # aiosmtpd logs every SMTP command at INFO, recipient addresses included; keep that out of the app's log
    # unless someone asked for it explicitly.
    smtp_log = logging.getLogger("mail.log")
    if smtp_log.level == logging.NOTSET:
        smtp_log.setLevel(logging.WARNING)
    controller = _Controller(
        LokaleOutbox(map), hostname=host, port=port, server_hostname="keukentafel.localhost"
    )
    controller.start()
    return controller, controller.port


_draaiend: dict[Path, tuple[Controller, int]] = {}
_slot = threading.Lock()


def lokale_smtp_poort(map: Path) -> int:
    """The port of this process's local outbox server for `map`, started on first use, stopped at exit."""
    sleutel = Path(map).resolve()
    with _slot:
        if sleutel not in _draaiend:
            controller, poort = start_lokale_smtp(sleutel)
            _draaiend[sleutel] = (controller, poort)
            atexit.register(controller.stop, no_assert=True)
        return _draaiend[sleutel][1]
