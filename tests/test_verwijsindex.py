"""Verwijsindex aanmelding (issue 15 point 3): only BSN, organisation, date and contact person leave; a match when
another organisation signalled the same young person; refusal for an adult; withdrawal; the sweep ends a signal
after the legal term and fetches later matches, idempotently; everything in the protocol."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from domain import authz, tijd
from domain.models import AuditLog, Inwoner, Notificatie, VerwijsindexMatch, VerwijsindexSignaal, Zaak
from domain.verwijsindex import aanmelden, eindigt_op, intrekken, paneel, verwerk_verwijsindex
from domain.workflow import OvergangFout
from domain.zaken import registreer_melding
from integrations.verwijsindex import Signaal, VerwijsindexFout
from integrations.verwijsindex.http import HttpVerwijsindex
from integrations.verwijsindex.local import LokaleVerwijsindex
from tests.test_wmo_proces import medewerker

LIEKE = "999990305"  # Lieke Meijer (4): the GGD signalled her in the stand-in's register
DAAN = "999990299"  # Daan Meijer (10): nobody signalled him
SANNE = "999990172"  # Sanne Meijer (40), their mother
ZORG = "Zorgen over de veiligheid thuis: buren horen vaak geschreeuw."


class Opnemend(LokaleVerwijsindex):
    """The stand-in, keeping every Signaal it was given: what left the gemeente."""

    def __init__(self, bestand):
        super().__init__(bestand)
        self.verstuurd: list[Signaal] = []

    def aanmelden(self, signaal):
        self.verstuurd.append(signaal)
        return super().aanmelden(signaal)


class Onbereikbaar(LokaleVerwijsindex):
    def aanmelden(self, signaal):
        raise VerwijsindexFout("test")

    def matches(self, bsn, organisatie_code):
        raise VerwijsindexFout("test")


@pytest.fixture
def vi(tmp_path):
    return Opnemend(tmp_path / "verwijsindex.json")


def regie_zaak(db, diensten, bsn=LIEKE) -> Zaak:
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    zaak = registreer_melding(db, medewerker(db, "toegang"), inwoner=inwoner, zaaktype_code="regie_team",
                              hulpvraag=ZORG, kanaal="telefoon", diensten=diensten)
    db.commit()
    return zaak


def _protocol(db, zaak, object_type) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.inwoner_id == zaak.inwoner_id,
                                                  AuditLog.object_type == object_type).order_by(AuditLog.id)))


def test_only_bsn_organisation_date_and_contact_leave(demo, diensten, vi):
    zaak = regie_zaak(demo, diensten)
    aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    [signaal] = vi.verstuurd
    assert signaal.als_json() == {
        "bsn": LIEKE,
        "organisatie": {"naam": f"Regieteam gemeente {zaak.gemeente.naam}", "code": zaak.gemeente.code},
        "datum": tijd.vandaag().isoformat(),
        "contactpersoon": {"naam": "Rachid Regie", "telefoon": "14 0180"},
    }
    opgeslagen = json.dumps(vi.ontvangen(), ensure_ascii=False)
    for geheim in ("geschreeuw", "veiligheid", zaak.identificatie, "Lieke", "Meijer", "regie_team"):
        assert geheim not in opgeslagen, geheim


def test_the_http_client_sends_the_same_four_fields_in_the_body_never_in_the_url():
    class Sessie:
        def __init__(self):
            self.headers: dict = {}
            self.verzoeken = []

        def request(self, methode, url, json=None, timeout=None):
            self.verzoeken.append((methode, url, json))

            class Antwoord:
                status_code = 201

                @staticmethod
                def json():
                    return {"kenmerk": "VIR-1", "matches": [{"kenmerk": "VIR-2", "organisatie": "GGD", "sinds": "2026-01-05",
                                                             "contactpersoon": {"naam": "Ingrid", "telefoon": "010"}}]}
            return Antwoord()

    sessie = Sessie()
    client = HttpVerwijsindex("https://vir.example/api/", "sleutel", session=sessie)
    signaal = Signaal(LIEKE, "Regieteam gemeente Barendrecht", "0489", dt.date(2026, 12, 4), "Rachid Regie", "14 0180")
    antwoord = client.aanmelden(signaal)
    [(methode, url, body)] = sessie.verzoeken
    assert (methode, url) == ("POST", "https://vir.example/api/signalen") and LIEKE not in url
    assert body == signaal.als_json() and set(body) == {"bsn", "organisatie", "datum", "contactpersoon"}
    assert antwoord.kenmerk == "VIR-1" and antwoord.matches[0].organisatie == "GGD"
    assert antwoord.matches[0].sinds == dt.date(2026, 1, 5) and sessie.headers["X-API-KEY"] == "sleutel"


def test_a_match_when_another_organisation_signalled_the_child(demo, diensten, vi):
    zaak = regie_zaak(demo, diensten)
    signaal = aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="Rachid Regie",
                        telefoon="14 0180", client=vi)
    [match] = signaal.matches
    assert match.organisatie.startswith("GGD") and match.telefoon and match.contactpersoon
    assert signaal.eindigt_op == eindigt_op(tijd.vandaag(), zaak.inwoner.geboortedatum)
    p = paneel(demo, medewerker(demo, "regieteam"), zaak)
    assert p["signaal"].id == signaal.id and p["mag_intrekken"] and not p["mag_aanmelden"]
    assert [a.omschrijving.split(" (")[0] for a in _protocol(demo, zaak, "verwijsindex_signaal")] == [
        f"Aangemeld in de Verwijsindex, actief tot {signaal.eindigt_op.isoformat()}"]
    assert "ook gemeld door GGD" in _protocol(demo, zaak, "verwijsindex_match")[0].omschrijving


def test_no_match_when_nobody_else_signalled(demo, diensten, vi):
    zaak = regie_zaak(demo, diensten, DAAN)
    signaal = aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="Rachid Regie",
                        telefoon="14 0180", client=vi)
    assert signaal.matches == [] and _protocol(demo, zaak, "verwijsindex_match") == []


def test_refused_for_an_adult_and_twice_for_the_same_child_and_for_another_team(demo, diensten, vi):
    regie = medewerker(demo, "regieteam")
    volwassen = regie_zaak(demo, diensten, SANNE)
    with pytest.raises(OvergangFout, match="alleen voor jongeren tot 23 jaar"):
        aanmelden(demo, regie, volwassen, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    assert paneel(demo, regie, volwassen)["niet_jeugdig"] and not paneel(demo, regie, volwassen)["mag_aanmelden"]
    zaak = regie_zaak(demo, diensten)
    with pytest.raises(authz.Geweigerd):
        aanmelden(demo, medewerker(demo, "jeugd"), zaak, contactpersoon="J", telefoon="1", client=vi)
    with pytest.raises(OvergangFout) as fout:
        aanmelden(demo, regie, zaak, contactpersoon="Rachid Regie", telefoon=" ", client=vi)
    assert fout.value.veld == "telefoon"
    aanmelden(demo, regie, zaak, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    tweede = regie_zaak(demo, diensten)  # a second zaak about the same child: one active signal per organisation
    with pytest.raises(OvergangFout, match="al aangemeld"):
        aanmelden(demo, regie, tweede, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    assert paneel(demo, regie, tweede)["elders"] is not None
    assert len(vi.verstuurd) == 1


def test_unreachable_index_changes_nothing(demo, diensten, tmp_path):
    zaak = regie_zaak(demo, diensten)
    with pytest.raises(OvergangFout, match="niet bereikbaar"):
        aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="R", telefoon="1",
                  client=Onbereikbaar(tmp_path / "vi.json"))
    demo.rollback()
    assert demo.scalar(select(func.count()).select_from(VerwijsindexSignaal).where(
        VerwijsindexSignaal.zaak_id == zaak.id)) == 0


def test_withdraw_with_a_reason_then_no_more_matches(demo, diensten, vi):
    regie = medewerker(demo, "regieteam")
    zaak = regie_zaak(demo, diensten)
    signaal = aanmelden(demo, regie, zaak, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    with pytest.raises(OvergangFout) as fout:
        intrekken(demo, regie, zaak, reden="  ", client=vi)
    assert fout.value.veld == "reden"
    intrekken(demo, regie, zaak, reden="De zorgen bleken niet terecht.", client=vi)
    demo.refresh(signaal)
    assert not signaal.actief and signaal.intrekreden == "De zorgen bleken niet terecht."
    assert signaal.ingetrokken_door_id == regie.id
    assert vi.matches(LIEKE, zaak.gemeente.code) == []  # the index no longer answers for this child
    assert _protocol(demo, zaak, "verwijsindex_signaal")[-1].omschrijving.startswith(
        "Aanmelding in de Verwijsindex ingetrokken")
    with pytest.raises(OvergangFout, match="geen actieve aanmelding"):
        intrekken(demo, regie, zaak, reden="Nog eens", client=vi)
    # Withdrawn, the child may be signalled again.
    assert paneel(demo, regie, zaak)["mag_aanmelden"]


def test_the_term_two_years_or_the_23rd_birthday():
    assert eindigt_op(dt.date(2026, 12, 4), dt.date(2011, 5, 14)) == dt.date(2028, 12, 4)
    assert eindigt_op(dt.date(2026, 12, 4), dt.date(2004, 3, 1)) == dt.date(2027, 3, 1)  # turns 23 first
    assert eindigt_op(dt.date(2028, 2, 29), dt.date(2020, 1, 1)) == dt.date(2030, 2, 28)


def test_the_sweep_ends_a_signal_after_the_term_once(demo, diensten, vi):
    # The demo's own signal (domain/demo/regie.py) is set aside: what the sweep counts below is the test's.
    from sqlalchemy import update

    demo.execute(update(VerwijsindexSignaal).values(beeindigd_op=dt.datetime.now(dt.UTC)))
    demo.commit()
    zaak = regie_zaak(demo, diensten, DAAN)
    signaal = aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="Rachid Regie",
                        telefoon="14 0180", client=vi)
    laatste_dag = signaal.eindigt_op - dt.timedelta(days=1)
    assert verwerk_verwijsindex(demo, laatste_dag, client=vi).beeindigd == 0
    assert verwerk_verwijsindex(demo, signaal.eindigt_op, client=vi).beeindigd == 1
    assert verwerk_verwijsindex(demo, signaal.eindigt_op + dt.timedelta(days=3), client=vi).beeindigd == 0
    demo.refresh(signaal)
    assert signaal.beeindigd_op is not None and signaal.ingetrokken_op is None and not signaal.actief
    assert [s["ingetrokken_op"] is not None for s in vi.ontvangen()] == [True]
    einde = [a for a in _protocol(demo, zaak, "verwijsindex_signaal") if "beëindigd" in a.omschrijving]
    assert len(einde) == 1 and einde[0].actor_type == "systeem"
    assert paneel(demo, medewerker(demo, "regieteam"), zaak)["eerder"] == [signaal]


def test_a_later_match_arrives_through_the_sweep_with_a_notification(demo, diensten, vi):
    regie = medewerker(demo, "regieteam")
    zaak = regie_zaak(demo, diensten, DAAN)
    signaal = aanmelden(demo, regie, zaak, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    vi.signaal_van_ander(Signaal(DAAN, "OBS De Horizon, Barendrecht", "00000003012345678000", tijd.vandaag(),
                                 "Karin de Boer", "0180 61 22 40"))
    morgen = tijd.vandaag() + dt.timedelta(days=1)
    nu = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert verwerk_verwijsindex(demo, morgen, client=vi, nu=nu).matches == 1
    # Again the same day, and again a day later: the match is known, nothing new.
    assert not verwerk_verwijsindex(demo, morgen, client=vi, nu=nu)
    assert verwerk_verwijsindex(demo, morgen + dt.timedelta(days=1), client=vi,
                                nu=nu + dt.timedelta(days=1)).matches == 0
    demo.expire_all()
    [match] = demo.scalars(select(VerwijsindexMatch).where(VerwijsindexMatch.signaal_id == signaal.id)).all()
    assert (match.organisatie, match.contactpersoon, match.telefoon) == (
        "OBS De Horizon, Barendrecht", "Karin de Boer", "0180 61 22 40")
    [melding] = demo.scalars(select(Notificatie).where(Notificatie.zaak_id == zaak.id,
                                                       Notificatie.medewerker_id == regie.id,
                                                       Notificatie.onderwerp.like("Match in de Verwijsindex%"))).all()
    assert "OBS De Horizon" in melding.tekst
    assert len(_protocol(demo, zaak, "verwijsindex_match")) == 1
    opgevraagd = [a for a in _protocol(demo, zaak, "verwijsindex_signaal") if a.handeling == "zoeken"]
    assert len(opgevraagd) == 2  # each day's fetch, not the repeat on the same day


def test_an_unreachable_index_in_the_sweep_is_tried_again(demo, diensten, vi, tmp_path):
    zaak = regie_zaak(demo, diensten, DAAN)
    signaal = aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="R", telefoon="1", client=vi)
    nu = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert not verwerk_verwijsindex(demo, tijd.vandaag(), client=Onbereikbaar(tmp_path / "x.json"), nu=nu)
    demo.refresh(signaal)
    assert signaal.actief and signaal.matches_opgehaald_op < nu - dt.timedelta(hours=20)


def test_only_the_behandelaar_team_sees_the_section(demo, diensten, vi):
    from domain.models import Besluit

    zaak = regie_zaak(demo, diensten)
    aanmelden(demo, medewerker(demo, "regieteam"), zaak, contactpersoon="Rachid Regie", telefoon="14 0180", client=vi)
    demo.add(Besluit(zaak_id=zaak.id, besluittype="toekenning", status="ter_toetsing", onderbouwing="-",
                     wettelijke_grondslag="artikel 2.3 Jeugdwet", auteur_id=medewerker(demo, "regieteam").id))
    demo.commit()
    toetser = medewerker(demo, "toetser")
    assert demo.scalar(authz.zichtbare_zaken(toetser).where(Zaak.id == zaak.id)) is not None  # sees the zaak
    assert paneel(demo, toetser, zaak) is None  # but not who else is involved with the child


def test_the_other_organisations_read_as_a_dutch_list():
    from domain.verwijsindex import opsomming

    assert opsomming(["GGD"]) == "GGD"
    assert opsomming(["GGD", "Veilig Thuis", "Politie"]) == "GGD, Veilig Thuis en Politie"
    assert opsomming(["Jeugdbescherming", "CBS De Wegwijzer, Ridderkerk"]) == (
        "Jeugdbescherming en CBS De Wegwijzer, Ridderkerk")
    assert opsomming(["A", "B, C", "D"]) == "A; B, C en D"
