"""A referral by another organisation that starts a zaak directly (`Zaaktype.verwijzers`): Veilig Thuis refers a
family to the Regieteam. Registered by team toegang or a consulent of the receiving team: who referred, when, the
safety concerns in their words, and the children and adults involved, each looked up in the BRP. The zaak is about
the first child; the others are its betrokkenen. One transaction: the zaak, the referral and every betrokkene, or
nothing (and every field's problem named at that field)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .inwoners import GemeenteNietAangesloten, is_minderjarig, uit_brp
from .models import Inwoner, Verwijzing, Zaak, ZaakBetrokkene
from .models.betrokkene import BETROKKENE_ROLLEN
from .protocol import Handeling, protocolleer
from .workflow import Diensten, OvergangFout

DOEL = "Registratie verwijzing"


@dataclass
class Betrokkene:
    bsn: str
    rol: str


@dataclass
class VerwijzingInvoer:
    zaaktype: str
    organisatie: str
    contactpersoon: str
    telefoon: str
    verwezen_op: dt.date
    zorgen: str
    betrokkenen: list[Betrokkene]
    # Where the family is reached (the secure e-mail and its SMS code go here): stored on the child's record.
    email: str = ""
    mobiel: str = ""


@dataclass
class VerwijzingFout(Exception):
    """What is wrong, per field: the key is the form field's name (`betrokkenen.2.bsn` for the third person)."""

    fouten: dict[str, str] = field(default_factory=dict)


def verwijsbare_zaaktypen() -> list:
    from .processes import zaaktypen

    return [z for z in zaaktypen().values() if z.verwijzers]


def registreer_verwijzing(session: Session, actor: Actor, invoer: VerwijzingInvoer, *, brp, diensten: Diensten,
                          vandaag: dt.date) -> Zaak:
    from .processes import zaaktype_van
    from .zaken import registreer_melding

    authz.vereis(actor, "melding.registreren")
    zaaktype = zaaktype_van(invoer.zaaktype)
    fouten: dict[str, str] = {}
    if invoer.organisatie.strip() not in zaaktype.verwijzers:
        fouten["organisatie"] = f"Een verwijzing voor {zaaktype.naam} komt van: {', '.join(zaaktype.verwijzers)}."
    if invoer.verwezen_op > vandaag:
        fouten["verwezen_op"] = "De datum van de verwijzing kan niet in de toekomst liggen."
    if not invoer.zorgen.strip():
        fouten["zorgen"] = "Beschrijf de zorgen over de veiligheid, zoals de verwijzer ze noemde."
    personen: list[tuple[int, Inwoner, str]] = []
    gezien: set[str] = set()
    for i, b in enumerate(invoer.betrokkenen):
        if not b.bsn:
            continue
        veld = f"betrokkenen.{i}.bsn"
        if b.rol not in BETROKKENE_ROLLEN:
            fouten[f"betrokkenen.{i}.rol"] = "Kies de rol van deze persoon."
            continue
        if b.bsn in gezien:
            fouten[veld] = "Deze persoon staat al in de lijst."
            continue
        gezien.add(b.bsn)
        persoon = brp.zoek_bsn(b.bsn)
        if persoon is None:
            fouten[veld] = "Deze persoon staat niet in de BRP. Controleer het BSN."
            continue
        try:
            inwoner = uit_brp(session, persoon)
        except GemeenteNietAangesloten as exc:
            fouten[veld] = f"{persoon.naam} woont in {exc.gemeentenaam}; die gemeente hoort niet bij deze werkorganisatie."
            continue
        if b.rol == "kind" and not is_minderjarig(persoon.geboortedatum, vandaag):
            fouten[f"betrokkenen.{i}.rol"] = f"{persoon.naam} is 18 jaar of ouder. Kies een andere rol."
            continue
        personen.append((i, inwoner, b.rol))
    kinderen = [p for p in personen if p[2] == "kind"]
    if not kinderen and not any(k.startswith("betrokkenen") for k in fouten):
        fouten["betrokkenen.0.bsn"] = "Vul ten minste één kind in (met de rol Kind)."
    if not fouten and kinderen[0][1].gemeente_id not in actor.gemeente_ids:
        fouten["betrokkenen.0.bsn"] = f"U werkt niet voor de gemeente {kinderen[0][1].gemeente.naam}."
    if fouten:
        session.rollback()
        raise VerwijzingFout(fouten)
    kind = kinderen[0][1]
    if invoer.email or invoer.mobiel:
        kind.email = invoer.email or kind.email
        kind.telefoon = invoer.mobiel or kind.telefoon
        kind.contactvoorkeur = "email" if kind.email else kind.contactvoorkeur
    session.flush()
    for _, inwoner, _ in personen:
        protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="inwoner", object_id=inwoner.id,
                     omschrijving=f"Persoonsgegevens uit de BRP overgenomen (verwijzing {invoer.organisatie})",
                     doel=DOEL, inwoner_id=inwoner.id)
    try:
        zaak = registreer_melding(session, actor, inwoner=kind, zaaktype_code=zaaktype.code, hulpvraag=invoer.zorgen,
                                  kanaal="verwijzing", diensten=diensten, vandaag=vandaag, commit=False)
    except OvergangFout:
        session.rollback()
        raise
    session.add(Verwijzing(zaak_id=zaak.id, organisatie=invoer.organisatie.strip(),
                           contactpersoon=invoer.contactpersoon.strip(), telefoon=invoer.telefoon.strip() or None,
                           verwezen_op=invoer.verwezen_op, zorgen=invoer.zorgen.strip(), geregistreerd_door_id=actor.id))
    for _, inwoner, rol in personen:
        if inwoner.id != kind.id:
            session.add(ZaakBetrokkene(zaak_id=zaak.id, inwoner_id=inwoner.id, rol=rol))
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="verwijzing", object_id=zaak.id,
                 omschrijving=f"Verwijzing van {invoer.organisatie} geregistreerd ({zaak.identificatie})", doel=DOEL,
                 inwoner_id=kind.id)
    session.commit()
    return zaak


def verwijzing_paneel(session: Session, actor: Actor, zaak: Zaak) -> dict | None:
    """The zaak page's section: the referral and the people involved (None when there is neither)."""
    verwijzing = session.scalar(select(Verwijzing).where(Verwijzing.zaak_id == zaak.id))
    betrokkenen = session.scalars(select(ZaakBetrokkene).where(ZaakBetrokkene.zaak_id == zaak.id)
                                  .order_by(ZaakBetrokkene.id)).all()
    if verwijzing is None and not betrokkenen:
        return None
    return {"verwijzing": verwijzing, "betrokkenen": [(b.inwoner, BETROKKENE_ROLLEN[b.rol]) for b in betrokkenen]}
