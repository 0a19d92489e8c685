"""The inwoner starts contact: a hulpvraag from the portal (after DigiD) lands at team toegang as a contact to
handle, for any zaaktype. It makes a Klantcontact (kanaal "portaal"), an Actie in team toegang's queue and a
notification for the team; team toegang calls or mails the inwoner and marks the action done. Whether a melding
follows, team toegang decides as for any other contact (backoffice inwoner page)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .models import Actie, Inwoner, Klantcontact, Notificatie, Team, utcnow
from .processes import zaaktypen
from .protocol import Handeling, protocolleer
from .workflow import OvergangFout

ZELF = "zelf"
WEET_NIET = "weet_niet"
CONTACTWIJZEN = {"telefoon": "Bel mij", "email": "Stuur mij een e-mail", "post": "Stuur mij een brief"}
SOORT = "hulpvraag"  # Actie.soort
DOEL = "Toegang sociaal domein: hulpvraag van de inwoner"


class HulpvraagFout(OvergangFout):
    """Refused input: `fouten` holds the Dutch message per form field."""

    def __init__(self, fouten: Mapping[str, str]):
        super().__init__("Controleer het formulier.")
        self.fouten = dict(fouten)


def team_toegang(session: Session, gemeente_id: int) -> Team | None:
    """The team that receives contacts before there is a zaak: the team of domain "toegang" serving the
    gemeente. The one place that names it."""
    return session.scalar(select(Team).where(Team.domein == "toegang", Team.gemeenten.any(id=gemeente_id))
                          .order_by(Team.id).limit(1))


def onderwerpen() -> list[tuple[str, str]]:
    """What the question can be about: every zaaktype an inwoner sees in the portal and that can be melded, and
    "I do not know" (team toegang finds out)."""
    return [(z.code, z.naam) for z in zaaktypen().values() if z.meldbaar and z.in_portaal] + [
        (WEET_NIET, "Dat weet ik niet")]


def voor_wie(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """For whom the inwoner asks help: (code, label). Extension point: a child over whom the inwoner has gezag
    (built elsewhere) is added here as e.g. ("kind:<inwoner id>", "Voor mijn kind <naam>"), and `_aanvrager_voor`
    returns that child's Inwoner, so the contact is filed under the child. Nothing else changes."""
    return [(ZELF, "Voor mijzelf")]


def _aanvrager_voor(session: Session, actor: Actor, voor: str) -> Inwoner | None:
    if voor == ZELF:
        return session.get(Inwoner, actor.inwoner_id)
    return None


def _telefoon(tekst: str) -> str | None:
    compact = re.sub(r"[\s()\-.]", "", tekst)
    if re.fullmatch(r"(0\d{9}|(\+|00)31\d{9}|\+\d{8,15})", compact):
        return tekst.strip()
    return None


def _email(tekst: str) -> str | None:
    tekst = tekst.strip()
    return tekst if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]{2,}", tekst) and len(tekst) <= 200 else None


def stuur_hulpvraag(session: Session, actor: Actor, *, tekst: str, voor: str, onderwerp: str, contactvoorkeur: str,
                    telefoon: str = "", email: str = "", nu: dt.datetime | None = None) -> Klantcontact:
    """Check the hulpvraag (HulpvraagFout with the message per field), then register it for team toegang and
    commit. The contact details given become the inwoner's contact preferences."""
    nu = nu or utcnow()
    if not actor.is_inwoner or actor.inwoner_id is None:
        raise OvergangFout("Log in met DigiD om een hulpvraag te sturen.")
    fouten: dict[str, str] = {}
    tekst = (tekst or "").strip()
    if not tekst:
        fouten["tekst"] = "Schrijf op waarmee u hulp nodig heeft."
    elif len(tekst) > 5000:
        fouten["tekst"] = f"Gebruik niet meer dan 5000 tekens. U heeft er nu {len(tekst)}."
    if voor not in dict(voor_wie(session, actor)):
        fouten["voor"] = "Kies voor wie u hulp vraagt."
    onderwerp_naam = dict(onderwerpen()).get(onderwerp)
    if onderwerp_naam is None:
        fouten["onderwerp"] = "Kies waar uw vraag over gaat. Weet u het niet? Kies dan 'Dat weet ik niet'."
    if contactvoorkeur not in CONTACTWIJZEN:
        fouten["contactvoorkeur"] = "Kies hoe wij contact met u opnemen."
    telefoon, email = (telefoon or "").strip(), (email or "").strip()
    if telefoon and _telefoon(telefoon) is None:
        fouten["telefoon"] = "Vul een telefoonnummer in met 10 cijfers, bijvoorbeeld 06 12345678."
    elif not telefoon and contactvoorkeur == "telefoon":
        fouten["telefoon"] = "Vul uw telefoonnummer in. Dan kunnen wij u bellen."
    if email and _email(email) is None:
        fouten["email"] = "Vul een e-mailadres in zoals naam@voorbeeld.nl."
    elif not email and contactvoorkeur == "email":
        fouten["email"] = "Vul uw e-mailadres in. Dan kunnen wij u mailen."
    if fouten:
        raise HulpvraagFout(fouten)

    inwoner = session.get(Inwoner, actor.inwoner_id)
    voor_inwoner = _aanvrager_voor(session, actor, voor)
    team = team_toegang(session, voor_inwoner.gemeente_id)
    if team is None:
        raise OvergangFout("Uw vraag kan nu niet worden verstuurd. Bel de gemeente, dan helpen wij u verder.")
    inwoner.contactvoorkeur = contactvoorkeur
    inwoner.telefoon = telefoon or inwoner.telefoon
    inwoner.email = email or inwoner.email
    bereik = {"telefoon": f"bellen op {telefoon}", "email": f"mailen naar {email}",
              "post": "een brief sturen naar het adres in de BRP"}[contactvoorkeur]
    contact = Klantcontact(
        inwoner_id=voor_inwoner.id, medewerker_id=None, kanaal="portaal", onderwerp=f"Hulpvraag: {onderwerp_naam}"[:200],
        tekst=f"{tekst}\n\nGestuurd door {inwoner.naam} in het portaal. Contact: {bereik}.", alleen_advies=False,
        zichtbaar_voor_inwoner=True, tijdstip=nu)
    session.add(contact)
    session.flush()
    session.add(Actie(team_id=team.id, zaak_id=None, klantcontact_id=contact.id, soort=SOORT, aangemaakt=nu,
                      omschrijving=f"Hulpvraag uit het portaal: bel of mail de inwoner ({bereik}). "
                                   f"Onderwerp: {onderwerp_naam}."))
    gemeente_id = voor_inwoner.gemeente_id
    for medewerker in team.leden:
        if medewerker.actief and any(g.id == gemeente_id for g in medewerker.gemeenten):
            session.add(Notificatie(medewerker_id=medewerker.id, onderwerp="Nieuwe hulpvraag uit het portaal",
                                    tekst=f"Een inwoner vraagt hulp ({onderwerp_naam}). Neem contact op: {bereik}.",
                                    link=f"/backoffice/inwoners/{voor_inwoner.id}", aangemaakt=nu))
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="klantcontact", object_id=contact.id,
                 omschrijving=f"Hulpvraag gestuurd in het portaal ({onderwerp_naam})", doel=DOEL,
                 inwoner_id=voor_inwoner.id)
    session.commit()
    return contact


def hulpvragen_van(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The inwoner's own hulpvragen from the portal, newest first, each with whether team toegang handled it.
    Protocolled; the caller commits."""
    if not actor.is_inwoner or actor.inwoner_id is None:
        return []
    rijen = session.execute(select(Klantcontact, Actie).outerjoin(Actie, Actie.klantcontact_id == Klantcontact.id)
                            .where(Klantcontact.inwoner_id == actor.inwoner_id, Klantcontact.kanaal == "portaal",
                                   Klantcontact.zichtbaar_voor_inwoner)
                            .order_by(Klantcontact.tijdstip.desc(), Klantcontact.id.desc()).limit(20)).all()
    protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="klantcontact",
                 omschrijving="Eigen hulpvragen bekeken", doel="Inzage eigen gegevens", inwoner_id=actor.inwoner_id)
    return [{"contact": c, "afgehandeld": a.afgerond if a else None} for c, a in rijen]


def rond_af(session: Session, actor: Actor, actie_id: int, *, nu: dt.datetime | None = None) -> Actie:
    """Team toegang has contacted the inwoner: the action leaves the queue. NietGevonden for an action that is not
    this medewerker's team's, or of a gemeente they do not work for."""
    actie = session.get(Actie, actie_id)
    contact = session.get(Klantcontact, actie.klantcontact_id) if actie and actie.klantcontact_id else None
    if (contact is None or not actor.is_medewerker or actie.team_id not in actor.team_ids
            or session.get(Inwoner, contact.inwoner_id).gemeente_id not in actor.gemeente_ids):
        raise authz.NietGevonden(f"actie {actie_id}")
    if actie.afgerond is None:
        actie.afgerond, actie.afgerond_door_id = nu or utcnow(), actor.id
        protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="klantcontact", object_id=contact.id,
                     omschrijving="Hulpvraag uit het portaal afgehandeld", doel=DOEL, inwoner_id=contact.inwoner_id)
    session.commit()
    return actie
