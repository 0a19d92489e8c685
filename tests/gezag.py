"""Gezag test persons and helpers (the fixture `kind_zaak` is in tests/conftest.py), shared by the HTTP and browser tests (and reusable for Jeugd zaken).

In the local BRP register (integrations/brp/register.json), Barendrecht:
- Esther Koster (OUDER_BSN) has eenhoofdig ouderlijk gezag over her daughter Noor Koster (KIND_BSN, 10 years old);
- Ruben Hoekstra (VADER_BSN), Noor's father, lives in Ridderkerk and has no gezag.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from domain.models import Inwoner, Medewerker, Zaak
from domain.tijd import vandaag

OUDER_BSN = "999990147"  # Esther Koster: gezag over Noor
KIND_BSN = "999990159"  # Noor Koster, 10
VADER_BSN = "999990160"  # Ruben Hoekstra: Noor's father, without gezag

HULPVRAAG_KIND = "Noor heeft na school begeleiding nodig. Haar moeder werkt tot 18.00 uur."


def medewerker_actor(db, gebruikersnaam: str):
    from domain.actor import Actor

    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    return Actor(soort="medewerker", id=m.id, naam=m.naam, rollen=m.rollen,
                 gemeente_ids=frozenset(g.id for g in m.gemeenten), team_ids=frozenset(t.id for t in m.teams))


def zaak_van_kind(db, diensten, *, status: str = "verslag_ter_ondertekening", zaaktype_code: str = "wmo",
                  consulent: str = "wmo", bsn: str = KIND_BSN) -> Zaak:
    """A zaak of the child, made through the real domain operations: a melding by toegang, then (for
    in_onderzoek or verslag_ter_ondertekening) a gesprek, and the verslag put ready for signing."""
    from domain.workflow import voer_uit
    from domain.zaken import VerslagInvoer, registreer_melding, sla_verslag_op
    from tests.helpers import afspraak_gehouden

    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    nu = dt.datetime.now(dt.UTC)
    zaak = registreer_melding(db, medewerker_actor(db, "toegang"), inwoner=kind, zaaktype_code=zaaktype_code,
                              hulpvraag=HULPVRAAG_KIND, kanaal="telefoon", diensten=diensten)
    if status == "melding":
        return zaak
    behandelaar = medewerker_actor(db, consulent)
    voer_uit(db, behandelaar, zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten,
             gegevens={"start": nu + dt.timedelta(days=1), "locatie": "Bij u thuis", "duur_minuten": 60})
    if status == "in_onderzoek":
        return zaak
    afspraak_gehouden(db, behandelaar, zaak, diensten)
    sla_verslag_op(db, behandelaar, zaak, VerslagInvoer(
        hulpvraag=HULPVRAAG_KIND, situatie="Noor woont bij haar moeder. Na school is er tot 18.00 uur niemand thuis.",
        leefgebieden=[{"leefgebied": "Sociaal netwerk", "bevinding": "Oma helpt op woensdag."}],
        eigen_kracht="Moeder regelt de ochtenden zelf.", afweging="Het netwerk kan de middagen niet opvangen.",
        advies="Begeleiding na school, 3 middagen per week."))
    voer_uit(db, behandelaar, zaak, "verslag_klaarzetten", verwachte_versie=None, diensten=diensten)
    if status == "verslag_ter_ondertekening":
        return zaak
    voer_uit(db, ouder_actor(db), zaak, "ondertekenen", verwachte_versie=None, diensten=diensten,
             gegevens={"opmerking": "", "sha256": __import__("domain.stappen", fromlist=["x"]).te_ondertekenen(db, zaak.id).sha256})
    if status == "aanvraag":
        return zaak
    from domain.models import Product
    from domain.zaken import VoorzieningInvoer, sla_besluit_op

    product = db.scalar(select(Product).where(Product.code == "WMO-BEG"))
    heden = vandaag()
    sla_besluit_op(db, behandelaar, zaak, besluittype="toekenning", wettelijke_grondslag="",
                   onderbouwing="Na school is er niemand thuis en het netwerk kan dit niet opvangen.",
                   voorzieningen=[VoorzieningInvoer(product_id=product.id, volume=1, frequentie="2",
                                                    ingangsdatum=heden, einddatum=heden + dt.timedelta(days=364))])
    voer_uit(db, behandelaar, zaak, "beschikking_indienen", verwachte_versie=None, diensten=diensten)
    assert zaak.status == status, zaak.status  # small enough to self-sign: vastgesteld, no toetsing
    return zaak


def ouder_actor(db, bsn: str = OUDER_BSN, kind_bsn: str = KIND_BSN, *, met_gezag: bool = True):
    """The parent as the portal makes them after log-in: acting for the child when they hold gezag."""
    from domain.actor import Actor

    ouder = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == kind_bsn))
    return Actor(soort="inwoner", id=ouder.id, naam=ouder.naam, inwoner_id=ouder.id,
                 gemeente_ids=frozenset({ouder.gemeente_id}), betrouwbaarheidsniveau="substantieel",
                 namens_ids=frozenset({kind.id}) if met_gezag else frozenset())



VERSLAG_KIND = dict(  # noqa: C408 (keyword arguments of VerslagInvoer)
    situatie="Noor woont bij haar moeder. Na school is er tot 18.00 uur niemand thuis; dan loopt het vaak mis.",
    leefgebieden=[{"leefgebied": "Sociaal netwerk", "bevinding": "Oma helpt op woensdag."}],
    eigen_kracht="Moeder regelt de ochtenden zelf.", afweging="Het netwerk kan de middagen niet opvangen.",
    advies="Ambulante jeugdhulp, 2 uur per week.")


def jeugd_zaak_van_kind(db, diensten, *, status: str = "in_onderzoek", bsn: str = KIND_BSN) -> Zaak:
    """A Jeugd zaak of the child through the real domain operations: a melding by toegang, the huisbezoek and the
    verslag by the consulent jeugd ("in_onderzoek"); then "Jeugdwet van toepassing: ja" and the verslag to the parent
    ("verslag_ter_reactie"); for "aanvraag" also the aanvraagformulier signed by the parent for the child."""
    from domain.eigenschappen import leg_vast
    from domain.workflow import voer_uit
    from domain.zaken import VerslagInvoer, registreer_melding, sla_verslag_op
    from tests.helpers import afspraak_gehouden

    kind = db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    zaak = registreer_melding(db, medewerker_actor(db, "toegang"), inwoner=kind, zaaktype_code="jeugd",
                              hulpvraag=HULPVRAAG_KIND, kanaal="telefoon", diensten=diensten)
    jeugd = medewerker_actor(db, "jeugd")
    voer_uit(db, jeugd, zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=1), "locatie": "Bij Noor thuis", "duur_minuten": 60})
    afspraak_gehouden(db, jeugd, zaak, diensten)
    sla_verslag_op(db, jeugd, zaak, VerslagInvoer(hulpvraag=HULPVRAAG_KIND, **VERSLAG_KIND))
    if status == "in_onderzoek":
        return zaak
    from domain.formulieren import formulier_van
    from domain.inzendingen import verstuur
    from domain.processes import zaaktype_van

    leg_vast(db, jeugd, zaak, {"jeugdwet_van_toepassing": "ja"}, verwachte_versie=zaak.versie)
    voer_uit(db, jeugd, zaak, "jeugdwet_van_toepassing", verwachte_versie=zaak.versie, diensten=diensten)
    if status == "verslag_ter_reactie":
        return zaak
    verstuur(db, ouder_actor(db), zaak, formulier_van(zaaktype_van("jeugd"), "aanvraagformulier"), invoer={
        "naam_ouder": "Esther Koster", "telefoon": "0612345678", "hulp": "Begeleiding voor Noor na school.",
        "verslag_gelezen": "ja", "ondertekend": "ja"}, diensten=diensten)
    db.refresh(zaak)
    assert zaak.status == status, zaak.status
    return zaak
