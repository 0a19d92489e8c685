"""Client for CM.com's Business Messaging JSON API (https://developers.cm.com/messaging/docs/sms):

    POST https://gw.messaging.cm.com/v1.0/message
    {"messages": {"authentication": {"producttoken": "<uuid>"},
                  "msg": [{"from": "Gemeente", "to": [{"number": "0031612345678"}],
                           "body": {"type": "auto", "content": "..."}, "reference": "..."}]}}

The gateway answers 200 with ``{"errorCode": 0, "details": "Created 1 message(s)", "messages": [...]}``, or a 4xx
with a non-zero errorCode and per message a messageErrorCode and messageDetails.
"""
from __future__ import annotations

import re

import requests

STANDAARD_URL = "https://gw.messaging.cm.com/v1.0/message"


class SmsFout(Exception):
    """The SMS was not accepted; the message names no phone number."""


def internationaal(telefoon: str) -> str:
    """A Dutch or international number as the gateway wants it: 0031612345678. Raises SmsFout when it is not one."""
    nummer = re.sub(r"[\s\-().]", "", telefoon or "")
    if nummer.startswith("+"):
        nummer = "00" + nummer[1:]
    elif nummer.startswith("0") and not nummer.startswith("00"):
        nummer = "0031" + nummer[1:]
    if not re.fullmatch(r"00\d{9,15}", nummer):
        raise SmsFout("geen geldig telefoonnummer")
    return nummer


class CmSmsClient:
    def __init__(self, url: str = STANDAARD_URL, product_token: str = "", *, afzender: str = "Gemeente",
                 timeout: float = 10.0):
        self.url = url
        self.product_token = product_token
        # An alphanumeric sender is at most 11 characters.
        self.afzender = re.sub(r"[^A-Za-z0-9 ]", "", afzender)[:11] or "Gemeente"
        self.timeout = timeout

    def __repr__(self) -> str:  # never show the token
        return f"<CmSmsClient {self.url}>"

    def verstuur(self, telefoon: str, tekst: str, *, referentie: str = "") -> None:
        body = {"messages": {"authentication": {"producttoken": self.product_token}, "msg": [{
            "from": self.afzender, "to": [{"number": internationaal(telefoon)}],
            "body": {"type": "auto", "content": tekst}, "reference": referentie[:32] or None}]}}
        try:
            antwoord = requests.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SmsFout(f"sms-dienst niet bereikbaar ({type(exc).__name__})") from None
        try:
            gegevens = antwoord.json()
        except ValueError:
            gegevens = {}
        if antwoord.status_code != 200 or gegevens.get("errorCode", 0) != 0:
            raise SmsFout(f"sms geweigerd (HTTP {antwoord.status_code}, code {gegevens.get('errorCode')})")
