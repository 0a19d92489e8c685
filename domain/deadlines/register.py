"""The registry of term rules: the Awb's, plus those a zaaktype adds with ``registreer`` (from
domain/processes/<zaaktype>.py). ``regel(soort)`` looks one up."""
from __future__ import annotations

from .awb import AWB_REGELS
from .regel import TermijnRegel

__all__ = ["REGELS", "OnbekendeTermijnsoort", "afmelden", "regel", "registreer"]


class OnbekendeTermijnsoort(ValueError):
    """A soort that is not in ``REGELS``."""

    def __init__(self, soort: str) -> None:
        super().__init__(f"Onbekende termijnsoort '{soort}'. Kies uit: {', '.join(REGELS)}.")
        self.soort = soort


REGELS: dict[str, TermijnRegel] = {r.soort: r for r in AWB_REGELS}
"""Every known term rule by soort: the Awb's, plus those registered by the zaaktype definitions (loaded with
``domain.processes.zaaktypen()``). Read it, extend it only through ``registreer``."""


def registreer(*regels: TermijnRegel) -> tuple[TermijnRegel, ...]:
    """Add a zaaktype's own term rules. Registering the same rule again is harmless (two zaaktypen may declare
    one service term); another rule under a soort that is taken is refused (ValueError)."""
    for r in regels:
        bestaand = REGELS.get(r.soort)
        if bestaand is not None and bestaand != r:
            raise ValueError(f"Termijnsoort '{r.soort}' bestaat al met een andere regel.")
    for r in regels:
        REGELS[r.soort] = r
    return regels


def afmelden(soort: str) -> None:
    """Remove a registered rule (for tests that register a rule of their own). The Awb's rules stay."""
    if any(r.soort == soort for r in AWB_REGELS):
        raise ValueError(f"'{soort}' is een termijn van de Awb en blijft bestaan.")
    REGELS.pop(soort, None)


def regel(soort: str) -> TermijnRegel:
    """The rule for ``soort``; raises ``OnbekendeTermijnsoort`` (a ValueError with a Dutch message)."""
    try:
        return REGELS[soort]
    except KeyError:
        raise OnbekendeTermijnsoort(soort) from None
