"""Optional service terms (dienstverleningstermijnen): terms no law sets, which a gemeente agrees on and a
zaaktype can declare. Shared code defines them here but registers none: a zaaktype that uses one registers it
(``domain.deadlines.registreer(REACTIETERMIJN_7_DAGEN)`` in domain/processes/<zaaktype>.py). The Atw is applied by
analogy (``wettelijk=False``), so that such a term never ends on a day the office is closed.
"""
from __future__ import annotations

from .deadlines import Eenheid, TermijnRegel, Vanaf

__all__ = ["REACTIETERMIJN_7_DAGEN", "reactietermijn"]


def reactietermijn(dagen: int, *, soort: str | None = None, gebeurtenis: str = "verzending van het onderzoeksverslag",
                   omschrijving: str | None = None, bron: str = "Werkafspraak gemeente",
                   naam: str = "Reactie op verslag") -> TermijnRegel:
    """A term in days within which the inwoner can react to a document (changes, additions), counted from the day
    after it was sent. The defaults describe a reaction to the onderzoeksverslag."""
    return TermijnRegel(
        soort=soort or f"reactietermijn-{dagen}-dagen",
        naam=naam,
        omschrijving=omschrijving or (f"U kunt binnen {dagen} dagen reageren op het verslag van het onderzoek "
                                      "en wijzigingen of aanvullingen doorgeven."),
        bron=bron,
        duur=dagen, eenheid=Eenheid.DAGEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis=gebeurtenis,
        wettelijk=False,  # a service term; Atw by analogy
        verlenging_bron=bron,
    )


REACTIETERMIJN_7_DAGEN = reactietermijn(7)
"""7 days to react to the onderzoeksverslag (PROCESSES.md, Jeugd: "7 days to pass on changes in the portal")."""
