"""Client for the Verwijsindex risicojongeren in production, reached through the supplier's service.

The wire shape below is OUR OWN, pending the supplier's specification: when it arrives, only this module changes
(the domain sees `VerwijsindexClient`). JSON over HTTPS, an API key in the `X-API-KEY` header:

    POST   {url}/signalen                 body: Signaal.als_json()
           201 {"kenmerk": "...", "matches": [Match.als_json(), ...]}
    DELETE {url}/signalen/{kenmerk}       204; 404 or 410 when already removed (not an error)
    POST   {url}/matches                  body: {"bsn": "...", "organisatie_code": "..."}
           200 {"matches": [Match.als_json(), ...]}

    Match.als_json(): {"kenmerk", "organisatie", "sinds": "YYYY-MM-DD", "contactpersoon": {"naam", "telefoon"}}

The BSN is only ever in a request body, never in a URL (access logs, proxies).
"""
from __future__ import annotations

import requests

from . import Aanmelding, Match, Signaal, VerwijsindexFout


class HttpVerwijsindex:
    def __init__(self, url: str, api_key: str, timeout: float = 10.0, session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        if api_key:
            self.session.headers["X-API-KEY"] = api_key
        self.timeout = timeout

    def _verzoek(self, methode: str, pad: str, body: dict | None = None) -> requests.Response:
        try:
            return self.session.request(methode, self.url + pad, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise VerwijsindexFout(f"Verwijsindex niet bereikbaar: {type(exc).__name__}") from exc

    @staticmethod
    def _controleer(response: requests.Response, *goed: int) -> None:
        if response.status_code not in goed:
            raise VerwijsindexFout(f"Verwijsindex antwoordde {response.status_code}")

    def aanmelden(self, signaal: Signaal) -> Aanmelding:
        response = self._verzoek("POST", "/signalen", signaal.als_json())
        self._controleer(response, 200, 201)
        data = response.json()
        return Aanmelding(kenmerk=str(data["kenmerk"]),
                          matches=tuple(Match.uit_json(m) for m in data.get("matches") or ()))

    def intrekken(self, kenmerk: str) -> None:
        response = self._verzoek("DELETE", f"/signalen/{requests.utils.quote(kenmerk, safe='')}")
        self._controleer(response, 200, 204, 404, 410)

    def matches(self, bsn: str, organisatie_code: str) -> list[Match]:
        response = self._verzoek("POST", "/matches", {"bsn": bsn, "organisatie_code": organisatie_code})
        self._controleer(response, 200)
        return [Match.uit_json(m) for m in response.json().get("matches") or ()]
