"""The term service (termijnbewaking): the terms of the Awb with their legal source, and the registry through
which a zaaktype adds the terms of its own law (``registreer``, from domain/processes/<zaaktype>.py). Pure logic.

The parts, each importable on its own; this package exports their public names:

* ``regel``: what a term rule is (``TermijnRegel``, ``Eenheid``, ``Vanaf``);
* ``awb``: the Awb's rules (``AWB_REGELS``);
* ``register``: every known rule by soort (``REGELS``, ``registreer``, ``afmelden``, ``regel``);
* ``berekening``: the calendar calculation (``bereken``, ``verleng``, ``schort_op``, ``is_tijdig``), with the
  counting convention and the Algemene termijnenwet in its docstring.

The dwangsom (Awb 4:17) is ``domain.dwangsom``; the service terms ``domain.servicetermijnen``.
"""
from __future__ import annotations

from .awb import AWB_REGELS
from .berekening import Termijnuitkomst, bereken, is_tijdig, schort_op, verleng
from .regel import Eenheid, TermijnRegel, Vanaf
from .register import REGELS, OnbekendeTermijnsoort, afmelden, regel, registreer

__all__ = [
    "AWB_REGELS",
    "REGELS",
    "Eenheid",
    "OnbekendeTermijnsoort",
    "TermijnRegel",
    "Termijnuitkomst",
    "Vanaf",
    "afmelden",
    "bereken",
    "is_tijdig",
    "regel",
    "registreer",
    "schort_op",
    "verleng",
]
