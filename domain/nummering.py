"""Handing out numbers per gemeente without collisions (see `Nummering`)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Nummering


def reserveer(session: Session, gemeente_id: int, soort: str, *, huidig: Callable[[], int], aantal: int = 1) -> int:
    """Reserve `aantal` consecutive numbers in the caller's transaction and return the first. `huidig` gives the
    highest number already in use, for the first reservation of a counter (a database from before the counter, or
    a new gemeente). A rolled-back transaction gives its numbers back; a gap after a failure is harmless."""
    if aantal < 1:
        raise ValueError("aantal moet minstens 1 zijn")
    ophogen = (update(Nummering)
               .where(Nummering.gemeente_id == gemeente_id, Nummering.soort == soort)
               .values(laatste=Nummering.laatste + aantal)
               .returning(Nummering.laatste)
               .execution_options(synchronize_session=False))
    laatste = session.execute(ophogen).scalar()
    if laatste is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        # Two first reservations at once: the second insert does nothing and its UPDATE waits for the first.
        session.execute(dialect.insert(Nummering).values(gemeente_id=gemeente_id, soort=soort, laatste=huidig())
                        .on_conflict_do_nothing())
        laatste = session.execute(ophogen).scalar_one()
    return laatste - aantal + 1
