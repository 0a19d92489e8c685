"""The Meldcode huiselijk geweld en kindermishandeling (Besluit verplichte meldcode, 2013; afwegingskader 2019) as a
guided checklist of its five steps, as data: each step with what it asks, the afwegingskader's five questions with
their consequences, and the rules: the steps in order, each dated and signed by the consulent, and step 5 may only
choose "melden bij Veilig Thuis" when steps 1 to 4 are done; when the afwegingskader says melden is required, step 5
cannot choose help alone.

The afwegingskader's answers are recorded with step 4 (wegen), where the consulent weighs the signals; step 5 is the
decision they lead to. Melden records the date and who at Veilig Thuis was spoken to, and tells the team.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz, tijd
from .actor import Actor
from .models import MeldcodeStap, Medewerker, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .workflow import OvergangFout

DOEL = "Veiligheid jeugd: Meldcode huiselijk geweld en kindermishandeling"


@dataclass(frozen=True)
class Stap:
    nummer: int
    titel: str
    uitleg: str
    vraag: str  # the toelichting's label: what the consulent writes down


STAPPEN = (
    Stap(1, "Signalen in kaart brengen",
         "Breng de signalen in kaart die de zorgen bevestigen of ontkrachten. Schrijf feiten op, geen meningen.",
         "Welke signalen heeft u gezien of gehoord, en van wie?"),
    Stap(2, "Collegiale consultatie en eventueel Veilig Thuis raadplegen",
         "Bespreek de signalen met een deskundige collega of de aandachtsfunctionaris. Raadpleeg zo nodig Veilig "
         "Thuis, eventueel anoniem.",
         "Met wie heeft u overlegd, en wat kwam eruit?"),
    Stap(3, "Gesprek met de betrokkene",
         "Bespreek de zorgen met de ouders en, als dat kan, met het kind. Alleen als het gesprek de veiligheid in "
         "gevaar brengt, ziet u ervan af: schrijf dan op waarom.",
         "Wat heeft u besproken, en hoe reageerden de ouders en het kind?"),
    Stap(4, "Wegen met het afwegingskader",
         "Weeg de aard en de ernst van het geweld met de vijf vragen van het afwegingskader.",
         "Hoe weegt u de situatie?"),
    Stap(5, "Beslissen: melden bij Veilig Thuis en/of hulp organiseren",
         "Beslis of u meldt bij Veilig Thuis, zelf hulp organiseert, of allebei.",
         "Wat heeft u besloten, en waarom?"),
)
STAP = {s.nummer: s for s in STAPPEN}

JA, NEE, NOG_NIET = "ja", "nee", "nog_niet"


@dataclass(frozen=True)
class Afweging:
    code: str
    nummer: int
    vraag: str
    # The answer that requires melden (None: no answer does), and what each answer means.
    melden_bij: str | None
    gevolg: dict[str, str]
    keuzes: tuple[tuple[str, str], ...] = ((JA, "Ja"), (NEE, "Nee"))


AFWEGINGEN = (
    Afweging("vermoeden", 1, "Heb ik op basis van stap 1 tot en met 3 een vermoeden van (dreiging van) huiselijk "
                             "geweld of kindermishandeling?", None,
             {NEE: "Sluit de meldcode af en leg dat vast. Organiseer zo nodig hulp.", JA: "Ga verder met vraag 2."}),
    Afweging("onveilig", 2, "Is er sprake van acute onveiligheid of structurele onveiligheid?", JA,
             {JA: "Melden bij Veilig Thuis is nodig. Vraag 3 tot en met 5 beantwoordt u samen met Veilig Thuis.",
              NEE: "Ga verder met vraag 3."}),
    Afweging("hulp_mogelijk", 3, "Kan ik effectieve hulp bieden of organiseren om de dreiging van (toekomstig) "
                                 "geweld af te wenden?", NEE,
             {NEE: "Melden bij Veilig Thuis is nodig.", JA: "Ga verder met vraag 4."}),
    Afweging("hulp_aanvaard", 4, "Aanvaarden de betrokkenen die hulp, en zijn ze bereid zich ervoor in te zetten?",
             NEE, {NEE: "Melden bij Veilig Thuis is nodig.", JA: "Bied of organiseer hulp. Ga verder met vraag 5."}),
    Afweging("duurzaam", 5, "Leidt de hulp binnen de gewenste termijn tot duurzame veiligheid en herstel van alle "
                            "betrokkenen?", NEE,
             {NEE: "(Opnieuw) melden bij Veilig Thuis is nodig.",
              JA: "Sluit de hulp af met afspraken over het volgen van de veiligheid.",
              NOG_NIET: "Volg de hulp en beantwoord deze vraag opnieuw als de termijn om is."},
             keuzes=((JA, "Ja"), (NEE, "Nee"), (NOG_NIET, "Nog niet te beoordelen"))),
)
AFWEGING = {a.code: a for a in AFWEGINGEN}

MELDEN, HULP, BEIDE = "melden", "hulp", "beide"
BESLUITEN = {MELDEN: "Melden bij Veilig Thuis", HULP: "Hulp organiseren (niet melden)",
             BEIDE: "Melden bij Veilig Thuis én hulp organiseren"}


@dataclass(frozen=True)
class Weging:
    """What the afwegingskader's answers lead to: the questions that must be answered, and whether melden is
    required (with the question that requires it)."""

    nodig: tuple[str, ...]
    melden_verplicht: bool
    reden: str


def weeg(antwoorden: dict[str, str]) -> Weging:
    """Walk the afwegingskader: each question is needed until an answer ends the walk. Question 2 "ja" ends it with
    melden (3 to 5 are answered with Veilig Thuis), as does "nee" on 3 or 4, and "nee" on 5."""
    nodig: list[str] = []
    for afweging in AFWEGINGEN:
        nodig.append(afweging.code)
        antwoord = antwoorden.get(afweging.code)
        if antwoord is None:
            break
        if afweging.melden_bij is not None and antwoord == afweging.melden_bij:
            return Weging(tuple(nodig), True, f"Vraag {afweging.nummer}: {afweging.gevolg[antwoord]}")
        if afweging.code == "vermoeden" and antwoord == NEE:
            return Weging(tuple(nodig), False, f"Vraag 1: {afweging.gevolg[NEE]}")
    return Weging(tuple(nodig), False, "Het afwegingskader vraagt geen melding: hulp bieden of organiseren kan.")


def stappen_van(session: Session, zaak: Zaak) -> dict[int, MeldcodeStap]:
    return {s.stap: s for s in session.scalars(select(MeldcodeStap).where(MeldcodeStap.zaak_id == zaak.id))}


def _fout_datum(datum: dt.date | None, zaak: Zaak, vorige: MeldcodeStap | None, veld: str = "datum") -> None:
    if datum is None:
        raise OvergangFout("Vul de datum in waarop u deze stap zette.", veld=veld)
    if datum > tijd.vandaag():
        raise OvergangFout("Deze datum ligt in de toekomst. Vul de datum in waarop het gebeurde.", veld=veld)
    if datum < zaak.startdatum:
        raise OvergangFout(f"Deze datum ligt vóór het begin van de zaak ({zaak.startdatum:%d-%m-%Y}).", veld=veld)
    if vorige is not None and datum < vorige.datum:
        raise OvergangFout(f"Deze datum ligt vóór stap {vorige.stap} ({vorige.datum:%d-%m-%Y}). De stappen gaan "
                           f"op volgorde.", veld=veld)


def leg_stap_vast(session: Session, actor: Actor, zaak: Zaak, stap: int, *, datum: dt.date | None,
                  toelichting: str | None, antwoorden: dict | None = None, besluit: str | None = None,
                  veilig_thuis_datum: dt.date | None = None, veilig_thuis_contact: str | None = None,
                  diensten=None, nu: dt.datetime | None = None) -> MeldcodeStap:
    """Record one step of the Meldcode, signed by the actor (a consulent of the team). The caller commits."""
    if not authz.is_behandelaar(actor, zaak):
        raise authz.Geweigerd("meldcode.vastleggen")
    if stap not in STAP:
        raise OvergangFout("De meldcode heeft vijf stappen.")
    gedaan = stappen_van(session, zaak)
    if stap in gedaan:
        raise OvergangFout(f"Stap {stap} is al vastgelegd op {gedaan[stap].datum:%d-%m-%Y}.")
    open_ = [n for n in range(1, stap) if n not in gedaan]
    if open_:
        if stap == 5 and besluit in (MELDEN, BEIDE):
            raise OvergangFout("U kunt pas melden bij Veilig Thuis als stap 1 tot en met 4 zijn gezet. Nog niet "
                               "gedaan: " + ", ".join(f"stap {n} ({STAP[n].titel.lower()})" for n in open_) + ".")
        raise OvergangFout(f"Zet eerst stap {open_[0]}: {STAP[open_[0]].titel.lower()}. De stappen gaan op volgorde.")
    _fout_datum(datum, zaak, gedaan.get(stap - 1))
    tekst = (toelichting or "").strip()
    if not tekst:
        raise OvergangFout("Schrijf kort op wat u in deze stap deed.", veld="toelichting")
    rij = MeldcodeStap(zaak_id=zaak.id, stap=stap, datum=datum, toelichting=tekst, medewerker_id=actor.id,
                       vastgelegd=nu or utcnow())
    if stap == 2:
        rij.antwoorden = {"veilig_thuis_geraadpleegd": bool((antwoorden or {}).get("veilig_thuis_geraadpleegd"))}
    elif stap == 4:
        rij.antwoorden, rij.melden_verplicht = _wegen(antwoorden or {})
    elif stap == 5:
        _beslis(rij, gedaan[4], besluit, datum, veilig_thuis_datum, veilig_thuis_contact, zaak)
    session.add(rij)
    session.flush()
    omschrijving = f"Meldcode stap {stap} ({STAP[stap].titel.lower()}) vastgelegd bij zaak {zaak.identificatie}"
    if stap == 5:
        omschrijving += f": {BESLUITEN[besluit].lower()}"
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="meldcode_stap", object_id=rij.id,
                 omschrijving=omschrijving, doel=DOEL, inwoner_id=zaak.inwoner_id)
    if stap == 5 and besluit in (MELDEN, BEIDE):
        _meld_team(session, actor, zaak, rij, diensten, nu)
    return rij


def _wegen(antwoorden: dict) -> tuple[dict, bool]:
    schoon: dict[str, str] = {}
    for code in weeg({c: a for c, a in antwoorden.items() if a}).nodig:
        afweging = AFWEGING[code]
        antwoord = antwoorden.get(code)
        if antwoord not in dict(afweging.keuzes):
            raise OvergangFout("Beantwoord deze vraag van het afwegingskader.", veld=code)
        schoon[code] = antwoord
    return schoon, weeg(schoon).melden_verplicht


def _beslis(rij: MeldcodeStap, wegen: MeldcodeStap, besluit: str | None, datum: dt.date,
            vt_datum: dt.date | None, vt_contact: str | None, zaak: Zaak) -> None:
    if besluit not in BESLUITEN:
        raise OvergangFout("Kies wat u besluit.", veld="besluit")
    if wegen.melden_verplicht and besluit == HULP:
        raise OvergangFout("Het afwegingskader (stap 4) zegt dat melden bij Veilig Thuis nodig is. Kies 'melden' "
                           "of 'melden én hulp organiseren'.", veld="besluit")
    rij.besluit = besluit
    if besluit in (MELDEN, BEIDE):
        if vt_datum is None:
            raise OvergangFout("Vul de datum van de melding bij Veilig Thuis in.", veld="veilig_thuis_datum")
        if vt_datum > tijd.vandaag():
            raise OvergangFout("Deze datum ligt in de toekomst. Vul de datum in waarop u meldde.",
                               veld="veilig_thuis_datum")
        if vt_datum < zaak.startdatum or vt_datum < wegen.datum:
            raise OvergangFout("De melding kan niet vóór stap 4 zijn gedaan.", veld="veilig_thuis_datum")
        contact = (vt_contact or "").strip()
        if not contact:
            raise OvergangFout("Schrijf op met wie u bij Veilig Thuis sprak.", veld="veilig_thuis_contact")
        rij.veilig_thuis_datum, rij.veilig_thuis_contact = vt_datum, contact[:200]


def _meld_team(session: Session, actor: Actor, zaak: Zaak, rij: MeldcodeStap, diensten, nu) -> None:
    """Tell the team (its leader and the behandelaar among them) that a melding was made: only the team may see
    this zaak, so the gemeente's other teamleiders are not told of it."""
    from .effects import MeldMedewerkers
    from .workflow import handeling_context

    ctx = handeling_context(session, actor, zaak, "meldcode_melden", "Melding bij Veilig Thuis",
                            diensten=diensten, nu=nu)
    tekst = (f"{actor.naam} heeft op {rij.veilig_thuis_datum:%d-%m-%Y} gemeld bij Veilig Thuis "
             f"(gesproken met {rij.veilig_thuis_contact}).")
    MeldMedewerkers("team", "Melding bij Veilig Thuis gedaan", tekst).toepassen(ctx)
    if zaak.behandelaar_id and zaak.behandelaar_id not in {m.id for m in (zaak.team.leden if zaak.team else [])}:
        MeldMedewerkers("behandelaar", "Melding bij Veilig Thuis gedaan", tekst).toepassen(ctx)


def meldcode_stand(session: Session, actor: Actor, zaak: Zaak, *, protocol: bool = True) -> dict | None:
    """What the zaak page's Meldcode section shows: per step done (date, who, toelichting), next, or later (and
    why), and the afwegingskader's outcome. Only for the team (None: not shown); a read is in the protocol."""
    if not authz.is_behandelaar(actor, zaak):
        return None
    gedaan = stappen_van(session, zaak)
    namen = dict(session.execute(select(Medewerker.id, Medewerker.naam).where(
        Medewerker.id.in_({s.medewerker_id for s in gedaan.values()}))).all()) if gedaan else {}
    if gedaan and protocol:
        protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="meldcode_stap", object_id=zaak.id,
                     omschrijving=f"Meldcode van zaak {zaak.identificatie} ingezien", doel=DOEL,
                     inwoner_id=zaak.inwoner_id)
    volgende = next((s.nummer for s in STAPPEN if s.nummer not in gedaan), None)
    regels = []
    for s in STAPPEN:
        if s.nummer in gedaan:
            regels.append({"stap": s, "status": "gedaan", "rij": gedaan[s.nummer]})
        elif s.nummer == volgende:
            regels.append({"stap": s, "status": "volgende", "rij": None})
        else:
            waarom = (f"Kan pas na stap {volgende}." if s.nummer != 5 else
                      "Melden of hulp organiseren kan pas als stap 1 tot en met 4 zijn gezet.")
            regels.append({"stap": s, "status": "later", "rij": None, "waarom": waarom})
    weging = weeg(gedaan[4].antwoorden or {}) if 4 in gedaan else None
    return {"regels": regels, "volgende": volgende, "weging": weging, "namen": namen, "besluiten": BESLUITEN,
            "afwegingen": AFWEGINGEN}
