"""The one process engine. A zaaktype is data (domain/processes/*.py); this module applies its overgangen.

For every overgang the engine does the same, in one transaction: check that the zaak is where the overgang
starts, that the actor holds a role that may fire it, that its guards hold, and that nobody changed the zaak
since the actor looked at it; then apply the effects (notifications, terms, actions for other teams, documents),
move the status, write the status history and the audit record. A municipality's variant changes the data
(terms, rules, teams, texts), never this engine.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .actor import Actor
from .models import StatusHistorie, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .roles import Rol
from .tijd import datum_van

INWONER = "inwoner"  # the "role" of the inwoner acting in the portal on their own zaak
SYSTEEM_ROL = "systeem"  # the "role" of the system itself, e.g. an incoming iWmo message (domain.actor.SYSTEEM)


ZAAK_GEWIJZIGD = "Iemand anders heeft deze zaak net gewijzigd. Bekijk de zaak opnieuw en probeer het dan nog eens."


class OvergangFout(Exception):
    """An overgang may not happen; `melding` is the Dutch text for the user."""

    def __init__(self, melding: str):
        super().__init__(melding)
        self.melding = melding


class Conflict(OvergangFout):
    """Someone else changed the zaak first."""


# --- The declarative parts of a zaaktype --------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    code: str
    naam: str  # for medewerkers
    portaal: str  # for the inwoner, plain Dutch (B1)
    # What the inwoner must do now, shown as "Wat moet ik doen" (None: nothing, we are working on it).
    actie_inwoner: str | None = None
    eind: bool = False
    # A status not every zaak passes (toetsing after self-signing): the timeline does not announce it ahead.
    optioneel: bool = False


@dataclass
class Context:
    """What effects and guards see while an overgang is applied."""

    session: Session
    zaak: Zaak
    actor: Actor
    zaaktype: Zaaktype
    overgang: Overgang
    gegevens: dict[str, Any]
    nu: dt.datetime
    vandaag: dt.date
    diensten: Diensten
    # Effects can leave results for later effects and for the caller (e.g. the created Afspraak).
    resultaat: dict[str, Any] = field(default_factory=dict)
    _variant: Any = None

    @property
    def variant(self):
        """The gemeente's choices for this zaak (the configuration version the zaak started under)."""
        if self._variant is None:
            from .configuratie import variant_van

            self._variant = variant_van(self.session, self.zaak)
        return self._variant


@dataclass(frozen=True)
class Guard:
    """A condition for an overgang with the Dutch message shown when it does not hold."""

    check: Callable[[Context], bool]
    melding: str


class Effect:
    """Something an overgang does besides moving the status. Subclasses live in domain/effects.py."""

    def toepassen(self, ctx: Context) -> None:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class Overgang:
    code: str
    label: str  # the button text for the medewerker (or the inwoner)
    van: tuple[str, ...]
    naar: str | Callable[[Context], str] | None  # None: the status stays (e.g. toewijzen)
    rollen: frozenset[str]
    guards: tuple[Guard, ...] = ()
    effecten: tuple[Effect, ...] = ()
    bevestiging: str = "De wijziging is opgeslagen."
    # Overgangen with their own screen (a form) are not offered as a bare button.
    formulier: bool = False
    # An overgang that only needs a text from the medewerker (what was discussed, why): the backoffice shows one
    # generic form with this question (its answer is gegevens["reden"] and the toelichting).
    vraag: str | None = None


@dataclass(frozen=True)
class Herinnering:
    """A notification about a running term, sent by the system ``dagen_voor_einde`` days before its last day
    (0: on the last day). ``effecten`` are notifications: MeldInwoner / MeldMedewerkers (domain/effects.py)."""

    effecten: tuple[Effect, ...]
    dagen_voor_einde: int = 0


@dataclass(frozen=True)
class Termijnsoort:
    """A term of this zaaktype and what happens by itself with it (domain/tijdgestuurd.py carries it out).

    ``bij_einde``: the code of an overgang the system (``SYSTEEM_ROL`` must be among its rollen) fires on the
    day after the term's last day, unless the term was stopped before. ``herinnering``: a notification before or
    on the last day. Both are copied onto the Termijn row when the term starts, with whether they have fired.
    """

    soort: str  # a rule of domain.deadlines (the Awb's, or one the zaaktype registered)
    start_bij: str  # the event that starts it, for documentation and the timeline
    bij_einde: str | None = None
    herinnering: Herinnering | None = None


@dataclass(frozen=True)
class Zaaktype:
    code: str
    naam: str  # for the inwoner
    domein: str  # the team domain whose werkvoorraad receives meldingen
    statussen: tuple[Status, ...]
    overgangen: tuple[Overgang, ...]
    behandelaar_rollen: frozenset[Rol] = frozenset()
    termijnen: tuple[Termijnsoort, ...] = ()
    # What registering a melding of this type does (terms, notifications, the bevestigingsbrief).
    bij_start: tuple[Effect, ...] = ()
    # The law this zaaktype applies, named in its beschikking, and the default wettelijke grondslag.
    regeling: str = ""
    grondslag: str = ""
    # The term soort that binds the gemeente to decide (the beslistermijn shown with its article).
    beslistermijn: str | None = None
    # iWmo or iJw for its toewijzingen; None: this zaaktype orders nothing from zorgaanbieders.
    berichtstandaard: str | None = None
    # Whether the zaaktype appears in the portal at all (Regie Team does not), and whether team toegang (or a
    # consulent of another team) can make a melding of it (a bezwaar is filed, not melded).
    in_portaal: bool = True
    meldbaar: bool = True
    # The choices a gemeente may make for this zaaktype (domain/configuratie.py), with their defaults.
    opties: tuple[Any, ...] = ()
    # The purpose named in the protocol for every read and write of a zaak of this type.
    doel: str = ""

    @property
    def protocoldoel(self) -> str:
        return self.doel or f"Behandeling {self.naam}"
    # The portal forms the inwoner fills in for this zaaktype (domain.formulieren.Formulier).
    formulieren: tuple = ()

    def status(self, code: str) -> Status:
        for s in self.statussen:
            if s.code == code:
                return s
        raise KeyError(f"{self.code}: onbekende status {code!r}")

    def overgang(self, code: str) -> Overgang:
        for o in self.overgangen:
            if o.code == code:
                return o
        raise KeyError(f"{self.code}: onbekende overgang {code!r}")

    def __post_init__(self) -> None:
        # A term that fires an overgang must name one the system may fire: a typo would only show when it ends.
        for t in self.termijnen:
            if t.bij_einde is None:
                continue
            o = next((o for o in self.overgangen if o.code == t.bij_einde), None)
            if o is None or SYSTEEM_ROL not in o.rollen:
                raise ValueError(f"{self.code}: termijn {t.soort} vuurt bij_einde={t.bij_einde!r}, maar dat is geen "
                                 f"overgang met de rol {SYSTEEM_ROL!r}")

    def termijnsoort(self, soort: str) -> Termijnsoort | None:
        """The zaaktype's declaration of the term ``soort`` (None: the zaaktype declares nothing about it)."""
        return next((t for t in self.termijnen if t.soort == soort), None)

    def statussen_met_effect(self, soort: type, *, rol: str | None = None) -> frozenset[str]:
        """The statuses from which an overgang (for `rol`, if given) applies an effect of this kind, also inside a
        branch: where the verslag can be put ready is where it is written, where a beschikking is offered is
        where it is drafted, where the inwoner can sign is where the portal offers signing."""
        def bevat(effecten) -> bool:
            return any(isinstance(e, soort) or bevat(getattr(e, "dan", ())) or bevat(getattr(e, "anders", ()))
                       for e in effecten)

        return frozenset(s for o in self.overgangen if (rol is None or rol in o.rollen) and bevat(o.effecten)
                         for s in o.van)

    def volgorde(self, code: str) -> int:
        return [s.code for s in self.statussen].index(code)


# --- Services the effects need, injected so the domain stays free of Flask and of concrete integrations ------


@dataclass
class Diensten:
    """Outside capabilities the effects use. The web layer and the tests pass real implementations."""

    portaal_url: str = "http://127.0.0.1:5000"
    render_pdf: Callable[[str, dict[str, Any]], bytes] | None = None
    # Called after commit-worthy work to queue an outgoing iWmo/iJw message; issue "berichtenverkeer" fills it.
    berichten: Callable[[Context, str], None] | None = None


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
    return [o for o in zaaktype.overgangen if mag_vuren(actor, zaak, o)]


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
    except StaleDataError:
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
    **velden: Any,
) -> Zaak:
    """Create a zaak in the first status of its zaaktype, with the start effects, in one transaction."""
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
    ctx = Context(session=session, zaak=zaak, actor=actor, zaaktype=zaaktype, overgang=start, gegevens={},
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

