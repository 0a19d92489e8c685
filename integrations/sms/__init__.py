"""SMS: the one-time codes of the secure e-mail (domain/beveiligde_mail.py) reach the inwoner's phone.

`SmsClient` is what the domain uses. `CmSmsClient` (integrations/sms/cm.py) speaks the JSON API of CM.com's
Business Messaging gateway, which many Dutch gemeenten use through their SMS contracts (a Dutch company, data
processed in the EU). In development and tests the same client talks to the local stand-in
(integrations/sms/lokaal.py), a small HTTP server on loopback that speaks the same API and stores every SMS as a
JSON file under instance/sms/: the "local outbox" of SMS, as instance/mail/ is for e-mail.

Choose with the settings (`Settings.sms`): SMS_API_URL set: CM.com (or any endpoint of the same API) with
SMS_PRODUCT_TOKEN; empty: the local stand-in (development and test only).
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .cm import CmSmsClient, SmsFout, internationaal

__all__ = ["CmSmsClient", "SmsClient", "SmsFout", "get_sms", "internationaal", "laatste_code", "laatste_sms"]


class SmsClient(Protocol):
    def verstuur(self, telefoon: str, tekst: str, *, referentie: str = "") -> None:
        """Send one SMS or raise SmsFout."""


def get_sms(instellingen: dict, standaard_map: Path, *, development: bool) -> SmsClient:
    """The SMS client for `Settings.sms`: the configured gateway, or the local stand-in (started once per process
    and directory) when no URL is set. Production without SMS_API_URL is a configuration error: the codes would
    silently never reach anyone."""
    url = (instellingen.get("url") or "").strip()
    afzender = instellingen.get("afzender") or "Gemeente"
    if url:
        return CmSmsClient(url, instellingen.get("product_token") or "", afzender=afzender)
    if not development:
        raise RuntimeError("SMS_API_URL ontbreekt: zonder sms-dienst kan de beveiligde e-mail geen codes sturen.")
    from .lokaal import lokale_sms_url

    return CmSmsClient(lokale_sms_url(Path(instellingen.get("map") or standaard_map)), "lokaal", afzender=afzender)


def laatste_sms(map: Path, telefoon: str | None = None) -> dict | None:
    """The newest SMS the local stand-in stored in `map` (to this number, if given): {"aan", "van", "tekst", ...}."""
    from .lokaal import berichten

    for bericht in reversed(berichten(Path(map))):
        if telefoon is None or bericht["aan"] == internationaal(telefoon):
            return bericht
    return None


def laatste_code(map: Path, telefoon: str | None = None) -> str | None:
    """The code in the newest SMS in `map`: for tests and the demo."""
    import re

    bericht = laatste_sms(map, telefoon)
    gevonden = re.search(r"\b(\d{6})\b", bericht["tekst"]) if bericht else None
    return gevonden.group(1) if gevonden else None
