"""The steps every zaaktype with a beschikking shares: assigning the zaak, offering the beschikking to a toetser
or signing it oneself (four eyes by the gemeente's rules), approving or rejecting it, and reopening after a
gegrond bezwaar. A zaaktype takes them with its own beslistermijn and what follows its besluit, so the toetsing
rule is written once (PROCESSES.md: the toetsing steps of every zaaktype that ends in a beschikking)."""
from __future__ import annotations

from dataclasses import dataclass

from .effects import Als, MeldMedewerkers, RondActieAf, StartTermijn, StopTermijn, WijsToe
from .roles import Rol
from .stappen import DienBesluitIn, KeurAf, KeurGoed, TrekBesluitIn, lopend_besluit
from .toetsing import EIGEN_BESCHIKKING, mag_toetsen
from .workflow import Context, Effect, Guard, Overgang

CONSULENT = frozenset({Rol.CONSULENT.value})
TEAM = frozenset({Rol.CONSULENT.value, Rol.TEAMLEIDER.value})
TOETSER = frozenset({Rol.TOETSER.value})


def _toetsing(ctx: Context) -> bool:
    return bool(ctx.resultaat.get("toetsing_vereist"))


def _na_indienen(ctx: Context) -> str:
    return "ter_toetsing" if _toetsing(ctx) else "besluit"


@dataclass(frozen=True)
class BevestigRoute(Effect):
    """The consulent's confirmation says which way the beschikking went, and why (the toetsing rule that fired)."""

    def toepassen(self, ctx: Context) -> None:
        grond = ctx.resultaat["toetsing"]
        if grond.vereist:
            ctx.resultaat["bevestiging"] = f"De beschikking is afgerond. De beschikking ligt bij de toetser. {grond.tekst}"
        else:
            ctx.resultaat["bevestiging"] = ("De beschikking is afgerond. U heeft de beschikking zelf ondertekend: de "
                                            f"inwoner kan haar nu lezen in het portaal. {grond.tekst}")


# Four eyes: the author of a beschikking never judges it, also when they are a toetser too. A hiding guard, so the
# author is not offered the buttons at all (the zaak page says another toetser must judge it); the effects check
# the same again.
VIER_OGEN = Guard(lambda ctx: mag_toetsen(ctx.actor, lopend_besluit(ctx, ctx.zaak.id)), EIGEN_BESCHIKKING,
                  verberg=True)


def toewijzen(van: tuple[str, ...] = ("melding", "in_onderzoek", "aanvraag")) -> Overgang:
    """The teamoverleg (or the teamleider) assigns the zaak to a consulent of its team."""
    return Overgang("toewijzen", "Toewijzen aan consulent", van=van, naar=None, rollen=TEAM, formulier=True, effecten=(
        WijsToe(), MeldMedewerkers("behandelaar", "Nieuwe zaak voor u", "Deze zaak is aan u toegewezen."),
    ), bevestiging="De zaak is toegewezen.")


def besluitvorming(beslistermijn: str, na_besluit: tuple[Effect, ...], *,
                   bekendmaking: str = "staat in het portaal") -> tuple[Overgang, ...]:
    """From a complete aanvraag (status "aanvraag") to a besluit: the consulent offers the concept beschikking;
    the gemeente's toetsing rules send it to the toetsing team or let the consulent sign it; a toetser approves
    (and signs) or rejects it back. `na_besluit`: what the zaaktype does once the besluit is there (the inwoner is
    told, an action for administratie); the beslistermijn stops then. `bekendmaking`: how the beschikking reaches
    the inwoner, as the toetser's confirmation says it."""
    klaar = (StopTermijn(beslistermijn), *na_besluit)
    return (
        Overgang("beschikking_indienen", "Beschikking afronden", van=("aanvraag",), naar=_na_indienen,
                 rollen=CONSULENT, effecten=(
                     DienBesluitIn(),
                     Als(_toetsing, dan=(MeldMedewerkers("team:instelling:toetsing_team", "Beschikking ter toetsing",
                                                         "Er ligt een beschikking klaar om te toetsen."),),
                         anders=klaar),
                     BevestigRoute(),
                 ), bevestiging="De beschikking is afgerond."),
        Overgang("goedkeuren", "Beschikking goedkeuren en ondertekenen", van=("ter_toetsing",), naar="besluit",
                 rollen=TOETSER, guards=(VIER_OGEN,), effecten=(
                     KeurGoed(), RondActieAf("toetsing"), *klaar,
                     MeldMedewerkers("behandelaar", "Beschikking goedgekeurd",
                                     "De toetser heeft de beschikking goedgekeurd en ondertekend."),
                 ), bevestiging=f"De beschikking is goedgekeurd, ondertekend en {bekendmaking}."),
        Overgang("afkeuren", "Beschikking afkeuren", van=("ter_toetsing",), naar="aanvraag",
                 rollen=TOETSER, formulier=True, guards=(VIER_OGEN,), effecten=(
                     KeurAf(), RondActieAf("toetsing"),
                     MeldMedewerkers("behandelaar", "Beschikking afgekeurd",
                                     "De toetser heeft de beschikking afgekeurd. Lees de reden en pas de beschikking aan."),
                 ), bevestiging="De beschikking is teruggestuurd naar de consulent."),
    )


def _gegrond_bezwaar(ctx: Context) -> bool:
    """A bezwaar against the zaak's standing besluit was declared gegrond (and that besluit is not yet taken back)."""
    from sqlalchemy import select

    from .models import Besluit, Bezwaarschrift

    return ctx.session.scalar(select(Bezwaarschrift.id).join(Besluit, Bezwaarschrift.besluit_id == Besluit.id).where(
        Besluit.zaak_id == ctx.zaak.id, Besluit.status == "vastgesteld", Bezwaarschrift.uitkomst == "gegrond")
        .limit(1)) is not None


def heropenen_na_bezwaar(beslistermijn: str, van: tuple[str, ...]) -> Overgang:
    """A gegrond bezwaar (fired by juridische zaken' beslissing) takes the besluit back for a new one. Only then:
    without a gegrond bezwaar juridische zaken could reopen any decided or closed zaak (found by the property test
    of the engine)."""
    return Overgang("heropenen_na_bezwaar", "Heropenen na gegrond bezwaar", van=van, naar="aanvraag",
                    rollen=frozenset({Rol.JURIDISCH.value}),
                    guards=(Guard(_gegrond_bezwaar, "Heropenen kan alleen na een gegrond bezwaar tegen het besluit.",
                                  verberg=True),), effecten=(
                        TrekBesluitIn(), StartTermijn(beslistermijn),
                        MeldMedewerkers("behandelaar", "Nieuw besluit nodig",
                                        "Het bezwaar is gegrond: neem een nieuw besluit op de aanvraag."),
                    ), bevestiging="De zaak is heropend voor een nieuw besluit.")
