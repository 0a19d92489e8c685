"""Who sees which document: the ZGW vertrouwelijkheidaanduiding of each document against the highest level the
actor may read for this zaak. One rule for both faces (and a later API).

- A zaaktype declares the aanduiding per documenttype (`Zaaktype.vertrouwelijkheid`); anything it does not name
  is "vertrouwelijk", the usual level for social-domain files.
- The consulenten of the zaak (its team, or its behandelaar) read every level: they hold the dossier.
- Roles that work across teams read what their task needs: toetser, juridisch and teamleider up to
  "confidentieel" (a toetser judges the beschikking against the verslag), administratie up to "vertrouwelijk"
  (it orders from the beschikking and needs no verslag of a family's situation).
- The inwoner (or a parent with gezag) reads the documents released to them (`zichtbaar_voor_inwoner`) up to
  "confidentieel": a document marked "geheim" or higher (e.g. a safety report about the parent) never shows in the
  portal, whatever else says so. A zaaktype outside the portal (`in_portaal=False`) shows nothing at all there.
"""
from __future__ import annotations

from sqlalchemy import Select

from .actor import Actor
from .models import Document, Zaak
from .roles import Rol

# ZGW VertrouwelijkheidaanduidingEnum, from open to closed.
NIVEAUS = ("openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk", "confidentieel", "geheim",
           "zeer_geheim")
STANDAARD = "vertrouwelijk"
NAMEN = {"openbaar": "Openbaar", "beperkt_openbaar": "Beperkt openbaar", "intern": "Intern",
         "zaakvertrouwelijk": "Zaakvertrouwelijk", "vertrouwelijk": "Vertrouwelijk", "confidentieel": "Confidentieel",
         "geheim": "Geheim", "zeer_geheim": "Zeer geheim"}
INWONER_MAX = "confidentieel"
ROL_MAX = {Rol.TOETSER: "confidentieel", Rol.JURIDISCH: "confidentieel", Rol.TEAMLEIDER: "confidentieel",
           Rol.ADMINISTRATIE: "vertrouwelijk"}


def rang(niveau: str) -> int:
    return NIVEAUS.index(niveau)


def voor_documenttype(zaaktype, documenttype: str) -> str:
    """The aanduiding a new document of this type gets on a zaak of this zaaktype."""
    niveau = dict(zaaktype.vertrouwelijkheid).get(documenttype, STANDAARD)
    if niveau not in NIVEAUS:
        raise ValueError(f"{zaaktype.code}: onbekende vertrouwelijkheid {niveau!r} voor {documenttype}")
    return niveau


def hoogste(actor: Actor, zaak: Zaak) -> str | None:
    """The highest level this actor may read on this zaak (None: no document at all)."""
    from .processes import zaaktype_van

    if actor.is_inwoner:
        return INWONER_MAX if zaaktype_van(zaak.zaaktype).in_portaal else None
    if not actor.is_medewerker:
        return None
    if zaak.team_id in actor.team_ids or (zaak.behandelaar_id is not None and zaak.behandelaar_id == actor.id):
        return NIVEAUS[-1]
    niveaus = [ROL_MAX[r] for r in actor.rollen if r in ROL_MAX]
    return max(niveaus, key=rang) if niveaus else None


def toegestaan(actor: Actor, zaak: Zaak) -> tuple[str, ...]:
    top = hoogste(actor, zaak)
    return () if top is None else NIVEAUS[: rang(top) + 1]


def mag_lezen(actor: Actor, zaak: Zaak, document: Document) -> bool:
    if actor.is_inwoner and not document.zichtbaar_voor_inwoner:
        return False
    return document.vertrouwelijkheid in toegestaan(actor, zaak)


def filter_documenten(stmt: Select, actor: Actor, zaak: Zaak) -> Select:
    """Narrow a query of the zaak's documents to those this actor may read."""
    stmt = stmt.where(Document.vertrouwelijkheid.in_(toegestaan(actor, zaak) or ("-",)))
    return stmt.where(Document.zichtbaar_voor_inwoner) if actor.is_inwoner else stmt
