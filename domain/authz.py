"""Authorization: the one place that decides what an actor may see and do.

Views ask here; they never decide themselves. A refusal to see something is NietGevonden (the web layer turns
it into a 404, so an inwoner who changes an id in a URL learns nothing); a refusal to act is Geweigerd (403).
"""
from __future__ import annotations

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from .actor import Actor
from .models import StatusHistorie, Zaak
from .roles import CONSULENT_ROLLEN, Rol  # noqa: F401 (re-exported for views)


class NietGevonden(Exception):
    """The object does not exist, or this actor may not know it exists."""


class Geweigerd(Exception):
    """The actor may see the object but not perform this action."""


ALLE_BEHANDELAARS = frozenset({Rol.TOEGANG, *CONSULENT_ROLLEN})

# Per action, the roles that may perform it. Checked by `vereis`; read by the backoffice menu.
PERMISSIES: dict[str, frozenset[Rol]] = {
    "werkvoorraad.bekijken": frozenset({*ALLE_BEHANDELAARS, Rol.TOETSER, Rol.ADMINISTRATIE, Rol.JURIDISCH, Rol.TEAMLEIDER}),
    "inwoner.zoeken": frozenset({*ALLE_BEHANDELAARS, Rol.TEAMLEIDER}),
    # Team toegang, and a consulent of any team for another team (a need found during the huisbezoek).
    "melding.registreren": frozenset({Rol.TOEGANG, *CONSULENT_ROLLEN}),
    "zaak.toewijzen": frozenset({Rol.TEAMLEIDER, *CONSULENT_ROLLEN}),
    "toetsing.beoordelen": frozenset({Rol.TOETSER}),
    "bestelling.verwerken": frozenset({Rol.ADMINISTRATIE}),
    "bezwaar.behandelen": frozenset({Rol.JURIDISCH}),
    "protocol.inzien": frozenset({Rol.TEAMLEIDER, Rol.BEHEER}),
    "termijnen.overzicht": frozenset({Rol.TEAMLEIDER}),
    "beheer.instellingen": frozenset({Rol.BEHEER}),
    # A letter to many inwoners at once (domain.briefcampagne).
    "campagne.starten": frozenset({Rol.ADMINISTRATIE, Rol.TEAMLEIDER}),
}

# Roles that may look at any zaak of their gemeenten, not only their team's (they work across teams).
BREED_ZICHT = frozenset({Rol.TOETSER, Rol.ADMINISTRATIE, Rol.JURIDISCH, Rol.TEAMLEIDER})


def mag(actor: Actor, actie: str) -> bool:
    rollen = PERMISSIES.get(actie)
    if rollen is None:
        raise KeyError(f"onbekende actie {actie!r}")
    return actor.is_medewerker and actor.heeft_rol(*rollen)


def vereis(actor: Actor, actie: str) -> None:
    if not mag(actor, actie):
        raise Geweigerd(actie)


def zichtbare_zaken(actor: Actor) -> Select[tuple[Zaak]]:
    """A query of exactly the zaken this actor may see; every list starts from this."""
    stmt = select(Zaak)
    if actor.is_inwoner:
        if actor.inwoner_id is None:
            return stmt.where(False)  # type: ignore[arg-type]
        if actor.zaak_ids is not None:
            # Reached through one message of a zaak outside the portal: exactly the zaken that message is about,
            # still only those of this inwoner (or a child under their gezag).
            return stmt.where(Zaak.id.in_(actor.zaak_ids or {-1}),
                              Zaak.inwoner_id.in_({actor.inwoner_id, *actor.namens_ids}))
        # Their own zaken, and those of the minors under their gezag (the same 404 for every other zaak), of the
        # zaaktypen that appear in the portal at all.
        from .processes import zaaktypen

        return stmt.where(Zaak.inwoner_id.in_({actor.inwoner_id, *actor.namens_ids}),
                          Zaak.zaaktype.in_([c for c, z in zaaktypen().items() if z.in_portaal]))
    if not actor.is_medewerker or not actor.heeft_rol(*PERMISSIES["werkvoorraad.bekijken"]):
        return stmt.where(False)  # type: ignore[arg-type]
    stmt = stmt.where(Zaak.gemeente_id.in_(actor.gemeente_ids or {-1}))
    afgeschermd = afgeschermde_zaaktypen()
    eigen = (Zaak.team_id.in_(actor.team_ids or {-1}), Zaak.behandelaar_id == actor.id)
    if actor.heeft_rol(*BREED_ZICHT):
        if not afgeschermd:
            return stmt
        return stmt.where(or_(Zaak.zaaktype.not_in(afgeschermd), *eigen, *_taak_op_afgeschermd(actor)))
    registreerde = geregistreerd_door(actor.id)
    if afgeschermd:
        registreerde = and_(Zaak.zaaktype.not_in(afgeschermd), registreerde)
    return stmt.where(or_(*eigen, registreerde))


def afgeschermde_zaaktypen() -> list[str]:
    from .processes import zaaktypen

    return [c for c, z in zaaktypen().items() if z.afgeschermd]


def _taak_op_afgeschermd(actor: Actor) -> list:
    """Where a role that works across teams may see a zaak of a shielded zaaktype: the toetser while its
    beschikking is ter toetsing, administratie while its team has an open action on it (the order to place)."""
    from .models import Actie, Besluit

    taken = []
    if actor.heeft_rol(Rol.TOETSER):
        taken.append(select(Besluit.id).where(Besluit.zaak_id == Zaak.id, Besluit.status == "ter_toetsing").exists())
    if actor.heeft_rol(Rol.ADMINISTRATIE) and actor.team_ids:
        taken.append(select(Actie.id).where(Actie.zaak_id == Zaak.id, Actie.afgerond.is_(None),
                                            Actie.team_id.in_(actor.team_ids)).exists())
    return taken


def geregistreerd_door(medewerker_id: int):
    """The zaak was registered by this medewerker (team toegang's melding, or a consulent's melding for another
    team): the first step of its history is theirs. They may keep seeing it, as they saw what it holds when they
    made it; acting on it stays with its team (is_behandelaar). docs/security.md, "Wie welke zaak ziet"."""
    return (select(StatusHistorie.id).where(StatusHistorie.zaak_id == Zaak.id, StatusHistorie.overgang == "start",
                                            StatusHistorie.medewerker_id == medewerker_id).exists())


def is_behandelaar(actor: Actor, zaak: Zaak) -> bool:
    """A consulent for this zaak: holds a behandelaar role of its zaaktype, works for its gemeente, and is in the
    zaak's team or is its behandelaar. Which team handles which zaaktype is configuration (Team.zaaktypen)."""
    from .processes import zaaktype_van

    return (actor.is_medewerker and zaak.gemeente_id in actor.gemeente_ids
            and actor.heeft_rol(*zaaktype_van(zaak.zaaktype).behandelaar_rollen)
            and (zaak.team_id in actor.team_ids or zaak.behandelaar_id == actor.id))


def zaak_voor(session: Session, actor: Actor, zaak_id: int) -> Zaak:
    zaak = session.scalar(zichtbare_zaken(actor).where(Zaak.id == zaak_id))
    if zaak is None:
        raise NietGevonden(f"zaak {zaak_id}")
    return zaak


def afgeschermd_verborgen(actor: Actor, inwoner_id: int) -> Select:
    """The ids of this inwoner's zaken of a shielded zaaktype that this actor may not see: what is linked to them
    (a klantcontact, a document) stays out of the actor's views too."""
    zichtbaar = zichtbare_zaken(actor).with_only_columns(Zaak.id).where(Zaak.inwoner_id == inwoner_id)
    return select(Zaak.id).where(Zaak.inwoner_id == inwoner_id, Zaak.zaaktype.in_(afgeschermde_zaaktypen() or ["-"]),
                                 Zaak.id.not_in(zichtbaar))


def afgeschermd_elders(session: Session, actor: Actor, inwoner_id: int) -> list[str]:
    """The teams that hold an open dossier of a shielded zaaktype about this inwoner which this actor may not see:
    the 3D views say only that it exists and whom to contact, nothing of what it holds."""
    from .models import Team

    if not afgeschermde_zaaktypen():
        return []
    return list(session.scalars(
        select(Team.naam).join(Zaak, Zaak.team_id == Team.id)
        .where(Zaak.id.in_(afgeschermd_verborgen(actor, inwoner_id)), Zaak.afgesloten.is_(False))
        .distinct().order_by(Team.naam)))
