"""Briefcampagnes: one letter to many inwoners at once, e.g. to everyone whose voorziening ends in a period
(herindicatie). Administratie or a teamleider sees how many letters it makes, starts it, and follows its progress;
the letters are made in the background (domain.campagne_uitvoering) as every other letter of a zaak is: the
gemeente's briefhoofd, stored on the zaak, in the portal with a notification, on paper when the inwoner prefers
post, and in the protocol.

A soort of campaign is data (`Campagnesoort`): which voorzieningen it writes to, and the letter. Shared by every
zaaktype: the letter names the product, never a zaaktype or a law.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .documenten import Brief, letterlijk
from .models import Briefcampagne, Campagnebrief, Voorziening, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .teksten import aantal, datum_nl, getal
from .workflow import Context, OvergangFout

GEPLAND, BEZIG, AFGEROND = "gepland", "bezig", "afgerond"
# A voorziening that was granted and is not stopped (domain.stappen: vastgesteld -> gereserveerd -> ...).
LOPEND = ("gereserveerd", "besteld", "geleverd")
LANGSTE_PERIODE = dt.timedelta(days=366)  # a campaign over more than a year is a typing error, not a plan


@dataclass(frozen=True)
class Campagnesoort:
    code: str
    label: str
    uitleg: str  # on the backoffice page, above the period
    brief: Callable[[Context, Voorziening], Brief]
    melding: Callable[[Voorziening], tuple[str, str]]  # the portal notification: onderwerp, tekst


def _product(v: Voorziening) -> str:
    return v.product.naam[:1].lower() + v.product.naam[1:]


def _herindicatie_brief(ctx: Context, v: Voorziening) -> Brief:
    einde = datum_nl(v.einddatum)
    product = letterlijk(_product(v))
    op_tijd = v.einddatum - dt.timedelta(weeks=8)
    wanneer = f"het liefst vóór {datum_nl(op_tijd)}" if op_tijd > ctx.vandaag else "zo snel mogelijk"
    telefoon = (ctx.zaak.gemeente.briefhoofd or {}).get("telefoon")
    aanvragen = f"U kunt hulp aanvragen op {letterlijk(ctx.diensten.portaal_url.rstrip('/'))}/hulpvraag. U logt in met DigiD."
    if telefoon:
        aanvragen += f" Liever bellen? Bel ons op {letterlijk(telefoon)}."
    return Brief(
        "brief", "Brief: uw ondersteuning stopt", f"Uw {letterlijk(v.product.naam.lower())} stopt op {einde}",
        (f"U krijgt van ons {product}. Dat staat in ons besluit over uw zaak {{zaaknummer}}. Deze hulp stopt op {einde}.",
         "Heeft u daarna nog hulp nodig? Vraag de hulp dan opnieuw aan. Wij kijken dan samen met u wat u nodig heeft.",
         f"Doe de aanvraag op tijd: {wanneer}. Dan kunnen we beslissen voordat uw hulp stopt.",
         aanvragen,
         "Heeft u geen hulp meer nodig? Dan hoeft u niets te doen."),
        ondertekenaar="team")


def _herindicatie_melding(v: Voorziening) -> tuple[str, str]:
    tekst = (f"Uw {_product(v)} stopt op {datum_nl(v.einddatum)}. Heeft u daarna nog hulp nodig? Vraag die dan "
             "opnieuw aan. Lees de brief bij uw zaak.")
    return "Uw ondersteuning stopt", tekst


SOORTEN: dict[str, Campagnesoort] = {s.code: s for s in (
    Campagnesoort("herindicatie", "Herindicatie: ondersteuning stopt",
                  "Een brief aan iedere inwoner van wie de ondersteuning stopt in de gekozen periode. De brief zegt "
                  "op welke dag de ondersteuning stopt en hoe de inwoner opnieuw hulp aanvraagt. Een inwoner die "
                  "voor deze ondersteuning al zo'n brief kreeg, krijgt geen tweede.",
                  _herindicatie_brief, _herindicatie_melding),
)}


def soort_van(code: str) -> Campagnesoort:
    try:
        return SOORTEN[code]
    except KeyError:
        raise OvergangFout("Kies een soort campagne.", veld="soort") from None


def mag_starten(actor: Actor) -> bool:
    return authz.mag(actor, "campagne.starten")


def _vereis(actor: Actor) -> None:
    if not mag_starten(actor):
        raise authz.Geweigerd("alleen administratie of een teamleider start een briefcampagne")


def _controleer_periode(van: dt.date | None, tot: dt.date | None) -> None:
    if van is None or tot is None:
        raise OvergangFout("Vul de eerste en de laatste dag van de periode in.", veld="van")
    if tot < van:
        raise OvergangFout("De laatste dag ligt vóór de eerste dag. Kies een andere periode.", veld="tot")
    if tot - van > LANGSTE_PERIODE:
        raise OvergangFout("Kies een periode van hoogstens een jaar.", veld="tot")


def _selectie(soort: str, gemeente_ids, van: dt.date, tot: dt.date, campagne_id: int | None = None) -> Select:
    """The voorzieningen a campaign writes to, by id: lopend, ending in the period, in these gemeenten, and without
    a letter of this soort yet (from this campaign, whatever became of it, or a letter from an earlier one)."""
    eerder = (select(Briefcampagne.id).where(Briefcampagne.soort == soort)).scalar_subquery()
    al = exists().where(Campagnebrief.voorziening_id == Voorziening.id, or_(
        Campagnebrief.campagne_id == (campagne_id if campagne_id is not None else -1),
        and_(Campagnebrief.status == "klaar", Campagnebrief.campagne_id.in_(eerder))))
    return (select(Voorziening.id).join(Zaak, Zaak.id == Voorziening.zaak_id)
            .where(Zaak.gemeente_id.in_(list(gemeente_ids) or [-1]), Voorziening.status.in_(LOPEND),
                   Voorziening.einddatum.is_not(None), Voorziening.einddatum >= van, Voorziening.einddatum <= tot,
                   ~al))


def tel_brieven(session: Session, actor: Actor, soort: str, van: dt.date | None, tot: dt.date | None) -> int:
    """How many letters a campaign would make now: what the page shows before it is started."""
    _vereis(actor)
    soort_van(soort)
    _controleer_periode(van, tot)
    return session.scalar(select(func.count()).select_from(_selectie(soort, actor.gemeente_ids, van, tot).subquery()))


def nog_te_maken(session: Session, campagne: Briefcampagne) -> Select:
    """The voorzieningen this campaign has not written to yet, in a stable order (by id) to go through in batches."""
    return _selectie(campagne.soort, campagne.gemeente_ids, campagne.van, campagne.tot, campagne.id).order_by(
        Voorziening.id)


def plan_campagne(session: Session, actor: Actor, soort: str, van: dt.date | None, tot: dt.date | None, *,
                  nu: dt.datetime | None = None) -> Briefcampagne:
    """Plan a campaign: the worker picks it up and makes its letters in the background. Commits."""
    totaal = tel_brieven(session, actor, soort, van, tot)
    if totaal == 0:
        raise OvergangFout("In deze periode stopt geen ondersteuning waarover nog geen brief is gestuurd. Er komen "
                           "dus geen brieven.", veld="van")
    nu = nu or utcnow()
    campagne = Briefcampagne(soort=soort, van=van, tot=tot, gemeente_ids=sorted(actor.gemeente_ids), status=GEPLAND,
                             totaal=totaal, klaar=0, mislukt=0, aangemaakt=nu, aangemaakt_door_id=actor.id)
    session.add(campagne)
    session.flush()
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="briefcampagne", object_id=campagne.id,
                 omschrijving=f"Briefcampagne {soort} gepland: {aantal(totaal, 'brief', 'brieven')}, einddatum "
                              f"{van.isoformat()} t/m {tot.isoformat()}", doel="Briefcampagne")
    session.commit()
    return campagne


def _zichtbaar(actor: Actor, campagne: Briefcampagne) -> bool:
    return bool(set(campagne.gemeente_ids or ()) & set(actor.gemeente_ids))


def campagnes(session: Session, actor: Actor, limiet: int = 20) -> list[Briefcampagne]:
    """The latest campaigns of the actor's gemeenten, newest first."""
    _vereis(actor)
    rijen = session.scalars(select(Briefcampagne).order_by(Briefcampagne.id.desc()).limit(limiet * 5))
    return [c for c in rijen if _zichtbaar(actor, c)][:limiet]


def campagne_van(session: Session, actor: Actor, campagne_id: int) -> Briefcampagne | None:
    _vereis(actor)
    campagne = session.get(Briefcampagne, campagne_id)
    return campagne if campagne is not None and _zichtbaar(actor, campagne) else None


def procent(campagne: Briefcampagne) -> int:
    """How far it is, rounded down: 100 % only when every letter is done."""
    klaar = campagne.klaar + campagne.mislukt
    return 100 if campagne.totaal == 0 else klaar * 100 // campagne.totaal


def voortgang(campagne: Briefcampagne) -> str:
    """ "412 van 1.234 brieven klaar (33 %)" """
    return f"{getal(campagne.klaar)} van {aantal(campagne.totaal, 'brief', 'brieven')} klaar ({procent(campagne)} %)"


def uitkomst(campagne: Briefcampagne) -> str:
    """The confirmation when it is done: "1.234 brieven gemaakt." and the letters that did not work out."""
    tekst = f"{aantal(campagne.klaar, 'brief', 'brieven')} gemaakt."
    if campagne.mislukt:
        tekst += (f" {aantal(campagne.mislukt, 'brief is', 'brieven zijn')} niet gelukt. Kijk in het logboek van de "
                  "server waarom.")
    return tekst
