"""What a term rule is: ``TermijnRegel`` (one kind of term with its legal source), the unit it counts in
(``Eenheid``) and where it starts counting (``Vanaf``). The rules themselves: the Awb's in ``awb``, a zaaktype's
own through ``register.registreer``. Pure data."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Eenheid", "TermijnRegel", "Vanaf", "duur_tekst"]


class Eenheid(StrEnum):
    WEKEN = "weken"
    DAGEN = "dagen"
    MAANDEN = "maanden"  # calendar months: see ``domain.feestdagen.plus_maanden``


_WOORDEN = {Eenheid.WEKEN: ("week", "weken"), Eenheid.DAGEN: ("dag", "dagen"), Eenheid.MAANDEN: ("maand", "maanden")}


def duur_tekst(n: int, eenheid: Eenheid) -> str:
    """``1 week``, ``3 dagen``, ``2 maanden``."""
    return f"{n} {_WOORDEN[eenheid][0 if n == 1 else 1]}"


class Vanaf(StrEnum):
    """Where a term starts counting.

    DAG_NA_GEBEURTENIS: the day after the event is day 1 ("binnen N weken na ontvangst", Awb 6:8 lid 1): last
        day = event + N weeks (or + N days, or + N calendar months). Every statutory term here works like this.
    DAG_VAN_GEBEURTENIS: the event day itself is day 1: last day = event + N weeks - 1 day. Not used by any rule
        now; for a zaaktype whose regulation says "met ingang van de dag van ...".
    EINDE_BEZWAARTERMIJN: the bezwaar-beslistermijn, Awb 7:10 lid 1: "gerekend vanaf de dag na die waarop de
        termijn voor het indienen van het bezwaarschrift is verstreken". The event passed to ``bereken`` is the
        bekendmaking of the contested besluit; the bezwaartermijn (with its Atw extension, since that is the
        day it really ends) is computed first, and the beslistermijn counts from the day after.
    """

    DAG_NA_GEBEURTENIS = "dag na gebeurtenis"
    DAG_VAN_GEBEURTENIS = "dag van gebeurtenis"
    EINDE_BEZWAARTERMIJN = "dag na einde bezwaartermijn"


@dataclass(frozen=True)
class TermijnRegel:
    """One kind of term with its legal source.

    ``omschrijving`` is Dutch text for the inwoner; ``bron`` the legal source shown to inwoner and medewerker;
    ``gebeurtenis`` names the event whose date starts the term; ``naam`` the short name on screens. ``duur``
    None: the organ sets the duration per case (hersteltermijn). ``wettelijk``: the duration is set by law
    (otherwise the Atw is applied by analogy). ``voor_gemeente``: a term the gemeente must meet (the warning
    sweep and the teamleider's overview watch it); ``beslistermijn``: the term to decide, after which the inwoner
    can give notice of default (Awb 4:17, dwangsom). ``ter_post``: a bezwaar- or beroepschrift sent by post is
    in time under Awb 6:9 lid 2.
    """

    soort: str
    omschrijving: str
    bron: str
    duur: int | None
    eenheid: Eenheid
    vanaf: Vanaf
    atw: bool
    gebeurtenis: str
    wettelijk: bool = True
    naam: str = ""
    voor_gemeente: bool = False
    beslistermijn: bool = False
    ter_post: bool = False
    duur_adviescommissie: int | None = None
    omschrijving_adviescommissie: str | None = None
    bron_adviescommissie: str | None = None
    bron_afwijkend: str | None = None  # the source when a zaaktype sets its own duration
    verlenging_bron: str | None = None  # None: only with the inwoner's consent
    verlenging_max_weken: int | None = None  # beyond this: only with the inwoner's consent
    instemming_bron: str = "met instemming van de inwoner"
    fataal: bool = False  # cannot be extended at all
    opschorting_bron: str | None = None  # None: no statutory suspension
