"""Who is acting: the domain's view of a logged-in inwoner, medewerker or the system itself."""
from __future__ import annotations

from dataclasses import dataclass, field

from .roles import Rol


@dataclass(frozen=True)
class Actor:
    soort: str  # inwoner, medewerker, systeem
    id: int | None
    naam: str
    rollen: frozenset[Rol] = field(default_factory=frozenset)
    gemeente_ids: frozenset[int] = field(default_factory=frozenset)
    team_ids: frozenset[int] = field(default_factory=frozenset)
    # For an inwoner: the inwoner record (None when unknown to the BRP) and the DigiD level of this session.
    inwoner_id: int | None = None
    betrouwbaarheidsniveau: str | None = None

    @property
    def is_inwoner(self) -> bool:
        return self.soort == "inwoner"

    @property
    def is_medewerker(self) -> bool:
        return self.soort == "medewerker"

    def heeft_rol(self, *rollen: Rol) -> bool:
        return bool(self.rollen.intersection(rollen))


SYSTEEM = Actor(soort="systeem", id=None, naam="Keukentafel (automatisch)")
