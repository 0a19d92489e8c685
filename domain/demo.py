"""Demo data: a werkorganisatie serving three gemeenten, its teams, medewerkers of every role, test inwoners
from the local BRP register and a few zaken. Idempotent: running it twice changes nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.brp.local import LocalBrp

from . import tijd
from .inwoners import uit_brp
from .medewerkers import hash_wachtwoord
from .models import Gemeente, Medewerker, MedewerkerRol, Team, Zaak
from .roles import Rol

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

# Willem Bos has no e-mail and prefers post: his letters are in administratie's post queue.
POST_BSN = "999990123"

# Demo zaken, made through the real domain operations and engine so they are exactly what users would make.
# bsn, stage to reach, days ago the melding came in
ZAKEN = [
    ("999990007", "melding", 3),
    ("999990123", "melding", 50),  # overdue: the onderzoek term has passed
    ("999990081", "in_onderzoek", 20),
    ("999990093", "verslag_ter_ondertekening", 25),
    ("999990044", "ter_toetsing", 30),
    ("999990056", "besluit", 35),
    ("999990068", "besluit", 40),  # then through the whole berichtenverkeer (_demo_berichten)
]

# Berichtenverkeer: this inwoner's zaak is ordered and goes through the whole exchange with the simulated
# zorgaanbieder (302, 305, 315, 317, 323, 307), so the demo holds every message the gemeente sends: 301, 306, 308,
# 316, 318, 319 and 325 (and the iEb stand-in). The 315 stays open, to answer from the screen.
BERICHTEN_BSN = "999990068"


def _medewerker_actor(session: Session, gebruikersnaam: str):
    from .actor import Actor

    m = session.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    return Actor(soort="medewerker", id=m.id, naam=m.naam, rollen=m.rollen,
                 gemeente_ids=frozenset(g.id for g in m.gemeenten), team_ids=frozenset(t.id for t in m.teams))


def _demo_zaken(session: Session, vandaag: dt.date, diensten) -> int:
    from .actor import Actor
    from .models import Inwoner, Product
    from .workflow import voer_uit
    from .zaken import VerslagInvoer, VoorzieningInvoer, registreer_melding, sla_besluit_op, sla_verslag_op

    def actor(gebruikersnaam: str) -> Actor:
        return _medewerker_actor(session, gebruikersnaam)

    volgorde = ["melding", "in_onderzoek", "verslag_ter_ondertekening", "aanvraag", "ter_toetsing", "besluit"]
    gemaakt = 0
    for bsn, doel, dagen in ZAKEN:
        inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        if session.scalar(select(Zaak.id).where(Zaak.inwoner_id == inwoner.id).limit(1)):
            continue
        start = vandaag - dt.timedelta(days=dagen)
        moment = dt.datetime.combine(start, dt.time(10, 0), dt.UTC)
        zaak = registreer_melding(session, actor("toegang"), inwoner=inwoner, zaaktype_code="wmo",
                                  hulpvraag="Sinds mijn heupoperatie lukt het schoonmaken niet meer. Mijn dochter woont ver weg.",
                                  kanaal="telefoon", diensten=diensten, vandaag=start, nu=moment)
        gemaakt += 1
        stap = volgorde.index(doel)
        wmo = actor("wmo")
        if stap >= 1:
            voer_uit(session, wmo, zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten, nu=moment + dt.timedelta(days=2),
                     gegevens={"start": max(moment + dt.timedelta(days=7), dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
                               if stap == 1 else moment + dt.timedelta(days=7),
                               "locatie": "Bij u thuis", "duur_minuten": 60,
                               "voorbereiding": "Denk na over wat u zelf nog kunt en wie u helpt. U mag iemand meenemen."})
        if doel == "in_onderzoek":  # the consulent needs something from the inwoner before the gesprek
            from .vragen import stel_vraag

            stel_vraag(session, wmo, zaak, tekst="Wilt u de brief van uw orthopeed meesturen? Dan weten we hoe lang "
                                                 "u nog herstelt van de operatie.",
                       uiterlijk=vandaag + dt.timedelta(days=10), diensten=diensten)
        if stap >= 2:
            sla_verslag_op(session, wmo, zaak, VerslagInvoer(
                hulpvraag=zaak.hulpvraag or "",
                situatie="Woont zelfstandig in een eengezinswoning. Kan sinds de operatie niet bukken of tillen.",
                leefgebieden=[{"leefgebied": "Huisvesting", "bevinding": "Het huis is niet schoon te houden zonder hulp."},
                              {"leefgebied": "Sociaal netwerk", "bevinding": "Dochter komt eens per twee weken."}],
                eigen_kracht="Doet zelf de lichte taken en de boodschappen met de rollator.",
                afweging="Het netwerk kan het zware huishouden niet overnemen. Een algemene voorziening is er niet.",
                advies="Hulp bij het huishouden, 3 uur per week, voor een jaar."))
            voer_uit(session, wmo, zaak, "verslag_klaarzetten", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=9))
        if stap >= 3:
            burger = Actor(soort="inwoner", id=inwoner.id, naam=inwoner.naam, inwoner_id=inwoner.id,
                           gemeente_ids=frozenset({inwoner.gemeente_id}), betrouwbaarheidsniveau="midden")
            from .stappen import te_ondertekenen

            voer_uit(session, burger, zaak, "ondertekenen", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=10),
                     gegevens={"opmerking": "", "sha256": te_ondertekenen(session, zaak.id).sha256})
        if stap >= 4:
            hbh = session.scalar(select(Product).where(Product.code == "WMO-HBH"))
            uren = 10 if doel == "ter_toetsing" else 2
            sla_besluit_op(session, wmo, zaak, besluittype="toekenning",
                           onderbouwing="U kunt uw huis niet zelf schoonhouden en uw netwerk kan dit niet overnemen.",
                           wettelijke_grondslag="", voorzieningen=[VoorzieningInvoer(
                               product_id=hbh.id, volume=uren, frequentie="2", ingangsdatum=vandaag,
                               einddatum=vandaag + dt.timedelta(days=364))])
            voer_uit(session, wmo, zaak, "beschikking_indienen", verwachte_versie=None, diensten=diensten,
                     nu=moment + dt.timedelta(days=12))
    return gemaakt


def _demo_berichten(session: Session, diensten) -> int:
    """Order the zaak of BERICHTEN_BSN and play the exchange through the real code: the zaak's outgoing messages
    are delivered to a simulated zorgaanbieder in a temporary folder (the folder transport), the inbox sweep
    processes what it sends back. Idempotent: a zaak that already has messages is left alone. Returns the number
    of messages made."""
    import tempfile
    from pathlib import Path

    from sqlalchemy import func
    from sqlalchemy.orm import sessionmaker

    from integrations.istandaarden.simulator import Simulator
    from integrations.istandaarden.transport import MapTransport, bestandsnaam, verwerk_inbox

    from .berichtenverkeer import AFGEWEZEN_ANTWOORD, KLAAR, VERZONDEN, beantwoord_verzoek
    from .models import Bericht, Inwoner, Product, Toewijzing, Zorgaanbieder, utcnow
    from .workflow import voer_uit

    inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == BERICHTEN_BSN))
    zaak = session.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id).order_by(Zaak.id).limit(1)) \
        if inwoner else None
    if zaak is None or zaak.status != "besluit" or session.scalar(
            select(Bericht.id).where(Bericht.zaak_id == zaak.id).limit(1)):
        return 0
    aanbieder = session.scalar(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id).limit(1))
    administratie = _medewerker_actor(session, "administratie")
    voor = session.scalar(select(func.count()).select_from(Bericht))
    voer_uit(session, administratie, zaak, "bestellen", verwachte_versie=None, diensten=diensten,
             gegevens={"zorgaanbieder_id": aanbieder.id})  # commits: 301 (and the iEb stand-in)
    t = session.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id))
    nummer, ingang = t.toewijzingnummer, t.ingangsdatum
    tarief = session.scalar(select(Product.tarief_cent).where(Product.productcode == t.productcode).limit(1))
    zaak_id, gemeente_code, agb = zaak.id, zaak.gemeente.code, aanbieder.agb_code
    session.commit()

    maker = sessionmaker(bind=session.get_bind(), expire_on_commit=False)
    with tempfile.TemporaryDirectory(prefix="keukentafel-demo-") as map_:
        transport = MapTransport(Path(map_))
        sim = Simulator(transport.map)

        def bezorg() -> None:
            """The outbox sweep for this zaak's messages only: the real sweep would also hand anything else
            waiting in the outbox (of a database that is not only a demo) to this temporary folder."""
            with maker() as s:
                for b in s.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.status == KLAAR,
                                                         Bericht.zaak_id == zaak_id).order_by(Bericht.id)):
                    transport.verstuur(bestandsnaam(b), b.xml)
                    b.status, b.verzonden, b.pogingen = VERZONDEN, utcnow(), (b.pogingen or 0) + 1
                s.commit()

        def rondje() -> None:
            bezorg()
            sim.stap()
            verwerk_inbox(maker, transport, diensten=diensten)

        rondje()  # 301 out; 302 and 305 in (the care starts), 306 out
        sim.stuur_verzoek_wijziging(nummer, volume=3)  # 317 -> 318
        sim.stuur_verzoek_toewijzing(gemeente=gemeente_code, agb=agb, client=sim.toewijzing(nummer).client,
                                     product={"Categorie": "02", "Code": "02A01"},
                                     ingangsdatum=ingang + dt.timedelta(days=14), referentie="VOT-DEMO-0001",
                                     omvang={"Volume": 2, "Eenheid": "04", "Frequentie": "2"})  # 315 -> 316
        sim.stuur_declaratie(nummer, begin=ingang, eind=ingang, volume=1, tarief=tarief or 3250)  # 323 -> 325
        rondje()
        with maker() as s:  # the team turns the verzoek om wijziging down: 319
            verzoek = s.scalar(select(Bericht).where(Bericht.richting == "in", Bericht.code == "317",
                                                     Bericht.zaak_id == zaak_id))
            beantwoord_verzoek(s, _medewerker_actor(s, "administratie"), verzoek, AFGEWEZEN_ANTWOORD, reden="4")
            s.commit()
        sim.stuur_stop(nummer, einddatum=max(ingang, dt.date.today()))  # 307 -> 308
        rondje()
        bezorg()  # the last answers reach the zorgaanbieder too
        sim.stap()
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Bericht)) - voor


def laad_demo(session: Session, vandaag: dt.date | None = None, diensten=None) -> dict[str, int]:
    """Load the demo. Without `diensten` (PDF rendering, portal URL) only the organisation and people are made."""
    vandaag = vandaag or tijd.vandaag()
    telling = {"gemeenten": 0, "teams": 0, "medewerkers": 0, "inwoners": 0, "zaken": 0}

    gemeenten: dict[str, Gemeente] = {}
    for data in GEMEENTEN:
        gemeente = session.scalar(select(Gemeente).where(Gemeente.code == data["code"]))
        if gemeente is None:
            gemeente = Gemeente(**data, instellingen={}, termijnen={})
            session.add(gemeente)
            telling["gemeenten"] += 1
        elif any(k not in (gemeente.briefhoofd or {}) for k in data["briefhoofd"]):
            # a setting added since this database was made (e.g. the rechtbank); what is there is kept
            gemeente.briefhoofd = {**data["briefhoofd"], **(gemeente.briefhoofd or {})}
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
            if persoon.bsn == POST_BSN:  # no e-mail: every letter also goes on paper (backoffice "Post")
                inwoner.contactvoorkeur = "post"
            else:
                inwoner.email = f"{persoon.voornamen.split()[0].lower()}.{persoon.geslachtsnaam.lower().replace(' ', '')}@inwoner.example"
            telling["inwoners"] += 1
    session.flush()

    # Berichtenverkeer: the (simulated) zorgaanbieders that administratie can order from.
    from .berichtenverkeer import laad_demo_zorgaanbieders

    telling["zorgaanbieders"] = laad_demo_zorgaanbieders(session)

    session.commit()
    if diensten is not None:
        telling["zaken"] = _demo_zaken(session, vandaag, diensten)
        session.commit()
        telling["berichten"] = _demo_berichten(session, diensten)
    session.commit()
    return telling
