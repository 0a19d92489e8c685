"""What every endpoint of one stand-in app shares: its issuer, the registered clients, the signing key, the
store of codes and tokens and the test persons (``Provider``), and the URI helpers the redirects use."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from joserfc.jwk import RSAKey

from integrations.brp import Persoon

from .grants import Store

__all__ = ["Client", "Provider", "add_query", "origin"]


def origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def add_query(uri: str, params: Mapping[str, str | None]) -> str:
    """Add parameters to a URI, keeping any query it already has (RFC 6749 section 3.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, v) for k, v in params.items() if v is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(origin(u) for u in self.redirect_uris)


@dataclass(frozen=True)
class Provider:
    """One stand-in: ``issuer`` is the base URL every endpoint hangs off; ``clients`` by client_id; ``kid`` the
    key's thumbprint; ``personen`` returns the test persons to offer."""

    issuer: str
    clients: Mapping[str, Client]
    key: RSAKey
    kid: str
    store: Store
    personen: Callable[[], list[Persoon]]

    def sub_for(self, bsn: str) -> str:
        """A stable pseudonym per BSN: clients must not use `sub` as BSN, just like with the real broker."""
        return hashlib.sha256(f"{self.issuer}|{bsn}".encode()).hexdigest()[:32]

    def person_by_bsn(self, bsn: str) -> Persoon | None:
        return next((p for p in self.personen() if p.bsn == bsn), None)
