"""Demo data: a werkorganisatie serving three gemeenten, its teams, medewerkers of every role, test inwoners
from the local BRP register and a few zaken. Idempotent: running it twice changes nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.brp.local import LocalBrp

from .inwoners import uit_brp
from .medewerkers import hash_wachtwoord
from .models import Gemeente, Medewerker, MedewerkerRol, StatusHistorie, Team, Zaak
from .roles import Rol

DEMO_WACHTWOORD = "demo-keukentafel"

GEMEENTEN = [
    {
        "code": "0489", "naam": "Barendrecht", "logo": "0489.svg", "kleur_primair": "#00543c", "kleur_accent": "#8a1c1c",
        "briefhoofd": {"adres": "Postbus 206, 2990 AE Barendrecht", "telefoon": "14 0180", "website": "https://www.barendrecht.nl",
                       "email": "sociaaldomein@barendrecht.example"},
    },
    {
        "code": "0613", "naam": "Albrandswaard", "logo": "0613.svg", "kleur_primair": "#005b9a", "kleur_accent": "#6b2c91",
        "briefhoofd": {"adres": "Postbus 1000, 3160 GA Rhoon", "telefoon": "14 010", "website": "https://www.albrandswaard.nl",
                       "email": "sociaaldomein@albrandswaard.example"},
    },
    {
        "code": "0597", "naam": "Ridderkerk", "logo": "0597.svg", "kleur_primair": "#a6192e", "kleur_accent": "#1f4e79",
        "briefhoofd": {"adres": "Postbus 271, 2980 AG Ridderkerk", "telefoon": "14 0180", "website": "https://www.ridderkerk.nl",
                       "email": "sociaaldomein@ridderkerk.example"},
    },
]

TEAMS = [
    ("toegang", "Team Toegang", "toegang"),
    ("wmo", "Team Wmo", "wmo"),
    ("jeugd", "Team Jeugd", "jeugd"),
    ("minima", "Team Minima", "minima"),
    ("sociaal_team", "Sociaal Team", "sociaal_team"),
    ("regie_team", "Regieteam", "regie_team"),
    ("participatie", "Team Participatie", "participatie"),
    ("kwaliteit", "Team Kwaliteit (toetsing)", "kwaliteit"),
    ("administratie", "Administratie", "administratie"),
    ("juridisch", "Juridische Zaken", "juridisch"),
]

# gebruikersnaam, naam, rollen, teams, gemeenten (None = all three)
MEDEWERKERS = [
    ("toegang", "Tessa de Toegang", [Rol.TOEGANG], ["toegang"], None),
    ("wmo", "Wim van Wmo", [Rol.CONSULENT_WMO], ["wmo"], None),
    ("wmo2", "Wendy Wmo-Ridderkerk", [Rol.CONSULENT_WMO], ["wmo"], ["0597"]),
    ("jeugd", "Jasmijn Jeugd", [Rol.CONSULENT_JEUGD], ["jeugd"], None),
    ("minima", "Mila Minima", [Rol.CONSULENT_MINIMA], ["minima"], None),
    ("sociaalteam", "Sander Sociaal", [Rol.CONSULENT_SOCIAAL_TEAM], ["sociaal_team"], None),
    ("regieteam", "Rachid Regie", [Rol.CONSULENT_REGIE_TEAM], ["regie_team"], None),
    ("participatie", "Priya Participatie", [Rol.CONSULENT_PARTICIPATIE], ["participatie"], None),
    ("klantmanager", "Karel Klantmanager", [Rol.KLANTMANAGER], ["participatie"], None),
    ("toetser", "Tom Toetser", [Rol.TOETSER], ["kwaliteit"], None),
    ("administratie", "Anouk Administratie", [Rol.ADMINISTRATIE], ["administratie"], None),
    ("juridisch", "Julia Juridisch", [Rol.JURIDISCH], ["juridisch"], None),
    ("teamleider", "Thijs Teamleider", [Rol.TEAMLEIDER], ["wmo", "jeugd", "toegang"], None),
    ("beheer", "Bea Beheer", [Rol.BEHEER], [], None),
]

# code, naam, domein, iWmo categorie, productcode, eenheid, frequentie, tarief in cents per eenheid
PRODUCTEN = [
    ("WMO-HBH", "Hulp bij het huishouden", "wmo", "01", "01A01", "04", "2", 3250),
    ("WMO-BEG", "Individuele begeleiding", "wmo", "02", "02A01", "04", "2", 6500),
    ("WMO-PV", "Persoonlijke verzorging", "wmo", "03", "03A01", "04", "2", 5800),
    ("WMO-KV", "Kortdurend verblijf (logeeropvang)", "wmo", "04", "04A01", "14", "4", 15000),
]

# identificatie, bsn, zaaktype, team, behandelaar, status, days ago started
ZAKEN = [
    ("0489-2026-000001", "999990007", "wmo", "wmo", None, "melding", 3),
    ("0597-2026-000001", "999990081", "wmo", "wmo", "wmo", "in_onderzoek", 20),
    ("0613-2026-000001", "999990056", "jeugd", "jeugd", None, "melding", 1),
    ("0597-2026-000002", "999990093", "minima", "minima", None, "melding", 50),
]


def laad_demo(session: Session, vandaag: dt.date | None = None) -> dict[str, int]:
    vandaag = vandaag or dt.date.today()
    telling = {"gemeenten": 0, "teams": 0, "medewerkers": 0, "inwoners": 0, "zaken": 0}

    gemeenten: dict[str, Gemeente] = {}
    for data in GEMEENTEN:
        gemeente = session.scalar(select(Gemeente).where(Gemeente.code == data["code"]))
        if gemeente is None:
            gemeente = Gemeente(**data, instellingen={}, termijnen={})
            session.add(gemeente)
            telling["gemeenten"] += 1
        gemeenten[data["code"]] = gemeente
    session.flush()

    teams: dict[str, Team] = {}
    for code, naam, domein in TEAMS:
        team = session.scalar(select(Team).where(Team.code == code))
        if team is None:
            team = Team(code=code, naam=naam, domein=domein, gemeenten=list(gemeenten.values()))
            session.add(team)
            telling["teams"] += 1
        teams[code] = team
    session.flush()

    medewerkers: dict[str, Medewerker] = {}
    for gebruikersnaam, naam, rollen, team_codes, gemeente_codes in MEDEWERKERS:
        m = session.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
        if m is None:
            m = Medewerker(
                gebruikersnaam=gebruikersnaam,
                naam=naam,
                email=f"{gebruikersnaam}@werkorganisatie.example",
                wachtwoord_hash=hash_wachtwoord(DEMO_WACHTWOORD),
                rollen_rel=[MedewerkerRol(rol=r.value) for r in rollen],
                teams=[teams[c] for c in team_codes],
                gemeenten=[gemeenten[c] for c in (gemeente_codes or gemeenten)],
            )
            session.add(m)
            telling["medewerkers"] += 1
        medewerkers[gebruikersnaam] = m
    session.flush()

    from .models import Product

    for code, naam, domein, categorie, productcode, eenheid, frequentie, tarief in PRODUCTEN:
        if session.scalar(select(Product.id).where(Product.code == code)) is None:
            session.add(Product(code=code, naam=naam, domein=domein, categorie=categorie, productcode=productcode,
                                eenheid=eenheid, frequentie=frequentie, tarief_cent=tarief))
            telling.setdefault("producten", 0)
            telling["producten"] += 1
    session.flush()

    brp = LocalBrp()
    for persoon in brp.alle():
        from .models import Inwoner

        bestaand = session.scalar(select(Inwoner).where(Inwoner.bsn == persoon.bsn))
        if bestaand is None:
            inwoner = uit_brp(session, persoon)
            inwoner.email = f"{persoon.voornamen.split()[0].lower()}.{persoon.geslachtsnaam.lower().replace(' ', '')}@inwoner.example"
            telling["inwoners"] += 1
    session.flush()

    from .models import Inwoner

    for identificatie, bsn, zaaktype, team, behandelaar, status, dagen in ZAKEN:
        if session.scalar(select(Zaak.id).where(Zaak.identificatie == identificatie)):
            continue
        inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        start = vandaag - dt.timedelta(days=dagen)
        zaak = Zaak(
            identificatie=identificatie,
            zaaktype=zaaktype,
            gemeente_id=inwoner.gemeente_id,
            inwoner_id=inwoner.id,
            team=teams[team],
            behandelaar=medewerkers[behandelaar] if behandelaar else None,
            status=status,
            hulpvraag="Moeite met het huishouden sinds een heupoperatie; vraagt ook naar vervoer.",
            startdatum=start,
            uiterlijke_einddatum=start + dt.timedelta(weeks=6),
        )
        zaak.historie.append(StatusHistorie(status="melding", toelichting="Melding geregistreerd (demo)"))
        if status != "melding":
            zaak.historie.append(StatusHistorie(van_status="melding", status=status, toelichting="Demo"))
        session.add(zaak)
        telling["zaken"] += 1
    session.commit()
    return telling
