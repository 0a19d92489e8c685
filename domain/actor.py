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
    # For an inwoner: the minors they may act for ("namens"), because the BRP said at log-in that they hold
    # gezag over them (domain.inwoners.kinderen_onder_gezag).
    namens_ids: frozenset[int] = field(default_factory=frozenset)
    # For an inwoner reached outside the portal (the page of a secure e-mail, after its SMS code): the only zaken
    # this actor may see and act on. None for a DigiD session, which sees what `authz.zichtbare_zaken` allows.
    zaak_ids: frozenset[int] | None = None

    @property
    def is_inwoner(self) -> bool:
        return self.soort == "inwoner"

    @property
    def is_medewerker(self) -> bool:
        return self.soort == "medewerker"

    def mag_handelen_voor(self, inwoner_id: int | None) -> bool:
        """May this inwoner see and act on the data of this inwoner: their own, or a child under their gezag."""
        if not self.is_inwoner or inwoner_id is None or self.inwoner_id is None:
            return False
        return inwoner_id == self.inwoner_id or inwoner_id in self.namens_ids

    def handelt_namens(self, inwoner_id: int | None) -> bool:
        """True when this inwoner acts for someone else (a child), not for themselves."""
        return self.mag_handelen_voor(inwoner_id) and inwoner_id != self.inwoner_id

    def heeft_rol(self, *rollen: Rol) -> bool:
        return bool(self.rollen.intersection(rollen))


SYSTEEM = Actor(soort="systeem", id=None, naam="Keukentafel (automatisch)")
