"""ARIJ (Actuarieel Risicotaxatie Instrument voor Jeugdbescherming): the veiligheidstaxatie (is the child unsafe
right now?) and the risicotaxatie (how likely is future onveiligheid?), as data: each question with its answers and
their weight, and how the outcome laag / middelmatig / hoog follows from the answers.

The ARIJ itself (UvA Forensische Orthopedagogiek with Jeugdbescherming Regio Amsterdam; van der Put, Assink & Stams
2015, revised by Vial 2020) is a licensed Excel tool whose items and weights are not public: 10 items for the
veiligheidstaxatie, 30 for the risicotaxatie. The questions below follow its structure and topics (acute safety of
the child; risk factors of the child, the parents and the family) and the afwegingskader's examples of acute
onveiligheid, but they are our own set, not the validated instrument: docs/arij-en-meldcode.md says so and where
they come from. `INSTRUMENTVERSIE` is stored with each taxatie, so an old taxatie stays readable when the set changes.

A taxatie is never changed: a new one is a new row, so the history stays. The consulent may set a final outcome
other than the computed one, with a required reason; both are kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .models import Medewerker, Taxatie, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .workflow import OvergangFout

INSTRUMENTVERSIE = "keukentafel-arij-1"
DOEL = "Veiligheid jeugd: ARIJ-taxatie"

LAAG, MIDDELMATIG, HOOG = "laag", "middelmatig", "hoog"
UITKOMSTEN = {LAAG: "Laag", MIDDELMATIG: "Middelmatig", HOOG: "Hoog"}


@dataclass(frozen=True)
class Antwoord:
    code: str
    tekst: str
    punten: int


@dataclass(frozen=True)
class Vraag:
    code: str
    tekst: str
    antwoorden: tuple[Antwoord, ...]
    groep: str = ""  # the risicotaxatie's domains: kind, ouders, gezin
    uitleg: str = ""

    def antwoord(self, code: str | None) -> Antwoord | None:
        return next((a for a in self.antwoorden if a.code == code), None)


@dataclass(frozen=True)
class Instrument:
    soort: str  # veiligheid | risico
    naam: str
    uitleg: str
    vragen: tuple[Vraag, ...]
    # The scale: the outcome for a score (veiligheid: the highest weight given; risico: the sum of the weights).
    drempels: tuple[tuple[int, str], ...]  # (from this score on, this outcome), ascending
    optellen: bool
    betekenis: dict[str, str]

    def bereken(self, antwoorden: dict[str, str]) -> str:
        punten = [self.vraag(code).antwoord(a).punten for code, a in antwoorden.items()]
        score = sum(punten) if self.optellen else max(punten, default=0)
        uitkomst = LAAG
        for vanaf, waarde in self.drempels:
            if score >= vanaf:
                uitkomst = waarde
        return uitkomst

    def vraag(self, code: str) -> Vraag:
        return next(v for v in self.vragen if v.code == code)

    @property
    def groepen(self) -> list[tuple[str, list[Vraag]]]:
        volgorde: dict[str, list[Vraag]] = {}
        for v in self.vragen:
            volgorde.setdefault(v.groep, []).append(v)
        return list(volgorde.items())


NEE_VERMOEDEN_JA = (Antwoord("nee", "Nee", 0), Antwoord("vermoeden", "Niet uit te sluiten (vermoeden)", 1),
                    Antwoord("ja", "Ja", 2))
NEE_JA = (Antwoord("nee", "Nee", 0), Antwoord("ja", "Ja", 1))
NEE_VROEGER_NU = (Antwoord("nee", "Nee", 0), Antwoord("vroeger", "Vroeger, nu niet meer", 1),
                  Antwoord("nu", "Ja, nu", 2))


def _vt(code: str, tekst: str, uitleg: str = "") -> Vraag:
    return Vraag(code, tekst, NEE_VERMOEDEN_JA, groep="Directe veiligheid van het kind", uitleg=uitleg)


VEILIGHEIDSTAXATIE = Instrument(
    soort="veiligheid", naam="Veiligheidstaxatie",
    uitleg=("Is het kind nu, de komende uren en dagen, veilig? Eén 'ja' betekent acute onveiligheid: het kind "
            "heeft direct bescherming nodig. Een vermoeden dat u niet kunt uitsluiten telt als zorg."),
    vragen=(
        _vt("letsel", "Heeft het kind letsel dat vermoedelijk is toegebracht, of is dat geprobeerd?",
            "Ook een poging tot verwurging of het gebruik van een wapen."),
        _vt("fysiek_geweld", "Is er de laatste tijd geweld tegen het kind gebruikt, of is ermee gedreigd?"),
        _vt("seksueel", "Is er een vermoeden van seksueel misbruik of seksuele uitbuiting van het kind?"),
        _vt("basiszorg", "Ontbreekt de meest basale zorg: eten, drinken, kleding, onderdak of nodige medische zorg?"),
        _vt("huiselijk_geweld", "Is er geweld tussen volwassenen in huis waar het kind bij is of dat het kind raakt?"),
        _vt("ouder_crisis", "Kan een ouder nu niet voor het kind zorgen door drank of drugs, een psychische crisis "
                            "of een dreigende zelfdoding?"),
        _vt("dreiging", "Is er een dreiging om het kind of een gezinslid te doden, ernstig te verwonden, te "
                        "ontvoeren of naar het buitenland mee te nemen?",
            "Denk aan eergerelateerd geweld, huwelijksdwang of vrouwelijke genitale verminking."),
        _vt("kind_zelf", "Brengt het kind zichzelf in acuut gevaar, bijvoorbeeld door suïcidaal gedrag of weglopen?"),
        _vt("geen_beschermer", "Ontbreekt een volwassene die het kind nu kan en wil beschermen?"),
        _vt("geen_zicht", "Houden de ouders de hulpverlening weg bij het kind, zodat er geen zicht is op zijn "
                          "veiligheid?"),
    ),
    drempels=((1, MIDDELMATIG), (2, HOOG)), optellen=False,
    betekenis={LAAG: "Geen aanwijzingen voor acute onveiligheid.",
               MIDDELMATIG: "Zorgen over de veiligheid: maak veiligheidsafspraken en kijk snel opnieuw.",
               HOOG: "Acute onveiligheid: het kind heeft nu bescherming nodig. Meld bij Veilig Thuis."},
)


def _rt(groep: str, code: str, tekst: str, antwoorden=NEE_JA, uitleg: str = "") -> Vraag:
    return Vraag(code, tekst, antwoorden, groep=groep, uitleg=uitleg)


KIND, OUDERS, GEZIN = "Het kind", "De ouders", "Het gezin"
RISICOTAXATIE = Instrument(
    soort="risico", naam="Risicotaxatie",
    uitleg=("Hoe groot is de kans dat het kind in de toekomst onveilig opgroeit? De antwoorden tellen op; de "
            "uitkomst geeft richting aan de hulp, niet het besluit zelf."),
    vragen=(
        _rt(KIND, "jong", "Is het kind (of het jongste kind in het gezin) jonger dan 4 jaar?"),
        _rt(KIND, "eerdere_meldingen", "Zijn er eerder zorgen over de veiligheid van het kind gemeld (Veilig Thuis, "
                                       "politie, Raad voor de Kinderbescherming)?",
            (Antwoord("nee", "Nee", 0), Antwoord("een", "Eén keer", 1), Antwoord("vaker", "Vaker", 2))),
        _rt(KIND, "kind_problemen", "Heeft het kind een beperking, een ontwikkelingsachterstand of ernstige gedrags- "
                                    "of psychische problemen?"),
        _rt(KIND, "eerdere_maatregel", "Was het kind eerder uit huis geplaatst of onder toezicht gesteld?"),
        _rt(OUDERS, "ouder_eigen_jeugd", "Is een ouder zelf als kind mishandeld of verwaarloosd?"),
        _rt(OUDERS, "middelen", "Gebruikt een ouder drank of drugs op een manier die de zorg voor het kind raakt?",
            NEE_VROEGER_NU),
        _rt(OUDERS, "psychisch", "Heeft een ouder psychische of psychiatrische problemen?",
            (Antwoord("nee", "Nee", 0), Antwoord("behandeld", "Ja, en die worden behandeld", 1),
             Antwoord("onbehandeld", "Ja, en die worden niet behandeld", 2))),
        _rt(OUDERS, "beperking", "Heeft een ouder een (licht) verstandelijke beperking?"),
        _rt(OUDERS, "geweld_verleden", "Heeft een ouder eerder geweld gepleegd (justitieel verleden)?"),
        _rt(OUDERS, "probleembesef", "Ziet een ouder de zorgen over de veiligheid van het kind?",
            (Antwoord("ja", "Ja", 0), Antwoord("deels", "Deels", 1), Antwoord("nee", "Nee, ontkent ze", 2))),
        _rt(GEZIN, "partnergeweld", "Is er geweld tussen de (ex-)partners?", NEE_VROEGER_NU),
        _rt(GEZIN, "geen_netwerk", "Staan de ouders er alleen voor, zonder familie of vrienden die helpen?"),
        _rt(GEZIN, "geldzorgen", "Zijn er ernstige geldzorgen of schulden?"),
        _rt(GEZIN, "wonen", "Is het wonen onzeker of ongeschikt (geen vaste woonplek, dreigende uitzetting)?"),
        _rt(GEZIN, "hulp_afgebroken", "Hebben de ouders eerder hulp geweigerd of afgebroken?"),
    ),
    drempels=((5, MIDDELMATIG), (10, HOOG)), optellen=True,
    betekenis={LAAG: "Laag risico op toekomstige onveiligheid.",
               MIDDELMATIG: "Middelmatig risico: hulp gericht op de risicofactoren die te veranderen zijn.",
               HOOG: "Hoog risico: intensieve, risicogestuurde hulp en nauw volgen van de veiligheid."},
)

INSTRUMENTEN = {i.soort: i for i in (VEILIGHEIDSTAXATIE, RISICOTAXATIE)}


def instrument(soort: str) -> Instrument:
    try:
        return INSTRUMENTEN[soort]
    except KeyError:
        raise OvergangFout("Deze taxatie bestaat niet.") from None


def _mag_taxeren(actor: Actor, zaak: Zaak) -> None:
    if not authz.is_behandelaar(actor, zaak):
        raise authz.Geweigerd("arij.taxeren")


def leg_taxatie_vast(session: Session, actor: Actor, zaak: Zaak, soort: str, antwoorden: dict[str, str], *,
                     uitkomst: str | None = None, reden_afwijking: str | None = None,
                     toelichting: str | None = None, nu: dt.datetime | None = None) -> Taxatie:
    """Record a new taxatie (a new row; earlier ones stay). `uitkomst` None or equal to the computed outcome: the
    computed one; otherwise the consulent's own, which needs `reden_afwijking`. The caller commits."""
    _mag_taxeren(actor, zaak)
    inst = instrument(soort)
    schoon: dict[str, str] = {}
    for vraag in inst.vragen:
        gekozen = antwoorden.get(vraag.code)
        if vraag.antwoord(gekozen) is None:
            raise OvergangFout("Beantwoord deze vraag.", veld=vraag.code)
        schoon[vraag.code] = gekozen
    berekend = inst.bereken(schoon)
    uitkomst = uitkomst or berekend
    if uitkomst not in UITKOMSTEN:
        raise OvergangFout("Kies laag, middelmatig of hoog.", veld="uitkomst")
    reden = (reden_afwijking or "").strip() or None
    if uitkomst != berekend and reden is None:
        raise OvergangFout(f"De berekende uitkomst is {berekend}. U kiest {uitkomst}: schrijf op waarom.",
                           veld="reden_afwijking")
    taxatie = Taxatie(zaak_id=zaak.id, soort=soort, instrumentversie=INSTRUMENTVERSIE, antwoorden=schoon,
                      uitkomst_berekend=berekend, uitkomst=uitkomst, reden_afwijking=reden if uitkomst != berekend
                      else None, toelichting=(toelichting or "").strip() or None, medewerker_id=actor.id,
                      vastgelegd=nu or utcnow())
    session.add(taxatie)
    session.flush()
    afwijking = f", afwijkend van de berekende uitkomst {berekend}" if uitkomst != berekend else ""
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="taxatie", object_id=taxatie.id,
                 omschrijving=f"ARIJ-{inst.naam.lower()} vastgelegd bij zaak {zaak.identificatie}: "
                              f"uitkomst {uitkomst}{afwijking}",
                 doel=DOEL, inwoner_id=zaak.inwoner_id)
    return taxatie


def taxaties(session: Session, zaak: Zaak, soort: str | None = None) -> list[Taxatie]:
    """The taxaties of a zaak, newest first."""
    stmt = select(Taxatie).where(Taxatie.zaak_id == zaak.id)
    if soort:
        stmt = stmt.where(Taxatie.soort == soort)
    return list(session.scalars(stmt.order_by(Taxatie.vastgelegd.desc(), Taxatie.id.desc())))


def arij_stand(session: Session, actor: Actor, zaak: Zaak, *, protocol: bool = True) -> dict | None:
    """What the zaak page's ARIJ section shows: the latest taxatie per soort and the history, newest first. Only
    for the team that handles the zaak (None: the section is not shown); a read of existing taxaties is in the
    protocol."""
    if not authz.is_behandelaar(actor, zaak):
        return None
    historie = taxaties(session, zaak)
    namen = dict(session.execute(select(Medewerker.id, Medewerker.naam).where(
        Medewerker.id.in_({t.medewerker_id for t in historie}))).all()) if historie else {}
    if historie and protocol:
        protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="taxatie", object_id=zaak.id,
                     omschrijving=f"ARIJ-taxaties van zaak {zaak.identificatie} ingezien", doel=DOEL,
                     inwoner_id=zaak.inwoner_id)
    laatste = {s: next((t for t in historie if t.soort == s), None) for s in INSTRUMENTEN}
    return {"instrumenten": INSTRUMENTEN, "laatste": laatste, "historie": historie, "namen": namen,
            "uitkomsten": UITKOMSTEN}
