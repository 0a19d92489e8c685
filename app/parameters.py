"""Numbers from the URL and from forms, bounded to what the database holds (issue 12, finding 5).

An id is a 64-bit integer in PostgreSQL and in SQLite. A larger number in a query is an OverflowError in the SQLite
driver, which was a 500 on every page with an id. Every `<int:...>` in a route goes through the bounded converter below
(create_app puts it in place of Werkzeug's `int`), so such a path simply does not exist: a 404. Views read ids from the
query string and from forms with these helpers instead of `request.args.get(..., type=int)`: a bad paging cursor or
filter is a 400, a checkbox value that is not an id is left out.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1
_CIJFERS = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() also passes '²', which int() refuses


class BegrensdIdConverter(IntegerConverter):
    """`<int:...>` for the whole application: 1 up to 2^63-1. Anything else does not match the route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def als_id(tekst: str | None) -> int | None:
    """The id a text spells (ASCII digits, 1 up to 2^63-1), or None."""
    tekst = (tekst or "").strip()
    if not _CIJFERS.fullmatch(tekst):
        return None
    waarde = int(tekst)
    return waarde if 1 <= waarde <= MAX_ID else None


def id_param(naam: str, bron: Mapping[str, str] | None = None) -> int | None:
    """`request.args.get(naam, type=int)`, bounded: None when absent or empty, else an id, else a 400.
    `bron=request.form` for a form field."""
    tekst = (request.args if bron is None else bron).get(naam) or ""
    if not tekst.strip():
        return None
    waarde = als_id(tekst)
    if waarde is None:
        abort(400)
    return waarde


def ids_uit(teksten: Iterable[str]) -> list[int]:
    """The ids among checkbox values (`request.form.getlist(...)`); anything else counts as not ticked."""
    return [w for w in map(als_id, teksten) if w is not None]


def keyset_tekst(cursor: tuple[dt.date, int] | None) -> str | None:
    """The query-string form of a keyset cursor (date, id), as keyset_param reads it back."""
    return None if cursor is None else f"{cursor[0].isoformat()}_{cursor[1]}"


def keyset_param(naam: str) -> tuple[dt.date, int] | None:
    """A keyset cursor 'YYYY-MM-DD_id' from the query string (werkvoorraad, termijnen): None when absent, else the
    date and the id, else a 400."""
    tekst = request.args.get(naam) or ""
    if not tekst:
        return None
    datum, _, id_tekst = tekst.partition("_")
    try:
        dag = dt.date.fromisoformat(datum)
    except ValueError:
        abort(400)
    waarde = als_id(id_tekst)
    if waarde is None:
        abort(400)
    return dag, waarde
