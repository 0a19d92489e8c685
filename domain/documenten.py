"""Documents a step produces: a PDF rendered from a template with the zaak's addressee, stored on the zaak with
its confidentiality, and letters (`Brief`) signed by who sends them. Shared by every zaaktype."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from .inwoners import is_minderjarig
from .models import Document, DocumentVersie, Medewerker
from .teksten import aanhef
from .workflow import Context, Effect

# Under this key in ctx.resultaat: the versions this overgang made for the inwoner, in order. A channel outside the
# portal (domain/beveiligde_mail.py) sends them with its message.
DOCUMENTEN_VOOR_INWONER = "documenten_voor_inwoner"


def bewaar_document(ctx: Context, documenttype: str, titel: str, inhoud: bytes, *, zichtbaar: bool,
                    als_versie: bool = False) -> DocumentVersie:
    """Store a generated PDF on the zaak. `als_versie`: a new version of the zaak's document of this type (the
    onderzoeksverslag grows in versions until it is signed). Otherwise a document of its own: every letter, and a
    second beschikking after a bezwaar, is a record in itself and never overwrites or hides an earlier one."""
    document = ctx.session.scalar(select(Document).where(Document.zaak_id == ctx.zaak.id,
                                                         Document.documenttype == documenttype)) if als_versie else None
    if document is None:
        from .vertrouwelijkheid import voor_documenttype

        document = Document(zaak_id=ctx.zaak.id, inwoner_id=ctx.zaak.inwoner_id, documenttype=documenttype,
                            titel=titel, zichtbaar_voor_inwoner=zichtbaar, aangemaakt=ctx.nu,
                            vertrouwelijkheid=voor_documenttype(ctx.zaaktype, documenttype))
        ctx.session.add(document)
        ctx.session.flush()
    nummer = len(document.versies) + 1
    if als_versie:
        bestandsnaam = f"{documenttype}-{ctx.zaak.identificatie}-v{nummer}.pdf"
    else:
        eerder = ctx.session.scalar(select(func.count()).select_from(Document).where(
            Document.zaak_id == ctx.zaak.id, Document.documenttype == documenttype))
        bestandsnaam = f"{documenttype}-{ctx.zaak.identificatie}" + (f"-{eerder}" if eerder > 1 else "") + ".pdf"
    versie = DocumentVersie(
        document_id=document.id, versie=nummer, bestandsnaam=bestandsnaam,
        mediatype="application/pdf", inhoud=inhoud, sha256=hashlib.sha256(inhoud).hexdigest(), grootte=len(inhoud),
        auteur_id=ctx.actor.id if ctx.actor.is_medewerker else None, aangemaakt=ctx.nu,
    )
    document.versies.append(versie)
    document.zichtbaar_voor_inwoner = zichtbaar
    document.titel = titel
    ctx.session.flush()
    if zichtbaar:
        ctx.resultaat.setdefault(DOCUMENTEN_VOOR_INWONER, []).append(versie)
        from .post import per_post_als_gewenst

        per_post_als_gewenst(ctx.session, versie, ctx.zaak, ctx.nu, altijd=bool(ctx.variant.get("post_altijd")))
    return versie


def render(ctx: Context, template: str, extra: dict) -> bytes:
    if ctx.diensten.render_pdf is None:
        raise RuntimeError("geen PDF-renderer ingesteld")
    return ctx.diensten.render_pdf(template, brief_context(ctx, extra))


def brief_context(ctx: Context, extra: dict) -> dict:
    """What a letter's template gets: the gemeente's briefhoofd, the addressee and aanhef, the zaak, the date."""
    zaak = ctx.zaak
    inwoner = zaak.inwoner
    # A letter about a minor goes to the parents or carers at the child's address (they hold gezag, not the child).
    minderjarig = inwoner.geboortedatum is not None and is_minderjarig(inwoner.geboortedatum, ctx.vandaag)
    return {
        "gemeente": zaak.gemeente, "inwoner": {
            "naam": f"Aan de ouders of verzorgers van {inwoner.naam}" if minderjarig else inwoner.naam,
            "adres": [f"{inwoner.straat or ''} {inwoner.huisnummer or ''}".strip(),
                      f"{inwoner.postcode or ''} {inwoner.woonplaats or ''}".strip()]},
        # "Geachte mevrouw El Amrani,": the geslacht is the BRP's; without it the initials, never a guess.
        "aanhef": "Beste ouders of verzorgers," if minderjarig else aanhef(
            inwoner.voornamen, inwoner.voorvoegsel, inwoner.geslachtsnaam, inwoner.geslacht) + ",",
        # Where beroep (and a voorlopige voorziening) goes: the rechtbank of the gemeente's arrondissement.
        "rechtbank": (zaak.gemeente.briefhoofd or {}).get("rechtbank") or None,
        "zaak": zaak, "datum": ctx.vandaag, **extra,
    }


def ondertekening(ctx: Context, wie) -> dict:
    """Who signs a letter: the medewerker with their function and team (the zaak's team when they are in it), or
    the zaak's team when the system sends it. The gemeente's briefhoofd is in every letter's template."""
    from .roles import Rol

    if wie is None or not getattr(wie, "id", None) or getattr(wie, "soort", "medewerker") != "medewerker":
        team = ctx.zaak.team
        return {"naam": team.naam if team else f"Gemeente {ctx.zaak.gemeente.naam}", "functie": ""}
    medewerker = wie if isinstance(wie, Medewerker) else ctx.session.get(Medewerker, wie.id)
    teams = medewerker.teams
    team = ctx.zaak.team if ctx.zaak.team in teams else (teams[0] if teams else None)
    functies = [r for r in (Rol.TOETSER, Rol.JURIDISCH, Rol.ADMINISTRATIE, Rol.TEAMLEIDER, Rol.KLANTMANAGER, Rol.CONSULENT,
                                 Rol.TOEGANG)
                if r in medewerker.rollen]
    functie = functies[0].label if functies else "Medewerker"
    if team is None or team.naam.lower() == functie.lower():
        return {"naam": medewerker.naam, "functie": team.naam if team else functie}  # not "Juridische zaken, Juridische Zaken"
    return {"naam": medewerker.naam, "functie": f"{functie}, {team.naam}"}


def letterlijk(tekst: str) -> str:
    """User text inside a `Brief` alinea: its braces are text, not placeholders for the zaak's values."""
    return tekst.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True)
class Brief(Effect):
    """A letter as PDF in the inwoner's portal (bevestigingsbrief, afspraakbevestiging)."""

    documenttype: str
    titel: str
    onderwerp: str
    alineas: tuple[str, ...]
    # The gemeente's own extra paragraph (configuration `brief_extra_alinea`) goes at the end of this letter.
    met_extra_alinea: bool = False

    # Who signs: the actor (None: the zaak's team, as for a letter the system sends in bulk).
    ondertekenaar: str = "actor"

    def inhoud(self, ctx: Context) -> dict:
        """The brief.html template's own values; `brief_context` adds the rest."""
        waarden = {**ctx.resultaat, "zaaknummer": ctx.zaak.identificatie, "gemeente": ctx.zaak.gemeente.naam}
        alineas = [a.format(**waarden) for a in self.alineas]
        extra = ctx.variant.get("brief_extra_alinea") if self.met_extra_alinea else None
        if extra:
            alineas.append(extra)
        wie = ctx.actor if self.ondertekenaar == "actor" else None
        return {"onderwerp": self.onderwerp, "alineas": alineas, "ondertekening": ondertekening(ctx, wie)}

    def toepassen(self, ctx: Context) -> None:
        pdf = render(ctx, "brief.html", self.inhoud(ctx))
        bewaar_document(ctx, self.documenttype, self.titel, pdf, zichtbaar=True)
