"""Demo data: a werkorganisatie serving three gemeenten, its teams, medewerkers of every role, test inwoners
from the local BRP register and a few zaken. Idempotent: running it twice changes nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.brp.local import LocalBrp

from .. import tijd
from ..inwoners import uit_brp
from ..medewerkers import hash_wachtwoord
from ..models import Gemeente, Medewerker, MedewerkerRol, Team
from ..roles import Rol

DEMO_WACHTWOORD = "demo-keukentafel"

# "rechtbank": where beroep against a beslissing op bezwaar goes, the rechtbank of the arrondissement.
GEMEENTEN = [
    {
        "code": "0489", "naam": "Barendrecht", "logo": "0489.svg", "kleur_primair": "#00543c", "kleur_accent": "#8a1c1c",
        "briefhoofd": {"adres": "Postbus 206, 2990 AE Barendrecht", "telefoon": "14 0180", "website": "https://www.barendrecht.nl",
                       "email": "sociaaldomein@barendrecht.example",
                       "rechtbank": "Rechtbank Rotterdam"},
    },
    {
        "code": "0613", "naam": "Albrandswaard", "logo": "0613.svg", "kleur_primair": "#005b9a", "kleur_accent": "#6b2c91",
        "briefhoofd": {"adres": "Postbus 1000, 3160 GA Rhoon", "telefoon": "14 010", "website": "https://www.albrandswaard.nl",
                       "email": "sociaaldomein@albrandswaard.example",
                       "rechtbank": "Rechtbank Rotterdam"},
    },
    {
        "code": "0597", "naam": "Ridderkerk", "logo": "0597.svg", "kleur_primair": "#a6192e", "kleur_accent": "#1f4e79",
        "briefhoofd": {"adres": "Postbus 271, 2980 AG Ridderkerk", "telefoon": "14 0180", "website": "https://www.ridderkerk.nl",
                       "email": "sociaaldomein@ridderkerk.example",
                       "rechtbank": "Rechtbank Rotterdam"},
    },
]

# code, naam, domein, the zaaktypen whose meldingen the team handles (configuration, not code)
TEAMS = [
    ("toegang", "Team Toegang", "toegang", []),
    ("wmo", "Team Wmo", "wmo", ["wmo"]),
    ("jeugd", "Team Jeugd", "jeugd", ["jeugd"]),
    ("minima", "Team Minima", "minima", ["minima"]),
    ("sociaal_team", "Sociaal Team", "sociaal_team", ["sociaal_team"]),
    ("regie_team", "Regieteam", "regie_team", ["regie_team"]),
    ("participatie", "Team Participatie", "participatie", ["participatie"]),
    ("kwaliteit", "Team Kwaliteit (toetsing)", "kwaliteit", []),
    ("administratie", "Administratie", "administratie", []),
    ("juridisch", "Juridische Zaken", "juridisch", ["bezwaar"]),
]

# Each gemeente's own variant of the zaaktypen (domain/configuratie.py), so the demo shows that they differ:
# gemeentecode -> zaaktype -> (choices, why). Everything not named keeps the zaaktype's default.
VARIANTEN = {
    "0489": {"wmo": ({"brief_extra_alinea": (
        "Het Wmo-loket in het gemeentehuis van Barendrecht is open op werkdagen van 9.00 tot 12.30 uur.")},
        "Barendrecht noemt het Wmo-loket in de bevestigingsbrief.")},
    "0597": {"bezwaar": ({"adviescommissie": True},
                         "Ridderkerk laat bezwaren adviseren door de onafhankelijke bezwaarcommissie.")},
    "0613": {"wmo": ({"toetsing_kosten_boven": 400_000},
                     "Albrandswaard toetst toekenningen boven 4.000 euro per jaar.")},
}

# gebruikersnaam, naam, rollen, teams, gemeenten (None = all three)
MEDEWERKERS = [
    ("toegang", "Tessa de Toegang", [Rol.TOEGANG], ["toegang"], None),
    ("wmo", "Wim van Wmo", [Rol.CONSULENT], ["wmo"], None),
    ("wmo2", "Wendy Wmo-Ridderkerk", [Rol.CONSULENT], ["wmo"], ["0597"]),
    ("jeugd", "Jasmijn Jeugd", [Rol.CONSULENT], ["jeugd"], None),
    ("minima", "Mila Minima", [Rol.CONSULENT], ["minima"], None),
    ("sociaalteam", "Sander Sociaal", [Rol.CONSULENT], ["sociaal_team"], None),
    ("regieteam", "Rachid Regie", [Rol.CONSULENT], ["regie_team"], None),
    ("participatie", "Priya Participatie", [Rol.CONSULENT], ["participatie"], None),
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
    # Jeugdhulp with iJw productcategorie and -code (45: jeugdhulp ambulant, 54: jeugdhulp met verblijf)
    ("JW-AMB", "Jeugdhulp ambulant, individueel", "jeugd", "45", "45A48", "04", "2", 8500),
    ("JW-GGZ", "Jeugd-ggz, behandeling", "jeugd", "45", "45A05", "04", "2", 11000),
    ("JW-VRB", "Jeugdhulp met verblijf", "jeugd", "54", "54001", "14", "4", 22000),
]

# Willem Bos has no e-mail and prefers post: his letters are in administratie's post queue.
POST_BSN = "999990123"

from .berichten import BERICHTEN_BSN
from .berichten import demo_berichten as _demo_berichten
from .jeugd import BERICHTEN_BSN as JEUGD_BERICHTEN_BSN
from .jeugd import MET_BERICHTEN as _JEUGD_MET_BERICHTEN
from .jeugd import PRODUCT_315 as _JEUGD_PRODUCT_315
from .jeugd import demo_zaken as _demo_jeugd
from .regie import MET_BERICHTEN as _REGIE_MET_BERICHTEN
from .regie import demo_zaken as _demo_regie
from .wmo import demo_zaken as _demo_zaken

# Every inwoner whose demo zaken exchanged messages with a zorgaanbieder (tests leave those messages out).
DEMO_BERICHTEN_BSNS = (BERICHTEN_BSN, *_JEUGD_MET_BERICHTEN, *_REGIE_MET_BERICHTEN)


def laad_demo(session: Session, vandaag: dt.date | None = None, diensten=None) -> dict[str, int]:
    """Load the demo. Without `diensten` (PDF rendering, portal URL) only the organisation and people are made."""
    vandaag = vandaag or tijd.vandaag()
    telling = {"gemeenten": 0, "teams": 0, "medewerkers": 0, "inwoners": 0, "zaken": 0}

    gemeenten: dict[str, Gemeente] = {}
    for data in GEMEENTEN:
        gemeente = session.scalar(select(Gemeente).where(Gemeente.code == data["code"]))
        if gemeente is None:
            gemeente = Gemeente(**data, instellingen={})
            session.add(gemeente)
            telling["gemeenten"] += 1
        elif any(k not in (gemeente.briefhoofd or {}) for k in data["briefhoofd"]):
            # a setting added since this database was made (e.g. the rechtbank); what is there is kept
            gemeente.briefhoofd = {**data["briefhoofd"], **(gemeente.briefhoofd or {})}
        gemeenten[data["code"]] = gemeente
    session.flush()

    teams: dict[str, Team] = {}
    for code, naam, domein, zaaktypen in TEAMS:
        team = session.scalar(select(Team).where(Team.code == code))
        if team is None:
            team = Team(code=code, naam=naam, domein=domein, zaaktypen=zaaktypen, gemeenten=list(gemeenten.values()))
            session.add(team)
            telling["teams"] += 1
        teams[code] = team
    session.flush()

    from ..models import ZaaktypeConfiguratie

    for code, per_zaaktype in VARIANTEN.items():
        for zaaktype_code, (waarden, waarom) in per_zaaktype.items():
            if session.scalar(select(ZaaktypeConfiguratie.id).where(
                    ZaaktypeConfiguratie.gemeente_id == gemeenten[code].id,
                    ZaaktypeConfiguratie.zaaktype == zaaktype_code)) is None:
                session.add(ZaaktypeConfiguratie(gemeente_id=gemeenten[code].id, zaaktype=zaaktype_code, versie=1,
                                                 begindatum=vandaag - dt.timedelta(days=365), waarden=waarden,
                                                 toelichting=waarom))
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

    from ..models import Product

    for code, naam, domein, categorie, productcode, eenheid, frequentie, tarief in PRODUCTEN:
        if session.scalar(select(Product.id).where(Product.code == code)) is None:
            session.add(Product(code=code, naam=naam, domein=domein, categorie=categorie, productcode=productcode,
                                eenheid=eenheid, frequentie=frequentie, tarief_cent=tarief))
            telling.setdefault("producten", 0)
            telling["producten"] += 1
    session.flush()

    brp = LocalBrp()
    for persoon in brp.alle():
        from ..models import Inwoner

        bestaand = session.scalar(select(Inwoner).where(Inwoner.bsn == persoon.bsn))
        if bestaand is None:
            inwoner = uit_brp(session, persoon)
            if persoon.bsn == POST_BSN:  # no e-mail: every letter also goes on paper (backoffice "Post")
                inwoner.contactvoorkeur = "post"
            else:
                inwoner.email = f"{persoon.voornamen.split()[0].lower()}.{persoon.geslachtsnaam.lower().replace(' ', '')}@inwoner.example"
            telling["inwoners"] += 1
    session.flush()

    # Berichtenverkeer: the (simulated) zorgaanbieders that administratie can order from.
    from ..berichtenverkeer import laad_demo_zorgaanbieders

    telling["zorgaanbieders"] = laad_demo_zorgaanbieders(session)

    session.commit()
    if diensten is not None:
        from sqlalchemy import func

        from ..models import Bericht

        berichten = session.scalar(select(func.count()).select_from(Bericht))
        telling["zaken"] = _demo_zaken(session, vandaag, diensten)
        session.commit()
        _demo_berichten(session, diensten)
        telling["zaken"] += _demo_jeugd(session, vandaag, diensten)  # its orders exchange messages too
        session.commit()
        telling["zaken"] += _demo_regie(session, vandaag, diensten)  # after Jeugd: its children have those first
        session.commit()
        _demo_berichten(session, diensten, JEUGD_BERICHTEN_BSN, zaaktype="jeugd", product_315=_JEUGD_PRODUCT_315)
        telling["berichten"] = session.scalar(select(func.count()).select_from(Bericht)) - berichten
        from .campagne import demo_campagne

        telling["briefcampagnes"] = demo_campagne(session, diensten)  # after the orders: the voorziening is geleverd
    session.commit()
    return telling
