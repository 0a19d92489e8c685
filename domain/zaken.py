"""Domain operations around a zaak that are not status changes: registering contacts and meldingen, saving
the onderzoeksverslag and the concept besluit. Each checks authorization here, in the domain."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .models import Besluit, Inwoner, Klantcontact, Onderzoeksverslag, Product, Voorziening, Zaak, utcnow
from .processes import zaaktype_van
from .protocol import Handeling, protocolleer
from .stappen import DienBesluitIn, ZetVerslagKlaar, laatste_verslag, lopend_besluit
from .tijd import datum_van
from .tijd import vandaag as tijd_vandaag
from .workflow import Diensten, OvergangFout, start_zaak

KANALEN = {"telefoon": "Telefoon", "email": "E-mail", "balie": "Balie", "portaal": "Portaal", "brief": "Brief",
           "verwijzing": "Verwijzing"}  # verwijzing: another organisation referred (domain/verwijzingen.py)
LEEFGEBIEDEN = (
    "Financiën", "Werk en opleiding", "Tijdsbesteding", "Huisvesting", "Huiselijke relaties", "Geestelijke gezondheid",
    "Lichamelijke gezondheid", "Middelengebruik", "Vaardigheden dagelijks leven (ADL)", "Sociaal netwerk",
    "Maatschappelijke participatie", "Justitie",
)


def registreer_contact(session: Session, actor: Actor, *, inwoner: Inwoner, kanaal: str, onderwerp: str,
                       tekst: str, alleen_advies: bool, zaak: Zaak | None = None) -> Klantcontact:
    if kanaal not in KANALEN:
        raise OvergangFout("Kies hoe de inwoner contact opnam.")
    contact = Klantcontact(inwoner_id=inwoner.id, zaak_id=zaak.id if zaak else None, medewerker_id=actor.id,
                           kanaal=kanaal, onderwerp=onderwerp.strip()[:200], tekst=tekst.strip() or None,
                           alleen_advies=alleen_advies, tijdstip=utcnow())
    session.add(contact)
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="klantcontact",
                 omschrijving=f"Klantcontact geregistreerd ({KANALEN[kanaal]}){' - advies gegeven' if alleen_advies else ''}",
                 doel="Toegang sociaal domein", inwoner_id=inwoner.id)
    return contact


def registreer_melding(session: Session, actor: Actor, *, inwoner: Inwoner, zaaktype_code: str, hulpvraag: str,
                       kanaal: str, diensten: Diensten, vandaag: dt.date | None = None,
                       nu: dt.datetime | None = None, commit: bool = True) -> Zaak:
    """Team toegang makes a melding in the werkvoorraad of the team of that domain (same gemeente). `commit`
    False: the caller adds to the same transaction (a referral with its betrokkenen) and commits."""
    authz.vereis(actor, "melding.registreren")
    if inwoner.gemeente_id not in actor.gemeente_ids:
        raise OvergangFout(f"U werkt niet voor de gemeente {inwoner.gemeente.naam}.")
    if not hulpvraag.strip():
        raise OvergangFout("Beschrijf de hulpvraag van de inwoner.")
    try:
        zaaktype = zaaktype_van(zaaktype_code)
    except KeyError:
        raise OvergangFout("Kies waarvoor de melding is.") from None
    if not zaaktype.meldbaar:
        raise OvergangFout(f"Voor {zaaktype.naam} kan geen melding worden gemaakt.")
    from .configuratie import behandelend_team

    team = behandelend_team(session, zaaktype.code, inwoner.gemeente_id)
    if team is None:
        raise OvergangFout(f"Er is geen team voor {zaaktype.naam} ingesteld.")
    contact = registreer_contact(session, actor, inwoner=inwoner, kanaal=kanaal, onderwerp=f"Melding {zaaktype.naam}",
                                 tekst=hulpvraag, alleen_advies=False)
    zaak = start_zaak(session, actor, zaaktype_code=zaaktype.code, inwoner_id=inwoner.id,
                      gemeente_id=inwoner.gemeente_id, team_id=team.id, hulpvraag=hulpvraag.strip(),
                      startdatum=vandaag or (datum_van(nu) if nu else tijd_vandaag()), diensten=diensten, nu=nu)
    contact.zaak_id = zaak.id
    if commit:
        session.commit()
    return zaak


def _vereis_behandelaar(actor: Actor, zaak: Zaak) -> None:
    if not authz.is_behandelaar(actor, zaak):
        raise authz.Geweigerd("alleen een consulent van het team van deze zaak")


@dataclass
class VerslagInvoer:
    hulpvraag: str
    situatie: str
    leefgebieden: list[dict[str, str]]
    eigen_kracht: str
    afweging: str
    advies: str


def sla_verslag_op(session: Session, actor: Actor, zaak: Zaak, invoer: VerslagInvoer) -> Onderzoeksverslag:
    """Save a new version of the onderzoeksverslag; earlier versions stay as they were."""
    _vereis_behandelaar(actor, zaak)
    if (afspraak := wacht_op_afspraak(zaak)) is not None:
        raise OvergangFout(f"Leg eerst vast dat het {afspraak} is geweest. Daarna schrijft u het verslag.")
    if not verslag_schrijven_kan(zaak):
        raise OvergangFout("Het verslag kan alleen worden aangepast zolang de zaak in onderzoek is.")
    verplicht = {"hulpvraag": invoer.hulpvraag, "situatie": invoer.situatie, "eigen kracht en netwerk": invoer.eigen_kracht,
                 "afweging": invoer.afweging, "advies": invoer.advies}
    leeg = [naam for naam, waarde in verplicht.items() if not waarde.strip()]
    if leeg:
        raise OvergangFout(f"Vul nog in: {', '.join(leeg)}.")
    laatste = session.scalar(select(func.max(Onderzoeksverslag.versie)).where(Onderzoeksverslag.zaak_id == zaak.id)) or 0
    verslag = Onderzoeksverslag(zaak_id=zaak.id, versie=laatste + 1, hulpvraag=invoer.hulpvraag.strip(),
                                situatie=invoer.situatie.strip(), leefgebieden=invoer.leefgebieden,
                                eigen_kracht=invoer.eigen_kracht.strip(), afweging=invoer.afweging.strip(),
                                advies=invoer.advies.strip(), auteur_id=actor.id)
    session.add(verslag)
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="onderzoeksverslag", object_id=zaak.id,
                 omschrijving=f"Onderzoeksverslag versie {verslag.versie} opgeslagen ({zaak.identificatie})",
                 doel=zaaktype_van(zaak.zaaktype).protocoldoel, inwoner_id=zaak.inwoner_id)
    session.commit()
    return verslag


@dataclass
class VoorzieningInvoer:
    product_id: int
    volume: int
    frequentie: str
    ingangsdatum: dt.date
    einddatum: dt.date | None
    leveringsvorm: str = "zin"


def sla_besluit_op(session: Session, actor: Actor, zaak: Zaak, *, besluittype: str, onderbouwing: str,
                   wettelijke_grondslag: str, voorzieningen: list[VoorzieningInvoer],
                   vandaag: dt.date | None = None) -> Besluit:
    """Write (or rewrite) the concept besluit with its voorzieningen from the productshop. A refused date names
    its field as `voorzieningen.<i>.<veld>`, i the position in `voorzieningen`."""
    _vereis_behandelaar(actor, zaak)
    if not besluit_opstellen_kan(zaak):
        raise OvergangFout("Een beschikking kan worden opgesteld als de aanvraag compleet is.")
    if besluittype not in ("toekenning", "afwijzing"):
        raise OvergangFout("Kies toekenning of afwijzing.")
    if not onderbouwing.strip():
        raise OvergangFout("Schrijf de onderbouwing van het besluit.")
    if besluittype == "toekenning" and not voorzieningen:
        raise OvergangFout("Kies bij een toekenning minstens één voorziening.")
    _controleer_data(session, zaak, voorzieningen, vandaag or tijd_vandaag())
    besluit = lopend_besluit(session, zaak.id)
    if besluit is None or besluit.status in ("vastgesteld", "ingetrokken"):
        besluit = Besluit(zaak_id=zaak.id, auteur_id=actor.id, besluittype=besluittype, onderbouwing="",
                          wettelijke_grondslag="")
        session.add(besluit)
    elif besluit.status != "concept":
        raise OvergangFout("Deze beschikking ligt bij de toetser en kan nu niet worden gewijzigd.")
    besluit.besluittype = besluittype
    besluit.onderbouwing = onderbouwing.strip()
    besluit.wettelijke_grondslag = wettelijke_grondslag.strip() or zaaktype_van(zaak.zaaktype).grondslag
    besluit.auteur_id = actor.id
    besluit.voorzieningen.clear()
    if besluittype == "toekenning":
        for v in voorzieningen:
            product = session.get(Product, v.product_id)
            if product is None or not product.actief:
                raise OvergangFout("Kies een voorziening uit de productshop.")
            besluit.voorzieningen.append(Voorziening(
                zaak_id=zaak.id, inwoner_id=zaak.inwoner_id, product_id=product.id, volume=v.volume,
                eenheid=product.eenheid, frequentie=v.frequentie or product.frequentie, ingangsdatum=v.ingangsdatum,
                einddatum=v.einddatum, leveringsvorm=v.leveringsvorm))
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="besluit", object_id=zaak.id,
                 omschrijving=f"Concept-beschikking ({besluittype}) opgeslagen ({zaak.identificatie})",
                 doel=zaaktype_van(zaak.zaaktype).protocoldoel, inwoner_id=zaak.inwoner_id)
    session.commit()
    return besluit


def _controleer_data(session: Session, zaak: Zaak, voorzieningen: list[VoorzieningInvoer], vandaag: dt.date) -> None:
    """Dates that make no sense are refused at their field: a voorziening starts on the day of the melding at the
    earliest and not more than the gemeente's number of days back; it ends after it starts."""
    from .configuratie import variant_van
    from .teksten import datum_nl

    terug = int(variant_van(session, zaak).get("ingang_max_dagen_terug", 60))
    for i, v in enumerate(voorzieningen):
        if v.volume <= 0:
            raise OvergangFout("Het volume moet groter zijn dan 0.", veld=f"voorzieningen.{i}.volume")
        if v.ingangsdatum < zaak.startdatum:
            raise OvergangFout(f"De ingangsdatum ligt voor de melding ({datum_nl(zaak.startdatum)}). Een voorziening "
                               "gaat op zijn vroegst in op de dag van de melding.", veld=f"voorzieningen.{i}.ingangsdatum")
        if v.ingangsdatum < vandaag - dt.timedelta(days=terug):
            raise OvergangFout(f"De ingangsdatum ligt meer dan {terug} dagen terug. Kies "
                               f"{datum_nl(vandaag - dt.timedelta(days=terug))} of later.",
                               veld=f"voorzieningen.{i}.ingangsdatum")
        if v.einddatum and v.einddatum < v.ingangsdatum:
            raise OvergangFout("De einddatum ligt voor de ingangsdatum. Kies een einddatum op of na "
                               f"{datum_nl(v.ingangsdatum)}.", veld=f"voorzieningen.{i}.einddatum")


def verslag_schrijven_kan(zaak: Zaak) -> bool:
    """The onderzoeksverslag is written where the zaaktype can put it ready for the inwoner, once the appointment
    it reports on took place (`wacht_op_afspraak`)."""
    return (zaak.status in zaaktype_van(zaak.zaaktype).statussen_met_effect(ZetVerslagKlaar)
            and wacht_op_afspraak(zaak) is None)


def wacht_op_afspraak(zaak: Zaak) -> str | None:
    """The kind of appointment (keukentafelgesprek, huisbezoek) the verslag reports on and that has not been
    recorded as held yet; None when nothing is awaited."""
    from sqlalchemy.orm import object_session

    from .afspraken import gehouden

    for effect in zaaktype_van(zaak.zaaktype).effecten_vanaf(zaak.status, ZetVerslagKlaar):
        if effect.na_afspraak and gehouden(object_session(zaak), zaak.id, effect.na_afspraak) is None:
            return effect.na_afspraak
    return None


def besluit_opstellen_kan(zaak: Zaak) -> bool:
    """The beschikking is drafted where the zaaktype can offer it (to the toetser or to sign)."""
    return zaak.status in zaaktype_van(zaak.zaaktype).statussen_met_effect(DienBesluitIn)


def verslag_van(session: Session, zaak: Zaak) -> Onderzoeksverslag | None:
    return laatste_verslag(session, zaak.id)


def besluit_van(session: Session, zaak: Zaak) -> Besluit | None:
    return lopend_besluit(session, zaak.id)


