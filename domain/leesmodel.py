"""What the inwoner sees of a zaak, computed once from the zaaktype: the timeline, "wat moet ik doen?" and the
terms shown with their legal source. The portal renders it, the backoffice shows the same in its panel "Wat de
inwoner ziet", and a later API can serve it as is. Plain values only: no Flask, no HTML.

The caller has checked that the actor may see the zaak (`authz.zaak_voor`) and writes the protocol record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .bezwaren import (
    beroepstermijn,
    bezwaarschrift_van,
    bezwaartermijn,
    is_bezwaarzaak,
    lopend_bezwaar,
    rechtbank_van,
    vastgesteld_besluit,
)
from .dwangsom import Dwangsom
from .models import Besluit, StatusHistorie, Termijn, Voorziening, Zaak
from .processes import zaaktype_van
from .stappen import Bestel, OndertekenVerslag, besluit_bestelt, te_ondertekenen
from .teksten import datum_nl
from .termijnbewaking import dwangsom_van, verstreken_beslistermijn
from .tijd import datum_van
from .vragen import OPEN, vragen_van
from .workflow import INWONER, Overgang, Zaaktype

GEDAAN, NU, STRAKS = "gedaan", "nu", "straks"
BEZWAAR, BEROEP = "bezwaar", "beroep"


@dataclass(frozen=True)
class Stap:
    """One status on the timeline: done (with the date it was reached), now, or still to come."""

    status: str
    naam: str
    staat: str  # GEDAAN, NU, STRAKS
    datum: dt.date | None = None

    @property
    def toelichting(self) -> str:
        if self.staat == GEDAAN:
            return f"klaar op {datum_nl(self.datum)}" if self.datum else "klaar"
        if self.staat == NU:
            return f"hier bent u nu, sinds {datum_nl(self.datum)}" if self.datum else "hier bent u nu"
        return "nog niet"

    @property
    def tekst(self) -> str:
        return f"{self.naam}: {self.toelichting}"


@dataclass(frozen=True)
class GetoondeTermijn:
    """A running term of the gemeente for this step, with the law that sets it."""

    soort: str
    einddatum: dt.date
    bron: str
    opgeschort: bool = False  # suspended until an event (the inwoner's answer): the clock stands still
    # Whose term: the gemeente's to meet (a beslistermijn), or the inwoner's to use (a reactietermijn).
    voor_gemeente: bool = True
    wettelijk: bool = True  # set by law; otherwise an agreement of the gemeente
    omschrijving: str = ""
    beslissing: bool = False  # the term to decide in (a beslistermijn): "Wij beslissen uiterlijk op ..."


def _getoond(t: Termijn) -> GetoondeTermijn:
    from .deadlines import regel

    try:
        r = regel(t.soort)
    except KeyError:
        return GetoondeTermijn(t.soort, t.einddatum, t.bron, t.opgeschort_tot is not None)
    return GetoondeTermijn(t.soort, t.einddatum, t.bron, t.opgeschort_tot is not None,
                           voor_gemeente=r.voor_gemeente or r.beslistermijn, wettelijk=r.wettelijk,
                           omschrijving=r.omschrijving, beslissing=bool(r.beslistermijn))


@dataclass(frozen=True)
class OpenVraag:
    id: int
    tekst: str
    uiterlijk: dt.date


@dataclass(frozen=True)
class Ingebrekestelling:
    """We passed our term to decide: the inwoner can put us in gebreke (Awb 4:17)."""

    einddatum: dt.date  # the last day we should have decided on
    bron: str


@dataclass(frozen=True)
class Rechtsmiddel:
    """What the inwoner can do against the decision: bezwaar at the gemeente against a besluit (Awb 7:1), or
    beroep at the rechtbank against a beslissing op bezwaar (Awb 8:1; no second bezwaar)."""

    soort: str  # BEZWAAR or BEROEP
    einddatum: dt.date
    bron: str
    dagen_over: int  # negative: the term has passed
    instantie: str | None = None  # beroep: the court, e.g. "Rechtbank Rotterdam" (None: not set for the gemeente)
    ingediend_zaak_id: int | None = None  # bezwaar already made: the bezwaar zaak

    @property
    def open(self) -> bool:
        return self.dagen_over >= 0


@dataclass(frozen=True)
class Keuze:
    """A step the inwoner takes with one button (no form), e.g. agreeing with an intrekking."""

    code: str
    label: str


@dataclass(frozen=True)
class WatMoetIkDoen:
    actie: str | None  # the status's actie_inwoner
    ondertekenen: bool  # a verslag waits for the inwoner's signature
    vragen: tuple[OpenVraag, ...]
    ingebrekestelling: Ingebrekestelling | None
    rechtsmiddel: Rechtsmiddel | None
    keuzes: tuple[Keuze, ...] = ()  # the inwoner's own overgangen from here that need no form

    def punten(self) -> list[str]:
        """The open points in one line each, in the portal's words, for a compact view (backoffice, API)."""
        punten = [self.actie] if self.actie else []
        punten += [f"Kies: {k.label}." for k in self.keuzes]
        if self.ondertekenen:
            punten.append("Verslag lezen en ondertekenen.")
        punten += [f"Wij hebben een vraag aan u: {v.tekst} Wilt u uiterlijk op {datum_nl(v.uiterlijk)} antwoorden?"
                   for v in self.vragen]
        if self.ingebrekestelling:
            punten.append(f"Wij zijn te laat: we hadden uiterlijk op {datum_nl(self.ingebrekestelling.einddatum)} "
                          f"moeten beslissen ({self.ingebrekestelling.bron}). U kunt ons in gebreke stellen.")
        r = self.rechtsmiddel
        if r and r.soort == BEZWAAR and r.ingediend_zaak_id is None:
            punten.append(f"U kunt bezwaar maken tot en met {datum_nl(r.einddatum)} ({r.bron})." if r.open else
                          f"De termijn voor bezwaar is voorbij sinds {datum_nl(r.einddatum)}. "
                          "U kunt nog wel bezwaar maken.")
        elif r and r.soort == BEROEP and r.open:
            punten.append(f"U kunt beroep instellen bij de rechtbank{f' ({r.instantie})' if r.instantie else ''} "
                          f"tot en met {datum_nl(r.einddatum)} ({r.bron}).")
        return punten


@dataclass(frozen=True)
class Zaakbeeld:
    """The zaak as the inwoner sees it."""

    zaak_id: int
    zaaktype: str
    zaaktype_naam: str
    status: str
    status_naam: str
    status_tekst: str  # the plain-Dutch status text for the inwoner
    tijdlijn: tuple[Stap, ...]
    termijnen: tuple[GetoondeTermijn, ...]
    wat_moet_ik_doen: WatMoetIkDoen
    dwangsom: Dwangsom | None
    # What she wrote herself (a bezwaarschrift), read back under this heading; None when the text is not hers.
    eigen_tekst_kop: str | None = None
    eigen_tekst: str | None = None
    titel: str = ""  # what the zaak is called on every face (zaaktitels)


def _opsomming(delen: Sequence[str]) -> str:
    return delen[0] if len(delen) == 1 else f"{', '.join(delen[:-1])} en {delen[-1]}"


def zaaktitels(session: Session, zaken: Sequence[Zaak]) -> dict[int, str]:
    """What each zaak is called wherever it is shown (Mijn zaken, the zaak page, the backoffice): its zaaktype's
    name, and for a zaak about a besluit of another zaak (a bezwaar) also what that besluit was about and in which
    zaak it was taken: "Bezwaar tegen het besluit over Hulp bij het huishouden (0613-2026-000003)". Two statements
    for all the zaken about a besluit together; none when there are none."""
    titels = {z.id: zaaktype_van(z.zaaktype).naam for z in zaken}
    besluit_ids = {z.besluit_id for z in zaken if z.besluit_id}
    if not besluit_ids:
        return titels
    besluiten = {b.id: b for b in session.scalars(select(Besluit).where(Besluit.id.in_(besluit_ids)).options(
        selectinload(Besluit.voorzieningen).joinedload(Voorziening.product)))}
    hoofdzaken = {r.id: r for r in session.execute(select(Zaak.id, Zaak.identificatie, Zaak.zaaktype).where(
        Zaak.id.in_({b.zaak_id for b in besluiten.values()})))}
    for zaak in zaken:
        besluit = besluiten.get(zaak.besluit_id)
        if besluit is None:
            continue
        hoofdzaak = hoofdzaken[besluit.zaak_id]
        producten = list(dict.fromkeys(v.product.naam for v in besluit.voorzieningen))
        over = (f"{_opsomming(producten)} ({hoofdzaak.identificatie})" if producten  # an afwijzing grants nothing
                else f"{zaaktype_van(hoofdzaak.zaaktype).naam}, zaak {hoofdzaak.identificatie}")
        titels[zaak.id] = f"{titels[zaak.id]} tegen het besluit over {over}"
    return titels


def zaakbeeld(session: Session, zaak: Zaak, vandaag: dt.date, *, historie=None, termijnen=None,
              vragen=None) -> Zaakbeeld:
    """The inwoner's view of the zaak. A caller that has already read the zaak's status history, all its terms or
    its questions passes them, so the page does not read them twice."""
    zaaktype = zaaktype_van(zaak.zaaktype)
    status = zaaktype.status(zaak.status)
    if historie is None:
        historie = session.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id)
                                   .order_by(StatusHistorie.id)).all()
    if termijnen is None:
        termijnen = session.scalars(select(Termijn).where(Termijn.zaak_id == zaak.id)).all()
    termijnen = sorted((t for t in termijnen if t.gestopt_op is None), key=lambda t: (t.einddatum, t.id))
    if vragen is None:
        vragen = vragen_van(session, zaak)
    dwangsom = dwangsom_van(session, zaak, vandaag)
    verstreken = None if zaak.afgesloten else verstreken_beslistermijn(session, zaak, vandaag)
    doen = WatMoetIkDoen(
        actie=status.actie_inwoner,
        ondertekenen=wacht_op_ondertekening(session, zaak),
        vragen=tuple(OpenVraag(v.id, v.tekst, v.uiterlijk) for v in vragen if v.status == OPEN),
        ingebrekestelling=Ingebrekestelling(verstreken.einddatum, verstreken.bron)
        if verstreken is not None and dwangsom is None else None,
        rechtsmiddel=rechtsmiddel(session, zaak, vandaag),
        keuzes=keuzes_inwoner(zaaktype, zaak),
    )
    return Zaakbeeld(
        zaak_id=zaak.id, zaaktype=zaaktype.code, zaaktype_naam=zaaktype.naam, status=status.code,
        status_naam=status.naam, status_tekst=status.portaal,
        tijdlijn=tijdlijn(zaaktype, zaak, historie, vastgesteld_besluit(session, zaak)),
        termijnen=tuple(_getoond(t) for t in termijnen),
        wat_moet_ik_doen=doen, dwangsom=dwangsom, titel=zaaktitels(session, [zaak])[zaak.id],
        eigen_tekst_kop=zaaktype.eigen_tekst_kop if zaak.hulpvraag else None,
        eigen_tekst=zaak.hulpvraag if zaaktype.eigen_tekst_kop else None,
    )


def tijdlijn(zaaktype: Zaaktype, zaak: Zaak, historie, besluit: Besluit | None) -> tuple[Stap, ...]:
    """Every status of the zaaktype in order: done (with its date), now, or still to come. A status the zaak
    skipped (toetsing after self-signing) is left out, and so is one still to come that cannot happen any more:
    optional ones, and those the zaaktype's overgangen cannot reach from here (see `_nog_mogelijk`)."""
    bereikt: dict[str, dt.datetime] = {}
    volgorde = {s.code: i for i, s in enumerate(zaaktype.statussen)}
    for h in historie:
        # Going back (a hoorzitting that does not take place, a zaak reopened after a gegrond bezwaar) leaves the
        # statuses after the one gone back to: they did not happen on the road the zaak is on now.
        if h.status in volgorde:
            bereikt = {code: t for code, t in bereikt.items() if volgorde.get(code, -1) <= volgorde[h.status]}
        bereikt[h.status] = h.tijdstip
    huidige = zaaktype.volgorde(zaak.status)
    mogelijk = _nog_mogelijk(zaaktype, zaak.status, besluit)
    stappen = []
    for i, status in enumerate(zaaktype.statussen):
        if status.eind and zaak.status != status.code:
            continue
        if i < huidige and status.code not in bereikt:
            continue  # skipped
        if i > huidige and (status.optioneel or status.code not in mogelijk):
            continue  # may not happen at all: do not announce it
        staat = NU if status.code == zaak.status else GEDAAN if i < huidige else STRAKS
        moment = bereikt.get(status.code) if staat != STRAKS else None
        stappen.append(Stap(status.code, status.stap_inwoner, staat, datum_van(moment) if moment else None))
    return tuple(stappen)


def _kan_niet(overgang: Overgang, besluit: Besluit | None) -> bool:
    """An overgang that orders (a `Bestel` effect) cannot happen after a besluit that orders nothing."""
    return (besluit is not None and not besluit_bestelt(besluit)
            and any(isinstance(e, Bestel) for e in overgang.effecten))


def _nog_mogelijk(zaaktype: Zaaktype, vanaf: str, besluit: Besluit | None) -> set[str]:
    """The statuses after `vanaf` that the zaak can still reach going forward through the zaaktype's overgangen.
    Going back (reopening after a gegrond bezwaar) starts the road anew and is not announced ahead. An overgang
    whose target is decided while it runs may lead to any later status."""
    volgorde = {s.code: i for i, s in enumerate(zaaktype.statussen)}
    bereikt, te_doen = {vanaf}, [vanaf]
    while te_doen:
        van = te_doen.pop()
        for o in zaaktype.overgangen:
            if van not in o.van or o.naar is None or _kan_niet(o, besluit):
                continue
            doelen = [s.code for s in zaaktype.statussen] if callable(o.naar) else [o.naar]
            for doel in doelen:
                if volgorde[doel] > volgorde[van] and doel not in bereikt:
                    bereikt.add(doel)
                    te_doen.append(doel)
    return bereikt - {vanaf}


def keuzes_inwoner(zaaktype: Zaaktype, zaak: Zaak) -> tuple[Keuze, ...]:
    """The overgangen the inwoner fires from the zaak's status with a button (those with a form of their own, such
    as signing or a portal form, have their own way in)."""
    return tuple(Keuze(o.code, o.label) for o in zaaktype.overgangen
                 if zaak.status in o.van and INWONER in o.rollen and not o.formulier)


def wacht_op_ondertekening(session: Session, zaak: Zaak) -> bool:
    """A verslag is on offer and the inwoner can sign it now (an overgang of theirs that signs)."""
    zaaktype = zaaktype_van(zaak.zaaktype)
    kan = zaak.status in zaaktype.statussen_met_effect(OndertekenVerslag, rol=INWONER)
    return kan and te_ondertekenen(session, zaak.id) is not None


def rechtsmiddel(session: Session, zaak: Zaak, vandaag: dt.date) -> Rechtsmiddel | None:
    """Bezwaar against the zaak's besluit, or, for a bezwaar zaak that was decided, beroep at the rechtbank."""
    if is_bezwaarzaak(zaak):
        schrift = bezwaarschrift_van(session, zaak)
        if schrift is None or schrift.beslist_op is None:
            return None
        termijn = beroepstermijn(schrift)
        return Rechtsmiddel(BEROEP, termijn.einddatum, termijn.bron, (termijn.einddatum - vandaag).days,
                            instantie=rechtbank_van(zaak.gemeente))
    besluit = vastgesteld_besluit(session, zaak)
    if besluit is None:
        return None
    termijn = bezwaartermijn(besluit)
    ingediend = lopend_bezwaar(session, besluit)
    return Rechtsmiddel(BEZWAAR, termijn.einddatum, termijn.bron, (termijn.einddatum - vandaag).days,
                        ingediend_zaak_id=ingediend.id if ingediend else None)
