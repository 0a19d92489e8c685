"""Gezag in the domain: reading Haal Centraal gezag, only minors and only real gezag give a parent their child,
and what the parent may then see and do for the child (zaken, overgangen, bezwaar, vragen), protocolled 'namens'."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.diensten import diensten_uit
from domain import authz
from domain.actor import Actor
from domain.inwoners import is_minderjarig, kinderen_onder_gezag
from domain.models import AuditLog, Inwoner, Ondertekening, Zaak
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.tijd import vandaag
from domain.workflow import OvergangFout, mag_vuren
from integrations.brp import Gezagsrelatie, Persoon, minderjarigen_onder_gezag_van
from integrations.brp.local import LocalBrp
from tests.gezag import KIND_BSN, OUDER_BSN, VADER_BSN, ouder_actor, zaak_van_kind

# As Haal Centraal BRP Personen returns `gezag` (gezagsrelatie v2; TweehoofdigOuderlijkGezag is the v1 name).
HC_GEZAG = [
    {"type": "GezamenlijkOuderlijkGezag", "minderjarige": {"burgerservicenummer": "999990202"},
     "ouders": [{"burgerservicenummer": "999990184", "naam": {"volledigeNaam": "A"}},
                {"burgerservicenummer": "999990196", "naam": {"volledigeNaam": "B"}}]},
    {"type": "EenhoofdigOuderlijkGezag", "minderjarige": {"burgerservicenummer": "999990214"},
     "ouder": {"burgerservicenummer": "999990184"}},
    {"type": "TweehoofdigOuderlijkGezag", "minderjarige": {"burgerservicenummer": "999990226"},
     "ouders": [{"burgerservicenummer": "999990184"}, {"burgerservicenummer": "999990196"}]},
    {"type": "GezamenlijkGezag", "minderjarige": {"burgerservicenummer": "999990238"},
     "ouder": {"burgerservicenummer": "999990196"}, "derde": {"type": "BekendeDerde", "burgerservicenummer": "999990184"}},
    {"type": "Voogdij", "minderjarige": {"burgerservicenummer": "999990251"},
     "derden": [{"type": "BekendeDerde", "burgerservicenummer": "999990184"}]},
    {"type": "Voogdij", "minderjarige": {"burgerservicenummer": "999990263"}, "derden": []},  # a GI: no BSN
    {"type": "GezagNietTeBepalen", "minderjarige": {"burgerservicenummer": "999990275"},
     "toelichting": "gezag is niet te bepalen omdat de minderjarige in het buitenland is geboren"},
    {"type": "TijdelijkGeenGezag", "minderjarige": {"burgerservicenummer": "999990287"},
     "toelichting": "Tijdelijk geen gezag omdat de ouder minderjarig is."},
]


def test_gezag_is_read_in_the_haal_centraal_shape():
    assert minderjarigen_onder_gezag_van("999990184", HC_GEZAG) == [
        "999990202", "999990214", "999990226", "999990238", "999990251"]
    assert minderjarigen_onder_gezag_van("999990196", HC_GEZAG) == ["999990202", "999990226", "999990238"]
    assert minderjarigen_onder_gezag_van("999990147", HC_GEZAG) == []  # named nowhere: nobody
    niet_te_bepalen = Gezagsrelatie.from_haal_centraal(HC_GEZAG[6])
    assert niet_te_bepalen.type == "GezagNietTeBepalen" and niet_te_bepalen.gezaghouders == ()
    # Round trip through the register's shape keeps who holds gezag.
    for data in HC_GEZAG:
        relatie = Gezagsrelatie.from_haal_centraal(data)
        assert Gezagsrelatie.from_haal_centraal(relatie.to_haal_centraal()) == relatie


def test_the_test_register_has_a_parent_with_and_a_parent_without_gezag():
    brp = LocalBrp()
    assert brp.minderjarigen_onder_gezag(OUDER_BSN) == [KIND_BSN]
    assert brp.minderjarigen_onder_gezag(VADER_BSN) == []  # Noor's father: eenhoofdig gezag is her mother's
    assert brp.minderjarigen_onder_gezag(KIND_BSN) == []  # the gezag over Noor is not Noor's
    assert brp.minderjarigen_onder_gezag("999999990") == []
    noor = brp.zoek_bsn(KIND_BSN)
    assert noor.gezag[0].type == "EenhoofdigOuderlijkGezag" and noor.gezag[0].gezaghouders == (OUDER_BSN,)


def test_minderjarig_until_the_eighteenth_birthday():
    geboren = dt.date(2008, 12, 3)
    assert is_minderjarig(geboren, dt.date(2026, 12, 2))
    assert not is_minderjarig(geboren, dt.date(2026, 12, 3))
    assert is_minderjarig(dt.date(2008, 2, 29), dt.date(2026, 2, 28))
    assert not is_minderjarig(dt.date(2008, 2, 29), dt.date(2026, 3, 1))


class NepBrp:
    """A BRP whose gezag answers the test chooses; persons in the form of the local register."""

    def __init__(self, gezag: dict[str, list[str]], personen: list[Persoon], fout: bool = False):
        self.gezag, self.personen, self.fout = gezag, {p.bsn: p for p in personen}, fout

    def zoek_bsn(self, bsn):
        return self.personen.get(bsn)

    def zoek_naam(self, geslachtsnaam, geboortedatum):
        return []

    def minderjarigen_onder_gezag(self, bsn):
        if self.fout:
            raise ConnectionError("BRP niet bereikbaar")
        return self.gezag.get(bsn, [])


def _persoon(bsn: str, geboren: dt.date, gemeentecode: str = "0489") -> Persoon:
    noor = LocalBrp().zoek_bsn(KIND_BSN)
    return Persoon(**{**noor.__dict__, "bsn": bsn, "geboortedatum": geboren, "gemeentecode": gemeentecode,
                      "gemeentenaam": "Elders" if gemeentecode != "0489" else noor.gemeentenaam, "gezag": ()})


def test_only_minors_in_a_gemeente_we_serve_and_only_when_the_brp_answers(demo):
    db = demo
    vandaag = dt.date(2026, 12, 3)
    kind = _persoon("999990202", dt.date(2009, 1, 5))  # 17
    achttien = _persoon("999990214", dt.date(2008, 12, 3))  # 18 today
    elders = _persoon("999990226", dt.date(2015, 6, 1), gemeentecode="0599")  # Rotterdam: not ours
    brp = NepBrp({"999990184": [kind.bsn, achttien.bsn, elders.bsn, "999990238"]}, [kind, achttien, elders])
    kinderen = kinderen_onder_gezag(db, "999990184", brp, vandaag)
    assert [k.bsn for k in kinderen] == [kind.bsn]
    assert db.scalar(select(Inwoner.geboortedatum).where(Inwoner.bsn == kind.bsn)) == kind.geboortedatum
    assert kinderen_onder_gezag(db, "999990196", brp, vandaag) == []  # no gezag: nothing
    assert kinderen_onder_gezag(db, "999990184", NepBrp({}, [kind], fout=True), vandaag) == []


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def test_the_parent_sees_and_acts_on_the_childs_zaak_and_the_protocol_says_namens(demo, diensten):
    db = demo
    zaak = zaak_van_kind(db, diensten)
    ouder, zonder = ouder_actor(db), ouder_actor(db, VADER_BSN, met_gezag=False)
    assert db.scalar(authz.zichtbare_zaken(ouder).where(Zaak.id == zaak.id)) is not None
    with pytest.raises(authz.NietGevonden):
        authz.zaak_voor(db, zonder, zaak.id)
    ondertekenen = zaaktype_van(zaak.zaaktype).overgang("ondertekenen")
    assert mag_vuren(ouder, zaak, ondertekenen) and not mag_vuren(zonder, zaak, ondertekenen)
    # The child's own Actor is unchanged by it (their own zaak), and a parent acting for themselves is not namens.
    kind = db.get(Inwoner, zaak.inwoner_id)
    assert ouder.handelt_namens(kind.id) and not ouder.handelt_namens(ouder.inwoner_id)
    eigen = protocolleer(db, ouder, handeling=Handeling.LEZEN, object_type="zaken", omschrijving="Eigen",
                         doel="Test", inwoner_id=ouder.inwoner_id)
    assert eigen.namens_inwoner_id is None

    from domain.workflow import voer_uit

    voer_uit(db, ouder, zaak, "ondertekenen", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"opmerking": "Woensdag is oma er.",
                       "sha256": __import__("domain.stappen", fromlist=["x"]).te_ondertekenen(db, zaak.id).sha256})
    assert zaak.status == "aanvraag"
    handtekening = db.scalar(select(Ondertekening).order_by(Ondertekening.id.desc()))
    assert (handtekening.inwoner_id, handtekening.namens_inwoner_id) == (ouder.inwoner_id, kind.id)
    regel = db.scalar(select(AuditLog).where(AuditLog.object_type == "zaak", AuditLog.handeling == "wijzigen")
                      .order_by(AuditLog.id.desc()))
    assert (regel.actor_type, regel.actor_id, regel.inwoner_id, regel.namens_inwoner_id) == (
        "inwoner", ouder.inwoner_id, kind.id, kind.id)


def test_bezwaar_and_answers_for_the_child_only_with_gezag(demo, diensten):
    from domain.bezwaren import dien_bezwaar_in
    from domain.vragen import beantwoord_vraag, stel_vraag
    from tests.gezag import medewerker_actor

    db = demo
    zaak = zaak_van_kind(db, diensten, status="besluit")
    zonder = ouder_actor(db, VADER_BSN, met_gezag=False)
    with pytest.raises(OvergangFout):
        dien_bezwaar_in(db, zonder, zaak, gronden="Te weinig.", contact_hoorzitting="", diensten=diensten)
    bezwaar = dien_bezwaar_in(db, ouder_actor(db), zaak, gronden="Twee middagen is te weinig voor Noor.",
                              contact_hoorzitting="", diensten=diensten)
    assert bezwaar.inwoner_id == zaak.inwoner_id  # the child's bezwaar, filed by the parent
    assert db.scalar(authz.zichtbare_zaken(ouder_actor(db)).where(Zaak.id == bezwaar.id)) is not None
    aangemaakt = db.scalar(select(AuditLog).where(AuditLog.object_type == "zaak", AuditLog.object_id == str(bezwaar.id),
                                                  AuditLog.handeling == "aanmaken"))
    assert aangemaakt.namens_inwoner_id == zaak.inwoner_id

    ander = zaak_van_kind(db, diensten, status="in_onderzoek")
    vraag = stel_vraag(db, medewerker_actor(db, "wmo"), ander, tekst="Wilt u het rooster van school sturen?",
                       uiterlijk=vandaag() + dt.timedelta(days=10), diensten=diensten)
    with pytest.raises(OvergangFout):
        beantwoord_vraag(db, zonder, vraag, antwoord="Ja.")
    beantwoord_vraag(db, ouder_actor(db), vraag, antwoord="School is om 15.00 uur uit.")
    assert vraag.status == "beantwoord"


def test_an_actor_without_gezag_is_no_different_from_before():
    alleen = Actor(soort="inwoner", id=1, naam="x", inwoner_id=1)
    assert alleen.mag_handelen_voor(1) and not alleen.mag_handelen_voor(2) and not alleen.handelt_namens(1)
    medewerker = Actor(soort="medewerker", id=1, naam="m", namens_ids=frozenset({2}))
    assert not medewerker.mag_handelen_voor(2) and not medewerker.handelt_namens(2)
