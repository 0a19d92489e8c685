"""The Jeugd demo (domain/demo/jeugd.py): a zaak in every status of the Jeugd process, each got there the way the
process goes (the term's sweep, the parent's forms and choices, the toetser, the berichtenverkeer), and the parent
with gezag sees the child's zaken in the portal. The iJw messages in the export: tests/test_berichtenverkeer.py
(test_the_demo_leaves_every_message_the_gemeente_sends)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from domain import authz, eigenschappen, inzendingen
from domain.actor import Actor
from domain.demo.jeugd import ZAKEN
from domain.inwoners import is_minderjarig, kinderen_onder_gezag
from domain.leesmodel import zaakbeeld
from domain.models import (
    Actie,
    Afspraak,
    Besluit,
    Document,
    FormulierInzending,
    Inwoner,
    Klantcontact,
    StatusHistorie,
    Termijn,
    Toewijzing,
    Zaak,
)
from domain.processes import zaaktype_van
from domain.tijd import vandaag
from integrations.brp.local import LocalBrp
from tests.gezag import KIND_BSN

JEUGD = zaaktype_van("jeugd")
KINDEREN = sorted({bsn for bsn, _, _ in ZAKEN})


def _jeugdzaken(db) -> list[Zaak]:
    return db.scalars(select(Zaak).where(Zaak.zaaktype == "jeugd").order_by(Zaak.id)).all()


def _per_status(db) -> dict[str, list[Zaak]]:
    uit: dict[str, list[Zaak]] = {}
    for zaak in _jeugdzaken(db):
        uit.setdefault(zaak.status, []).append(zaak)
    return uit


def _overgangen(db, zaak) -> list[tuple[str, bool, int | None]]:
    return [(h.overgang, h.door_inwoner, h.medewerker_id) for h in db.scalars(
        select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id).order_by(StatusHistorie.id))]


def _documenten(db, zaak) -> list[str]:
    return [d.documenttype for d in db.scalars(select(Document).where(Document.zaak_id == zaak.id))]


def _ouder(db, bsn: str) -> Actor:
    """The parent as the portal makes them after a DigiD log-in (portal/views.py digid_terug)."""
    ouder = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    kinderen = kinderen_onder_gezag(db, bsn, LocalBrp(), vandaag())
    return Actor(soort="inwoner", id=ouder.id, naam=ouder.naam, inwoner_id=ouder.id,
                 gemeente_ids=frozenset({ouder.gemeente_id}), betrouwbaarheidsniveau="midden",
                 namens_ids=frozenset(k.id for k in kinderen))


def _gezaghouders(bsn: str) -> list[str]:
    return [h for relatie in LocalBrp().zoek_bsn(bsn).gezag for h in relatie.gezaghouders]


def test_the_demo_has_a_jeugd_zaak_in_every_status_of_minors_in_team_jeugd(demo):
    db = demo
    per_status = _per_status(db)
    assert set(per_status) == {s.code for s in JEUGD.statussen}
    assert len(_jeugdzaken(db)) == len(ZAKEN)
    for zaak in _jeugdzaken(db):
        kind = db.get(Inwoner, zaak.inwoner_id)
        assert kind.bsn in KINDEREN and is_minderjarig(kind.geboortedatum, vandaag())
        assert zaak.team.code == "jeugd" and zaak.gemeente_id == kind.gemeente_id
    # Children of every age group in all three gemeenten, and Noor Koster (the gezag tests' child) has none.
    assert {z.gemeente.code for z in _jeugdzaken(db)} == {"0489", "0597", "0613"}
    leeftijden = {(vandaag() - db.get(Inwoner, z.inwoner_id).geboortedatum).days // 365 for z in _jeugdzaken(db)}
    assert min(leeftijden) <= 4 and max(leeftijden) >= 15
    noor = db.scalar(select(Inwoner).where(Inwoner.bsn == KIND_BSN))
    assert db.scalar(select(Zaak.id).where(Zaak.inwoner_id == noor.id)) is None


def test_each_demo_zaak_got_to_its_status_the_way_the_process_goes(demo):
    db = demo
    z = _per_status(db)
    nu = dt.datetime.now(dt.UTC)

    [melding] = z["melding"]
    assert melding.behandelaar_id is None and [o for o, _, _ in _overgangen(db, melding)] == ["start"]

    [onderzoek] = z["in_onderzoek"]
    [bezoek] = db.scalars(select(Afspraak).where(Afspraak.zaak_id == onderzoek.id)).all()
    assert bezoek.soort == "huisbezoek" and bezoek.start > nu and not bezoek.geannuleerd
    assert "afspraakbevestiging" in _documenten(db, onderzoek)

    [reactie] = z["verslag_ter_reactie"]  # the 7 days still run, both forms are open for the parent
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == reactie.id, Termijn.soort == "reactietermijn-7-dagen"))
    assert termijn.gestopt_op is None and termijn.afgehandeld_op is None and termijn.einddatum >= vandaag()
    assert {f["formulier"].code for f in inzendingen.op_zaak(db, reactie)} == {"aanvraagformulier",
                                                                              "wijzigingen_verslag"}

    [formulier] = z["aanvraagformulier"]  # moved on by the term's sweep, as the system
    assert _overgangen(db, formulier)[-1] == ("reactietermijn_verstreken", False, None)
    verstreken = db.scalar(select(Termijn).where(Termijn.zaak_id == formulier.id, Termijn.soort == "reactietermijn-7-dagen"))
    assert verstreken.einddatum < vandaag() and verstreken.afhandeling == "Uitgevoerd: reactietermijn_verstreken."
    assert [f["formulier"].code for f in inzendingen.op_zaak(db, formulier)] == ["aanvraagformulier"]

    [intrekking] = z["intrekking_voorgelegd"]
    assert "intrekking" in _documenten(db, intrekking) and "onderzoeksverslag" in _documenten(db, intrekking)
    assert {k.code for k in zaakbeeld(db, intrekking, vandaag()).wat_moet_ik_doen.keuzes} == {
        "akkoord_intrekking", "niet_akkoord_intrekking"}

    [afgesloten] = z["afgesloten"]
    assert afgesloten.afgesloten and _overgangen(db, afgesloten)[-1] == ("akkoord_intrekking", True, None)

    [aanvraag] = z["aanvraag"]  # changes to the verslag first (back to the consulent), then the signed form
    overgangen = [o for o, _, _ in _overgangen(db, aanvraag)]
    assert overgangen[-4:] == ["jeugdwet_van_toepassing", "wijzigingen_doorgeven", "jeugdwet_van_toepassing",
                               "aanvraag_indienen"]
    verzonden = db.scalars(select(FormulierInzending.formulier).where(
        FormulierInzending.zaak_id == aanvraag.id, FormulierInzending.status == "verzonden")).all()
    assert sorted(verzonden) == ["aanvraagformulier", "wijzigingen_verslag"]
    assert db.scalar(select(Termijn).where(Termijn.zaak_id == aanvraag.id, Termijn.soort == "awb-beschikking",
                                           Termijn.gestopt_op.is_(None))) is not None

    [toetsing] = z["ter_toetsing"]
    assert db.scalar(select(Actie).where(Actie.zaak_id == toetsing.id, Actie.soort == "toetsing",
                                         Actie.afgerond.is_(None))) is not None

    toekenning, afwijzing = sorted(z["besluit"], key=lambda zaak: _besluit(db, zaak).besluittype != "toekenning")
    for zaak in (toekenning, afwijzing):  # the consulent phoned about the besluit: recorded, the action done
        assert db.scalar(select(Klantcontact).where(Klantcontact.zaak_id == zaak.id, Klantcontact.kanaal == "telefoon"))
        assert _acties(db, zaak, open_=False) >= {"besluit_bespreken"} and "besluit_bespreken" not in _acties(db, zaak)
    assert _besluit(db, toekenning).besluittype == "toekenning" and _acties(db, toekenning) == {"bestellen"}
    assert _besluit(db, afwijzing).besluittype == "afwijzing" and _acties(db, afwijzing) == set()  # orders nothing
    stappen = _overgangen(db, afwijzing)
    assert ("niet_akkoord_intrekking", True, None) in stappen and "goedkeuren" in [o for o, _, _ in stappen]

    for status, toewijzing in (("in_levering", "geaccepteerd"), ("geleverd", "gestart"), ("beeindigd", "gestopt")):
        [zaak] = z[status]
        assert db.scalar(select(Toewijzing.status).where(Toewijzing.zaak_id == zaak.id)) == toewijzing, status

    # "Jeugdwet van toepassing?" was recorded on the zaak (a zaakeigenschap) before its branch was taken.
    for zaak in _jeugdzaken(db):
        genomen = {o for o, _, _ in _overgangen(db, zaak)}
        verwacht = ("ja" if "jeugdwet_van_toepassing" in genomen else
                    "nee" if "jeugdwet_niet_van_toepassing" in genomen else None)
        assert eigenschappen.waarden(db, zaak).get("jeugdwet_van_toepassing") == verwacht, zaak.status


def _besluit(db, zaak) -> Besluit:
    return db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id, Besluit.status == "vastgesteld"))


def _acties(db, zaak, open_: bool = True) -> set[str]:
    stmt = select(Actie.soort).where(Actie.zaak_id == zaak.id)
    return set(db.scalars(stmt.where(Actie.afgerond.is_(None)) if open_ else stmt))


@pytest.mark.parametrize("kind_bsn", KINDEREN)
def test_every_parent_with_gezag_sees_the_childs_zaken_and_another_parent_does_not(demo, kind_bsn):
    db = demo
    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == kind_bsn))
    zaken = db.scalars(select(Zaak).where(Zaak.inwoner_id == kind.id, Zaak.zaaktype == "jeugd")).all()
    # A Regieteam dossier about the same child (domain/demo/regie.py) stays out of the portal, also for the parent.
    regie = set(db.scalars(select(Zaak.id).where(Zaak.inwoner_id == kind.id, Zaak.zaaktype == "regie_team")))
    houders = _gezaghouders(kind_bsn)
    assert zaken and houders
    for bsn in houders:
        ouder = _ouder(db, bsn)
        assert kind.id in ouder.namens_ids
        zichtbaar = set(db.scalars(authz.zichtbare_zaken(ouder).with_only_columns(Zaak.id)))
        assert {z.id for z in zaken} <= zichtbaar and not regie & zichtbaar
        for zaak in zaken:
            assert authz.zaak_voor(db, ouder, zaak.id) == zaak
            assert zaakbeeld(db, zaak, vandaag()).status == zaak.status
    anderen = sorted({h for b in KINDEREN for h in _gezaghouders(b)} - set(houders))
    vreemde = _ouder(db, anderen[0])
    for zaak in zaken:
        with pytest.raises(authz.NietGevonden):
            authz.zaak_voor(db, vreemde, zaak.id)


def test_each_parent_opens_the_childrens_zaken_in_the_portal_and_jeugd_in_the_backoffice(demo, client, standin):
    """Over HTTP, as users do: every parent with gezag (both de Wit parents: GezamenlijkOuderlijkGezag) finds each
    child's zaken under "Zaken van ..." and opens them namens the child; consulent jeugd opens every one of them."""
    from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

    db = demo
    per_ouder: dict[str, list[Inwoner]] = {}
    for bsn in KINDEREN:
        for houder in _gezaghouders(bsn):
            per_ouder.setdefault(houder, []).append(db.scalar(select(Inwoner).where(Inwoner.bsn == bsn)))
    assert len(per_ouder) == 5 and per_ouder["999990366"] == per_ouder["999990378"]  # Mark and Ilse de Wit
    for bsn, kinderen in per_ouder.items():
        assert digid_inloggen(client, bsn).status_code == 302
        overzicht = client.get("/mijn-zaken").get_data(as_text=True)
        for kind in kinderen:
            assert f"Zaken van {kind.voornamen}" in overzicht
            for zaak in db.scalars(select(Zaak).where(Zaak.inwoner_id == kind.id)):
                if zaak.zaaktype == "regie_team":  # a Regieteam dossier is never in the portal, not even for her
                    assert f'href="/zaken/{zaak.id}"' not in overzicht
                    assert client.get(f"/zaken/{zaak.id}").status_code == 404
                    continue
                assert f'href="/zaken/{zaak.id}"' in overzicht
                pagina = client.get(f"/zaken/{zaak.id}")
                assert pagina.status_code == 200
                assert f"U bekijkt deze zaak namens {kind.naam}" in pagina.get_data(as_text=True)
        client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})

    medewerker_inloggen(client, "jeugd")
    for zaak in _jeugdzaken(db):
        pagina = client.get(f"/backoffice/zaken/{zaak.id}")
        assert pagina.status_code == 200 and zaak.identificatie in pagina.get_data(as_text=True)
