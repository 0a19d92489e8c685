"""The engine is generic: a zaaktype that exists only in this test runs end to end through both faces.

Nothing in the application names it: team toegang can meld it because a team lists it, the consulent moves it in
the backoffice with the buttons its definition offers, the inwoner fills in its form in the portal and follows its
own timeline texts; its term, letter and protocol purpose come from the definition and the configuration.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import processes
from domain.configuratie import Optie
from domain.effects import MeldInwoner, MeldMedewerkers, StartTermijn, StopTermijn
from domain.formulieren import TEKSTVAK, Formulier, Veld
from domain.models import AuditLog, Document, Gemeente, Inwoner, Medewerker, Team, Termijn, Zaak
from domain.roles import Rol
from domain.stappen import Brief
from domain.workflow import INWONER, Overgang, Status, Termijnsoort, Zaaktype
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

SARA = "999990135"
CONSULENT = frozenset({Rol.CONSULENT.value})

PROEFFORMULIER = Formulier(
    code="proefvraag", titel="Vragenlijst proefregeling", intro="Beantwoord de vraag.", overgang="vragenlijst_sturen",
    open_in=("vragenlijst",), bevestiging="We hebben uw antwoorden.",
    velden=(Veld("uitleg", "Waarom heeft u dit nodig?", soort=TEKSTVAK),))

PROEF = Zaaktype(
    code="proef", naam="Proefregeling", domein="proef", regeling="Proefverordening 2026",
    grondslag="artikel 1 Proefverordening", beslistermijn="awb-beschikking", doel="Behandeling proefregeling",
    behandelaar_rollen=frozenset({Rol.CONSULENT}), formulieren=(PROEFFORMULIER,),
    termijnen=(Termijnsoort("awb-beschikking", "vragenlijst"),),
    opties=(Optie("extra_zin", "Extra zin", "tekst", "Wij helpen u graag."),),
    bij_start=(MeldMedewerkers("team", "Nieuwe proef", "Er is een proefmelding."),
               Brief("bevestigingsbrief", "Bevestiging proef", "Bevestiging proef", ("Zaak {zaaknummer}.",),
                     met_extra_alinea=False)),
    statussen=(
        Status("aangemeld", "Aangemeld", "We hebben uw aanmelding voor de proef."),
        Status("vragenlijst", "Vragenlijst bij inwoner", "Vul de vragenlijst in.",
               actie_inwoner="Vul de vragenlijst van de proefregeling in."),
        Status("beoordeling", "In beoordeling", "We beoordelen uw antwoorden."),
        Status("klaar", "Klaar", "De proef is klaar.", eind=True),
    ),
    overgangen=(
        Overgang("vragenlijst_klaarzetten", "Vragenlijst klaarzetten", van=("aangemeld",), naar="vragenlijst",
                 rollen=CONSULENT, effecten=(MeldInwoner("nieuwe_notificatie", "Vragenlijst", "Vul de vragenlijst in."),),
                 bevestiging="De vragenlijst staat in het portaal."),
        Overgang("vragenlijst_sturen", "Vragenlijst sturen", van=("vragenlijst",), naar="beoordeling",
                 rollen=frozenset({INWONER}), formulier=True, effecten=(StartTermijn("awb-beschikking"),)),
        Overgang("afronden", "Proef afronden", van=("beoordeling",), naar="klaar", rollen=CONSULENT,
                 effecten=(StopTermijn("awb-beschikking"),), bevestiging="De proef is afgerond."),
    ),
)


@pytest.fixture
def proef(demo):
    processes.registreer(PROEF)
    team = Team(code="proef", naam="Team Proef", domein="proef", zaaktypen=["proef"],
                gemeenten=demo.scalars(select(Gemeente)).all())
    demo.add(team)
    jasmijn = demo.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "jeugd"))
    jasmijn.teams.append(team)
    demo.commit()
    yield PROEF
    processes.verwijder("proef")


def test_a_zaaktype_known_only_to_this_test_runs_through_both_faces(proef, client, db, standin):
    # Team toegang: the zaaktype is offered because a team lists it.
    medewerker_inloggen(client, "toegang")
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == SARA))
    if inwoner is None:
        client.post("/backoffice/inwoners/openen", data={"csrf_token": csrf_token(client, "/backoffice/inwoners/zoeken"),
                                                         "bsn": SARA})
        inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == SARA))
    pagina = f"/backoffice/inwoners/{inwoner.id}"
    assert '<option value="proef">Proefregeling</option>' in client.get(pagina).get_data(as_text=True)
    r = client.post(pagina, data={"csrf_token": csrf_token(client, pagina), "kanaal": "telefoon", "hulpvraag": "Proef graag",
                                  "uitkomst": "melding", "zaaktype": "proef", "contactvoorkeur": "email",
                                  "email": "sara@inwoner.example"})
    assert r.status_code == 302
    zaak = db.scalar(select(Zaak).where(Zaak.zaaktype == "proef"))
    assert zaak.team.code == "proef"
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})

    # The consulent of Team Proef sees it and fires the overgang its definition offers.
    medewerker_inloggen(client, "jeugd")
    html = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Aangemeld" in html and "Vragenlijst klaarzetten" in html
    r = client.post(f"/backoffice/zaken/{zaak.id}/actie/vragenlijst_klaarzetten",
                    data={"csrf_token": csrf_token(client, f"/backoffice/zaken/{zaak.id}"), "versie": zaak.versie},
                    follow_redirects=True)
    assert "De vragenlijst staat in het portaal." in r.get_data(as_text=True)
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})

    # The inwoner sees the zaaktype's own texts and fills in its form.
    digid_inloggen(client, SARA)
    html = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Proefregeling" in html and "Vul de vragenlijst van de proefregeling in." in html
    url = f"/zaken/{zaak.id}/formulieren/proefvraag"
    assert "Waarom heeft u dit nodig?" in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "uitleg": "Om te proberen.", "actie": "versturen"})
    assert r.status_code == 302
    db.expire_all()
    zaak = db.get(Zaak, zaak.id)
    assert zaak.status == "beoordeling"
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id))
    assert termijn.soort == "awb-beschikking" and "4:13" in termijn.bron
    assert "We beoordelen uw antwoorden." in client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert {d.documenttype for d in db.scalars(select(Document).where(Document.zaak_id == zaak.id))} >= {
        "bevestigingsbrief", "formulier"}
    assert db.scalar(select(AuditLog).where(AuditLog.object_type == "zaak", AuditLog.object_id == str(zaak.id),
                                            AuditLog.doel == "Behandeling proefregeling"))
