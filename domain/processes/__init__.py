"""The zaaktype catalogue: every module in this package that defines a `Zaaktype` contributes it. Adding a
zaaktype is adding a module here (with its forms, letters and templates); nothing else names it.

Tests may add a zaaktype of their own with `registreer` (and remove it with `verwijder`), which is how the suite
proves that the engine and both faces work for a zaaktype they have never heard of.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

_extra: dict = {}


@cache
def _gedefinieerd() -> dict:
    """Import lazily: definitions import the engine, the engine imports this catalogue."""
    from ..workflow import Zaaktype

    gevonden = {}
    for module in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{module.name}")
        for waarde in vars(mod).values():
            if isinstance(waarde, Zaaktype) and waarde.code not in gevonden:
                gevonden[waarde.code] = waarde
    return dict(sorted(gevonden.items()))



def zaaktypen() -> dict:
    return {**_gedefinieerd(), **_extra}


def registreer(zaaktype) -> None:
    """Add a zaaktype that has no module here (tests; undo with `verwijder` in the fixture's teardown). Its portal
    forms are checked against its process first."""
    from ..formulieren import controleer_declaratie

    if zaaktype.code in zaaktypen():
        raise ValueError(f"zaaktype {zaaktype.code!r} bestaat al")
    controleer_declaratie(zaaktype)
    _extra[zaaktype.code] = zaaktype
    return zaaktype


def verwijder(code: str) -> None:
    _extra.pop(code, None)


def zaaktype_van(code: str):
    try:
        return zaaktypen()[code]
    except KeyError:
        raise KeyError(f"zaaktype {code!r} heeft (nog) geen procesdefinitie") from None


def bezwaarzaaktype():
    """The zaaktype that handles a bezwaar (`Zaaktype.behandelt_bezwaar`)."""
    gevonden = [z for z in zaaktypen().values() if z.behandelt_bezwaar]
    if len(gevonden) != 1:
        raise LookupError(f"precies één zaaktype behandelt bezwaren, gevonden: {[z.code for z in gevonden]}")
    return gevonden[0]


def zaaktype_naam(code: str) -> str:
    definitie = zaaktypen().get(code)
    return definitie.naam if definitie is not None else code


def status_tekst(zaaktype: str, status: str, *, voor_inwoner: bool = False) -> str:
    """The status in words: the inwoner's text in the portal, the short name in the backoffice."""
    definitie = zaaktypen().get(zaaktype)
    if definitie is not None:
        try:
            s = definitie.status(status)
            return s.portaal if voor_inwoner else s.naam
        except KeyError:
            pass
    return status.replace("_", " ").capitalize()
