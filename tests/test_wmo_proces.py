"""Domain tests of the Wmo process on the engine: every overgang, role and guard."""
from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from domain.tijd import vandaag
from sqlalchemy import select

from app.diensten import diensten_uit
from domain import authz
from domain.actor import Actor
from domain.models import (
    Actie, Afspraak, Besluit, Document, Inwoner, MailBericht, Medewerker, Notificatie, Ondertekening, Product,
    StatusHistorie, Termijn, Toetsoordeel, Zaak,
)
from domain.workflow import Conflict, OvergangFout, beschikbare_overgangen, voer_uit
from domain.zaken import VerslagInvoer, VoorzieningInvoer, registreer_melding, sla_besluit_op, sla_verslag_op
from tests.helpers import afspraak_gehouden


def medewerker(db, gebruikersnaam) -> Actor:
    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    return Actor(soort="medewerker", id=m.id, naam=m.naam, rollen=m.rollen,
                 gemeente_ids=frozenset(g.id for g in m.gemeenten), team_ids=frozenset(t.id for t in m.teams))


def inwoner_actor(db, bsn, niveau="midden") -> Actor:
    i = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    return Actor(soort="inwoner", id=i.id, naam=i.naam, inwoner_id=i.id, gemeente_ids=frozenset({i.gemeente_id}),
                 betrouwbaarheidsniveau=niveau)


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


VERSLAG = VerslagInvoer(
    hulpvraag="Hulp bij het schoonmaken van het huis.",
    situatie="Mevrouw woont alleen en heeft sinds haar heupoperatie moeite met bukken en tillen.",
    leefgebieden=[{"leefgebied": "Huisvesting", "bevinding": "Huis is schoon te houden met hulp."}],
    eigen_kracht="Dochter helpt eens per twee weken met boodschappen.",
    afweging="Zonder hulp kan mevrouw haar huis niet schoon houden; het netwerk kan dit niet opvangen.",
    advies="Hulp bij het huishouden, 3 uur per week, voor een jaar.",
)


def _melding(db, diensten, bsn="999990007"):
    toegang = medewerker(db, "toegang")
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    return registreer_melding(db, toegang, inwoner=inwoner, zaaktype_code="wmo",
                              hulpvraag="Kan het huis niet meer schoonhouden.", kanaal="telefoon", diensten=diensten)


def _tot_aanvraag(db, diensten, bsn="999990007"):
    zaak = _melding(db, diensten, bsn)
    wmo = medewerker(db, "wmo")
    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=3), "locatie": "Bij u thuis", "duur_minuten": 60})
    afspraak_gehouden(db, wmo, zaak, diensten)
    sla_verslag_op(db, wmo, zaak, VERSLAG)
    voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=zaak.versie, diensten=diensten)
    from domain.stappen import te_ondertekenen

    voer_uit(db, inwoner_actor(db, bsn), zaak, "ondertekenen", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"opmerking": "Akkoord.", "sha256": te_ondertekenen(db, zaak.id).sha256})
    return zaak


def _toekenning(db, zaak, uren=3):
    wmo = medewerker(db, "wmo")
    hbh = db.scalar(select(Product).where(Product.code == "WMO-HBH"))
    return sla_besluit_op(db, wmo, zaak, besluittype="toekenning", onderbouwing="Mevrouw kan het niet zelf.",
                          wettelijke_grondslag="", voorzieningen=[VoorzieningInvoer(
                              product_id=hbh.id, volume=uren, frequentie="2", ingangsdatum=vandaag(),
                              einddatum=vandaag() + dt.timedelta(days=364))])


def test_toegang_registers_a_melding_in_the_team_werkvoorraad(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    assert zaak.status == "melding" and zaak.team.code == "wmo" and zaak.gemeente.code == "0489"
    assert zaak.identificatie.startswith("0489-")
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id))
    assert termijn.soort == "wmo-onderzoek" and "2.3.2" in termijn.bron
    assert termijn.einddatum >= zaak.startdatum + dt.timedelta(weeks=6)
    # team members are notified; the inwoner gets a bevestigingsbrief (PDF) and a mail
    team_meldingen = db.scalars(select(Notificatie).where(Notificatie.zaak_id == zaak.id, Notificatie.medewerker_id.is_not(None))).all()
    assert {n.medewerker_id for n in team_meldingen} >= {medewerker(db, "wmo").id}
    brief = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "bevestigingsbrief"))
    tekst = PdfReader(__import__("io").BytesIO(brief.versies[0].inhoud)).pages[0].extract_text()
    assert zaak.identificatie in tekst
    mail = db.scalar(select(MailBericht).order_by(MailBericht.id.desc()))
    assert mail.aan == zaak.inwoner.email and "999990007" not in mail.tekst


def test_toegang_and_consulenten_register_meldingen_other_roles_not(demo, diensten):
    """A consulent of any team may make a melding (for another team, from what they found); a toetser or
    administratie may not."""
    inwoner = demo.scalar(select(Inwoner).where(Inwoner.bsn == "999990007"))
    for wie in ("toetser", "administratie"):
        with pytest.raises(authz.Geweigerd):
            registreer_melding(demo, medewerker(demo, wie), inwoner=inwoner, zaaktype_code="wmo", hulpvraag="x",
                               kanaal="telefoon", diensten=diensten)
    zaak = registreer_melding(demo, medewerker(demo, "jeugd"), inwoner=inwoner, zaaktype_code="wmo",
                              hulpvraag="Tijdens het huisbezoek bleek dat moeder hulp in het huishouden nodig heeft.",
                              kanaal="balie", diensten=diensten)
    assert zaak.team.code == "wmo"


def test_assignment_only_to_a_consulent_of_the_team_and_gemeente(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)  # Barendrecht
    teamleider = medewerker(db, "teamleider")
    wmo2 = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo2"))  # Ridderkerk only
    with pytest.raises(OvergangFout, match="werkt niet voor de gemeente Barendrecht"):
        voer_uit(db, teamleider, zaak, "toewijzen", verwachte_versie=zaak.versie, gegevens={"behandelaar_id": wmo2.id})
    jeugd = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "jeugd"))
    with pytest.raises(OvergangFout, match="team"):
        voer_uit(db, teamleider, zaak, "toewijzen", verwachte_versie=zaak.versie, gegevens={"behandelaar_id": jeugd.id})
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    voer_uit(db, teamleider, zaak, "toewijzen", verwachte_versie=zaak.versie, gegevens={"behandelaar_id": wim.id})
    db.refresh(zaak)
    assert zaak.behandelaar_id == wim.id and zaak.status == "melding"
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == zaak.id, Notificatie.medewerker_id == wim.id,
                                               Notificatie.onderwerp.startswith("Nieuwe zaak voor u"))) is not None


def test_plan_gesprek_creates_an_afspraak_and_notifies_the_inwoner(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    wmo = medewerker(db, "wmo")
    with pytest.raises(OvergangFout, match="datum"):
        voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
                 gegevens={"start": dt.datetime.now(dt.UTC) - dt.timedelta(days=2), "locatie": "Gemeentehuis"})
    db.refresh(zaak)
    assert zaak.status == "melding"  # nothing changed
    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=2), "video_link": "https://video.example/abc"})
    assert zaak.status == "in_onderzoek"
    assert db.scalar(select(Afspraak).where(Afspraak.zaak_id == zaak.id)).video_link
    assert db.scalar(select(Notificatie).where(Notificatie.inwoner_id == zaak.inwoner_id,
                                               Notificatie.onderwerp == "Uw afspraak met de consulent"))


def test_signing_makes_the_aanvraag_and_starts_the_beslistermijn(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    assert zaak.status == "aanvraag" and zaak.aanvraagdatum == vandaag()
    ondertekening = db.scalar(select(Ondertekening).join(Ondertekening.versie).join(Document).where(Document.zaak_id == zaak.id))
    assert ondertekening.betrouwbaarheidsniveau == "midden" and ondertekening.methode == "digid"
    assert len(ondertekening.sha256) == 64 and ondertekening.opmerking == "Akkoord."
    termijnen = {t.soort: t for t in db.scalars(select(Termijn).where(Termijn.zaak_id == zaak.id))}
    assert termijnen["wmo-onderzoek"].gestopt_op == vandaag()
    assert termijnen["wmo-beschikking"].gestopt_op is None and "2.3.5" in termijnen["wmo-beschikking"].bron
    assert zaak.uiterlijke_einddatum == termijnen["wmo-beschikking"].einddatum
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == zaak.id, Notificatie.onderwerp.startswith("Aanvraag compleet"))) is not None


def test_inwoner_cannot_sign_someone_elses_verslag(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    wmo = medewerker(db, "wmo")
    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=1), "locatie": "Thuis"})
    afspraak_gehouden(db, wmo, zaak, diensten)
    sla_verslag_op(db, wmo, zaak, VERSLAG)
    voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=zaak.versie, diensten=diensten)
    with pytest.raises(OvergangFout, match="niet uitvoeren"):
        voer_uit(db, inwoner_actor(db, "999990093"), zaak, "ondertekenen", verwachte_versie=zaak.versie, diensten=diensten)


def test_signing_a_changed_document_is_refused(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    wmo = medewerker(db, "wmo")
    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=1), "locatie": "Thuis"})
    afspraak_gehouden(db, wmo, zaak, diensten)
    sla_verslag_op(db, wmo, zaak, VERSLAG)
    voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=zaak.versie, diensten=diensten)
    with pytest.raises(OvergangFout, match="veranderd"):
        voer_uit(db, inwoner_actor(db, "999990007"), zaak, "ondertekenen", verwachte_versie=zaak.versie,
                 diensten=diensten, gegevens={"sha256": "0" * 64})


def test_afwijzing_goes_to_the_toetser_who_rejects_then_approves(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    wmo, toetser = medewerker(db, "wmo"), medewerker(db, "toetser")
    sla_besluit_op(db, wmo, zaak, besluittype="afwijzing", onderbouwing="Voorliggende voorziening aanwezig.",
                   wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "ter_toetsing"
    actie = db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "toetsing"))
    assert actie.team.code == "kwaliteit" and actie.afgerond is None
    with pytest.raises(OvergangFout, match="waarom u de beschikking afkeurt"):
        voer_uit(db, toetser, zaak, "afkeuren", verwachte_versie=zaak.versie, diensten=diensten, gegevens={"reden": " "})
    voer_uit(db, toetser, zaak, "afkeuren", verwachte_versie=zaak.versie, diensten=diensten,
             gegevens={"reden": "Onderbouwing te kort."})
    assert zaak.status == "aanvraag"
    assert db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id)).status == "concept"
    sla_besluit_op(db, wmo, zaak, besluittype="afwijzing", onderbouwing="Voorliggende voorziening: de regiotaxi.",
                   wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    voer_uit(db, toetser, zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "besluit"
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    assert besluit.status == "vastgesteld" and besluit.goedgekeurd_door_id == toetser.id
    assert besluit.verzenddatum == vandaag()
    oordelen = [o.oordeel for o in db.scalars(select(Toetsoordeel).where(Toetsoordeel.besluit_id == besluit.id).order_by(Toetsoordeel.id))]
    assert oordelen == ["afgekeurd", "goedgekeurd"]
    # An afwijzing orders nothing: administratie gets no action to order it, and the zaak can be closed.
    assert db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "bestellen")) is None
    # ... nor a bestellen button on the zaak page, and the step itself is refused.
    from domain.processes import zaaktype_van

    administratie = medewerker(db, "administratie")
    assert "bestellen" not in {o.code for o in beschikbare_overgangen(zaaktype_van("wmo"), administratie, zaak)}
    with pytest.raises(OvergangFout, match="niets te bestellen"):
        voer_uit(db, administratie, zaak, "bestellen", verwachte_versie=zaak.versie, diensten=diensten)
    db.rollback()
    voer_uit(db, wmo, zaak, "afsluiten", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "afgesloten" and zaak.afgesloten


def test_the_author_can_never_approve_their_own_beschikking(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    # A medewerker who is both consulent and toetser writes the beschikking ...
    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    from domain.models import MedewerkerRol

    m.rollen_rel.append(MedewerkerRol(rol="toetser"))
    db.commit()
    beide = medewerker(db, "wmo")
    sla_besluit_op(db, beide, zaak, besluittype="afwijzing", onderbouwing="Nee.", wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, beide, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    # ... and cannot approve it: refused in the domain
    with pytest.raises(OvergangFout, match="eigen beschikking"):
        voer_uit(db, beide, zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "ter_toetsing"
    # ... and in the database
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    db.add(Toetsoordeel(besluit_id=besluit.id, toetser_id=m.id, auteur_id=besluit.auteur_id, oordeel="goedgekeurd"))
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.commit()
    db.rollback()
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    besluit.goedgekeurd_door_id = besluit.auteur_id
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.commit()
    db.rollback()


def test_small_toekenning_is_self_signed_and_published(demo, diensten):
    db = demo
    # 3 h/week * 52 * 32.50 = 5070 euro > 5000: toetsing, unless the gemeente's variant raises the level
    from domain.configuratie import leg_vast
    from domain.models import Gemeente

    gemeente = db.scalar(select(Gemeente).where(Gemeente.code == "0489"))
    leg_vast(db, medewerker(db, "beheer"), gemeente, "wmo", {"toetsing_kosten_boven": "10.000", "toetsing_afwijzing": "1",
                                                             "toetsing_team": "kwaliteit"},
             begindatum=vandaag(), toelichting="Hogere grens voor zelftoetsing", vandaag=vandaag())
    zaak = _tot_aanvraag(db, diensten)
    _toekenning(db, zaak, uren=3)
    db.refresh(zaak)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "besluit"
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    assert besluit.toetsing_vereist is False and besluit.ondertekend_door_id == medewerker(db, "wmo").id
    assert [v.status for v in besluit.voorzieningen] == ["gereserveerd"]
    doc = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "beschikking"))
    assert doc.zichtbaar_voor_inwoner
    tekst = "".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(doc.versies[-1].inhoud)).pages)
    assert "Hulp bij het huishouden" in tekst and "01A01" in tekst and "bezwaar" in tekst.lower()
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "wmo-beschikking"))
    assert termijn.gestopt_op == vandaag()
    assert db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "bestellen")).team.code == "administratie"


def test_a_self_signed_afwijzing_orders_nothing(demo, diensten):
    db = demo
    from domain.configuratie import leg_vast
    from domain.models import Gemeente

    # this gemeente lets consulenten sign afwijzingen themselves (its variant, before the zaak starts)
    leg_vast(db, medewerker(db, "beheer"), db.scalar(select(Gemeente).where(Gemeente.code == "0489")), "wmo",
             {"toetsing_kosten_boven": "5.000", "toetsing_team": "kwaliteit"},
             begindatum=vandaag(), toelichting="Zelf afwijzen", vandaag=vandaag())
    zaak = _tot_aanvraag(db, diensten)
    wmo = medewerker(db, "wmo")
    sla_besluit_op(db, wmo, zaak, besluittype="afwijzing", onderbouwing="Voorliggende voorziening: de regiotaxi.",
                   wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "besluit"
    assert db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "bestellen")) is None


def test_above_the_cost_level_a_toetser_must_judge(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    _toekenning(db, zaak, uren=10)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "ter_toetsing"


def test_administratie_orders_the_voorziening(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    _toekenning(db, zaak, uren=10)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    with pytest.raises(OvergangFout, match="niet uitvoeren"):
        voer_uit(db, medewerker(db, "wmo"), zaak, "bestellen", verwachte_versie=zaak.versie, diensten=diensten)
    verstuurd = []
    diensten.berichten = lambda ctx, soort: verstuurd.append((ctx.zaak.id, soort))
    voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie, diensten=diensten)
    assert zaak.status == "in_levering" and verstuurd == [(zaak.id, "toewijzing")]
    assert db.scalar(select(Actie).where(Actie.zaak_id == zaak.id, Actie.soort == "bestellen")).afgerond is not None
    assert [v.status for v in db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id)).voorzieningen] == ["besteld"]


def test_each_role_is_offered_exactly_its_overgangen(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    codes = lambda actor: {o.code for o in beschikbare_overgangen(__import__("domain.processes", fromlist=["x"]).zaaktype_van("wmo"), actor, zaak)}  # noqa: E731
    assert codes(medewerker(db, "wmo")) == {"toewijzen", "plan_gesprek", "afsluiten"}
    assert codes(medewerker(db, "teamleider")) == {"toewijzen"}
    assert codes(medewerker(db, "toetser")) == set()
    assert codes(medewerker(db, "toegang")) == set()
    assert codes(inwoner_actor(db, "999990007")) == set()


def test_a_stale_form_cannot_overwrite_a_newer_change(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    oude_versie = zaak.versie
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    voer_uit(db, medewerker(db, "teamleider"), zaak, "toewijzen", verwachte_versie=oude_versie,
             gegevens={"behandelaar_id": wim.id})
    with pytest.raises(Conflict, match="net gewijzigd"):
        voer_uit(db, medewerker(db, "wmo"), zaak, "plan_gesprek", verwachte_versie=oude_versie, diensten=diensten,
                 gegevens={"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=1), "locatie": "Thuis"})


def test_two_sessions_acting_at_once_cannot_both_succeed(app, demo, diensten):
    """Two medewerkers load the same zaak in their own transaction; the second commit is refused."""
    db = demo
    zaak = _melding(db, diensten)
    maker = app.extensions["db_sessionmaker"]
    s1, s2 = maker(), maker()
    z1, z2 = s1.get(Zaak, zaak.id), s2.get(Zaak, zaak.id)
    wmo1, wmo2 = medewerker(s1, "wmo"), medewerker(s2, "wmo")
    gegevens = {"start": dt.datetime.now(dt.UTC) + dt.timedelta(days=1), "locatie": "Thuis"}
    voer_uit(s1, wmo1, z1, "plan_gesprek", verwachte_versie=z1.versie, diensten=diensten, gegevens=gegevens)
    with pytest.raises(OvergangFout):
        voer_uit(s2, wmo2, z2, "plan_gesprek", verwachte_versie=z2.versie, diensten=diensten, gegevens=gegevens)
    s1.close(), s2.close()
    historie = db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id)).all()
    assert [h.status for h in historie] == ["melding", "in_onderzoek"]
    assert len(db.scalars(select(Afspraak).where(Afspraak.zaak_id == zaak.id)).all()) == 1
