"""A step the domain refuses, shown the way the user expects: the input stays in the form, the reason under the
field the domain names (`OvergangFout.veld`), or at the top when it names none."""
from __future__ import annotations

from flask import flash

from app.db import get_session
from domain.workflow import OvergangFout


def toon_fout(form, fout: OvergangFout) -> None:
    """A refused step: the input stays in the form; the reason goes under its field when the domain names one."""
    get_session().rollback()
    veld = _veld(form, fout.veld) if fout.veld else None
    if veld is not None:
        veld.errors = [*veld.errors, fout.melding]
    else:
        flash(fout.melding, "fout")


def _veld(form, pad: str):
    """The form field a domain error names: "gehouden_op", or "voorzieningen.0.einddatum" for a row of a list."""
    veld = form
    for deel in pad.split("."):
        if deel.isdigit():
            rijen = list(veld)
            veld = rijen[int(deel)] if int(deel) < len(rijen) else None
        else:
            veld = getattr(getattr(veld, "form", veld), deel, None)
        if veld is None:
            return None
    return veld if hasattr(veld, "errors") else None
