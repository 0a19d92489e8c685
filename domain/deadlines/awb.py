"""The terms of the Algemene wet bestuursrecht, which every zaaktype shares: beslistermijn on an aanvraag,
bezwaartermijn, beslistermijn on bezwaar, beroepstermijn and hersteltermijn, each with its legal source."""
from __future__ import annotations

from .regel import Eenheid, TermijnRegel, Vanaf

__all__ = ["AWB_REGELS"]

AWB_REGELS: tuple[TermijnRegel, ...] = (
    TermijnRegel(
        soort="awb-beschikking",
        naam="Beschikking op aanvraag (Awb)",
        omschrijving="De gemeente beslist binnen 8 weken na ontvangst van uw aanvraag.",
        bron="Awb, artikel 4:13 lid 2",
        duur=8, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="ontvangst van de aanvraag",
        voor_gemeente=True, beslistermijn=True,
        bron_afwijkend="Awb, artikel 4:13 lid 1 (termijn uit het wettelijk voorschrift voor dit zaaktype)",
        verlenging_bron="Awb, artikel 4:14 lid 3",
        opschorting_bron="Awb, artikel 4:15 lid 1 onder a",
    ),
    TermijnRegel(
        soort="bezwaartermijn",
        naam="Bezwaartermijn",
        omschrijving="U kunt bezwaar maken binnen 6 weken na de dag waarop het besluit is bekendgemaakt.",
        bron="Awb, artikel 6:7 en artikel 6:8 lid 1",
        duur=6, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="bekendmaking van het besluit",
        fataal=True, ter_post=True,
    ),
    TermijnRegel(
        soort="bezwaar-beslistermijn",
        naam="Beslissing op bezwaar",
        omschrijving="De gemeente beslist op uw bezwaar binnen 6 weken na het einde van de bezwaartermijn.",
        bron="Awb, artikel 7:10 lid 1",
        duur=6, eenheid=Eenheid.WEKEN, vanaf=Vanaf.EINDE_BEZWAARTERMIJN, atw=True,
        gebeurtenis="bekendmaking van het besluit waartegen bezwaar is gemaakt",
        voor_gemeente=True, beslistermijn=True,
        duur_adviescommissie=12,
        omschrijving_adviescommissie=(
            "De gemeente beslist op uw bezwaar binnen 12 weken na het einde van de bezwaartermijn, "
            "omdat een onafhankelijke bezwaarcommissie de gemeente adviseert."),
        bron_adviescommissie="Awb, artikel 7:10 lid 1 en artikel 7:13",
        verlenging_bron="Awb, artikel 7:10 lid 3",
        verlenging_max_weken=6,
        instemming_bron="Awb, artikel 7:10 lid 4 onder a (met instemming van de indiener)",
        opschorting_bron="Awb, artikel 7:10 lid 2",
    ),
    TermijnRegel(
        soort="beroepstermijn",
        naam="Beroepstermijn",
        omschrijving=("U kunt in beroep gaan bij de rechtbank binnen 6 weken na de dag waarop de beslissing "
                      "op uw bezwaar is bekendgemaakt."),
        bron="Awb, artikel 6:7, artikel 6:8 lid 1 en artikel 8:1",
        duur=6, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="bekendmaking van de beslissing op bezwaar",
        fataal=True, ter_post=True,
    ),
    TermijnRegel(
        soort="hersteltermijn",
        naam="Hersteltermijn",
        omschrijving=("U kunt uw aanvraag aanvullen tot en met de datum die de gemeente u noemt. "
                      "Zolang staat de termijn waarbinnen de gemeente moet beslissen stil."),
        bron="Awb, artikel 4:5 (opschorting beslistermijn: artikel 4:15 lid 1 onder a)",
        duur=None, eenheid=Eenheid.WEKEN, vanaf=Vanaf.DAG_NA_GEBEURTENIS, atw=True,
        gebeurtenis="verzending van het verzoek om de aanvraag aan te vullen",
        wettelijk=False,  # the organ sets the duration; Atw by analogy
        verlenging_bron="Awb, artikel 4:5",
    ),
)
"""The terms of the Awb, which every zaaktype shares. A zaaktype adds the terms of its own law with ``registreer``
(domain/processes/<zaaktype>.py); optional service terms are in ``domain.servicetermijnen``."""
