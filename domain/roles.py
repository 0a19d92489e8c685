"""The roles a medewerker can hold: functions, not domains. Which zaken a consulent handles follows from the
teams they belong to and the zaaktypen those teams handle (configuration, `Team.zaaktypen`), so a new team or
zaaktype needs no new role."""
from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    TOEGANG = "toegang"
    CONSULENT = "consulent"
    KLANTMANAGER = "klantmanager"
    TOETSER = "toetser"
    ADMINISTRATIE = "administratie"
    JURIDISCH = "juridisch"
    TEAMLEIDER = "teamleider"
    BEHEER = "beheer"

    @property
    def label(self) -> str:
        return ROL_LABELS[self]


ROL_LABELS: dict[Rol, str] = {
    Rol.TOEGANG: "Team toegang",
    Rol.CONSULENT: "Consulent",
    Rol.KLANTMANAGER: "Klantmanager",
    Rol.TOETSER: "Toetser",
    Rol.ADMINISTRATIE: "Administratie",
    Rol.JURIDISCH: "Juridische zaken",
    Rol.TEAMLEIDER: "Teamleider",
    Rol.BEHEER: "Beheer",
}

# Roles that handle zaken of their own teams (the behandelaar of a zaak holds one of these).
CONSULENT_ROLLEN = frozenset({Rol.CONSULENT, Rol.KLANTMANAGER})
