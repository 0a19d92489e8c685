"""Issue 12, property: whatever shape the claims of a genuine ID token have (acr, bsn, sub, preferred_username or
any other claim as a list, a number, an object, null, a boolean, a long or odd string, or missing), logging in on
the portal or the backoffice ends in a log-in or in the clear refusal, never in a 500. And when it ends in a
log-in, the claims that decided it had the expected shape.

The tokens go the whole way: signed by the stand-in, checked by Authlib, read by our code. The fixtures (app,
database, stand-in) are shared by the examples on purpose; every example starts with a new browser (test client)
and a fresh log-in, so examples do not depend on each other."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from stdnum.nl import bsn as bsn_nummer

from domain.models import Medewerker, Sessie
from tests.helpers import digid_inloggen, medewerker_oidc_inloggen

MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
HOOG = "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"
WEG = object()  # the claim is left out

tekst = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
# Values a real token carries next to arbitrary ones, so that successful log-ins are generated too.
bekend = st.sampled_from([MIDDEN, HOOG, "midden", "basis", "999990093", "s00000000:999990093", 999990093,
                          "beheer", "toetser", "idp-beheer", "", " ", "x" * 300])
blad = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | tekst
        | bekend)
json_waarde = st.recursive(blad, lambda kind: st.lists(kind, max_size=3) | st.dictionaries(tekst, kind, max_size=3),
                           max_leaves=6)
claim_waarde = json_waarde | st.just(WEG)


def vaak(*goed) -> st.SearchStrategy:
    """A claim that is often what a real provider sends (so the other claims get read too), else anything."""
    juist = st.sampled_from(goed)
    return st.one_of(juist, juist, json_waarde, st.just(WEG))


acr_claim = vaak(MIDDEN, HOOG, "midden")
bsn_claim = vaak("999990093", "s00000000:999990093", 999990093, "999 990 093")
sub_claim = vaak("idp-1", "jan-de-vries")
gebruikersnaam_claim = vaak("beheer", "toetser", "Beheer ")
andere_claim = st.sampled_from(["name", "sid", "amr", "auth_time", "email", "nl", "loa", "groups"]) | tekst.filter(
    lambda k: k not in {"iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "azp"})

VOORBEELDEN = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _pas_toe(claims: dict, wijzigingen: dict) -> None:
    for naam, waarde in wijzigingen.items():
        if waarde is WEG:
            claims.pop(naam, None)
        else:
            claims[naam] = waarde


@VOORBEELDEN
@given(acr=acr_claim, bsn=bsn_claim, sub=sub_claim, overig=st.dictionaries(andere_claim, claim_waarde,
                                                                                     max_size=3))
def test_portal_any_claim_shape_logs_in_or_refuses_clearly(app, demo, standin, id_token_claims, acr, bsn, sub,
                                                           overig):
    wijzigingen = {**overig, "acr": acr, "bsn": bsn, "sub": sub}
    gezien: dict = {}

    def wijzig(claims, _client_id):
        _pas_toe(claims, wijzigingen)
        gezien.clear()
        gezien.update(claims)

    id_token_claims(wijzig)
    client = app.test_client()
    try:
        r = digid_inloggen(client, bsn="999990093")
    finally:
        id_token_claims.clear()
    html = r.get_data(as_text=True)
    assert r.status_code in (302, 400, 403), (r.status_code, gezien)
    if r.status_code == 302:
        assert r.headers["Location"].endswith("/mijn-zaken")
        assert isinstance(gezien["acr"], str) and isinstance(gezien["sub"], str) and gezien["sub"]
        db = app.extensions["db_sessionmaker"]()
        try:
            sessie = db.scalars(select(Sessie).where(Sessie.soort == "inwoner").order_by(Sessie.aangemaakt.desc())).first()
            assert sessie.bsn.isdigit() and len(sessie.bsn) == 9 and bsn_nummer.is_valid(sessie.bsn)
            assert sessie.betrouwbaarheidsniveau in ("midden", "substantieel", "hoog")
        finally:
            db.close()
    elif r.status_code == 400:
        assert "U bent niet ingelogd" in html


@VOORBEELDEN
@given(sub=sub_claim, gebruikersnaam=gebruikersnaam_claim, overig=st.dictionaries(andere_claim, claim_waarde,
                                                                              max_size=3))
def test_backoffice_any_claim_shape_logs_in_or_refuses_clearly(app, demo, medewerker_idp, id_token_claims, sub,
                                                               gebruikersnaam, overig):
    wijzigingen = {**overig, "sub": sub, "preferred_username": gebruikersnaam}
    gezien: dict = {}

    def wijzig(claims, _client_id):
        _pas_toe(claims, wijzigingen)
        gezien.clear()
        gezien.update(claims)

    id_token_claims(wijzig)
    client = app.test_client()
    try:
        r = medewerker_oidc_inloggen(client)
    finally:
        id_token_claims.clear()
    assert r.status_code == 302, (r.status_code, gezien)
    if r.headers["Location"].endswith("/backoffice/inloggen"):
        html = client.get("/backoffice/inloggen").get_data(as_text=True)
        assert any(m in html for m in ("is niet gelukt", "nog geen toegang", "hoort niet bij het account")), gezien
        return
    assert r.headers["Location"].endswith("/backoffice/")
    assert isinstance(gezien["sub"], str) and gezien["sub"]
    db = app.extensions["db_sessionmaker"]()
    try:
        # Whoever got in, got in by this very subject: linked before, or linked now by their own user name (the
        # examples share the database, so earlier examples have linked accounts that later ones try to take).
        sessie = db.scalars(select(Sessie).where(Sessie.soort == "medewerker").order_by(Sessie.aangemaakt.desc())).first()
        assert db.get(Medewerker, sessie.medewerker_id).oidc_subject == gezien["sub"]
    finally:
        db.close()
