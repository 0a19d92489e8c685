"""Logging with a request id on every line, and a last line of defence that keeps BSNs out of the log."""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from stdnum.nl import bsn as bsn_nummer

from domain.protocol import current_request_id as request_id_var

_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def redact_bsn(text: str) -> str:
    """Replace every nine-digit number that passes the elfproef: a BSN never reaches a log line."""
    return _NINE_DIGITS.sub(lambda m: "*********" if bsn_nummer.is_valid(m.group(0)) else m.group(0), text)


def een_regel(text: str) -> str:
    """A message is one log line: CR, LF and other control characters from outside (a query parameter, a claim)
    are written escaped, so nobody can forge a second line (log injection)."""
    return "".join(c if c >= " " or c == "\t" else repr(c)[1:-1] for c in text)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        message = record.getMessage()
        clean = een_regel(redact_bsn(message))
        if clean != message:
            record.msg, record.args = clean, ()
        return True


class VeiligeFormatter(logging.Formatter):
    """Redacts BSNs in the whole formatted record, the traceback of an exception included (the filter only sees
    the message; an exception's text or a database error's parameters may hold a BSN too)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_bsn(super().format(record))


def maak_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(VeiligeFormatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    handler.addFilter(RequestContextFilter())
    return handler


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def install_handler() -> None:
    """One log handler of ours on the root logger, however often this runs (CLI, create_app, tests)."""
    root = logging.getLogger()
    if any(getattr(h, "_keukentafel", False) for h in root.handlers):
        return
    handler = maak_handler()
    handler._keukentafel = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    install_handler()
    # Werkzeug's access log would print query strings; keep it, our URLs never carry a BSN.
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RequestContextFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RequestContextFilter())

    @app.before_request
    def _assign_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if re.fullmatch(r"[A-Za-z0-9-]{8,40}", incoming) else uuid.uuid4().hex[:16]
        request_id_var.set(g.request_id)

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
