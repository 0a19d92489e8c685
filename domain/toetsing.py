"""Four eyes on a beschikking: whether a toetser must judge it (the gemeente's rules, with the rule that fired as
data, so the consulent's confirmation, the toetser's action and the toetser's page all say why), and who may judge
it (never its author). Shared by every zaaktype that ends in a beschikking."""
from __future__ import annotations

from dataclasses import dataclass

from .codes import PER_JAAR
from .teksten import bedrag

STANDAARD_GRENS_CENT = 500_000  # configuratie.toetsing_opties: € 5.000 a year
EIGEN_BESCHIKKING = ("U heeft deze beschikking zelf opgesteld. Een andere toetser moet haar beoordelen: u kunt uw "
                     "eigen beschikking niet goedkeuren of afkeuren (vier ogen).")


def jaarkosten_cent(besluit) -> int:
    """What the besluit's voorzieningen cost a year, by the product's tarief (for the toetsing rule)."""
    totaal = 0
    for v in besluit.voorzieningen:
        perioden = PER_JAAR.get(v.frequentie, 1)
        totaal += v.volume * perioden * (v.product.tarief_cent if v.product else 0)
    return totaal


@dataclass(frozen=True)
class Toetsingsgrond:
    """Why a beschikking goes to a toetser, or why not. `regel`: "altijd" (the gemeente toetst every
    beschikking), "afwijzing", "kosten" (above `grens_cent` a year); the consulent signs with "zelf" (a toekenning
    at or below the grens) and "afwijzing_zelf" (the gemeente does not toets afwijzingen)."""

    vereist: bool
    regel: str
    kosten_cent: int = 0
    grens_cent: int = STANDAARD_GRENS_CENT

    @property
    def reden(self) -> str:
        """The rule in one sentence: 'De kosten (€ 16.900,00 per jaar) zijn hoger dan € 10.000,00 per jaar.'"""
        if self.regel == "altijd":
            return "Deze gemeente laat elke beschikking toetsen."
        if self.regel == "afwijzing":
            return "Een afwijzing wordt altijd getoetst."
        if self.regel == "kosten":
            return f"De kosten ({bedrag(self.kosten_cent)} per jaar) zijn hoger dan {bedrag(self.grens_cent)} per jaar."
        if self.regel == "afwijzing_zelf":
            return "Deze gemeente laat een afwijzing niet apart toetsen."
        return f"De kosten ({bedrag(self.kosten_cent)} per jaar) zijn niet hoger dan {bedrag(self.grens_cent)} per jaar."

    @property
    def tekst(self) -> str:
        """'Toetsing nodig: de kosten ...' or 'Geen toetsing nodig: ...'."""
        kop = "Toetsing nodig" if self.vereist else "Geen toetsing nodig"
        return f"{kop}: {self.reden[0].lower()}{self.reden[1:]}"


def toetsingsgrond(besluit, variant) -> Toetsingsgrond:
    """The gemeente's rules for this zaaktype (its configuration, `configuratie.toetsing_opties`) decide whether a
    toetser must judge. Defaults: every afwijzing, and every toekenning above € 5.000 a year."""
    kosten = jaarkosten_cent(besluit)
    grens = int(variant.get("toetsing_kosten_boven", STANDAARD_GRENS_CENT))
    if variant.get("toetsing_altijd", False):
        return Toetsingsgrond(True, "altijd", kosten, grens)
    if besluit.besluittype == "afwijzing" and variant.get("toetsing_afwijzing", True):
        return Toetsingsgrond(True, "afwijzing", kosten, grens)
    if kosten > grens:
        return Toetsingsgrond(True, "kosten", kosten, grens)
    return Toetsingsgrond(False, "afwijzing_zelf" if besluit.besluittype == "afwijzing" else "zelf", kosten, grens)


def mag_toetsen(actor, besluit) -> bool:
    """Whether this actor may judge (approve or reject) this beschikking: never its own author (four eyes). The
    role (toetser) is the overgang's; the page and the operation both ask this."""
    return besluit is not None and besluit.auteur_id != actor.id
