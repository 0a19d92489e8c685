"""The local stand-in for the SMS gateway: an HTTP server on loopback speaking CM.com's JSON API
(integrations/sms/cm.py), so the production client runs unchanged. Every accepted SMS is stored as a JSON file in
the given directory (instance/sms/ in development): read it there, or with `integrations.sms.laatste_code`.
Nothing ever leaves the machine."""
from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAD = "/v1.0/message"


def _handler(map: Path):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # no numbers or texts in any log
            return

        def _antwoord(self, status: int, gegevens: dict) -> None:
            inhoud = json.dumps(gegevens).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(inhoud)))
            self.end_headers()
            self.wfile.write(inhoud)

        def do_POST(self):
            if self.path != PAD:
                return self._antwoord(404, {"errorCode": 404, "details": "Not found"})
            try:
                lengte = int(self.headers.get("Content-Length") or 0)
                berichten = json.loads(self.rfile.read(lengte))["messages"]
                token = berichten["authentication"]["producttoken"]
                msgs = berichten["msg"]
            except (ValueError, KeyError, TypeError):
                return self._antwoord(400, {"errorCode": 999, "details": "Invalid JSON"})
            if not token:
                return self._antwoord(400, {"errorCode": 101, "details": "Authentication failed"})
            uit = []
            map.mkdir(parents=True, exist_ok=True)
            for msg in msgs:
                for ontvanger in msg.get("to", []):
                    bericht = {"aan": ontvanger["number"], "van": msg.get("from"),
                               "tekst": (msg.get("body") or {}).get("content", ""), "referentie": msg.get("reference"),
                               "ontvangen": dt.datetime.now(dt.UTC).isoformat()}
                    naam = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.json"
                    tijdelijk = map / f".{naam}.tmp"
                    tijdelijk.write_text(json.dumps(bericht, ensure_ascii=False, indent=2), encoding="utf-8")
                    os.replace(tijdelijk, map / naam)  # a reader never sees half a message
                    uit.append({"to": ontvanger["number"], "status": "Accepted", "reference": msg.get("reference"),
                                "parts": 1, "messageDetails": None, "messageErrorCode": 0})
            return self._antwoord(200, {"details": f"Created {len(uit)} message(s)", "errorCode": 0, "messages": uit})

    return Handler


def start_lokale_sms(map: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start the stand-in in a daemon thread; `server.server_address[1]` is its port. Stop with `shutdown()`."""
    server = ThreadingHTTPServer((host, port), _handler(Path(map)))
    threading.Thread(target=server.serve_forever, daemon=True, name="sms-standin").start()
    return server


_draaiend: dict[Path, ThreadingHTTPServer] = {}
_slot = threading.Lock()


def lokale_sms_url(map: Path) -> str:
    """The URL of this process's stand-in for `map`, started on first use, stopped at exit."""
    sleutel = Path(map).resolve()
    with _slot:
        if sleutel not in _draaiend:
            server = start_lokale_sms(sleutel)
            _draaiend[sleutel] = server
            atexit.register(server.shutdown)
        host, port = _draaiend[sleutel].server_address[:2]
        return f"http://{host}:{port}{PAD}"


def berichten(map: Path) -> list[dict]:
    """Every SMS stored in `map`, oldest first."""
    if not map.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(map.glob("*.json"))]
