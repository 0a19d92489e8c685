"""DigiD levels of assurance (betrouwbaarheidsniveaus): the `acr` value a broker reports for each, and the labels
the log-in page shows."""
from __future__ import annotations

__all__ = ["DEFAULT_LEVEL", "LEVELS", "LEVEL_LABELS", "acr_for_level"]

# DigiD levels of assurance and the SAML authentication context classes DigiD brokers report as `acr`.
LEVELS: dict[str, str] = {
    "basis": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "midden": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "substantieel": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "hoog": "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
}
LEVEL_LABELS: dict[str, str] = {
    "basis": "Basis – gebruikersnaam en wachtwoord",
    "midden": "Midden – met sms-controle of de DigiD app",
    "substantieel": "Substantieel – DigiD app met gecontroleerd identiteitsbewijs",
    "hoog": "Hoog – identiteitsbewijs met chip",
}
DEFAULT_LEVEL = "midden"


def acr_for_level(level: str) -> str:
    """The `acr` value DigiD brokers send for a betrouwbaarheidsniveau (KeyError for unknown levels)."""
    return LEVELS[level]
