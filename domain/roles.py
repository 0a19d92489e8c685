"""The roles a medewerker can hold. One list, read by the authorization rules and the forms."""
from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    TOEGANG = "toegang"
    CONSULENT_WMO = "consulent_wmo"
    CONSULENT_JEUGD = "consulent_jeugd"
    CONSULENT_MINIMA = "consulent_minima"
    CONSULENT_SOCIAAL_TEAM = "consulent_sociaal_team"
    CONSULENT_REGIE_TEAM = "consulent_regie_team"
    CONSULENT_PARTICIPATIE = "consulent_participatie"
    TOETSER = "toetser"
    ADMINISTRATIE = "administratie"
    JURIDISCH = "juridisch"
    KLANTMANAGER = "klantmanager"
    TEAMLEIDER = "teamleider"
    BEHEER = "beheer"

    @property
    def label(self) -> str:
        return ROL_LABELS[self]


ROL_LABELS: dict[Rol, str] = {
    Rol.TOEGANG: "Team toegang",
    Rol.CONSULENT_WMO: "Consulent Wmo",
    Rol.CONSULENT_JEUGD: "Consulent Jeugd",
    Rol.CONSULENT_MINIMA: "Consulent Minima",
    Rol.CONSULENT_SOCIAAL_TEAM: "Consulent Sociaal Team",
    Rol.CONSULENT_REGIE_TEAM: "Consulent Regie Team",
    Rol.CONSULENT_PARTICIPATIE: "Consulent Participatie",
    Rol.TOETSER: "Toetser",
    Rol.ADMINISTRATIE: "Administratie",
    Rol.JURIDISCH: "Juridische zaken",
    Rol.KLANTMANAGER: "Klantmanager",
    Rol.TEAMLEIDER: "Teamleider",
    Rol.BEHEER: "Beheer",
}

CONSULENT_ROLLEN = frozenset(
    {
        Rol.CONSULENT_WMO,
        Rol.CONSULENT_JEUGD,
        Rol.CONSULENT_MINIMA,
        Rol.CONSULENT_SOCIAAL_TEAM,
        Rol.CONSULENT_REGIE_TEAM,
        Rol.CONSULENT_PARTICIPATIE,
        Rol.KLANTMANAGER,
    }
)
