"""What an authorization code and an access token stand for (``Grant``), and the in-memory ``Store`` that holds
them until they expire. Everything is kept in memory: the stand-in is a test tool, not an identity provider."""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

__all__ = ["ACCESS_TOKEN_TTL", "CODE_TTL", "ID_TOKEN_TTL", "Grant", "Store"]

CODE_TTL = 60  # seconds an authorization code is valid
ACCESS_TOKEN_TTL = 300
ID_TOKEN_TTL = 300


@dataclass(frozen=True)
class Grant:
    """What an authorization code (and later the access token) stands for."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str
    bsn: str
    level: str
    sid: str
    auth_time: int
    expires_at: float


class Store:
    """In-memory codes and access tokens. A lock, because the dev server handles requests in threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Grant] = {}

    def _purge(self, now: float) -> None:
        for table in (self._codes, self._tokens):
            for key in [k for k, g in table.items() if g.expires_at <= now]:
                del table[key]

    def add_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._purge(time.time())
            self._codes[code] = grant
        return code

    def take_code(self, code: str) -> Grant | None:
        """Remove and return the grant: a code can be presented once, whatever the outcome."""
        with self._lock:
            self._purge(time.time())
            return self._codes.pop(code, None)

    def add_token(self, grant: Grant) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = grant
        return token

    def token(self, token: str) -> Grant | None:
        with self._lock:
            self._purge(time.time())
            return self._tokens.get(token)

    def end_session(self, sid: str) -> None:
        with self._lock:
            for key in [k for k, g in self._tokens.items() if g.sid == sid]:
                del self._tokens[key]

