"""Berichtenverkeer iWmo 3.2 (PROCESSES.md, Wmo step 7): administratie orders, a WMO301 goes out, the (simulated)
zorgaanbieder answers with 302/305/307/315/317/323 through the folder transport, and the inbox sweep processes
every message exactly once, crash or no crash."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, or_, select

from app.diensten import diensten_uit
from domain import tijd
from domain.berichtenverkeer import berichten_dienst, verwerk_inkomend
from domain.models import (
    Actie,
    Bericht,
    Besluit,
    Inwoner,
    Notificatie,
    StatusHistorie,
    Toewijzing,
    Voorziening,
    Zaak,
    Zorgaanbieder,
)
from domain.teksten import getal
from domain.workflow import OvergangFout, voer_uit
from integrations.istandaarden import lees, schrijf, valideer
from integrations.istandaarden.simulator import Simulator
from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_een, verwerk_inbox
from tests.helpers import csrf_token, digid_inloggen, horen_achterwege, medewerker_inloggen
from tests.test_wmo_proces import inwoner_actor, medewerker

ANNA = "999990056"  # demo: Wmo zaak at status besluit (self-signed toekenning, hulp bij het huishouden)
VOORBEELDEN = Path(__file__).parent / "data" / "istandaarden"


class Crash(BaseException):
    """A process that dies (kill -9, power cut): not an error the sweep could catch and survive."""


@pytest.fixture
def diensten(settings):
    d = diensten_uit(settings)
    assert d.berichten is berichten_dienst  # the real app wires the berichtenverkeer
    return d


@pytest.fixture
def maker(app):
    return app.extensions["db_sessionmaker"]


@pytest.fixture
def transport(tmp_path):
    return MapTransport(tmp_path / "berichten")


@pytest.fixture
def sim(transport):
    return Simulator(transport.map)


def _codes(bericht: Bericht) -> set[str]:
    return {c for codes in bericht.retourcodes.values() for c in codes}


def _zaak(db, bsn=ANNA, zaaktype="wmo") -> Zaak:
    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == zaaktype)
                     .order_by(Zaak.id.desc()))


def _bestel(db, diensten, **gegevens) -> Zaak:
    zaak = _zaak(db)
    assert zaak.status == "besluit"
    voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie,
             diensten=diensten, gegevens=gegevens)
    return zaak


def _buiten_demo(kolom):
    """Leave out what the demo's own berichtenverkeer made (the zaken of domain.demo.DEMO_BERICHTEN_BSNS)."""
    from domain.demo import DEMO_BERICHTEN_BSNS

    demo_zaken = select(Zaak.id).join(Inwoner, Zaak.inwoner_id == Inwoner.id).where(
        Inwoner.bsn.in_(DEMO_BERICHTEN_BSNS))
    return or_(kolom.is_(None), kolom.not_in(demo_zaken))


def _uitgaand(db, code) -> list[Bericht]:
    db.expire_all()
    return db.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.code == code,
                                            _buiten_demo(Bericht.zaak_id)).order_by(Bericht.id)).all()


def _inkomend(db, code=None) -> list[Bericht]:
    db.expire_all()
    stmt = select(Bericht).where(Bericht.richting == "in", _buiten_demo(Bericht.zaak_id))
    if code:
        stmt = stmt.where(Bericht.code == code)
    return db.scalars(stmt.order_by(Bericht.id)).all()


def _rondje(maker, transport, sim, diensten):
    """Gemeente sends, the zorgaanbieder answers, the gemeente processes: one turn of the exchange."""
    verstuur_berichten(maker, transport)
    sim.stap()
    return verwerk_inbox(maker, transport, diensten=diensten)


def _geleverd(db, maker, transport, sim, diensten) -> Zaak:
    _bestel(db, diensten)
    telling = _rondje(maker, transport, sim, diensten)
    assert telling == {"verwerkt": 2, "afgekeurd": 0, "dubbel": 0, "fout": 0}  # 302 and 305
    return _zaak(db)


# --- Ordering: the 301 -------------------------------------------------------------------------------------


def test_bestellen_makes_a_toewijzing_and_a_valid_wmo301_in_the_same_transaction(demo, diensten):
    db = demo
    zaak = _bestel(db, diensten)
    assert zaak.status == "in_levering"
    aanbieder = db.scalar(select(Zorgaanbieder).order_by(Zorgaanbieder.id))
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    voorziening = db.get(Voorziening, toewijzing.voorziening_id)
    assert toewijzing.status == "toegewezen" and toewijzing.aanbieder_id == aanbieder.id
    assert (toewijzing.productcategorie, toewijzing.productcode, toewijzing.volume, toewijzing.eenheid,
            toewijzing.frequentie) == (voorziening.product.categorie, voorziening.product.productcode,
                                       voorziening.volume, voorziening.eenheid, voorziening.frequentie)
    assert voorziening.status == "besteld"
    [b301] = _uitgaand(db, "301")
    assert b301.status == "klaar" and b301.zaak_id == zaak.id and b301.toewijzing_id == toewijzing.id
    assert valideer(b301.xml) == []
    bericht = lees(b301.xml)
    assert bericht.header.afzender == zaak.gemeente.code and bericht.header.ontvanger == aanbieder.agb_code
    assert bericht.header.identificatie == b301.bericht_identificatie
    client = bericht.inhoud["Client"]
    assert client["Bsn"] == ANNA and client["Naam"]["Geslachtsnaam"]["Achternaam"] == "Visser"
    [product] = client["ToegewezenProducten"]["ToegewezenProduct"]
    assert product["ToewijzingNummer"] == toewijzing.toewijzingnummer
    assert product["Omvang"] == {"Volume": 2, "Eenheid": "04", "Frequentie": "2"}


def test_administratie_can_choose_the_zorgaanbieder(demo, diensten):
    db = demo
    tweede = db.scalars(select(Zorgaanbieder).order_by(Zorgaanbieder.id)).all()[1]
    zaak = _bestel(db, diensten, zorgaanbieder_id=tweede.id)
    assert db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id)).aanbieder_id == tweede.id
    assert lees(_uitgaand(db, "301")[0].xml).header.ontvanger == tweede.agb_code


def test_a_301_that_cannot_be_built_rolls_the_whole_bestelling_back(demo, diensten, monkeypatch):
    from integrations.istandaarden import OngeldigBericht

    def kapot(*args, **kwargs):
        raise OngeldigBericht("WMO301", [])

    monkeypatch.setattr("domain.berichtenverkeer.toewijzen.bouw", kapot)
    db = demo
    with pytest.raises(OvergangFout, match="301"):
        _bestel(db, diensten)
    zaak = _zaak(db)
    assert zaak.status == "besluit"
    assert db.scalar(select(func.count()).select_from(Toewijzing).where(_buiten_demo(Toewijzing.zaak_id))) == 0
    assert db.scalar(select(func.count()).select_from(Bericht).where(_buiten_demo(Bericht.zaak_id))) == 0
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    assert [v.status for v in besluit.voorzieningen] == ["gereserveerd"]


def test_without_an_active_zorgaanbieder_nothing_is_ordered(demo, diensten):
    db = demo
    for z in db.scalars(select(Zorgaanbieder)):
        z.actief = False
    db.commit()
    with pytest.raises(OvergangFout, match="zorgaanbieder"):
        _bestel(db, diensten)
    assert _zaak(db).status == "besluit"


# --- The exchange: 302 and 305 ------------------------------------------------------------------------------


def test_302_and_305_make_the_voorziening_geleverd_and_the_portal_shows_it(demo, diensten, maker, transport, sim,
                                                                         client, standin):
    db = demo
    zaak = _bestel(db, diensten)
    assert verstuur_berichten(maker, transport) == {"verzonden": 1, "uitgesteld": 0, "mislukt": 0}
    [bestand] = list(transport.uit.glob("*.xml"))
    assert bestand.name.startswith("WMO301-") and valideer(bestand.read_bytes()) == []
    assert lees(bestand.read_bytes()).inhoud["Client"]["Geslacht"] == "2"  # Anna: V in the BRP, 2 in iWmo
    assert sim.stap() == 2  # a 302 and a 305 in the in-folder
    assert sorted(p.name[:6] for p in transport.inbox.glob("*.xml")) == ["WMO302", "WMO305"]
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 2
    assert list(transport.inbox.glob("*.xml")) == [] and len(list(transport.verwerkt.glob("*.xml"))) == 2

    zaak = _zaak(db)
    assert zaak.status == "geleverd"
    [b301] = _uitgaand(db, "301")
    assert b301.status == "verwerkt" and _codes(b301) == {"0200"}
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    assert toewijzing.status == "gestart" and toewijzing.begindatum == toewijzing.ingangsdatum
    assert db.get(Voorziening, toewijzing.voorziening_id).status == "geleverd"
    historie = db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id)).all()
    assert historie[-1].status == "geleverd" and historie[-1].medewerker_id is None and not historie[-1].door_inwoner
    assert db.scalar(select(Notificatie).where(Notificatie.inwoner_id == zaak.inwoner_id,
                                               Notificatie.onderwerp == "Uw ondersteuning is begonnen")) is not None
    [b306] = _uitgaand(db, "306")
    assert b306.status == "klaar" and valideer(b306.xml) == [] and b306.ontvanger == toewijzing.aanbieder.agb_code
    assert _codes(b306) == {"0200"}

    digid_inloggen(client, bsn=ANNA)
    pagina = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert '<li class="kt-nu">U krijgt uw ondersteuning<' in pagina  # the timeline, in her words
    assert "Uw ondersteuning is gestopt" not in pagina  # optional: not announced ahead


def test_a_302_with_objections_marks_the_toewijzing_afgewezen_and_makes_an_actie(demo, diensten, maker, transport):
    from integrations.istandaarden import retourbericht

    db = demo
    zaak = _bestel(db, diensten)
    [b301] = _uitgaand(db, "301")
    afwijzing = retourbericht(lees(b301.xml), {"Client/ToegewezenProducten/ToegewezenProduct[0]": ["9332"]})
    uitkomst = verwerk_een(maker, afwijzing, diensten=diensten)
    assert uitkomst.uitkomst == "verwerkt" and uitkomst.antwoord is None  # a retourbericht is not answered
    db.expire_all()
    assert db.get(Bericht, b301.id).status == "afgekeurd"
    assert db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id)).status == "afgewezen"
    actie = db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "toewijzing_afgewezen"))
    assert actie.team.code == "administratie" and "9332" in actie.omschrijving


def test_a_duplicate_305_never_starts_the_care_twice(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    [eerste_305] = [p for p in transport.verwerkt.glob("WMO305-*.xml")]

    # The very same message again (e.g. delivered twice): recognised by its BerichtIdentificatie, not processed.
    (transport.inbox / "nogmaals.xml").write_bytes(eerste_305.read_bytes())
    assert verwerk_inbox(maker, transport, diensten=diensten)["dubbel"] == 1
    # A new 305 for the same toewijzing: processed, but refused with 9074 instead of starting the care again.
    sim.stuur_start(toewijzing.toewijzingnummer)
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1

    assert len(_inkomend(db, "305")) == 2
    tweede_306 = _uitgaand(db, "306")[-1]
    assert tweede_306.retourcodes["Client/StartProducten/StartProduct[0]"] == ["9074"]
    zaak = _zaak(db)
    starts = db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id,
                                                     StatusHistorie.status == "geleverd")).all()
    assert len(starts) == 1 and zaak.status == "geleverd"
    assert db.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.onderwerp == "Uw ondersteuning is begonnen", _buiten_demo(Notificatie.zaak_id))) == 1


def _starts(db) -> int:
    return db.scalar(select(func.count()).select_from(StatusHistorie).where(
        StatusHistorie.overgang == "levering_gestart", _buiten_demo(StatusHistorie.zaak_id)))


def test_the_same_message_twice_in_one_sweep_is_processed_once(demo, diensten, maker, transport, sim):
    db = demo
    _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    sim.stap()  # 302 and 305
    [start] = transport.inbox.glob("WMO305-*.xml")
    (transport.inbox / "WMO305-kopie.xml").write_bytes(start.read_bytes())
    # The three are one group: the copy is recognised although the first is not committed yet.
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 2, "afgekeurd": 0, "dubbel": 1,
                                                                    "fout": 0}
    assert len(_inkomend(db, "305")) == 1 and len(_uitgaand(db, "306")) == 1 and _starts(db) == 1
    assert transport.binnengekomen() == []


def test_start_second_start_and_stop_in_one_sweep_follow_each_other(demo, diensten, maker, transport, sim):
    """Later messages of a group see what the earlier ones changed, though nothing is written until the end."""
    db = demo
    _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    sim.stap()  # 302 and 305
    nummer = db.scalar(select(Toewijzing.toewijzingnummer).where(Toewijzing.zaak_id == _zaak(db).id))
    sim.stuur_start(nummer)  # a second start: refused with 9074
    sim.stuur_stop(nummer)  # then the stop
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 4
    zaak = _zaak(db)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    assert t.status == "gestopt" and zaak.status == "beeindigd" and _starts(db) == 1
    eerste, tweede = _uitgaand(db, "306")
    assert _codes(eerste) == {"0200"} and tweede.retourcodes["Client/StartProducten/StartProduct[0]"] == ["9074"]
    [b308] = _uitgaand(db, "308")
    assert _codes(b308) == {"0200"} and b308.heenbericht.code == "307"
    assert [h.status for h in db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id)
                                         .order_by(StatusHistorie.id))][-2:] == ["geleverd", "beeindigd"]


def test_a_message_another_sweep_stored_meanwhile_counts_as_dubbel(demo, diensten, maker, transport, sim,
                                                                   monkeypatch):
    """Two sweeps on two hosts pick up the same file: the unique key refuses the second insert, the group rolls
    back and is done again one by one, and then the message is a duplicate. (Messages about a toewijzing cannot
    race like this: the group locks those toewijzingen, so the second sweep waits; a 315 names none.)"""
    import domain.berichtenverkeer.ontvangen as bv

    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_toewijzing(
        gemeente=zaak.gemeente.code, agb=t.aanbieder.agb_code, referentie="VOT-RACE-1",
        client=sim.toewijzing(t.toewijzingnummer).client, product={"Categorie": "02", "Code": "02A01"},
        ingangsdatum=t.ingangsdatum + dt.timedelta(days=14), omvang={"Volume": 1, "Eenheid": "04", "Frequentie": "2"})
    [verzoek] = transport.inbox.glob("WMO315-*.xml")
    echt = bv.Voorraad.laad.__func__

    def de_ander_was_sneller(cls, session, berichten):
        voorraad = echt(cls, session, berichten)
        if not getattr(de_ander_was_sneller, "gedaan", False):
            de_ander_was_sneller.gedaan = True
            verwerk_een(maker, verzoek.read_bytes(), naam=verzoek.name, diensten=diensten)  # commits on its own
        return voorraad

    monkeypatch.setattr(bv.Voorraad, "laad", classmethod(de_ander_was_sneller))
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 0, "afgekeurd": 0, "dubbel": 1,
                                                                    "fout": 0}
    assert len(_inkomend(db, "315")) == 1 and len(_uitgaand(db, "316")) == 1
    assert db.scalar(select(func.count()).select_from(Actie).where(Actie.soort == "verzoek_om_toewijzing",
                                                                   _buiten_demo(Actie.zaak_id))) == 1


def test_two_sweeps_at_once_on_the_same_folder_start_the_care_once(demo, diensten, maker, transport, sim):
    """`keukentafel worker` may run on several hosts: two sweeps pick up the same files at the same moment. Copies
    of one 305 and other 305s for the same toewijzing: one start, every message stored and answered once."""
    import threading

    db = demo
    _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    sim.stap()  # 302 and 305
    nummer = db.scalar(select(Toewijzing.toewijzingnummer).where(Toewijzing.zaak_id == _zaak(db).id))
    [start] = transport.inbox.glob("WMO305-*.xml")
    for i in range(4):
        (transport.inbox / f"WMO305-kopie{i}.xml").write_bytes(start.read_bytes())  # the same message again
        sim.stuur_start(nummer)  # another start for the same toewijzing
    db.commit()
    fouten = []

    def sweep():
        try:
            while verwerk_inbox(maker, MapTransport(transport.map), diensten=diensten, per_transactie=3) != {
                    "verwerkt": 0, "afgekeurd": 0, "dubbel": 0, "fout": 0}:
                pass
        except Exception as exc:  # noqa: BLE001 - reported below
            fouten.append(exc)

    draden = [threading.Thread(target=sweep) for _ in range(2)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(120)
    assert fouten == [] and transport.binnengekomen() == []
    assert _starts(db) == 1 and _zaak(db).status == "geleverd"
    assert len(_inkomend(db, "305")) == 5 and len(_uitgaand(db, "306")) == 5  # 1 + 4 distinct identifications
    codes = sorted(tuple(b.retourcodes["Client/StartProducten/StartProduct[0]"]) for b in _uitgaand(db, "306"))
    assert codes == [("0200",)] + [("9074",)] * 4


def test_307_ends_the_support_and_a_308_goes_back(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    einde = toewijzing.ingangsdatum + dt.timedelta(days=40)
    # The standard makes an identification unique per berichtsoort: a 307 may carry the 305's. Not a duplicate.
    stop = lees(sim.stuur_stop(toewijzing.toewijzingnummer, einddatum=einde))
    stop.header.identificatie = _inkomend(db, "305")[0].bericht_identificatie
    for p in transport.inbox.glob("WMO307-*.xml"):
        p.write_bytes(schrijf(stop))
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    db.expire_all()
    toewijzing = db.get(Toewijzing, toewijzing.id)
    assert toewijzing.status == "gestopt" and toewijzing.einddatum_levering == einde
    assert toewijzing.reden_beeindiging == "19"
    assert db.get(Voorziening, toewijzing.voorziening_id).status == "beeindigd"
    assert _zaak(db).status == "beeindigd"
    [b308] = _uitgaand(db, "308")
    assert valideer(b308.xml) == [] and _codes(b308) == {"0200"}
    # The 308 reaches the zorgaanbieder.
    verstuur_berichten(maker, transport)
    sim.stap()
    assert "308" in [b.code for b in sim.ontvangen]
    # A second stop for the same start is refused (9415); nothing changes.
    sim.stuur_stop(toewijzing.toewijzingnummer, einddatum=einde)
    verwerk_inbox(maker, transport, diensten=diensten)
    assert _uitgaand(db, "308")[-1].retourcodes["Client/StopProducten/StopProduct[0]"] == ["9415"]


def test_315_and_317_make_an_actie_for_the_team_and_are_answered(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_wijziging(toewijzing.toewijzingnummer, volume=4)
    anna = db.scalar(select(Inwoner).where(Inwoner.bsn == ANNA))
    sim.stuur_verzoek_toewijzing(
        gemeente=zaak.gemeente.code, agb=toewijzing.aanbieder.agb_code,
        client={"Bsn": ANNA, "Geboortedatum": {"Datum": anna.geboortedatum}, "Geslacht": "2",
                "Naam": {"Geslachtsnaam": {"Achternaam": "Visser"}, "Voorletters": "A"}},
        product={"Categorie": "02", "Code": "02A01"}, ingangsdatum=tijd.vandaag() + dt.timedelta(days=14),
        omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 2
    acties = db.scalars(select(Actie).where(Actie.zaak_id == zaak.id, Actie.afgerond.is_(None))
                        .order_by(Actie.id)).all()
    soorten = {a.soort: a for a in acties}
    assert {"verzoek_om_wijziging", "verzoek_om_toewijzing"} <= set(soorten)
    assert soorten["verzoek_om_wijziging"].team.code == "wmo"
    assert "1 product te wijzigen en 0 nieuwe producten." in soorten["verzoek_om_wijziging"].omschrijving
    assert toewijzing.aanbieder.naam in soorten["verzoek_om_toewijzing"].omschrijving
    [b318] = _uitgaand(db, "318")
    [b316] = _uitgaand(db, "316")
    assert valideer(b318.xml) == [] and valideer(b316.xml) == []
    assert _codes(b318) == {"0200"}


def test_323_declaratie_is_checked_against_the_toewijzing(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))  # 2 uur per week
    begin = t.ingangsdatum
    eind = begin + dt.timedelta(days=13)  # two weeks: at most 4 hours
    sim.stuur_declaratie(t.toewijzingnummer, begin=begin, eind=eind, volume=4, tarief=3250)
    sim.stuur_declaratie(t.toewijzingnummer, begin=begin, eind=eind, volume=9, tarief=3250)
    sim.stuur_declaratie(t.toewijzingnummer, begin=begin - dt.timedelta(days=30), eind=eind, volume=1, tarief=3250)
    verwerk_inbox(maker, transport, diensten=diensten)
    goed, te_veel, te_vroeg = _uitgaand(db, "325")
    pad = "Declaratie/Clienten/Client[0]/Prestaties/Prestatie[0]"
    assert goed.retourcodes[pad] == ["0200"]
    assert lees(goed.xml).inhoud["DeclaratieAntwoord"]["TotaalToegekendBedrag"]["TotaalBedrag"] == 4 * 3250
    assert te_veel.retourcodes[pad] == ["9321"]
    assert "9307" in te_vroeg.retourcodes[pad]
    assert all(valideer(b.xml) == [] for b in (goed, te_veel, te_vroeg))


# --- Robustness -------------------------------------------------------------------------------------------------


def test_invalid_incoming_xml_is_stored_afgekeurd_and_answered_with_0001(demo, diensten, maker, transport, sim):
    db = demo
    _geleverd(db, maker, transport, sim, diensten)
    goed = next(transport.verwerkt.glob("WMO305-*.xml")).read_bytes()
    kapot = goed.replace(b"<wmo305:StatusAanlevering>1<", b"<wmo305:StatusAanlevering>7<")
    assert kapot != goed and valideer(kapot) != []
    (transport.inbox / "kapot.xml").write_bytes(kapot)
    (transport.inbox / "geen-xml.xml").write_bytes(b"dit is geen <xml")
    telling = verwerk_inbox(maker, transport, diensten=diensten)
    assert telling == {"verwerkt": 0, "afgekeurd": 2, "dubbel": 0, "fout": 0}
    afgekeurd = [b for b in _inkomend(db) if b.status == "afgekeurd"]
    assert len(afgekeurd) == 2 and {b.bestandsnaam for b in afgekeurd} == {"kapot.xml", "geen-xml.xml"}
    assert all(b.xml in (kapot, b"dit is geen <xml") and b.laatste_fout for b in afgekeurd)  # nothing dropped
    retour = _uitgaand(db, "306")[-1]
    assert retour.retourcodes == {"Header": ["0001"]} and valideer(retour.xml) == []
    assert lees(retour.xml).header.retourcodes == ["0001"]
    # The same broken file again is recognised (by its SHA-256) and not stored twice.
    (transport.inbox / "kapot-nogmaals.xml").write_bytes(kapot)
    assert verwerk_inbox(maker, transport, diensten=diensten)["dubbel"] == 1
    assert len([b for b in _inkomend(db) if b.status == "afgekeurd"]) == 2


def _drie_berichten(db, maker, transport, sim, diensten):
    """A 302, a 305 and a 317 waiting in the in-folder."""
    zaak = _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    sim.stap()
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=3)
    assert len(transport.binnengekomen()) == 3
    return zaak


def _telling(db):
    db.expire_all()
    return {
        "in": db.scalar(select(func.count()).select_from(Bericht).where(Bericht.richting == "in",
                                                                         _buiten_demo(Bericht.zaak_id))),
        "antwoorden": db.scalar(select(func.count()).select_from(Bericht).where(
            Bericht.richting == "uit", Bericht.code != "301", Bericht.standaard.in_(("iwmo", "ijw")),
            _buiten_demo(Bericht.zaak_id))),
        "acties": db.scalar(select(func.count()).select_from(Actie).where(Actie.soort == "verzoek_om_wijziging",
                                                                          _buiten_demo(Actie.zaak_id))),
        "starts": db.scalar(select(func.count()).select_from(StatusHistorie).where(
            StatusHistorie.status == "geleverd", _buiten_demo(StatusHistorie.zaak_id))),
    }


def test_a_crash_during_the_second_file_loses_nothing_and_repeats_nothing(demo, diensten, maker, transport, sim,
                                                                         monkeypatch):
    import domain.berichtenverkeer.ontvangen as bv

    db = demo
    _drie_berichten(db, maker, transport, sim, diensten)
    echt = bv.verwerk_inkomend
    aanroepen = []

    def crasht_bij_de_tweede(session, xml, nu=None, **kw):
        aanroepen.append(1)
        uitkomst = echt(session, xml, nu, **kw)
        if len(aanroepen) == 2:
            raise Crash("stroom uitgevallen midden in het verwerken")
        return uitkomst

    monkeypatch.setattr(bv, "verwerk_inkomend", crasht_bij_de_tweede)
    with pytest.raises(Crash):
        verwerk_inbox(maker, transport, diensten=diensten)
    # The three share one transaction: the crash rolled the first back too, and every file is still waiting.
    assert _telling(db) == {"in": 0, "antwoorden": 0, "acties": 0, "starts": 0}
    assert len(transport.binnengekomen()) == 3

    monkeypatch.setattr(bv, "verwerk_inkomend", echt)
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 3, "afgekeurd": 0, "dubbel": 0, "fout": 0}
    assert _telling(db) == {"in": 3, "antwoorden": 2, "acties": 1, "starts": 1}
    assert transport.binnengekomen() == []


def test_a_crash_after_commit_before_the_file_is_moved_repeats_nothing(demo, diensten, maker, transport, sim,
                                                                      monkeypatch):
    db = demo
    _drie_berichten(db, maker, transport, sim, diensten)
    echt = MapTransport.afgehandeld
    aanroepen = []

    def crasht(self, item):
        aanroepen.append(item.naam)
        if len(aanroepen) == 2:
            raise Crash("gestopt na de commit, voor het verplaatsen")
        echt(self, item)

    monkeypatch.setattr(MapTransport, "afgehandeld", crasht)
    with pytest.raises(Crash):
        verwerk_inbox(maker, transport, diensten=diensten)
    # All three were committed together; only the first file was moved before the crash.
    assert _telling(db) == {"in": 3, "antwoorden": 2, "acties": 1, "starts": 1}
    assert len(transport.binnengekomen()) == 2

    monkeypatch.setattr(MapTransport, "afgehandeld", echt)
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 0, "afgekeurd": 0, "dubbel": 2, "fout": 0}
    assert _telling(db) == {"in": 3, "antwoorden": 2, "acties": 1, "starts": 1}
    assert transport.binnengekomen() == []


def test_an_error_in_one_file_does_not_stop_the_others(demo, diensten, maker, transport, sim, monkeypatch):
    import domain.berichtenverkeer.ontvangen as bv

    db = demo
    _drie_berichten(db, maker, transport, sim, diensten)
    echt = bv.verwerk_inkomend

    def fout_bij_305(session, xml, nu=None, **kw):
        if b"wmo305" in xml:
            raise RuntimeError("programmeerfout")
        return echt(session, xml, nu, **kw)

    monkeypatch.setattr(bv, "verwerk_inkomend", fout_bij_305)
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 2, "afgekeurd": 0, "dubbel": 0, "fout": 1}
    assert [i.naam[:6] for i in transport.binnengekomen()] == ["WMO305"]
    monkeypatch.setattr(bv, "verwerk_inkomend", echt)
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    assert _zaak(db).status == "geleverd"


def test_outbox_retries_with_backoff_and_gives_up(demo, diensten, maker):
    db = demo
    _bestel(db, diensten)

    class Stuk:
        def verstuur(self, naam, xml):
            raise OSError("map niet bereikbaar")

    nu = dt.datetime.now(dt.UTC)
    assert verstuur_berichten(maker, Stuk(), nu=nu) == {"verzonden": 0, "uitgesteld": 1, "mislukt": 0}
    assert verstuur_berichten(maker, Stuk(), nu=nu) == {"verzonden": 0, "uitgesteld": 0, "mislukt": 0}  # not due yet
    [b301] = _uitgaand(db, "301")
    assert b301.pogingen == 1 and "map niet bereikbaar" in b301.laatste_fout
    assert b301.volgende_poging > nu
    later = nu
    for _ in range(7):
        later += dt.timedelta(hours=7)
        verstuur_berichten(maker, Stuk(), nu=later, max_pogingen=8)
    [b301] = _uitgaand(db, "301")
    assert b301.status == "mislukt" and b301.pogingen == 8


def test_all_example_messages_import_cleanly(demo, diensten, maker):
    db = demo
    for pad in sorted(VOORBEELDEN.glob("WMO3*.xml")):
        verwerking = verwerk_een(maker, pad.read_bytes(), naam=pad.name, diensten=diensten)
        b = verwerking.bericht
        assert b is not None and b.bestandsnaam == pad.name, pad.name
        if b.code in ("301", "319"):  # messages a gemeente sends itself: stored, explained, not processed
            assert b.status == "afgekeurd" and "verstuurt een gemeente zelf" in b.laatste_fout
            assert verwerking.antwoord is None
        else:
            assert b.status == "verwerkt", (pad.name, b.laatste_fout)
            assert verwerking.antwoord is not None and valideer(verwerking.antwoord.xml) == []
    assert len(_inkomend(db)) == 7
    antwoorden = {b.code: b for b in _uitgaand(db, "306") + _uitgaand(db, "308") + _uitgaand(db, "318")
                  + _uitgaand(db, "325") + _uitgaand(db, "316")}
    assert set(antwoorden) == {"306", "308", "316", "318", "325"}
    # They refer to toewijzingen that do not exist here: answered with the matching retourcodes.
    assert antwoorden["306"].retourcodes["Client/StartProducten/StartProduct[0]"] == ["9019"]
    assert antwoorden["308"].retourcodes["Client/StopProducten/StopProduct[0]"] == ["9019"]
    assert antwoorden["318"].retourcodes["Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[0]"] == ["9351"]
    assert antwoorden["325"].retourcodes["Declaratie/Clienten/Client[0]/Prestaties/Prestatie[0]"] == ["9338"]
    # Importing them again changes nothing.
    for pad in sorted(VOORBEELDEN.glob("WMO3*.xml")):
        assert verwerk_een(maker, pad.read_bytes(), naam=pad.name, diensten=diensten).dubbel
    assert len(_inkomend(db)) == 7


def test_verwerk_inkomend_does_not_commit(demo, diensten):
    db = demo
    verwerk_inkomend(db, (VOORBEELDEN / "WMO305.xml").read_bytes(), diensten=diensten)
    db.rollback()
    assert _inkomend(db) == []


# --- CLI, scheduler and screens ----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("KEUKENTAFEL_BERICHTEN_MAP", str(tmp_path / "cli-berichten"))


def test_cli_export_writes_every_outgoing_message_as_valid_xml(demo, diensten, cli_env, tmp_path, capsys):
    from app.cli import main

    db = demo
    _bestel(db, diensten)
    verwerk_inkomend(db, (VOORBEELDEN / "WMO305.xml").read_bytes(), diensten=diensten)
    db.commit()
    doel = tmp_path / "export"
    assert main(["berichten", "export", str(doel)]) == 0
    totaal = db.scalar(select(func.count()).select_from(Bericht).where(Bericht.richting == "uit"))  # demo's too
    assert f"{getal(totaal)} uitgaande berichten geschreven" in capsys.readouterr().out
    namen = sorted(p.name for p in doel.iterdir())
    assert len(namen) == totaal
    # Ours: the 301, the 306 and the iEb stand-in.
    uitgaand = {f"{b.code}-{b.bericht_identificatie}.xml" for b in _uitgaand(db, "301") + _uitgaand(db, "306")}
    [standin] = _uitgaand(db, "eb")
    assert uitgaand | {f"eb-{standin.bericht_identificatie}.xml"} <= set(namen)
    assert all(valideer((doel / n).read_bytes()) == [] for n in uitgaand)  # the stand-in has no XSD yet


def test_cli_import_processes_files_as_if_received(demo, cli_env, capsys):
    from app.cli import main

    bestanden = [str(VOORBEELDEN / "WMO305.xml"), str(VOORBEELDEN / "WMO323.xml")]
    assert main(["berichten", "import", *bestanden]) == 0
    uit = capsys.readouterr().out
    assert "WMO305.xml: WMO305 verwerkt, antwoord WMO306" in uit and "WMO323.xml: WMO323 verwerkt, antwoord WMO325" in uit
    assert main(["berichten", "import", bestanden[0]]) == 0
    assert "dubbel" in capsys.readouterr().out
    assert len(_inkomend(demo)) == 2


def test_the_scheduler_job_runs_both_sweeps(demo, diensten, settings, maker, cli_env, tmp_path):
    from app.scheduler import berichten_job

    db = demo
    _bestel(db, diensten)
    sim = Simulator(tmp_path / "cli-berichten")
    berichten_job(settings, maker)()  # sends the 301
    sim.stap()
    berichten_job(settings, maker)()  # processes 302 and 305, sends the 306
    assert _zaak(db).status == "geleverd"
    assert _uitgaand(db, "306")[0].status == "verzonden"


def test_administratie_orders_in_the_backoffice_and_follows_the_messages(demo, client, diensten, maker, transport,
                                                                        sim):
    db = demo
    zaak = _zaak(db)
    medewerker_inloggen(client, "administratie")
    html = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert f"/backoffice/zaken/{zaak.id}/bestellen" in html and "Berichtenverkeer" in html
    url = f"/backoffice/zaken/{zaak.id}/bestellen"
    formulier = client.get(url).get_data(as_text=True)
    assert "Thuiszorg De Linde" in formulier and "Begeleiding Oostwaard" in formulier
    tweede = db.scalars(select(Zorgaanbieder).order_by(Zorgaanbieder.id)).all()[1]
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "versie": zaak.versie,
                               "zorgaanbieder_id": tweede.id}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "De voorziening is besteld" in html and "WMO301" in html
    assert _zaak(db).status == "in_levering"

    verstuur_berichten(maker, transport)
    sim.stap()
    verwerk_inbox(maker, transport, diensten=diensten)
    lijst = client.get("/backoffice/berichten").get_data(as_text=True)
    assert all(n in lijst for n in ("WMO301", "WMO302", "WMO305", "WMO306"))
    alleen_in = client.get("/backoffice/berichten?richting=in&code=305").get_data(as_text=True)
    assert "WMO305" in alleen_in and "WMO301" not in alleen_in
    [b301] = _uitgaand(db, "301")
    detail = client.get(f"/backoffice/berichten/{b301.id}").get_data(as_text=True)
    assert "Geen opmerking over deze berichtklasse." in detail and "ToegewezenProduct" in detail
    assert "Begeleiding Oostwaard" in detail
    zaakpagina = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Berichtenverkeer met de zorgaanbieder" in zaakpagina and "Voorziening geleverd" in zaakpagina


def test_berichtenverkeer_is_for_administratie_only(demo, client):
    medewerker_inloggen(client, "wmo")
    assert client.get("/backoffice/berichten").status_code == 403
    assert "Berichtenverkeer" not in client.get("/backoffice/werkvoorraad").get_data(as_text=True)


def test_berichten_list_pages_by_keyset(demo, diensten, maker, client):
    for pad in sorted(VOORBEELDEN.glob("WMO3*.xml")):
        verwerk_een(maker, pad.read_bytes(), naam=pad.name, diensten=diensten)
    import backoffice.berichten as scherm

    scherm.PAGINA, oud = 4, scherm.PAGINA
    try:
        medewerker_inloggen(client, "administratie")
        eerste = client.get("/backoffice/berichten").get_data(as_text=True)
        import re

        volgende = re.search(r'href="(/backoffice/berichten\?voor=\d+)"', eerste)
        assert volgende, eerste
        tweede = client.get(volgende.group(1).replace("&amp;", "&")).get_data(as_text=True)
        ids = lambda h: set(re.findall(r"/backoffice/berichten/(\d+)", h.split("Berichten, nieuwste eerst")[1]))
        assert ids(eerste) and ids(tweede) and not ids(eerste) & ids(tweede)
    finally:
        scherm.PAGINA = oud


def test_a_file_that_keeps_failing_is_set_aside_shown_and_can_be_put_back(demo, diensten, maker, transport, sim,
                                                                          client, monkeypatch):
    import domain.berichtenverkeer.ontvangen as bv

    db = demo
    _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    sim.stap()  # 302 and 305
    monkeypatch.setenv("KEUKENTAFEL_BERICHTEN_MAP", str(transport.map))  # the screen looks at the same folder
    echt = bv.verwerk_inkomend

    def fout_bij_305(session, xml, nu=None, **kw):
        if b"wmo305" in xml:
            raise RuntimeError(f"programmeerfout bij BSN {ANNA}")
        return echt(session, xml, nu, **kw)

    monkeypatch.setattr(bv, "verwerk_inkomend", fout_bij_305)
    assert verwerk_inbox(maker, transport, diensten=diensten) == {"verwerkt": 1, "afgekeurd": 0, "dubbel": 0, "fout": 1}
    assert verwerk_inbox(maker, transport, diensten=diensten)["fout"] == 1
    assert [i.naam[:6] for i in transport.binnengekomen()] == ["WMO305"]  # twice: still waiting in in/
    assert verwerk_inbox(maker, transport, diensten=diensten)["fout"] == 1
    assert transport.binnengekomen() == []  # the third time it is set aside and no longer holds anything up
    [vast] = transport.vastgelopen()
    assert vast.naam.startswith("WMO305-") and vast.pogingen == 3 and "programmeerfout" in vast.fout
    assert ANNA not in vast.fout  # shown on screen: no BSN

    medewerker_inloggen(client, "administratie")
    pagina = client.get("/backoffice/berichten").get_data(as_text=True)
    assert "Vastgelopen ontvangen berichten" in pagina and vast.naam in pagina
    monkeypatch.setattr(bv, "verwerk_inkomend", echt)  # the cause is fixed
    html = client.post(f"/backoffice/berichten/vastgelopen/{vast.naam}",
                       data={"csrf_token": csrf_token(client, "/backoffice/berichten")},
                       follow_redirects=True).get_data(as_text=True)
    assert "staat weer in de inbox" in html and "Vastgelopen ontvangen berichten" not in html
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    assert _zaak(db).status == "geleverd"
    # A name that is not there (or tries to leave the folder) is refused.
    token = csrf_token(client, "/backoffice/berichten")
    for naam in ("WMO305-BESTAATNIET.xml", "..%2Fgeheim.xml"):
        html = client.post(f"/backoffice/berichten/vastgelopen/{naam}", data={"csrf_token": token},
                           follow_redirects=True).get_data(as_text=True)
        assert "niet (meer) bij de vastgelopen berichten" in html or "Pagina niet gevonden" in html


def test_a_301_without_answer_can_be_sent_again_with_the_same_identification(demo, diensten, maker, transport,
                                                                             client):
    db = demo
    _bestel(db, diensten)
    verstuur_berichten(maker, transport)
    [b301] = _uitgaand(db, "301")
    assert b301.status == "verzonden"
    [bestand] = transport.uit.glob("WMO301-*.xml")
    bestand.unlink()  # lost on the way
    medewerker_inloggen(client, "administratie")
    pagina = client.get(f"/backoffice/berichten/{b301.id}").get_data(as_text=True)
    assert "Nog geen antwoord van de zorgaanbieder?" in pagina
    html = client.post(f"/backoffice/berichten/{b301.id}/opnieuw",
                       data={"csrf_token": csrf_token(client, f"/backoffice/berichten/{b301.id}")},
                       follow_redirects=True).get_data(as_text=True)
    assert "staat weer klaar om verstuurd te worden" in html
    assert verstuur_berichten(maker, transport)["verzonden"] == 1
    [opnieuw] = transport.uit.glob("WMO301-*.xml")
    assert opnieuw.name == bestand.name and opnieuw.read_bytes() == b301.xml
    # Once the zorgaanbieder answered (302), sending it again is no longer offered.
    db.expire_all()
    db.get(Bericht, b301.id).status = "verwerkt"
    db.commit()
    html = client.post(f"/backoffice/berichten/{b301.id}/opnieuw",
                       data={"csrf_token": csrf_token(client, f"/backoffice/berichten/{b301.id}")},
                       follow_redirects=True).get_data(as_text=True)
    assert "kan opnieuw verstuurd worden" in html


def test_berichten_can_be_filtered_by_zorgaanbieder(demo, diensten, client):
    db = demo
    _bestel(db, diensten)
    [b301] = _uitgaand(db, "301")
    andere = db.scalar(select(Zorgaanbieder).where(Zorgaanbieder.id != b301.aanbieder_id))
    medewerker_inloggen(client, "administratie")
    eigen = client.get(f"/backoffice/berichten?aanbieder={b301.aanbieder_id}&code=301").get_data(as_text=True)
    assert f"/backoffice/berichten/{b301.id}\"" in eigen
    anders = client.get(f"/backoffice/berichten?aanbieder={andere.id}&code=301").get_data(as_text=True)
    assert f"/backoffice/berichten/{b301.id}\"" not in anders


def test_the_berichten_page_shows_what_waits_for_an_answer(demo, diensten, maker, transport, sim, client):
    db = demo
    zaak, t, b315, b317 = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "administratie")
    pagina = client.get("/backoffice/berichten").get_data(as_text=True)
    assert "Verzoeken die op ons antwoord wachten" in pagina
    assert f"/backoffice/berichten/{b315.id}\"" in pagina and f"/backoffice/berichten/{b317.id}\"" in pagina
    _antwoord(client, b317, antwoord="afgewezen", reden="4")
    _antwoord(client, b315, antwoord="in_onderzoek")
    pagina = client.get("/backoffice/berichten").get_data(as_text=True)
    deel = pagina.split("Verzoeken die op ons antwoord wachten")[1].split("</ul>")[0]
    assert f"/backoffice/berichten/{b315.id}\"" in deel and f"/backoffice/berichten/{b317.id}\"" not in deel
    # A 319 sent four days ago without its 320: resend it from its page.
    [b319] = [b for b in _uitgaand(db, "319") if b.heenbericht_id == b317.id]
    b319.status, b319.verzonden = "verzonden", dt.datetime.now(dt.UTC) - dt.timedelta(days=4)
    db.commit()
    pagina = client.get("/backoffice/berichten").get_data(as_text=True)
    assert "nog geen retourbericht" in pagina and f"/backoffice/berichten/{b319.id}\"" in pagina
    # A long list says that it shows only the oldest.
    import backoffice.berichten as scherm

    scherm.AANDACHT, oud = 1, scherm.AANDACHT
    try:
        assert "Hier staan de oudste 1" in client.get("/backoffice/berichten").get_data(as_text=True)
    finally:
        scherm.AANDACHT = oud


def test_only_administratie_may_open_the_bestelformulier(demo, client):
    zaak = _zaak(demo)
    medewerker_inloggen(client, "wmo")
    assert client.get(f"/backoffice/zaken/{zaak.id}/bestellen").status_code == 403


# --- Withdrawal of the besluit: the toewijzing ends with a new 301 ------------------------------------------------


def _trek_in(db, diensten, nu=None):
    """The besluit is taken back the way the law has it: the inwoner objects, juridische zaken declare the bezwaar
    gegrond, which reopens the zaak (heropenen_na_bezwaar is only possible then)."""
    from domain.bezwaren import dien_bezwaar_in

    zaak = _zaak(db)
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, zaak.inwoner.bsn), zaak, gronden="Het is anders gegaan.",
                              contact_hoorzitting="", diensten=diensten, nu=nu)
    juridisch = medewerker(db, "juridisch")
    voer_uit(db, juridisch, bezwaar, "in_behandeling_nemen", verwachte_versie=bezwaar.versie, diensten=diensten, nu=nu)
    horen_achterwege(db, juridisch, bezwaar, diensten, grond="tegemoetgekomen", nu=nu)
    voer_uit(db, juridisch, bezwaar, "beslissen", verwachte_versie=bezwaar.versie, diensten=diensten, nu=nu,
             gegevens={"uitkomst": "gegrond", "motivering": "Het besluit klopt niet."})
    return _zaak(db)


def test_withdrawing_a_besluit_ends_a_running_toewijzing_with_a_new_301(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    assert t.status == "gestart" and t.einddatum > t.ingangsdatum
    morgen = dt.datetime.combine(t.ingangsdatum + dt.timedelta(days=1), dt.time(11, 0), dt.UTC)
    zaak = _trek_in(db, diensten, nu=morgen)
    assert zaak.status == "aanvraag"
    db.expire_all()
    t = db.get(Toewijzing, t.id)
    assert t.einddatum == morgen.date() and t.reden_wijziging == "05"  # Herbeoordeling: verkorting toewijzing
    eerste, tweede = _uitgaand(db, "301")
    assert tweede.status == "klaar" and tweede.zaak_id == zaak.id and tweede.toewijzing_id == t.id
    assert valideer(tweede.xml) == []
    [product] = lees(tweede.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]
    assert product["ToewijzingNummer"] == t.toewijzingnummer
    assert product["Einddatum"] == morgen.date() and product["RedenWijziging"] == "05"
    assert db.get(Voorziening, t.voorziening_id).status == "beeindigd"
    # The zorgaanbieder gets it and accepts it like any 301.
    assert verstuur_berichten(maker, transport, nu=morgen)["verzonden"] == 2  # the 306 and the new 301
    sim.stap()
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    assert sim.toewijzing(t.toewijzingnummer).einddatum == morgen.date()


def test_withdrawing_before_the_care_started_removes_the_toewijzing_with_reden_13(demo, diensten):
    db = demo
    zaak = _bestel(db, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    _trek_in(db, diensten, nu=dt.datetime.combine(t.ingangsdatum, dt.time(9, 0), dt.UTC))
    db.expire_all()
    t = db.get(Toewijzing, t.id)
    assert t.einddatum == t.ingangsdatum and t.reden_wijziging == "13"  # Verwijderd
    b301 = _uitgaand(db, "301")[-1]
    assert len(_uitgaand(db, "301")) == 2 and valideer(b301.xml) == []
    [product] = lees(b301.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]
    assert (product["Einddatum"], product["RedenWijziging"]) == (t.ingangsdatum, "13")


def test_withdrawing_a_besluit_that_was_never_ordered_sends_nothing(demo, diensten):
    db = demo
    assert _trek_in(db, diensten).status == "aanvraag"
    assert _uitgaand(db, "301") == []


def test_a_301_that_cannot_be_built_keeps_the_besluit_standing(demo, diensten, monkeypatch):
    from integrations.istandaarden import OngeldigBericht

    db = demo
    zaak = _bestel(db, diensten)

    def kapot(*args, **kwargs):
        raise OngeldigBericht("WMO301", [])

    monkeypatch.setattr("domain.berichtenverkeer.toewijzen.bouw", kapot)
    with pytest.raises(OvergangFout, match="301"):
        _trek_in(db, diensten)
    db.rollback()
    assert _zaak(db).status == "in_levering"
    assert db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id)).status == "vastgesteld"
    assert db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id)).reden_wijziging is None
    assert len(_uitgaand(db, "301")) == 1


# --- Answering a 315/317 from the screen ---------------------------------------------------------------------------


def _verzoeken(db, maker, transport, sim, diensten):
    """Anna gets her care; then the zorgaanbieder asks for a change (317) and a new toewijzing (315)."""
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=4, ingangsdatum=t.ingangsdatum + dt.timedelta(days=7))
    anna = db.scalar(select(Inwoner).where(Inwoner.bsn == ANNA))
    sim.stuur_verzoek_toewijzing(
        gemeente=zaak.gemeente.code, agb=t.aanbieder.agb_code, referentie="VOT-ANNA-1",
        client={"Bsn": ANNA, "Geboortedatum": {"Datum": anna.geboortedatum}, "Geslacht": "2",
                "Naam": {"Geslachtsnaam": {"Achternaam": "Visser"}, "Voorletters": "A"}},
        product={"Categorie": "02", "Code": "02A01"}, ingangsdatum=t.ingangsdatum + dt.timedelta(days=14),
        omvang={"Volume": 3, "Eenheid": "04", "Frequentie": "2"})
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 2
    [b317] = _inkomend(db, "317")
    [b315] = _inkomend(db, "315")
    return zaak, t, b315, b317


def _antwoord(client, bericht, **data):
    url = f"/backoffice/berichten/{bericht.id}"
    return client.post(f"{url}/antwoord", data={"csrf_token": csrf_token(client, url), **data}, follow_redirects=True)


def test_the_consulents_team_grants_a_315_with_a_toewijzing_and_a_301(demo, diensten, maker, transport, sim, client):
    from domain.models import AuditLog

    db = demo
    zaak, t, b315, _ = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "wmo")  # team wmo: the zaak's team, no access to the whole berichtenverkeer
    assert client.get("/backoffice/berichten").status_code == 403
    pagina = client.get(f"/backoffice/berichten/{b315.id}").get_data(as_text=True)
    assert "Verzoek beantwoorden" in pagina and "Past niet binnen contract" in pagina
    html = _antwoord(client, b315, antwoord="toegewezen").get_data(as_text=True)
    assert "Het verzoek is toegewezen" in html
    nieuw = db.scalar(select(Toewijzing).where(Toewijzing.referentie_aanbieder == "VOT-ANNA-1"))
    assert nieuw is not None and nieuw.zaak_id == zaak.id and nieuw.productcode == "02A01" and nieuw.volume == 3
    assert nieuw.status == "toegewezen" and db.get(Voorziening, nieuw.voorziening_id).status == "besteld"
    b301 = _uitgaand(db, "301")[-1]
    assert b301.heenbericht_id == b315.id and valideer(b301.xml) == []
    producten = lees(b301.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]
    assert {p["ToewijzingNummer"] for p in producten} == {t.toewijzingnummer, nieuw.toewijzingnummer}
    assert [p.get("ReferentieAanbieder") for p in producten if p["ToewijzingNummer"] == nieuw.toewijzingnummer] == [
        "VOT-ANNA-1"]
    assert _uitgaand(db, "319") == []  # a 319 cannot say "toegewezen": the 301 is the answer
    actie = db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "verzoek_om_toewijzing"))
    assert actie.afgerond is not None and actie.afgerond_door_id == medewerker(db, "wmo").id
    assert db.scalar(select(AuditLog).where(AuditLog.object_type == "bericht", AuditLog.object_id == str(b315.id),
                                            AuditLog.handeling == "aanmaken")) is not None
    # Once answered, the form is gone and a second answer is refused.
    assert "Verzoek beantwoorden" not in client.get(f"/backoffice/berichten/{b315.id}").get_data(as_text=True)
    assert "al beantwoord" in _antwoord(client, b315, antwoord="afgewezen", reden="4").get_data(as_text=True)
    assert len(_uitgaand(db, "301")) == 2 and _uitgaand(db, "319") == []


def test_administratie_rejects_a_317_with_a_valid_319(demo, diensten, maker, transport, sim, client):
    db = demo
    zaak, t, _, b317 = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "administratie")
    assert "Kies de reden" in _antwoord(client, b317, antwoord="afgewezen", reden="").get_data(as_text=True)
    assert _uitgaand(db, "319") == []
    html = _antwoord(client, b317, antwoord="afgewezen", reden="4").get_data(as_text=True)
    assert "Het verzoek is afgewezen" in html
    [b319] = _uitgaand(db, "319")
    assert valideer(b319.xml) == [] and b319.heenbericht_id == b317.id and b319.status == "klaar"
    antwoord = lees(b319.xml).inhoud["Antwoord"]
    referentie = lees(b317.xml).inhoud["Client"]["Verzoek"]["ReferentieAanbieder"]
    assert antwoord == {"ReferentieAanbieder": referentie, "VerzoekAntwoord": "1", "RedenAfwijzingVerzoek": "4"}
    db.expire_all()
    assert db.get(Toewijzing, t.id).volume == 2 and db.get(Toewijzing, t.id).reden_wijziging is None
    # The 319 reaches the zorgaanbieder.
    verstuur_berichten(maker, transport)
    sim.stap()
    assert "319" in [b.code for b in sim.ontvangen]


def test_granting_a_317_ends_the_toewijzing_and_assigns_the_new_omvang(demo, diensten, maker, transport, sim, client):
    db = demo
    zaak, t, _, b317 = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "administratie")
    assert "Het verzoek is toegewezen" in _antwoord(client, b317, antwoord="toegewezen").get_data(as_text=True)
    db.expire_all()
    oud = db.get(Toewijzing, t.id)
    assert oud.einddatum == oud.ingangsdatum + dt.timedelta(days=6) and oud.reden_wijziging == "12"
    nieuw = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id, Toewijzing.id != t.id))
    assert (nieuw.volume, nieuw.ingangsdatum, nieuw.voorziening_id) == (4, oud.ingangsdatum + dt.timedelta(days=7),
                                                                        oud.voorziening_id)
    b301 = _uitgaand(db, "301")[-1]
    assert b301.heenbericht_id == b317.id and valideer(b301.xml) == []
    regels = {p["ToewijzingNummer"]: p for p in
              lees(b301.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]}
    assert regels[oud.toewijzingnummer]["RedenWijziging"] == "12"
    assert regels[nieuw.toewijzingnummer]["Omvang"]["Volume"] == 4


def test_a_315_first_answered_in_onderzoek_and_granted_later(demo, diensten, maker, transport, sim, client):
    db = demo
    zaak, t, b315, _ = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "wmo")
    assert "In onderzoek" in client.get(f"/backoffice/berichten/{b315.id}").get_data(as_text=True)
    html = _antwoord(client, b315, antwoord="in_onderzoek").get_data(as_text=True)
    assert "in onderzoek is (319)" in html
    [b319] = _uitgaand(db, "319")
    assert valideer(b319.xml) == [] and b319.heenbericht_id == b315.id
    assert lees(b319.xml).inhoud["Antwoord"] == {"ReferentieAanbieder": "VOT-ANNA-1", "VerzoekAntwoord": "2"}
    actie = db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "verzoek_om_toewijzing"))
    assert actie.afgerond is None  # the work is not done: the final answer is still to come
    # Only once: now the form offers the final answers only, and a second "in onderzoek" is refused.
    pagina = client.get(f"/backoffice/berichten/{b315.id}").get_data(as_text=True)
    assert "Verzoek beantwoorden" in pagina and 'value="in_onderzoek"' not in pagina
    assert "aanvraag in onderzoek" in pagina
    assert "weet al dat de aanvraag in onderzoek is" in _antwoord(client, b315, antwoord="in_onderzoek").get_data(
        as_text=True)
    assert "Het verzoek is toegewezen" in _antwoord(client, b315, antwoord="toegewezen").get_data(as_text=True)
    assert _uitgaand(db, "301")[-1].heenbericht_id == b315.id and len(_uitgaand(db, "319")) == 1
    db.expire_all()
    assert db.get(Actie, actie.id).afgerond is not None
    # The zorgaanbieder receives both answers.
    verstuur_berichten(maker, transport)
    sim.stap()
    assert [b.code for b in sim.ontvangen if b.code in ("319", "301")][-2:] == ["319", "301"]


def test_granting_a_317_with_a_new_product_assigns_it_next_to_the_running_one(demo, diensten, maker, transport, sim,
                                                                              client):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, ingangsdatum=t.ingangsdatum + dt.timedelta(days=10),
                                nieuwe_producten=[{"Product": {"Categorie": "02", "Code": "02A01"},
                                                   "Omvang": {"Volume": 5, "Eenheid": "04", "Frequentie": "2"}}])
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    [b317] = _inkomend(db, "317")
    assert _codes(_uitgaand(db, "318")[-1]) == {"0200"}
    medewerker_inloggen(client, "administratie")
    assert "Het verzoek is toegewezen" in _antwoord(client, b317, antwoord="toegewezen").get_data(as_text=True)
    db.expire_all()
    assert db.get(Toewijzing, t.id).reden_wijziging is None  # unchanged
    nieuw = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id, Toewijzing.id != t.id))
    assert (nieuw.productcode, nieuw.volume, nieuw.ingangsdatum, nieuw.status) == (
        "02A01", 5, t.ingangsdatum + dt.timedelta(days=10), "toegewezen")
    assert nieuw.voorziening_id != t.voorziening_id and db.get(Voorziening, nieuw.voorziening_id).status == "besteld"
    b301 = _uitgaand(db, "301")[-1]
    assert b301.heenbericht_id == b317.id and valideer(b301.xml) == []
    regels = {p["ToewijzingNummer"]: p for p in
              lees(b301.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]}
    assert set(regels) == {t.toewijzingnummer, nieuw.toewijzingnummer}
    assert regels[nieuw.toewijzingnummer]["Omvang"]["Volume"] == 5


def test_a_changed_toewijzing_carries_the_moment_of_the_change_as_toewijzingsdatum(demo, diensten, maker, transport,
                                                                                  sim):
    """Toewijzingsdatum and -tijd tell the aanbieder which version of a ToewijzingNummer is the latest."""
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    eerst = lees(_uitgaand(db, "301")[0].xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"][0]
    later = dt.datetime.combine(t.ingangsdatum + dt.timedelta(days=3), dt.time(13, 45, 10), dt.UTC)
    _trek_in(db, diensten, nu=later)
    daarna = lees(_uitgaand(db, "301")[-1].xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"][0]
    assert daarna["ToewijzingNummer"] == eerst["ToewijzingNummer"]
    lokaal = later.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert (daarna["Toewijzingsdatum"], daarna["Toewijzingstijd"]) == (lokaal.date(), lokaal.time().replace(
        tzinfo=None))
    assert (daarna["Toewijzingsdatum"], daarna["Toewijzingstijd"]) > (eerst["Toewijzingsdatum"],
                                                                     eerst["Toewijzingstijd"])


def test_a_reused_referentie_aanbieder_is_refused_with_9347(demo, diensten, maker, transport, sim, client):
    """Idempotency on ReferentieAanbieder: a second verzoek with the same reference (a new BerichtIdentificatie,
    so not a duplicate message) makes no second actie and cannot be answered."""
    db = demo
    zaak, t, b315, _ = _verzoeken(db, maker, transport, sim, diensten)
    anna = db.scalar(select(Inwoner).where(Inwoner.bsn == ANNA))
    sim.stuur_verzoek_toewijzing(
        gemeente=zaak.gemeente.code, agb=t.aanbieder.agb_code, referentie="VOT-ANNA-1",
        client={"Bsn": ANNA, "Geboortedatum": {"Datum": anna.geboortedatum}, "Geslacht": "2",
                "Naam": {"Geslachtsnaam": {"Achternaam": "Visser"}, "Voorletters": "A"}},
        product={"Categorie": "02", "Code": "02A01"}, ingangsdatum=t.ingangsdatum + dt.timedelta(days=20),
        omvang={"Volume": 1, "Eenheid": "04", "Frequentie": "2"})
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    eerste, tweede = _inkomend(db, "315")
    assert tweede.retourcodes["Client/AangevraagdeProducten/AangevraagdProduct[0]"] == ["9347"]
    b316 = _uitgaand(db, "316")[-1]
    assert b316.heenbericht_id == tweede.id and valideer(b316.xml) == [] and "9347" in _codes(b316)
    assert db.scalar(select(func.count()).select_from(Actie).where(
        Actie.soort == "verzoek_om_toewijzing", Actie.zaak_id == zaak.id)) == 1
    medewerker_inloggen(client, "administratie")
    pagina = client.get(f"/backoffice/berichten/{tweede.id}").get_data(as_text=True)
    assert "Verzoek beantwoorden" not in pagina and "9347" in pagina
    assert "Verzoek beantwoorden" in client.get(f"/backoffice/berichten/{eerste.id}").get_data(as_text=True)


def test_a_second_317_while_one_is_open_is_refused_with_9374(demo, diensten, maker, transport, sim, client):
    db = demo
    zaak, t, _, b317 = _verzoeken(db, maker, transport, sim, diensten)
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=6)
    verwerk_inbox(maker, transport, diensten=diensten)
    tweede = _inkomend(db, "317")[-1]
    assert tweede.id != b317.id and tweede.retourcodes["Client/Verzoek"] == ["9374"]
    assert db.scalar(select(func.count()).select_from(Actie).where(
        Actie.soort == "verzoek_om_wijziging", Actie.zaak_id == zaak.id)) == 1
    # Once the first is answered, the aanbieder may ask again.
    medewerker_inloggen(client, "administratie")
    assert "afgewezen" in _antwoord(client, b317, antwoord="afgewezen", reden="4").get_data(as_text=True)
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=6)
    verwerk_inbox(maker, transport, diensten=diensten)
    derde = _inkomend(db, "317")[-1]
    assert _codes(derde) == {"0200"}


def test_a_prestatie_declared_twice_is_refused_with_8021(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    week = (t.ingangsdatum, t.ingangsdatum + dt.timedelta(days=6))
    sim.stuur_declaratie(t.toewijzingnummer, begin=week[0], eind=week[1], volume=1, tarief=3000, referentie="P-1")
    sim.stuur_declaratie(t.toewijzingnummer, begin=week[0], eind=week[1], volume=1, tarief=3000, referentie="P-1")
    verwerk_inbox(maker, transport, diensten=diensten)
    eerste, tweede = _uitgaand(db, "325")
    pad = "Declaratie/Clienten/Client[0]/Prestaties/Prestatie[0]"
    assert eerste.retourcodes[pad] == ["0200"] and tweede.retourcodes[pad] == ["8021"]
    assert valideer(tweede.xml) == []
    # A refused prestatie (here: more than assigned) may come again, corrected, under its own number.
    sim.stuur_declaratie(t.toewijzingnummer, begin=week[0], eind=week[1], volume=99, tarief=3000, referentie="P-2")
    sim.stuur_declaratie(t.toewijzingnummer, begin=week[0], eind=week[1], volume=1, tarief=3000, referentie="P-2")
    verwerk_inbox(maker, transport, diensten=diensten)
    fout, goed = _uitgaand(db, "325")[-2:]
    assert "9321" in fout.retourcodes[pad] and goed.retourcodes[pad] == ["0200"]


def test_a_317_for_less_is_granted_automatically_within_the_beschikking(demo, diensten, maker, transport, sim):
    db = demo
    zaak = _geleverd(db, maker, transport, sim, diensten)
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    assert t.volume == 2
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=1, ingangsdatum=t.ingangsdatum + dt.timedelta(days=14))
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    [b317] = _inkomend(db, "317")
    assert db.scalar(select(Actie).where(Actie.soort == "verzoek_om_wijziging", _buiten_demo(Actie.zaak_id))) is None
    b318, b301 = _uitgaand(db, "318")[-1], _uitgaand(db, "301")[-1]
    assert b301.heenbericht_id == b317.id and b318.id < b301.id  # the retour first, then the answer
    assert valideer(b301.xml) == [] and "Automatisch toegewezen" in b317.laatste_fout
    regels = {p["ToewijzingNummer"]: p for p in
              lees(b301.xml).inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]}
    nieuw = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id, Toewijzing.id != t.id))
    assert regels[t.toewijzingnummer]["RedenWijziging"] == "12" and regels[nieuw.toewijzingnummer]["Omvang"]["Volume"] == 1
    assert db.scalar(select(Notificatie).where(Notificatie.medewerker_id == zaak.behandelaar_id,
                                               Notificatie.onderwerp.like("%automatisch toegewezen%"))) is not None
    from domain.berichtenverkeer import kan_beantwoord_worden

    assert not kan_beantwoord_worden(db, b317)


def test_with_the_setting_off_a_317_for_less_is_work_for_the_team(demo, diensten, maker, transport, sim):
    db = demo
    from domain.configuratie import leg_vast, variant_op, variant_van
    from domain.models import Gemeente
    from domain.tijd import vandaag

    # Albrandswaard turns it off for Wmo (backoffice -> Zaaktypen): zaken that start from today follow.
    gemeente = db.scalar(select(Gemeente).where(Gemeente.code == "0613"))
    nu_geldig = variant_op(db, gemeente.id, "wmo", vandaag()).waarden
    rij = leg_vast(db, medewerker(db, "beheer"), gemeente, "wmo",
                   {**nu_geldig, "toetsing_kosten_boven": str(nu_geldig["toetsing_kosten_boven"] // 100),
                    "wijziging_binnen_beschikking_automatisch": False},
                   begindatum=vandaag(), toelichting="Elk verzoek beoordelen", vandaag=vandaag())
    zaak = _geleverd(db, maker, transport, sim, diensten)
    assert variant_van(db, zaak)["wijziging_binnen_beschikking_automatisch"] is True  # started before: keeps its rules
    zaak.configuratie_id = rij.id  # as if this demo zaak had started under the new version
    db.commit()
    assert zaak.gemeente.code == "0613" and variant_van(db, zaak)["wijziging_binnen_beschikking_automatisch"] is False
    t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    sim.stuur_verzoek_wijziging(t.toewijzingnummer, volume=1)
    verwerk_inbox(maker, transport, diensten=diensten)
    assert len(_uitgaand(db, "301")) == 1  # no automatic answer
    assert db.scalar(select(Actie).where(Actie.soort == "verzoek_om_wijziging", _buiten_demo(Actie.zaak_id)))


def test_a_315_for_someone_without_a_zaak_is_on_the_teams_action_list_with_its_message(demo, diensten, maker,
                                                                                     transport, sim, client):
    """A huisarts refers someone the gemeente has no zaak for: the verzoek must not disappear from sight."""
    db = demo
    sara = db.scalar(select(Inwoner).where(Inwoner.bsn == "999990135"))  # demo: no zaak
    aanbieder = db.scalar(select(Zorgaanbieder).order_by(Zorgaanbieder.id).limit(1))
    sim.stuur_verzoek_toewijzing(
        gemeente=sara.gemeente.code, agb=aanbieder.agb_code, referentie="VOT-SARA-1",
        client={"Bsn": sara.bsn, "Geboortedatum": {"Datum": sara.geboortedatum}, "Geslacht": "2",
                "Naam": {"Geslachtsnaam": {"Achternaam": "Dekker"}, "Voorletters": "S"}},
        product={"Categorie": "02", "Code": "02A01"}, ingangsdatum=tijd.vandaag() + dt.timedelta(days=14),
        omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    [b315] = [b for b in _inkomend(db, "315") if b.zaak_id is None]
    actie = db.scalar(select(Actie).where(Actie.bericht_id == b315.id))
    assert actie is not None and actie.zaak_id is None and actie.team.code == "wmo"
    medewerker_inloggen(client, "wmo")
    pagina = client.get("/backoffice/acties").get_data(as_text=True)
    assert "VOT-SARA-1" in pagina and "Nog geen zaak" in pagina
    assert f"/backoffice/berichten/{b315.id}" in pagina
    assert client.get(f"/backoffice/berichten/{b315.id}").status_code == 200
    client.get("/backoffice/uitloggen")
    medewerker_inloggen(client, "jeugd")  # another team: not on its list
    assert "VOT-SARA-1" not in client.get("/backoffice/acties").get_data(as_text=True)


def test_only_the_team_or_administratie_may_answer_a_verzoek(demo, diensten, maker, transport, sim, client):
    db = demo
    _, _, b315, _ = _verzoeken(db, maker, transport, sim, diensten)
    medewerker_inloggen(client, "jeugd")
    assert client.get(f"/backoffice/berichten/{b315.id}").status_code == 404
    token = csrf_token(client, "/backoffice/werkvoorraad")
    assert client.post(f"/backoffice/berichten/{b315.id}/antwoord",
                       data={"csrf_token": token, "antwoord": "afgewezen", "reden": "4"}).status_code == 404
    client.get("/backoffice/uitloggen")
    client2 = client.application.test_client()
    medewerker_inloggen(client2, "administratie")
    assert client2.post(f"/backoffice/berichten/{b315.id}/antwoord",
                        data={"antwoord": "afgewezen", "reden": "4"}).status_code == 400  # no CSRF token
    assert _uitgaand(db, "319") == []



# --- iEb (CAK) and iPgb (SVB) stand-ins ------------------------------------------------------------------------------


def test_ordering_zorg_in_natura_makes_an_ieb_stand_in_that_is_not_sent(demo, diensten, maker, transport, client):
    db = demo
    zaak = _bestel(db, diensten)
    [eb] = _uitgaand(db, "eb")
    toewijzing = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    assert (eb.standaard, eb.status, eb.ontvanger, eb.zaak_id, eb.toewijzing_id) == (
        "ieb", "standin", "CAK", zaak.id, toewijzing.id)
    inhoud = lees_standin(eb.xml)
    assert inhoud["status"] == "stand-in" and b"STAND-IN" in eb.xml
    assert inhoud["ToewijzingNummer"] == str(toewijzing.toewijzingnummer) and inhoud["Leveringsvorm"] == "zin"
    assert _uitgaand(db, "pgb") == []
    # Only the 301 goes to the zorgaanbieder; the stand-in stays where it is.
    assert verstuur_berichten(maker, transport) == {"verzonden": 1, "uitgesteld": 0, "mislukt": 0}
    assert [p.name[:6] for p in transport.uit.glob("*.xml")] == ["WMO301"]
    medewerker_inloggen(client, "administratie")
    lijst = client.get("/backoffice/berichten").get_data(as_text=True)
    assert "iEb" in lijst and "stand-in" in lijst
    detail = client.get(f"/backoffice/berichten/{eb.id}").get_data(as_text=True)
    assert "stand-in" in detail and "Eigen bijdrage: overdracht aan het CAK" in detail


def test_ordering_a_pgb_makes_an_ipgb_stand_in_and_no_301(demo, diensten, client):
    db = demo
    zaak = _zaak(db)
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    for v in besluit.voorzieningen:
        v.leveringsvorm = "pgb"
    db.commit()
    _bestel(db, diensten)
    assert _uitgaand(db, "301") == [] and _uitgaand(db, "eb") == []
    [pgb] = _uitgaand(db, "pgb")
    assert (pgb.standaard, pgb.status, pgb.ontvanger, pgb.toewijzing_id) == ("ipgb", "standin", "SVB", None)
    assert lees_standin(pgb.xml)["Leveringsvorm"] == "pgb"
    medewerker_inloggen(client, "administratie")
    assert "iPgb" in client.get("/backoffice/berichten?code=pgb").get_data(as_text=True)


def test_every_message_is_named_by_its_own_standard_not_jw_for_the_cak(demo, diensten, client):
    """The CAK's message on a Wmo zaak was labelled "JWeb": the name came from "iWmo or else iJw"."""
    db = demo
    zaak = _bestel(db, diensten)
    namen = {(b.standaard, b.code): b.naam for b in db.scalars(select(Bericht).where(Bericht.zaak_id == zaak.id))}
    assert namen[("iwmo", "301")] == "WMO301" and namen[("ieb", "eb")] == "WMO405"  # iEb: start/stop eigen bijdrage
    assert Bericht(standaard="ijw", code="301").naam == "JW301"
    assert Bericht(standaard="ipgb", code="pgb").naam == "TKB"  # iPgb: the toekenningsbericht to the SVB
    medewerker_inloggen(client, "administratie")
    for url in (f"/backoffice/zaken/{zaak.id}", "/backoffice/berichten"):
        html = client.get(url).get_data(as_text=True)
        assert "WMO405" in html and "JWeb" not in html and "JWpgb" not in html, url
    [eb] = _uitgaand(db, "eb")
    detail = client.get(f"/backoffice/berichten/{eb.id}").get_data(as_text=True)
    assert "WMO405 Eigen bijdrage: overdracht aan het CAK (iEb)" in " ".join(detail.split())
    assert "tot het iEb-schema is aangesloten" in detail


def lees_standin(xml: bytes) -> dict:
    from lxml import etree

    root = etree.fromstring(xml)
    uit = {etree.QName(el).localname: el.text for el in root.iter() if isinstance(el.tag, str)}
    uit["status"] = root.get("status")
    return uit



# --- The demo -----------------------------------------------------------------------------------------------------

GEMEENTE_VERSTUURT = {"301", "306", "308", "316", "318", "319", "325"}


@pytest.mark.parametrize("standaard, zaaktype", [("iwmo", "wmo"), ("ijw", "jeugd")])
def test_the_demo_leaves_every_message_the_gemeente_sends(demo, diensten, cli_env, tmp_path, capsys, standaard,
                                                          zaaktype):
    from app.cli import main
    from domain.demo import BERICHTEN_BSN, JEUGD_BERICHTEN_BSN, laad_demo

    db = demo
    zaak = _zaak(db, {"wmo": BERICHTEN_BSN, "jeugd": JEUGD_BERICHTEN_BSN}[zaaktype], zaaktype)
    uit = db.scalars(select(Bericht).where(Bericht.richting == "uit")).all()
    berichten = [b for b in uit if b.standaard == standaard]
    assert {b.code for b in berichten if b.zaak_id == zaak.id} == GEMEENTE_VERSTUURT
    assert all(valideer(b.xml) == [] for b in berichten)
    # The zaak's messages are in the standard of its zaaktype, with the iEb stand-in of the bestelling where the
    # zaaktype has an eigen bijdrage (Wmo; jeugdhulp has none).
    assert {b.standaard for b in uit if b.zaak_id == zaak.id} == ({standaard, "ieb"} if zaaktype == "wmo" else {standaard})
    assert {b.code for b in uit if b.standaard == "ieb"} == {"eb"}
    assert {b.status for b in berichten} <= {"verzonden", "verwerkt"}  # nothing left for the real outbox sweep
    assert all(b.status == "verwerkt" for b in db.scalars(select(Bericht).where(Bericht.richting == "in")))
    assert zaak.status == "beeindigd"
    # The 315 is still open for the team, to answer from the screen.
    assert db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "verzoek_om_toewijzing",
                                         Actie.afgerond.is_(None))) is not None

    # Idempotent: a second run adds nothing.
    voor = db.scalar(select(func.count()).select_from(Bericht))
    assert laad_demo(db, diensten=diensten)["berichten"] == 0
    assert db.scalar(select(func.count()).select_from(Bericht)) == voor

    doel = tmp_path / "export"
    assert main(["berichten", "export", str(doel)]) == 0
    bestanden = {p.name: p.read_bytes() for p in doel.iterdir()}
    in_standaard = {naam: xml for naam, xml in bestanden.items()
                    if naam.split("-")[0] in GEMEENTE_VERSTUURT and lees(xml).standaard == standaard}
    assert {naam.split("-")[0] for naam in in_standaard} == GEMEENTE_VERSTUURT
    assert all(valideer(xml) == [] for xml in in_standaard.values())
