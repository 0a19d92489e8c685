"""What a zaaktype is made of: statuses, overgangen with their guards and effects, terms, and the Context the
effects see. Pure data: a zaaktype module (domain/processes/*.py) builds one `Zaaktype`; domain/workflow.py applies
it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from .actor import Actor
from .models import Zaak
from .roles import Rol

INWONER = "inwoner"  # the "role" of the inwoner acting in the portal on their own zaak
SYSTEEM_ROL = "systeem"  # the "role" of the system itself, e.g. an incoming iWmo message (domain.actor.SYSTEEM)


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
    # The step on the inwoner's timeline as a short sentence (B1): "Een tweede medewerker controleert het
    # besluit", not the staff's "Ter toetsing". None: the naam reads well as it is.
    stap: str | None = None

    @property
    def stap_inwoner(self) -> str:
        return self.stap or self.naam


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
    def bevestiging(self) -> str:
        """The confirmation after the overgang: the branch's own (effects.Bevestig) or the overgang's."""
        return self.resultaat.get("bevestiging") or self.overgang.bevestiging

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
    # A guard on the zaak's facts (domain/eigenschappen.py): the overgang is not offered at all while it fails,
    # so the medewerker sees only the branch that fits (the others would only end in this message).
    verberg: bool = False


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
class EigenBijdrage:
    """What the inwoner pays towards what she was granted, as the zaaktype's law says: a text for her (B1) in
    which ``{bedrag}`` is the year's maximum, with the article. ``bedragen``: (year, cents); a later year than
    the last one listed keeps the last amount until the table is updated."""

    tekst: str
    bron: str
    bedragen: tuple[tuple[int, int], ...] = ()

    def tekst_op(self, datum: dt.date) -> str:
        from .formulieren import bedrag_nl

        tabel = sorted(self.bedragen)
        if not tabel:
            return self.tekst
        geldend = [c for jaar, c in tabel if jaar <= datum.year] or [tabel[0][1]]  # before the table: its first
        return self.tekst.format(bedrag=bedrag_nl(geldend[-1]))


@dataclass(frozen=True)
class Paneel:
    """A section of the backoffice zaak page: `template` is included with `p`, the dict `gegevens(session, actor,
    zaak)` returns (None: the section is not shown to this actor). The forms it posts go to its own views."""

    template: str
    gegevens: Callable[[Session, Actor, Zaak], dict | None]


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
    # A zaaktype whose dossiers only its own team may see (Regie Team: unsafe situations around children): not
    # other teams, not the one who registered the melding, the toetser only while a beschikking is ter toetsing and
    # administratie only while it has an order to place. Elsewhere it shows as "there is a dossier; contact the
    # team" (domain/authz.py, docs/regie-team.md).
    afgeschermd: bool = False
    # Organisations whose referral starts a zaak of this type directly, registered with who referred, the
    # concerns and the people involved (domain/verwijzingen.py): Veilig Thuis for the Regieteam.
    verwijzers: tuple[str, ...] = ()
    # The productshop domain its beschikkingen grant from, when not its own team domain (the Regieteam grants
    # jeugdhulp with its iJw codes).
    productshop: str | None = None
    # Extra sections of the backoffice zaak page that belong to this zaaktype (a safety assessment, a signal to
    # the Verwijsindex): each a `Paneel`, a template with the function that gives it its values.
    panelen: tuple = ()
    # The eigen bijdrage the inwoner pays for what this zaaktype grants (shown on her zaak page and in the
    # beschikking); when set, an iEb message goes to the CAK with each order in natura (a pgb goes to the SVB).
    eigen_bijdrage: EigenBijdrage | None = None
    # The zaaktype that handles a bezwaar against a besluit of any other zaaktype (Awb 6:4, 7:1): exactly one.
    behandelt_bezwaar: bool = False
    # The choices a gemeente may make for this zaaktype (domain/configuratie.py), with their defaults.
    opties: tuple[Any, ...] = ()
    # The purpose named in the protocol for every read and write of a zaak of this type.
    doel: str = ""
    # Two headings over the same text, Zaak.hulpvraag, one per face. `hulpvraag_kop`: on the backoffice zaak page
    # (for a bezwaar the text is its grounds, not a hulpvraag). `eigen_tekst_kop`: in the portal, only where the
    # inwoner wrote the text herself (a bezwaarschrift: "Uw bezwaar"); None: the text is the consulent's and the
    # portal does not show it as hers.
    hulpvraag_kop: str = "Hulpvraag"
    eigen_tekst_kop: str | None = None

    @property
    def productdomein(self) -> str:
        return self.productshop or self.domein

    @property
    def protocoldoel(self) -> str:
        return self.doel or f"Behandeling {self.naam}"
    # The portal forms the inwoner fills in for this zaaktype (domain.formulieren.Formulier).
    formulieren: tuple = ()
    # Typed facts about a zaak, edited on the zaak page and read by guards (domain.eigenschappen.Eigenschap).
    eigenschappen: tuple = ()
    # (documenttype, ZGW vertrouwelijkheidaanduiding) where a document type is not "vertrouwelijk"
    # (domain/vertrouwelijkheid.py decides who reads which level).
    vertrouwelijkheid: tuple[tuple[str, str], ...] = ()

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
        return frozenset(s for o in self.overgangen if (rol is None or rol in o.rollen) and _met(o.effecten, soort)
                         for s in o.van)

    def effecten_vanaf(self, status: str, soort: type) -> list:
        """The effects of this kind the overgangen from ``status`` apply, also inside a branch."""
        return [e for o in self.overgangen if status in o.van for e in _met(o.effecten, soort)]

    def volgorde(self, code: str) -> int:
        return [s.code for s in self.statussen].index(code)


def _met(effecten, soort: type) -> list:
    """The effects of this kind, also those inside a branch (``dan`` / ``anders``)."""
    gevonden = []
    for e in effecten:
        if isinstance(e, soort):
            gevonden.append(e)
        gevonden += _met(getattr(e, "dan", ()), soort) + _met(getattr(e, "anders", ()), soort)
    return gevonden


# --- Services the effects need, injected so the domain stays free of Flask and of concrete integrations ------


@dataclass
class Diensten:
    """Outside capabilities the effects use. The web layer and the tests pass real implementations."""

    portaal_url: str = "http://127.0.0.1:5000"
    render_pdf: Callable[[str, dict[str, Any]], bytes] | None = None
    # render_pdf in its two halves, for work in bulk (domain.campagne_uitvoering): the HTML is made here, the PDF
    # in a process pool, so `html_naar_pdf` must be a top-level function a child process can import.
    render_html: Callable[[str, dict[str, Any]], str] | None = None
    html_naar_pdf: Callable[[str], bytes] | None = None
    # Called after commit-worthy work to queue an outgoing iWmo/iJw message; issue "berichtenverkeer" fills it.
    berichten: Callable[[Context, str], None] | None = None
