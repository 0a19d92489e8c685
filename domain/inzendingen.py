"""Filling in a portal form (domain/formulieren.py): the draft saved in the database and resumed anywhere, what is
still missing, and sending it: the PDF of what was sent on the zaak, then the form's overgang, in one transaction.

Who may: whoever may see the zaak as an inwoner (authz.zaak_voor). The inwoner of the zaak today; a parent with
gezag over a child once authz knows gezag, without a change here. Every read and write is protocolled.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .formulieren import BESTAND, JANEE, KEUZE, Formulier, Veld, formulier_van, lees, ontbrekend, toon, vooringevuld
from .models import Document, DocumentVersie, FormulierInzending, Inwoner, Zaak, utcnow
from .processes import zaaktype_van
from .protocol import Handeling, protocolleer
from .uploads import Upload, als_document
from .workflow import Conflict, Context, Diensten, OvergangFout, bij_gelijktijdig, handeling_context, voer_uit

CONCEPT, VERZONDEN = "concept", "verzonden"
DOEL = "Aanvraag of wijziging door de inwoner"
ANDERS_OPGESLAGEN = ("U heeft dit formulier intussen ergens anders opgeslagen, bijvoorbeeld op een ander apparaat. "
                     "Hieronder staat wat daar is opgeslagen. Vul uw wijziging opnieuw in.")


class FormulierFout(OvergangFout):
    """The form cannot be sent yet: `fouten` holds the Dutch message per field code (nothing is lost: what was
    right is saved in the draft)."""

    def __init__(self, fouten: Mapping[str, str]):
        super().__init__("Controleer het formulier. Bij de velden staat wat er nog niet klopt.")
        self.fouten = dict(fouten)


@dataclass
class Stand:
    """What the form page shows: the draft (or what a new one starts with), what is missing, the uploaded files."""

    zaak: Zaak
    formulier: Formulier
    inzending: FormulierInzending | None
    waarden: dict[str, Any]
    ontbrekend: list[Veld]
    bestanden: dict[str, list[Document]] = field(default_factory=dict)

    @property
    def verzonden(self) -> bool:
        return self.inzending is not None and self.inzending.status == VERZONDEN

    def getoond(self, veld: Veld) -> str:
        namen = {d.id: d.versies[-1].bestandsnaam for docs in self.bestanden.values() for d in docs if d.versies}
        return toon(veld, self.waarden.get(veld.code), namen)


def zoek(session: Session, actor: Actor, zaak_id: int, code: str) -> tuple[Zaak, Formulier]:
    """The zaak and its form, or NietGevonden: another inwoner's zaak and a form the zaaktype does not have look
    exactly like a zaak that does not exist."""
    if not actor.is_inwoner:
        raise authz.NietGevonden(f"formulier {code}")
    zaak = authz.zaak_voor(session, actor, zaak_id)
    try:
        return zaak, formulier_van(zaaktype_van(zaak.zaaktype), code)
    except KeyError:
        raise authz.NietGevonden(f"formulier {code}") from None


def is_open(zaak: Zaak, formulier: Formulier) -> bool:
    return not zaak.afgesloten and zaak.status in formulier.open_in


def _laatste(session: Session, zaak: Zaak, formulier: Formulier, status: str) -> FormulierInzending | None:
    return session.scalar(select(FormulierInzending).where(
        FormulierInzending.zaak_id == zaak.id, FormulierInzending.formulier == formulier.code,
        FormulierInzending.status == status).order_by(FormulierInzending.id.desc()).limit(1))


def _bestanden(session: Session, inzending: FormulierInzending | None, formulier: Formulier) -> dict[str, list[Document]]:
    if inzending is None:
        return {}
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.formulier_inzending_id == inzending.id))}
    return {v.code: [docs[i] for i in inzending.waarden.get(v.code) or [] if i in docs]
            for v in formulier.velden if v.soort == BESTAND}


def _vooringevuld(session: Session, actor: Actor | None, zaak: Zaak, formulier: Formulier) -> dict:
    """Prefilled from who fills it in (a parent with gezag for their child) and from the zaak's inwoner."""
    betrokkene = session.get(Inwoner, zaak.inwoner_id)
    invuller = session.get(Inwoner, actor.inwoner_id) if actor is not None and actor.inwoner_id else betrokkene
    return vooringevuld(formulier, invuller, betrokkene)


def _stand(session: Session, zaak: Zaak, formulier: Formulier, inzending: FormulierInzending | None,
           actor: Actor | None = None) -> Stand:
    if inzending is None:
        waarden = _vooringevuld(session, actor, zaak, formulier)
    else:
        waarden = dict(inzending.waarden)
    return Stand(zaak, formulier, inzending, waarden, ontbrekend(formulier, waarden),
                 _bestanden(session, inzending, formulier))


def bekijk(session: Session, actor: Actor, zaak: Zaak, formulier: Formulier, *,
           inzending_id: int | None = None) -> Stand:
    """The draft to continue (or a new one, prefilled), or with `inzending_id` one that was sent (read-only).
    Protocolled; the caller commits. NietGevonden when there is nothing to show."""
    if inzending_id is not None:
        inzending = session.get(FormulierInzending, inzending_id)
        if inzending is None or inzending.zaak_id != zaak.id or inzending.formulier != formulier.code:
            raise authz.NietGevonden(f"inzending {inzending_id}")
    else:
        inzending = _laatste(session, zaak, formulier, CONCEPT) if is_open(zaak, formulier) else None
        if inzending is None and not is_open(zaak, formulier):
            raise authz.NietGevonden(f"formulier {formulier.code}")
    protocolleer(session, actor, handeling=Handeling.LEZEN, object_type="formulier_inzending",
                 object_id=inzending.id if inzending else None,
                 omschrijving=f"Formulier '{formulier.titel}' bekeken ({zaak.identificatie})", doel=DOEL,
                 inwoner_id=zaak.inwoner_id)
    return _stand(session, zaak, formulier, inzending, actor)


def verzonden_van(session: Session, zaak: Zaak, formulier: Formulier) -> FormulierInzending | None:
    return _laatste(session, zaak, formulier, VERZONDEN)


def _bewaar(session: Session, actor: Actor, zaak: Zaak, formulier: Formulier, *, invoer: Mapping[str, str],
            uploads: Mapping[str, Sequence[Upload]], weg: set[int], inzending_id: int | None,
            verwachte_versie: int | None, nu: dt.datetime) -> tuple[FormulierInzending, dict[str, str]]:
    if not actor.is_inwoner:
        raise OvergangFout("Alleen de inwoner zelf vult dit formulier in, ingelogd met DigiD.")
    authz.zaak_voor(session, actor, zaak.id)  # NietGevonden for a zaak this inwoner may not see
    if inzending_id is not None:
        inzending = session.get(FormulierInzending, inzending_id)
        if inzending is None or inzending.zaak_id != zaak.id or inzending.formulier != formulier.code:
            raise authz.NietGevonden(f"inzending {inzending_id}")
        if inzending.status == VERZONDEN:
            raise OvergangFout("U heeft dit formulier al verstuurd. U kunt het niet meer veranderen.")
        if verwachte_versie is not None and inzending.versie != verwachte_versie:
            raise Conflict(ANDERS_OPGESLAGEN)
    else:
        inzending = _laatste(session, zaak, formulier, CONCEPT)
        if inzending is not None and verwachte_versie is None:
            raise Conflict(ANDERS_OPGESLAGEN)  # a draft was made elsewhere after this page was opened
    if not is_open(zaak, formulier):
        raise OvergangFout("Dit formulier kunt u nu niet (meer) invullen.")
    if inzending is None:
        inzending = FormulierInzending(zaak_id=zaak.id, formulier=formulier.code, inwoner_id=actor.inwoner_id,
                                       waarden=_vooringevuld(session, actor, zaak, formulier),
                                       status=CONCEPT, aangemaakt=nu, gewijzigd=nu)
        session.add(inzending)
        session.flush()
    gelezen, fouten = lees(formulier, invoer)
    waarden = dict(inzending.waarden)
    waarden.update({code: waarde for code, waarde in gelezen.items() if code not in fouten})
    for veld in formulier.velden:
        if veld.soort != BESTAND:
            continue
        ids = [i for i in waarden.get(veld.code) or [] if i not in weg]
        for i in set(waarden.get(veld.code) or []) & weg:
            document = session.get(Document, i)
            if document is not None and document.formulier_inzending_id == inzending.id and document.zaak_id is None:
                session.delete(document)
        for upload in uploads.get(veld.code, ()):
            document = als_document(upload, zaak_id=None, inwoner_id=zaak.inwoner_id, documenttype="bijlage_formulier",
                                    titel=f"{formulier.titel}: {upload.bestandsnaam}", nu=nu)
            document.formulier_inzending_id = inzending.id
            session.add(document)
            session.flush()
            ids.append(document.id)
        waarden[veld.code] = ids
    inzending.waarden = waarden
    inzending.gewijzigd = nu
    inzending.inwoner_id = actor.inwoner_id
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="formulier_inzending", object_id=inzending.id,
                 omschrijving=f"Formulier '{formulier.titel}' opgeslagen ({zaak.identificatie})", doel=DOEL,
                 inwoner_id=zaak.inwoner_id)
    return inzending, fouten


def sla_op(session: Session, actor: Actor, zaak: Zaak, formulier: Formulier, *, invoer: Mapping[str, str],
           uploads: Mapping[str, Sequence[Upload]] | None = None, weg: set[int] | None = None,
           inzending_id: int | None = None, verwachte_versie: int | None = None,
           nu: dt.datetime | None = None) -> tuple[FormulierInzending, dict[str, str]]:
    """Save the draft and commit: every answer that is right (a wrong one keeps its earlier value and comes back
    in the errors per field). Conflict when the draft was saved elsewhere meanwhile."""
    with bij_gelijktijdig(session, ANDERS_OPGESLAGEN):
        inzending, fouten = _bewaar(session, actor, zaak, formulier, invoer=invoer, uploads=uploads or {},
                                    weg=weg or set(), inzending_id=inzending_id, verwachte_versie=verwachte_versie,
                                    nu=nu or utcnow())
        session.commit()
    return inzending, fouten


def _ontbreekt(veld: Veld) -> str:
    if veld.soort == BESTAND:
        return "Voeg een bestand toe."
    if veld.soort in (KEUZE, JANEE):
        return "Kies een antwoord."
    return "Vul dit in."


def verstuur(session: Session, actor: Actor, zaak: Zaak, formulier: Formulier, *, invoer: Mapping[str, str],
             uploads: Mapping[str, Sequence[Upload]] | None = None, weg: set[int] | None = None,
             inzending_id: int | None = None, verwachte_versie: int | None = None, diensten: Diensten,
             nu: dt.datetime | None = None) -> Context:
    """Save what was typed, then send it when it is complete: FormulierFout (the draft is saved) when something is
    wrong or missing. Sending stores the PDF of the answers on the zaak, makes the uploads part of the zaak and
    fires the form's overgang; all of it in one transaction, or nothing."""
    nu = nu or utcnow()
    inzending, fouten = sla_op(session, actor, zaak, formulier, invoer=invoer, uploads=uploads, weg=weg,
                               inzending_id=inzending_id, verwachte_versie=verwachte_versie, nu=nu)
    stand = _stand(session, zaak, formulier, inzending)
    fouten = {**{v.code: _ontbreekt(v) for v in stand.ontbrekend}, **fouten}
    if fouten:
        raise FormulierFout({v.code: fouten[v.code] for v in formulier.velden if v.code in fouten})
    with bij_gelijktijdig(session, ANDERS_OPGESLAGEN):
        ctx = handeling_context(session, actor, zaak, formulier.overgang, formulier.titel, diensten=diensten, nu=nu)
        _bewaar_pdf(ctx, stand)
        for documenten in stand.bestanden.values():
            for document in documenten:
                document.zaak_id = zaak.id
        inzending.status, inzending.verzonden_op = VERZONDEN, nu
        protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="formulier_inzending",
                     object_id=inzending.id, omschrijving=f"Formulier '{formulier.titel}' verstuurd ({zaak.identificatie})",
                     doel=DOEL, inwoner_id=zaak.inwoner_id)
        session.flush()
    return voer_uit(session, actor, zaak, formulier.overgang, verwachte_versie=None, diensten=diensten, nu=nu,
                    gegevens={"formulier": formulier.code, "inzending_id": inzending.id, "waarden": dict(inzending.waarden)})


def _bewaar_pdf(ctx: Context, stand: Stand) -> DocumentVersie:
    """The answers as a PDF on the zaak ("what I sent"), readable by the consulent and the inwoner. Not by post:
    the inwoner wrote it themselves."""
    import hashlib

    from .documenten import render as _render
    from .vertrouwelijkheid import voor_documenttype
    from .teksten import datum_nl

    formulier = stand.formulier
    rijen = [{"vraag": v.label, "antwoord": stand.getoond(v)} for v in formulier.velden]
    pdf = _render(ctx, "formulier.html", {"onderwerp": formulier.titel, "rijen": rijen, "verzonden_op": ctx.nu,
                                          "ingevuld_door": ctx.actor.naam})
    document = Document(zaak_id=ctx.zaak.id, inwoner_id=ctx.zaak.inwoner_id, documenttype="formulier",
                        titel=f"{formulier.titel}, verstuurd op {datum_nl(ctx.vandaag)}", zichtbaar_voor_inwoner=True,
                        aangemaakt=ctx.nu, formulier_inzending_id=stand.inzending.id,
                        vertrouwelijkheid=voor_documenttype(ctx.zaaktype, "formulier"))
    versie = DocumentVersie(versie=1, bestandsnaam=f"{formulier.code}-{ctx.zaak.identificatie}.pdf",
                            mediatype="application/pdf", inhoud=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                            grootte=len(pdf), aangemaakt=ctx.nu)
    document.versies.append(versie)
    ctx.session.add(document)
    return versie


def op_zaak(session: Session, zaak: Zaak) -> list[dict[str, Any]]:
    """The forms open on this zaak now, each with its draft and how many required answers are missing: the
    inwoner's to-do on the zaak page."""
    uit = []
    for formulier in zaaktype_van(zaak.zaaktype).formulieren:
        if not is_open(zaak, formulier):
            continue
        stand = _stand(session, zaak, formulier, _laatste(session, zaak, formulier, CONCEPT))
        uit.append({"formulier": formulier, "concept": stand.inzending, "ontbrekend": len(stand.ontbrekend)})
    return uit
