"""The one process engine. A zaaktype is data (domain/processes/*.py); this module applies its overgangen.

For every overgang the engine does the same, in one transaction: check that the zaak is where the overgang
starts, that the actor holds a role that may fire it, that its guards hold, and that nobody changed the zaak
since the actor looked at it; then apply the effects (notifications, terms, actions for other teams, documents),
move the status, write the status history and the audit record. A municipality's variant changes the data
(terms, rules, teams, texts), never this engine.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .actor import Actor
from .models import StatusHistorie, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .tijd import datum_van

# The declarative parts live in domain/zaaktype.py; importable from here too, as every zaaktype module does.
from .zaaktype import (  # noqa: F401
    INWONER, SYSTEEM_ROL, Context, Diensten, Effect, Guard, Herinnering, Overgang, Status, Termijnsoort, Zaaktype,
)


ZAAK_GEWIJZIGD = "Iemand anders heeft deze zaak net gewijzigd. Bekijk de zaak opnieuw en probeer het dan nog eens."


class OvergangFout(Exception):
    """An overgang may not happen; `melding` is the Dutch text for the user, `veld` the form field it is about (the
    form shows it there), if any."""

    def __init__(self, melding: str, veld: str | None = None):
        super().__init__(melding)
        self.melding = melding
        self.veld = veld


class Conflict(OvergangFout):
    """Someone else changed the zaak first."""


# --- The engine --------------------------------------------------------------------------------------------


def _rollen_van(actor: Actor) -> frozenset[str]:
    if actor.is_inwoner:
        return frozenset({INWONER})
    return frozenset(r.value for r in actor.rollen)


def mag_vuren(actor: Actor, zaak: Zaak, overgang: Overgang) -> bool:
    """Role and position check only (guards need the full context)."""
    if zaak.status not in overgang.van:
        return False
    if actor.soort == "systeem":
        return SYSTEEM_ROL in overgang.rollen
    if actor.is_inwoner:
        return INWONER in overgang.rollen and actor.mag_handelen_voor(zaak.inwoner_id)  # own zaak or a child's
    rollen = _rollen_van(actor) & overgang.rollen
    if not rollen:
        return False
    # A role that works across teams (toetser, administratie, juridisch, teamleider) acts on any zaak it may see;
    # a consulent only on the zaken of their own teams, or the zaken assigned to them.
    from .authz import BREED_ZICHT

    if rollen & {r.value for r in BREED_ZICHT}:
        return True
    return zaak.team_id in actor.team_ids or (zaak.behandelaar_id is not None and zaak.behandelaar_id == actor.id)


def beschikbare_overgangen(zaaktype: Zaaktype, actor: Actor, zaak: Zaak) -> list[Overgang]:
    """The overgangen this actor may fire now, without those a hiding guard rules out (the other branches)."""
    mogelijk = [o for o in zaaktype.overgangen if mag_vuren(actor, zaak, o)]
    if not any(g.verberg for o in mogelijk for g in o.guards):
        return mogelijk
    from sqlalchemy.orm import object_session

    nu = utcnow()
    ctx = Context(session=object_session(zaak), zaak=zaak, actor=actor, zaaktype=zaaktype, overgang=None,
                  gegevens={}, nu=nu, vandaag=datum_van(nu), diensten=Diensten())
    return [o for o in mogelijk if all(g.check(ctx) for g in o.guards if g.verberg)]


def voer_uit(
    session: Session,
    actor: Actor,
    zaak: Zaak,
    overgang_code: str,
    *,
    verwachte_versie: int | None,
    gegevens: dict[str, Any] | None = None,
    diensten: Diensten | None = None,
    nu: dt.datetime | None = None,
    toelichting: str | None = None,
) -> Context:
    """Apply one overgang and commit. Raises OvergangFout (nothing is changed) when it may not happen."""
    with bij_gelijktijdig(session, ZAAK_GEWIJZIGD):
        ctx = pas_toe(session, actor, zaak, overgang_code, verwachte_versie=verwachte_versie, gegevens=gegevens,
                      diensten=diensten, nu=nu, toelichting=toelichting)
        session.commit()
    return ctx


@contextmanager
def bij_gelijktijdig(session: Session, melding: str):
    """Around a write guarded by a version (optimistic locking): someone else's write in between becomes a
    Conflict with this Dutch message; any failure rolls everything back."""
    try:
        yield
    except (StaleDataError, IntegrityError):
        # Someone else's write first: their newer version of the zaak, or a row a "only once" constraint allows
        # once (a signature, an approval: migration 0019).
        session.rollback()
        raise Conflict(melding) from None
    except Exception:
        session.rollback()
        raise


def pas_toe(
    session: Session,
    actor: Actor,
    zaak: Zaak,
    overgang_code: str,
    *,
    verwachte_versie: int | None = None,
    gegevens: dict[str, Any] | None = None,
    diensten: Diensten | None = None,
    nu: dt.datetime | None = None,
    toelichting: str | None = None,
) -> Context:
    """Apply one overgang inside the caller's transaction (no commit): for an effect that moves another zaak
    too, e.g. a bezwaar declared gegrond reopens the zaak it was about."""
    from .processes import zaaktype_van

    zaaktype = zaaktype_van(zaak.zaaktype)
    try:
        overgang = zaaktype.overgang(overgang_code)
    except KeyError:
        raise OvergangFout("Deze actie bestaat niet voor dit soort zaak.") from None
    nu = nu or utcnow()
    if verwachte_versie is not None and zaak.versie != verwachte_versie:
        raise Conflict(ZAAK_GEWIJZIGD)
    if zaak.status not in overgang.van:
        huidige = zaaktype.status(zaak.status).naam
        raise OvergangFout(f"Dit kan nu niet: de zaak staat op '{huidige}'.")
    if not mag_vuren(actor, zaak, overgang):
        raise OvergangFout("U mag deze actie niet uitvoeren.")
    ctx = Context(
        session=session, zaak=zaak, actor=actor, zaaktype=zaaktype, overgang=overgang,
        gegevens=dict(gegevens or {}), nu=nu, vandaag=datum_van(nu),
        diensten=diensten or Diensten(),
    )
    for guard in overgang.guards:
        if not guard.check(ctx):
            raise OvergangFout(guard.melding)
    van = zaak.status
    for effect in overgang.effecten:
        effect.toepassen(ctx)
    naar = overgang.naar(ctx) if callable(overgang.naar) else overgang.naar
    if naar is not None:
        zaaktype.status(naar)  # must exist
        zaak.status = naar
        zaak.afgesloten = zaaktype.status(naar).eind
        session.add(StatusHistorie(
            zaak=zaak, van_status=van, status=naar, overgang=overgang.code, tijdstip=nu,
            medewerker_id=actor.id if actor.is_medewerker else None, door_inwoner=actor.is_inwoner,
            toelichting=toelichting,
        ))
    protocolleer(
        session, actor, handeling=Handeling.WIJZIGEN, object_type="zaak", object_id=zaak.id,
        omschrijving=f"{overgang.label} ({zaak.identificatie}: {van} -> {naar or van})",
        doel=zaaktype.protocoldoel, inwoner_id=zaak.inwoner_id,
    )
    return ctx


def start_zaak(
    session: Session,
    actor: Actor,
    *,
    zaaktype_code: str,
    inwoner_id: int,
    gemeente_id: int,
    team_id: int | None,
    hulpvraag: str,
    startdatum: dt.date,
    diensten: Diensten | None = None,
    nu: dt.datetime | None = None,
    gegevens: dict[str, Any] | None = None,
    **velden: Any,
) -> Zaak:
    """Create a zaak in the first status of its zaaktype, with the start effects, in one transaction. `gegevens`:
    what the start effects read (as an overgang's form data)."""
    from .configuratie import behandelend_team, geldende_versie, variant_op
    from .processes import zaaktype_van

    zaaktype = zaaktype_van(zaaktype_code)
    nu = nu or utcnow()
    eerste = zaaktype.statussen[0]
    # The zaak keeps the gemeente's variant that is valid on its startdatum, whatever changes later.
    versie = geldende_versie(session, gemeente_id, zaaktype.code, startdatum)
    if team_id is None:
        team = behandelend_team(session, zaaktype.code, gemeente_id, variant_op(session, gemeente_id, zaaktype.code, startdatum))
        team_id = team.id if team else None
    zaak = Zaak(
        identificatie=nieuwe_identificatie(session, gemeente_id, startdatum.year),
        zaaktype=zaaktype.code, gemeente_id=gemeente_id, inwoner_id=inwoner_id, team_id=team_id,
        status=eerste.code, hulpvraag=hulpvraag, startdatum=startdatum,
        configuratie_id=versie.id if versie else None, **velden,
    )
    session.add(zaak)
    session.flush()
    session.add(StatusHistorie(zaak=zaak, van_status=None, status=eerste.code, overgang="start", tijdstip=nu,
                               medewerker_id=actor.id if actor.is_medewerker else None,
                               door_inwoner=actor.is_inwoner))
    start = Overgang("start", "Melding registreren", van=(), naar=None, rollen=frozenset(), effecten=zaaktype.bij_start)
    ctx = Context(session=session, zaak=zaak, actor=actor, zaaktype=zaaktype, overgang=start, gegevens=dict(gegevens or {}),
                  nu=nu, vandaag=startdatum, diensten=diensten or Diensten())
    for effect in start.effecten:
        effect.toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"Melding {zaak.identificatie} ({zaaktype.naam}) geregistreerd",
                 doel=zaaktype.protocoldoel, inwoner_id=inwoner_id)
    return zaak


def handeling_context(session: Session, actor: Actor, zaak: Zaak, code: str, label: str, *,
                      diensten: Diensten | None = None, nu: dt.datetime | None = None,
                      vandaag: dt.date | None = None) -> Context:
    """A Context for applying effects without a status change (an ingebrekestelling, a term adjusted, a sweep's
    warning): the same effects as in an overgang, reused outside one. The caller commits."""
    from .processes import zaaktype_van

    nu = nu or utcnow()
    return Context(session=session, zaak=zaak, actor=actor, zaaktype=zaaktype_van(zaak.zaaktype),
                   overgang=Overgang(code, label, (), None, frozenset()), gegevens={}, nu=nu,
                   vandaag=vandaag or datum_van(nu), diensten=diensten or Diensten())


def nieuwe_identificatie(session: Session, gemeente_id: int, jaar: int) -> str:
    """Zaak numbers per gemeente and year: 0489-2026-000042, from a counter (`domain.nummering`), so two zaken
    registered at the same moment never get the same number."""
    from .models import Gemeente
    from .nummering import reserveer

    code = session.get(Gemeente, gemeente_id).code
    prefix = f"{code}-{jaar}-"

    def huidig() -> int:
        laatste = session.scalar(select(Zaak.identificatie).where(Zaak.identificatie.like(f"{prefix}%"))
                                 .order_by(Zaak.identificatie.desc()).limit(1))
        return int(laatste.rsplit("-", 1)[1]) if laatste else 0

    volgnummer = reserveer(session, gemeente_id, f"zaak-{jaar}", huidig=huidig)
    return f"{prefix}{volgnummer:06d}"

