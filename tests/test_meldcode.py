"""The Meldcode huiselijk geweld en kindermishandeling on a Regie zaak (issue 15 point 5): steps in order, each
dated (not in the future, not before the zaak began or the step before) and signed by a consulent of the team;
melden refused until steps 1-4 are done; when the afwegingskader requires melden, help alone is refused; melden
keeps who at Veilig Thuis was spoken to and tells the team."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from domain import authz, meldcode, tijd
from domain.models import AuditLog, MeldcodeStap, Medewerker, Notificatie, Team
from domain.workflow import OvergangFout
from tests.test_regie_zichtbaarheid import _regie_zaak
from tests.test_wmo_proces import medewerker

def _vandaag():
    """Today when the test runs (not when the module was imported: a run may cross midnight)."""
    return tijd.vandaag()

VEILIG = {"vermoeden": "ja", "onveilig": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja", "duurzaam": "nog_niet"}


def _stap(db, actor, zaak, stap, **extra):
    extra.setdefault("datum", _vandaag())
    extra.setdefault("toelichting", f"Stap {stap} gezet.")
    return meldcode.leg_stap_vast(db, actor, zaak, stap, **extra)


def _tot_en_met_4(db, actor, zaak, antwoorden=VEILIG):
    for n in (1, 2, 3):
        _stap(db, actor, zaak, n)
    return _stap(db, actor, zaak, 4, antwoorden=antwoorden)


def test_the_afwegingskader_says_when_melden_is_required():
    geen_vermoeden = meldcode.weeg({"vermoeden": "nee"})
    assert (geen_vermoeden.nodig, geen_vermoeden.melden_verplicht) == (("vermoeden",), False)
    # Acute or structural onveiligheid: melden, and questions 3-5 are for later, with Veilig Thuis.
    assert meldcode.weeg({"vermoeden": "ja", "onveilig": "ja"}).melden_verplicht
    assert meldcode.weeg({"vermoeden": "ja", "onveilig": "ja"}).nodig == ("vermoeden", "onveilig")
    for code in ("hulp_mogelijk", "hulp_aanvaard", "duurzaam"):
        assert meldcode.weeg({**VEILIG, code: "nee"}).melden_verplicht, code
    assert not meldcode.weeg(VEILIG).melden_verplicht
    assert len(meldcode.STAPPEN) == 5 and len(meldcode.AFWEGINGEN) == 5


def test_steps_only_in_order_and_each_signed_and_dated(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    with pytest.raises(OvergangFout, match="Zet eerst stap 1"):
        _stap(demo, rachid, zaak, 2)
    eerste = _stap(demo, rachid, zaak, 1, toelichting="Buren horen geschreeuw; kind had een blauwe plek.")
    assert (eerste.medewerker_id, eerste.datum) == (rachid.id, _vandaag())
    with pytest.raises(OvergangFout, match="al vastgelegd"):
        _stap(demo, rachid, zaak, 1)
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 2, datum=_vandaag() + dt.timedelta(days=1))
    assert fout.value.veld == "datum" and "toekomst" in fout.value.melding
    with pytest.raises(OvergangFout, match="begin van de zaak"):
        _stap(demo, rachid, zaak, 2, datum=zaak.startdatum - dt.timedelta(days=1))
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 2, toelichting=" ")
    assert fout.value.veld == "toelichting"
    tweede = _stap(demo, rachid, zaak, 2, antwoorden={"veilig_thuis_geraadpleegd": True})
    assert tweede.antwoorden == {"veilig_thuis_geraadpleegd": True}


def test_a_step_cannot_be_dated_before_the_step_before(demo, diensten, monkeypatch):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    vandaag = _vandaag()
    monkeypatch.setattr(tijd, "vandaag", lambda: vandaag + dt.timedelta(days=10))
    _stap(demo, rachid, zaak, 1, datum=vandaag + dt.timedelta(days=5))
    with pytest.raises(OvergangFout, match="vóór stap 1"):
        _stap(demo, rachid, zaak, 2, datum=vandaag + dt.timedelta(days=4))
    assert _stap(demo, rachid, zaak, 2, datum=vandaag + dt.timedelta(days=5)).stap == 2


def test_melden_is_refused_until_steps_1_to_4_are_done(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    _stap(demo, rachid, zaak, 1)
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 5, besluit="melden", veilig_thuis_datum=_vandaag(), veilig_thuis_contact="Els")
    assert fout.value.melding.startswith("U kunt pas melden bij Veilig Thuis als stap 1 tot en met 4 zijn gezet")
    assert "stap 2 (collegiale consultatie" in fout.value.melding and "stap 4 (wegen" in fout.value.melding
    assert demo.scalar(select(MeldcodeStap).where(MeldcodeStap.zaak_id == zaak.id, MeldcodeStap.stap == 5)) is None


def test_step_4_needs_the_questions_the_afwegingskader_asks(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    for n in (1, 2, 3):
        _stap(demo, rachid, zaak, n)
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 4, antwoorden={"vermoeden": "ja", "onveilig": "nee"})
    assert fout.value.veld == "hulp_mogelijk"
    # Onveilig: 3-5 are answered later with Veilig Thuis; what was filled in anyway is not kept.
    vier = _stap(demo, rachid, zaak, 4, antwoorden={"vermoeden": "ja", "onveilig": "ja", "hulp_mogelijk": "ja"})
    assert vier.antwoorden == {"vermoeden": "ja", "onveilig": "ja"} and vier.melden_verplicht


def test_required_melden_cannot_be_help_alone_and_melden_tells_the_team(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    _tot_en_met_4(demo, rachid, zaak, {"vermoeden": "ja", "onveilig": "ja"})
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 5, besluit="hulp")
    assert fout.value.veld == "besluit" and "melden bij Veilig Thuis nodig" in fout.value.melding
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 5, besluit="beide", veilig_thuis_datum=_vandaag())
    assert fout.value.veld == "veilig_thuis_contact"
    with pytest.raises(OvergangFout) as fout:
        _stap(demo, rachid, zaak, 5, besluit="beide", veilig_thuis_datum=_vandaag() + dt.timedelta(days=2),
              veilig_thuis_contact="Els de Vries")
    assert fout.value.veld == "veilig_thuis_datum"
    # A colleague in the team (and no teamleider outside it) gets the notification; the one who meldde does not.
    regie = demo.scalar(select(Team).where(Team.code == "regie_team"))
    collega = medewerker(demo, "jeugd")
    regie.leden.append(demo.get(Medewerker, collega.id))
    demo.flush()
    vijf = _stap(demo, rachid, zaak, 5, besluit="beide", veilig_thuis_datum=_vandaag(),
                 veilig_thuis_contact="Els de Vries (advieslijn)")
    demo.commit()
    assert (vijf.besluit, vijf.veilig_thuis_contact, vijf.medewerker_id) == ("beide", "Els de Vries (advieslijn)",
                                                                            rachid.id)
    meldingen = demo.scalars(select(Notificatie).where(Notificatie.zaak_id == zaak.id,
                                                       Notificatie.onderwerp.like("Melding bij Veilig Thuis%"))).all()
    assert {n.medewerker_id for n in meldingen} == {collega.id}
    assert "Els de Vries" in meldingen[0].tekst
    assert demo.scalar(select(AuditLog).where(AuditLog.object_type == "meldcode_stap", AuditLog.object_id == str(vijf.id),
                                              AuditLog.omschrijving.like("%melden bij veilig thuis%")))


def test_help_alone_when_the_afwegingskader_allows_it(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    _tot_en_met_4(demo, rachid, zaak)
    vijf = _stap(demo, rachid, zaak, 5, besluit="hulp", veilig_thuis_contact="niemand")
    assert (vijf.besluit, vijf.veilig_thuis_datum, vijf.veilig_thuis_contact) == ("hulp", None, None)
    stand = meldcode.meldcode_stand(demo, rachid, zaak)
    assert stand["volgende"] is None and [r["status"] for r in stand["regels"]] == ["gedaan"] * 5


def test_the_panel_state_and_only_the_team(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    _stap(demo, rachid, zaak, 1)
    stand = meldcode.meldcode_stand(demo, rachid, zaak)
    assert stand["volgende"] == 2
    assert [r["status"] for r in stand["regels"]] == ["gedaan", "volgende", "later", "later", "later"]
    assert "stap 1 tot en met 4" in stand["regels"][4]["waarom"]
    for naam in ("jeugd", "toegang", "toetser", "teamleider"):
        andere = medewerker(demo, naam)
        assert meldcode.meldcode_stand(demo, andere, zaak) is None
        with pytest.raises(authz.Geweigerd):
            _stap(demo, andere, zaak, 2)
