"""Post: letters on paper for inwoners who prefer post (contactvoorkeur "post").

Every document the inwoner may see (letters, the onderzoeksverslag, the beschikking, the beslissing op bezwaar) is
queued as a `Poststuk` in the same transaction as the document, when the inwoner prefers post. Administratie prints
the queue (one PDF) and marks what went into the mail; the portal copy stays. The date a beschikking is sent
(bekendmaking, Awb 3:41) is the verzenddatum the engine already records; the poststuk records the actual mailing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from . import authz
from .actor import Actor
from .models import DocumentVersie, Inwoner, Poststuk, Zaak, utcnow
from .models.inwoner import Contactvoorkeur
from .protocol import Handeling, protocolleer

TE_VERSTUREN, VERSTUURD = "te_versturen", "verstuurd"


def per_post_als_gewenst(session: Session, versie: DocumentVersie, zaak: Zaak, nu: dt.datetime, *,
                         altijd: bool = False) -> Poststuk | None:
    """Queue the letter on paper when the inwoner prefers post, or when the gemeente sends this zaaktype's letters
    on paper always (its configuration)."""
    inwoner = session.get(Inwoner, zaak.inwoner_id)
    if inwoner is None or not (altijd or inwoner.contactvoorkeur == Contactvoorkeur.POST.value):
        return None
    stuk = Poststuk(document_versie_id=versie.id, inwoner_id=inwoner.id, zaak_id=zaak.id,
                    gemeente_id=zaak.gemeente_id, status=TE_VERSTUREN, aangemaakt=nu)
    session.add(stuk)
    return stuk


def _vereis(actor: Actor) -> None:
    if not (actor.is_medewerker and actor.heeft_rol(authz.Rol.ADMINISTRATIE)):
        raise authz.Geweigerd("alleen administratie verstuurt post")


def te_versturen(session: Session, actor: Actor, *, ids: Iterable[int] | None = None, na: int | None = None,
                 limiet: int | None = None) -> list[Poststuk]:
    """The post still to be sent in the actor's gemeenten, oldest first (or just these ids). `na`/`limiet`: a page
    of the queue, after the poststuk with id `na` (ids grow with time, so the order holds)."""
    _vereis(actor)
    stmt = (select(Poststuk).where(Poststuk.status == TE_VERSTUREN,
                                   Poststuk.gemeente_id.in_(actor.gemeente_ids or {-1}))
            .order_by(Poststuk.id))
    if ids is not None:
        stmt = stmt.where(Poststuk.id.in_(list(ids)))
    if na is not None:
        stmt = stmt.where(Poststuk.id > na)
    if limiet is not None:
        stmt = stmt.limit(limiet)
    return list(session.scalars(stmt))


def aantal_te_versturen(session: Session, actor: Actor) -> int:
    from sqlalchemy import func

    _vereis(actor)
    return session.scalar(select(func.count()).select_from(Poststuk).where(
        Poststuk.status == TE_VERSTUREN, Poststuk.gemeente_id.in_(actor.gemeente_ids or {-1})))


def afdrukbestand(session: Session, actor: Actor, stukken: list[Poststuk]) -> bytes:
    """One PDF with every letter of `stukken`, each starting on a new sheet (odd page count padded for duplex)."""
    from pypdf import PdfReader, PdfWriter

    # The letters' bytes in one statement: lists never load them (DocumentVersie.inhoud is deferred).
    versies = {v.id: v for v in session.scalars(select(DocumentVersie).where(
        DocumentVersie.id.in_([s.document_versie_id for s in stukken])).options(undefer(DocumentVersie.inhoud)))}
    schrijver = PdfWriter()
    for stuk in stukken:
        lezer = PdfReader(BytesIO(versies[stuk.document_versie_id].inhoud))
        for pagina in lezer.pages:
            schrijver.add_page(pagina)
        if len(lezer.pages) % 2:
            breedte, hoogte = lezer.pages[0].mediabox.width, lezer.pages[0].mediabox.height
            schrijver.add_blank_page(width=breedte, height=hoogte)
        protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="document",
                     object_id=stuk.document_versie_id, inwoner_id=stuk.inwoner_id,
                     omschrijving=f"Brief afgedrukt voor verzending per post (poststuk {stuk.id})",
                     doel="Verzending per post op verzoek van de inwoner")
    uit = BytesIO()
    schrijver.write(uit)
    return uit.getvalue()


def markeer_verstuurd(session: Session, actor: Actor, ids: Iterable[int], nu: dt.datetime | None = None) -> int:
    """Mark these poststukken as put in the mail. Returns how many (others' gemeenten and sent ones are skipped)."""
    nu = nu or utcnow()
    stukken = te_versturen(session, actor, ids=ids)
    for stuk in stukken:
        stuk.status, stuk.verstuurd_op, stuk.verstuurd_door_id = VERSTUURD, nu, actor.id
        protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="poststuk", object_id=stuk.id,
                     inwoner_id=stuk.inwoner_id, omschrijving="Brief per post verstuurd",
                     doel="Verzending per post op verzoek van de inwoner")
    return len(stukken)
