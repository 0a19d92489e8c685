"""What the inwoner got, as her zaak page says it: each granted voorziening in words (the same words as the
beschikking and the ordering page), who delivers it and how to reach them once known, and the eigen bijdrage
her zaaktype's law attaches. Computed here, not in a template, so every face that shows it says the same."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from .models import Besluit, Toewijzing, Voorziening, Zaak
from .teksten import datum_nl
from .voorzieningen import omschrijving

_NIET_MEER = ("afgewezen", "gestopt")


@dataclass(frozen=True)
class Gekregen:
    omschrijving: str  # "Hulp bij het huishouden: 3 uur per week, van 3 december 2026 tot en met 2 december 2027"
    hoe: str  # zorg in natura or pgb, in words
    aanbieder: str | None  # the zorgaanbieder once it is ordered
    telefoon: str | None
    stand: str  # where it stands: waiting for the order, ordered, started, stopped


@dataclass(frozen=True)
class Toekenning:
    besluit_datum: dt.date | None
    voorzieningen: tuple[Gekregen, ...]
    eigen_bijdrage: str | None
    eigen_bijdrage_bron: str | None


def _stand(v: Voorziening, t: Toewijzing | None) -> str:
    if t is not None and t.status == "gestart" and t.begindatum:
        return f"De zorgaanbieder is begonnen op {datum_nl(t.begindatum)}."
    if t is not None and t.status == "gestopt":
        return "De zorgaanbieder is gestopt."
    if t is not None:
        return "We hebben de zorgaanbieder gevraagd om te beginnen. De zorgaanbieder neemt contact met u op."
    if v.leveringsvorm == "pgb":
        return "U regelt de hulp zelf met uw persoonsgebonden budget. De SVB betaalt de rekeningen uit uw budget."
    return "We zoeken de zorgaanbieder voor u. U hoort van ons wie het wordt."


def wat_u_krijgt(session: Session, zaak: Zaak) -> Toekenning | None:
    """The latest signed toekenning of the zaak in words; None when there is none (yet), or it was an afwijzing.
    Three statements, whatever the number of voorzieningen."""
    from .processes import zaaktype_van

    from .bezwaren import vastgesteld_besluit

    besluit = vastgesteld_besluit(session, zaak, selectinload(Besluit.voorzieningen).joinedload(Voorziening.product))
    if besluit is None or besluit.besluittype != "toekenning" or not besluit.voorzieningen:
        return None
    toewijzingen: dict[int, Toewijzing] = {}
    for t in session.scalars(select(Toewijzing).where(Toewijzing.zaak_id == zaak.id)
                             .options(joinedload(Toewijzing.aanbieder)).order_by(Toewijzing.id)):
        if t.status not in _NIET_MEER or t.voorziening_id not in toewijzingen:
            toewijzingen[t.voorziening_id] = t  # the latest that still runs, else the latest
    gekregen = []
    for v in besluit.voorzieningen:
        t = toewijzingen.get(v.id)
        gekregen.append(Gekregen(
            omschrijving=omschrijving(v),
            hoe=("Als persoonsgebonden budget (pgb): u kiest en betaalt de hulp zelf." if v.leveringsvorm == "pgb"
                 else "Een zorgaanbieder levert dit. Die heeft een contract met de gemeente."),
            aanbieder=t.aanbieder.naam if t is not None else None,
            telefoon=t.aanbieder.telefoon if t is not None else None,
            stand=_stand(v, t)))
    bijdrage = zaaktype_van(zaak.zaaktype).eigen_bijdrage
    datum = besluit.verzenddatum or dt.date.today()
    return Toekenning(besluit_datum=besluit.verzenddatum, voorzieningen=tuple(gekregen),
                      eigen_bijdrage=bijdrage.tekst_op(datum) if bijdrage else None,
                      eigen_bijdrage_bron=bijdrage.bron if bijdrage else None)
