"""Issue 12: the ID token is checked before anyone is logged in, on the portal (DigiD) and on the backoffice (the
organisation's identity provider) alike: `iss` exactly the provider's issuer, which must be the configured one;
`aud` contains our client id; `azp` is ours when present and required when `aud` has several values; `exp`, `iat`
and `nbf` with a leeway of one minute. Every token here is genuine (signed by the stand-in, right nonce, right
at_hash) except for what the case changes, so a refusal is the check under test and nothing else."""
from __future__ import annotations

import json
import time

import pytest

from tests.helpers import als_medewerker, digid_inloggen, medewerker_oidc_inloggen

KANTEN = ["portaal", "backoffice"]


def _nu() -> int:
    return int(time.time())


# Each case changes the claims of a token the stand-in issues to `ons` (our client id).
GEWEIGERD = {
    "aud van een andere client, azp de onze": lambda c, ons: c.update(aud="andere-client", azp=ons),
    "aud alleen andere clients, azp de onze": lambda c, ons: c.update(aud=["andere-client", "nog-een"], azp=ons),
    "meerdere aud zonder azp": lambda c, ons: c.update(aud=[ons, "andere-client"]),
    "azp van een andere client": lambda c, ons: c.update(aud=ons, azp="andere-client"),
    "verlopen, 90 seconden geleden": lambda c, ons: c.update(iat=_nu() - 390, exp=_nu() - 90),
    "verlopen, een uur geleden": lambda c, ons: c.update(iat=_nu() - 3900, exp=_nu() - 3600),
    "iat 90 seconden in de toekomst": lambda c, ons: c.update(iat=_nu() + 90),
    "nbf 90 seconden in de toekomst": lambda c, ons: c.update(nbf=_nu() + 90),
    "zonder exp": lambda c, ons: c.pop("exp"),
    "zonder iat": lambda c, ons: c.pop("iat"),
    "exp als tekst": lambda c, ons: c.update(exp=str(_nu() + 300)),
    "iss van een andere provider": lambda c, ons: c.update(iss="https://elders.example"),
    "iss met een slash erachter": lambda c, ons: c.update(iss=c["iss"] + "/"),
    "zonder iss": lambda c, ons: c.pop("iss"),
}

GOED = {
    "meerdere aud met de onze en azp de onze": lambda c, ons: c.update(aud=[ons, "andere-client"], azp=ons),
    "aud als lijst met alleen de onze": lambda c, ons: c.update(aud=[ons]),
    "klok van de provider 30 seconden voor": lambda c, ons: c.update(iat=_nu() + 30, nbf=_nu() + 30),
}


@pytest.fixture
def kant_client(request, client, demo, medewerker_idp, id_token_claims):
    """Log in on one face (portal or backoffice) with tokens changed by `id_token_claims`; the backoffice's tokens
    carry the identity-provider account of Tom Toetser."""
    kant = request.param
    id_token_claims(als_medewerker("idp-toetser", "toetser"))
    return kant, client


def _inloggen(kant: str, client):
    return digid_inloggen(client, bsn="999990093") if kant == "portaal" else medewerker_oidc_inloggen(client)


def _ingelogd(kant: str, client) -> bool:
    return client.get("/mijn-zaken" if kant == "portaal" else "/backoffice/meldingen").status_code == 200


def _is_geweigerd(kant: str, client, r) -> None:
    """The clear refusal: the portal's "U bent niet ingelogd" page with "niet gelukt"; the backoffice's log-in
    page with "niet gelukt". Nobody is logged in."""
    if kant == "portaal":
        html = r.get_data(as_text=True)
        assert r.status_code == 400, html[:500]
        assert "U bent niet ingelogd" in html and "Inloggen met DigiD is niet gelukt" in html
    else:
        assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/inloggen"), r.status_code
        html = client.get("/backoffice/inloggen").get_data(as_text=True)
        assert "Inloggen via uw organisatie-account is niet gelukt" in html
    assert not _ingelogd(kant, client)


@pytest.mark.parametrize("kant_client", KANTEN, indirect=True)
@pytest.mark.parametrize("geval", list(GEWEIGERD))
def test_a_token_that_fails_a_check_is_refused(kant_client, id_token_claims, geval):
    kant, client = kant_client
    id_token_claims(GEWEIGERD[geval])
    _is_geweigerd(kant, client, _inloggen(kant, client))


@pytest.mark.parametrize("kant_client", KANTEN, indirect=True)
@pytest.mark.parametrize("geval", list(GOED))
def test_a_token_that_passes_every_check_logs_in(kant_client, id_token_claims, geval):
    kant, client = kant_client
    id_token_claims(GOED[geval])
    r = _inloggen(kant, client)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert _ingelogd(kant, client)


@pytest.mark.parametrize("kant_client", KANTEN, indirect=True)
def test_a_provider_whose_discovery_names_another_issuer_is_refused(kant_client, id_token_claims, standin,
                                                                     monkeypatch):
    """Mix-up: the discovery document at the configured address names another issuer, and the tokens carry that
    issuer. Authlib alone compares `iss` with the discovery document only; the configured issuer decides."""
    kant, client = kant_client
    elders = "https://elders.example"
    id_token_claims(lambda c, ons: c.update(iss=elders))
    standin_wsgi = standin.server.app

    def andere_issuer(environ, start_response):
        if environ.get("PATH_INFO") != "/.well-known/openid-configuration":
            return standin_wsgi(environ, start_response)
        antwoord = {}

        def bewaar(status, headers, exc_info=None):
            antwoord.update(status=status, headers=headers)

        body = b"".join(standin_wsgi(environ, bewaar))
        document = json.dumps({**json.loads(body), "issuer": elders}).encode()
        headers = [(k, v) for k, v in antwoord["headers"] if k.lower() != "content-length"]
        start_response(antwoord["status"], [*headers, ("Content-Length", str(len(document)))])
        return [document]

    monkeypatch.setattr(standin.server, "app", andere_issuer)
    _is_geweigerd(kant, client, _inloggen(kant, client))
