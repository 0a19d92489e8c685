"""ARIJ taxaties on a Regie zaak (issue 15 point 4): the outcome follows from the answers, a different final
outcome needs a reason and keeps both, every taxatie is a new row (the history, newest first), everything is in the
protocol, and only the team may record or see them."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from domain import arij, authz
from domain.models import AuditLog, Taxatie
from domain.workflow import OvergangFout
from tests.test_regie_zichtbaarheid import _regie_zaak
from tests.test_wmo_proces import medewerker


def _alles(instrument, code="nee", **anders) -> dict[str, str]:
    """Every question answered with its first (lowest) option, except those given."""
    return {v.code: anders.get(v.code, v.antwoorden[0].code) for v in instrument.vragen}


def test_veiligheidstaxatie_outcome_follows_the_most_serious_answer(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    vt = arij.VEILIGHEIDSTAXATIE
    assert arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", _alles(vt)).uitkomst == "laag"
    assert arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid",
                                 _alles(vt, basiszorg="vermoeden")).uitkomst == "middelmatig"
    taxatie = arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", _alles(vt, letsel="ja", basiszorg="vermoeden"))
    assert (taxatie.uitkomst_berekend, taxatie.uitkomst, taxatie.reden_afwijking) == ("hoog", "hoog", None)
    assert taxatie.medewerker_id == rachid.id and taxatie.instrumentversie == arij.INSTRUMENTVERSIE


def test_risicotaxatie_adds_up_the_risk_factors(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    rt = arij.RISICOTAXATIE
    assert arij.leg_taxatie_vast(demo, rachid, zaak, "risico", _alles(rt)).uitkomst == "laag"
    # 2 + 2 + 1 = 5: middelmatig; and with 2 + 2 + 1 more: 10, hoog.
    midden = _alles(rt, middelen="nu", partnergeweld="nu", geldzorgen="ja")
    assert arij.leg_taxatie_vast(demo, rachid, zaak, "risico", midden).uitkomst == "middelmatig"
    hoog = {**midden, "psychisch": "onbehandeld", "probleembesef": "nee", "jong": "ja"}
    assert arij.leg_taxatie_vast(demo, rachid, zaak, "risico", hoog).uitkomst == "hoog"


def test_every_question_must_be_answered(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    antwoorden = _alles(arij.VEILIGHEIDSTAXATIE)
    del antwoorden["seksueel"]
    with pytest.raises(OvergangFout) as fout:
        arij.leg_taxatie_vast(demo, medewerker(demo, "regieteam"), zaak, "veiligheid", antwoorden)
    assert fout.value.veld == "seksueel"
    antwoorden["seksueel"] = "misschien"  # not one of its options
    with pytest.raises(OvergangFout):
        arij.leg_taxatie_vast(demo, medewerker(demo, "regieteam"), zaak, "veiligheid", antwoorden)


def test_a_deviating_outcome_needs_a_reason_and_keeps_both(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    antwoorden = _alles(arij.VEILIGHEIDSTAXATIE, geen_zicht="vermoeden")
    with pytest.raises(OvergangFout) as fout:
        arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", antwoorden, uitkomst="hoog", reden_afwijking="  ")
    assert fout.value.veld == "reden_afwijking" and "berekende uitkomst is middelmatig" in fout.value.melding
    taxatie = arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", antwoorden, uitkomst="hoog",
                                    reden_afwijking="Vader dreigde gisteren het kind mee te nemen.")
    assert (taxatie.uitkomst_berekend, taxatie.uitkomst) == ("middelmatig", "hoog")
    assert taxatie.reden_afwijking == "Vader dreigde gisteren het kind mee te nemen."
    # Choosing the computed outcome itself is no deviation: no reason needed, none kept.
    gelijk = arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", antwoorden, uitkomst="middelmatig",
                                   reden_afwijking="")
    assert gelijk.reden_afwijking is None


def test_history_is_kept_newest_first_and_in_the_protocol(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    rachid = medewerker(demo, "regieteam")
    eerste = arij.leg_taxatie_vast(demo, rachid, zaak, "risico", _alles(arij.RISICOTAXATIE, middelen="nu"),
                                   nu=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC))
    tweede = arij.leg_taxatie_vast(demo, rachid, zaak, "risico", _alles(arij.RISICOTAXATIE),
                                   nu=dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC))
    veilig = arij.leg_taxatie_vast(demo, rachid, zaak, "veiligheid", _alles(arij.VEILIGHEIDSTAXATIE))
    demo.commit()
    assert demo.scalar(select(func.count()).select_from(Taxatie).where(Taxatie.zaak_id == zaak.id)) == 3
    assert eerste.antwoorden["middelen"] == "nu"  # the older one is unchanged
    stand = arij.arij_stand(demo, rachid, zaak)
    assert stand["laatste"] == {"veiligheid": veilig, "risico": tweede}
    assert [t.id for t in stand["historie"] if t.soort == "risico"] == [tweede.id, eerste.id]
    protocol = demo.scalars(select(AuditLog).where(AuditLog.object_type == "taxatie",
                                                   AuditLog.inwoner_id == zaak.inwoner_id)).all()
    assert [p.handeling for p in protocol].count("aanmaken") == 3
    assert any(p.handeling == "lezen" for p in protocol)
    assert all("Regieteam" not in p.omschrijving and zaak.inwoner.bsn not in p.omschrijving for p in protocol)


def test_only_the_team_records_and_sees_taxaties(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    for naam in ("jeugd", "toegang", "toetser", "teamleider"):
        with pytest.raises(authz.Geweigerd):
            arij.leg_taxatie_vast(demo, medewerker(demo, naam), zaak, "veiligheid", _alles(arij.VEILIGHEIDSTAXATIE))
        assert arij.arij_stand(demo, medewerker(demo, naam), zaak) is None
    assert arij.arij_stand(demo, medewerker(demo, "regieteam"), zaak)["historie"] == []
