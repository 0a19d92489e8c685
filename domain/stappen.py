"""Effects for the steps that carry data: afspraak, onderzoeksverslag, ondertekening, besluit, toetsing,
bestelling. Shared by every zaaktype that has such a step."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .afspraken import PlanAfspraak, gehouden  # noqa: F401 (PlanAfspraak: for the zaaktypen)
from .documenten import Brief, bewaar_document, letterlijk, ondertekening, render  # noqa: F401 (Brief, letterlijk: for the zaaktypen)
from .models import (
    Besluit,
    DocumentVersie,
    Medewerker,
    Ondertekening,
    Onderzoeksverslag,
    Toetsoordeel,
)
from .toetsing import EIGEN_BESCHIKKING, mag_toetsen, toetsingsgrond
from .voorzieningen import eenheid_woord, frequentie_woord, omschrijving
from .workflow import Context, Effect, Guard, OvergangFout

AMS = ZoneInfo("Europe/Amsterdam")


def laatste_verslag(ctx_or_session, zaak_id: int) -> Onderzoeksverslag | None:
    session = getattr(ctx_or_session, "session", ctx_or_session)
    return session.scalar(select(Onderzoeksverslag).where(Onderzoeksverslag.zaak_id == zaak_id)
                          .order_by(Onderzoeksverslag.versie.desc()).limit(1))


def lopend_besluit(ctx_or_session, zaak_id: int) -> Besluit | None:
    session = getattr(ctx_or_session, "session", ctx_or_session)
    return session.scalar(select(Besluit).where(Besluit.zaak_id == zaak_id).order_by(Besluit.id.desc()).limit(1))


def besluit_bestelt(besluit: Besluit | None) -> bool:
    """Whether a besluit has something to order (its voorzieningen). An afwijzing has none."""
    return besluit is not None and bool(besluit.voorzieningen)


def te_ondertekenen(session, zaak_id: int) -> DocumentVersie | None:
    """The version of the verslag that is on offer for signing, or None."""
    verslag = laatste_verslag(session, zaak_id)
    if verslag is None or verslag.document_versie_id is None:
        return None
    return session.get(DocumentVersie, verslag.document_versie_id)


def verslag_klaar_guards(afspraak: str) -> tuple[Guard, ...]:
    """Put the verslag ready only once the appointment it reports on took place and a verslag is written: until
    then the button is not offered and "verslag schrijven" is the next step."""
    return (Guard(lambda ctx: gehouden(ctx.session, ctx.zaak.id, afspraak) is not None,
                  f"Leg eerst vast dat het {afspraak} is geweest.", verberg=True),
            Guard(lambda ctx: laatste_verslag(ctx, ctx.zaak.id) is not None, "Schrijf eerst het onderzoeksverslag.",
                  verberg=True))


@dataclass(frozen=True)
class ZetVerslagKlaar(Effect):
    """Render the latest verslag version to PDF and put it in the portal for reading and signing. With
    ``na_afspraak`` (the kind of appointment the verslag reports on) only once that appointment took place."""

    na_afspraak: str | None = None

    def toepassen(self, ctx: Context) -> None:
        if self.na_afspraak and gehouden(ctx.session, ctx.zaak.id, self.na_afspraak) is None:
            raise OvergangFout(f"Leg eerst vast dat het {self.na_afspraak} is geweest. Het verslag gaat daarna naar "
                               "de inwoner.")
        verslag = laatste_verslag(ctx, ctx.zaak.id)
        if verslag is None:
            raise OvergangFout("Schrijf eerst het onderzoeksverslag.")
        pdf = render(ctx, "onderzoeksverslag.html", {
            "hulpvraag": verslag.hulpvraag, "situatie": verslag.situatie, "eigen_kracht": verslag.eigen_kracht,
            "afweging": verslag.afweging, "advies": verslag.advies, "leefgebieden": verslag.leefgebieden or [],
            "opsteller": {"naam": verslag.auteur.naam, "functie": "Consulent"},
            "onderwerp": f"Verslag van het gesprek (versie {verslag.versie})",
        })
        versie = bewaar_document(ctx, "onderzoeksverslag", "Verslag van het gesprek (onderzoeksverslag)", pdf,
                                 zichtbaar=True, als_versie=True)
        verslag.document_versie_id = versie.id


@dataclass(frozen=True)
class OndertekenVerslag(Effect):
    """The inwoner signs: record signer, time, the PDF's SHA-256 and the DigiD level of this session. A parent with
    gezag signs as themselves, on behalf of the child (namens_inwoner_id).
    The signed verslag is the aanvraag: its date starts the beslistermijn."""

    def toepassen(self, ctx: Context) -> None:
        verslag = laatste_verslag(ctx, ctx.zaak.id)
        if verslag is None or verslag.document_versie_id is None:
            raise OvergangFout("Er staat geen verslag klaar om te ondertekenen.")
        versie = ctx.session.get(DocumentVersie, verslag.document_versie_id)
        # The signature is bound to the exact version the inwoner was shown: without its fingerprint we cannot
        # know what they read, so we refuse rather than sign whatever version is there now.
        gezien = (ctx.gegevens.get("sha256") or "").strip().lower()
        if not gezien:
            raise OvergangFout("We weten niet welke versie van het verslag u heeft gelezen. Er is niets ondertekend. "
                               "Open het verslag opnieuw en onderteken dan.")
        if gezien != versie.sha256:
            raise OvergangFout("Het verslag is veranderd sinds u het opende. Lees de nieuwe versie en onderteken opnieuw.")
        if hashlib.sha256(versie.inhoud).hexdigest() != versie.sha256:
            raise OvergangFout("Het verslag is beschadigd. Neem contact op met de gemeente.")
        opmerking = (ctx.gegevens.get("opmerking") or "").strip() or None
        verslag.opmerking_inwoner = opmerking
        namens = ctx.zaak.inwoner_id if ctx.actor.handelt_namens(ctx.zaak.inwoner_id) else None
        ctx.session.add(Ondertekening(document_versie_id=versie.id, inwoner_id=ctx.actor.inwoner_id, tijdstip=ctx.nu,
                                      namens_inwoner_id=namens, sha256=versie.sha256, methode="digid",
                                      betrouwbaarheidsniveau=ctx.actor.betrouwbaarheidsniveau, opmerking=opmerking))
        ctx.zaak.aanvraagdatum = ctx.vandaag


@dataclass(frozen=True)
class DienBesluitIn(Effect):
    """Offer the concept besluit: either to a toetser (an Actie for team kwaliteit) or sign it oneself."""

    def toepassen(self, ctx: Context) -> None:
        besluit = lopend_besluit(ctx, ctx.zaak.id)
        if besluit is None or besluit.status != "concept":
            raise OvergangFout("Stel eerst de beschikking op.")
        if besluit.besluittype == "toekenning" and not besluit.voorzieningen:
            raise OvergangFout("Kies bij een toekenning minstens één voorziening.")
        grond = toetsingsgrond(besluit, ctx.variant)
        vereist, reden = grond.vereist, grond.reden
        besluit.toetsing_vereist = vereist
        ctx.resultaat["toetsing_vereist"] = vereist
        ctx.resultaat["toetsing_reden"] = reden
        ctx.resultaat["toetsing"] = grond
        if vereist:
            besluit.status = "ter_toetsing"
            from .effects import MaakActie

            MaakActie("instelling:toetsing_team", "toetsing", f"Beschikking toetsen ({besluit.besluittype}). {reden}").toepassen(ctx)
        else:
            stel_vast(ctx, besluit, ondertekenaar_id=ctx.actor.id)
        ctx.resultaat["besluit_id"] = besluit.id


def stel_vast(ctx: Context, besluit: Besluit, *, ondertekenaar_id: int) -> None:
    """Sign and publish: reserve the voorzieningen, render the beschikking, make it visible, set the
    verzenddatum (bekendmaking) that starts the bezwaartermijn."""
    besluit.status = "vastgesteld"
    besluit.ondertekend_door_id = ondertekenaar_id
    besluit.vastgesteld_op = ctx.nu
    besluit.verzenddatum = ctx.vandaag
    for v in besluit.voorzieningen:
        v.status = "gereserveerd"
    ctx.session.flush()
    pdf, bezwaar_uiterlijk = beschikking_pdf(ctx, besluit, ctx.session.get(Medewerker, ondertekenaar_id))
    versie = bewaar_document(ctx, "beschikking", f"Beschikking ({besluit.besluittype})", pdf, zichtbaar=True)
    besluit.document_versie_id = versie.id
    ctx.resultaat["bezwaar_uiterlijk"] = bezwaar_uiterlijk


def beschikking_pdf(ctx: Context, besluit: Besluit, ondertekenaar, *, onderwerp: str | None = None):
    """The beschikking as PDF, as if sent today and signed by `ondertekenaar`: for `stel_vast`, and as a preview
    for the toetser (with an `onderwerp` that says it is not sent). Returns the PDF and the bezwaar's last day."""
    from .deadlines import bereken
    from .feestdagen import gelijkgestelde_dagen_van

    bezwaar = bereken("bezwaartermijn", ctx.vandaag, extra_feestdagen=gelijkgestelde_dagen_van(ctx.zaak.gemeente))
    inhoud = {
        "besluit": besluit.besluittype,
        "onderbouwing": besluit.onderbouwing,
        "regeling": ctx.zaaktype.regeling,
        "voorzieningen": [
            {"omschrijving": v.product.naam, "productcategorie": v.product.categorie,
             "productcode": v.product.productcode, "volume": v.volume, "eenheid": eenheid_woord(v.volume, v.eenheid),
             "frequentie": frequentie_woord(v.frequentie), "ingangsdatum": v.ingangsdatum,
             # the same words as on every other face (the zaak page, the ordering page, the portal)
             "tekst": omschrijving(v),
             "einddatum": v.einddatum, "leveringsvorm": v.leveringsvorm}
            for v in besluit.voorzieningen
        ],
        "ondertekening": {**ondertekening(ctx, ondertekenaar), "namens_college": True},
        "bezwaar_uiterlijk": bezwaar.einddatum,
        "wettelijke_grondslag": besluit.wettelijke_grondslag,
        "portaal_url": ctx.diensten.portaal_url,
    }
    bijdrage = ctx.zaaktype.eigen_bijdrage  # the same text as the portal's "Wat u krijgt" (domain.toegekend)
    if bijdrage is not None:
        inhoud["eigen_bijdrage"], inhoud["eigen_bijdrage_bron"] = bijdrage.tekst_op(ctx.vandaag), bijdrage.bron
    if onderwerp:
        inhoud["onderwerp"] = onderwerp
    return render(ctx, "beschikking.html", inhoud), bezwaar.einddatum


@dataclass(frozen=True)
class KeurGoed(Effect):
    def toepassen(self, ctx: Context) -> None:
        besluit = lopend_besluit(ctx, ctx.zaak.id)
        if besluit is None or besluit.status != "ter_toetsing":
            raise OvergangFout("Er ligt geen beschikking ter toetsing.")
        if not mag_toetsen(ctx.actor, besluit):
            raise OvergangFout(EIGEN_BESCHIKKING)
        ctx.session.add(Toetsoordeel(besluit_id=besluit.id, toetser_id=ctx.actor.id, auteur_id=besluit.auteur_id,
                                     oordeel="goedgekeurd", tijdstip=ctx.nu))
        besluit.goedgekeurd_door_id = ctx.actor.id
        stel_vast(ctx, besluit, ondertekenaar_id=ctx.actor.id)


@dataclass(frozen=True)
class KeurAf(Effect):
    def toepassen(self, ctx: Context) -> None:
        besluit = lopend_besluit(ctx, ctx.zaak.id)
        reden = (ctx.gegevens.get("reden") or "").strip()
        if besluit is None or besluit.status != "ter_toetsing":
            raise OvergangFout("Er ligt geen beschikking ter toetsing.")
        if not mag_toetsen(ctx.actor, besluit):
            raise OvergangFout(EIGEN_BESCHIKKING)
        if not reden:
            raise OvergangFout("Schrijf op waarom u de beschikking afkeurt. Dan weet de consulent wat er moet veranderen.")
        ctx.session.add(Toetsoordeel(besluit_id=besluit.id, toetser_id=ctx.actor.id, auteur_id=besluit.auteur_id,
                                     oordeel="afgekeurd", reden=reden, tijdstip=ctx.nu))
        besluit.status = "concept"
        ctx.resultaat["reden"] = reden


@dataclass(frozen=True)
class Bestel(Effect):
    """Administratie checked voorziening against beschikking and orders it. The iWmo/iJw 301 goes out through
    `diensten.berichten` (the berichtenverkeer seam)."""

    @staticmethod
    def nodig(ctx: Context) -> bool:
        """For `Als` in a zaaktype: whether the besluit just vastgesteld orders anything. An afwijzing orders
        nothing, so nobody gets an action to order it."""
        return besluit_bestelt(lopend_besluit(ctx, ctx.zaak.id))

    def toepassen(self, ctx: Context) -> None:
        besluit = lopend_besluit(ctx, ctx.zaak.id)
        if besluit is None or besluit.status != "vastgesteld":
            raise OvergangFout("Er is nog geen vastgestelde beschikking.")
        if not besluit.voorzieningen:
            raise OvergangFout("Deze beschikking heeft geen voorziening om te bestellen.")
        for v in besluit.voorzieningen:
            if v.status != "gereserveerd":
                raise OvergangFout("Een voorziening is niet gereserveerd; controleer de beschikking.")
            v.status = "besteld"
        if ctx.diensten.berichten is not None:
            ctx.diensten.berichten(ctx, "toewijzing")




# On the bestellen overgang: only a besluit that grants something can be ordered; after an afwijzing the step is not
# offered at all (administratie would get a button that can never succeed).
BESTELBAAR = Guard(Bestel.nodig, "Deze beschikking kent niets toe: er is niets te bestellen.", verberg=True)


@dataclass(frozen=True)
class TrekBesluitIn(Effect):
    """A gegrond bezwaar takes the besluit back: its voorzieningen are withdrawn and an open order is closed,
    so nothing is ordered twice when the new besluit comes."""

    def toepassen(self, ctx: Context) -> None:
        besluit = lopend_besluit(ctx, ctx.zaak.id)
        if besluit is None or besluit.status != "vastgesteld":
            return
        besluit.status = "ingetrokken"
        if besluit.document_versie_id:  # the letter stays as it was sent; its title says it no longer counts
            versie = ctx.session.get(DocumentVersie, besluit.document_versie_id)
            if "ingetrokken" not in versie.document.titel:
                versie.document.titel = f"{versie.document.titel}, ingetrokken op {ctx.vandaag:%d-%m-%Y}"[:300]
        # Ordered voorzieningen with a toewijzing (a 301 went out): end those toewijzingen with a new 301, in
        # this same transaction, so the zorgaanbieder stops what the withdrawn besluit granted.
        from .models import Toewijzing

        ids = [v.id for v in besluit.voorzieningen]
        if ids and ctx.session.scalar(select(Toewijzing.id).where(Toewijzing.voorziening_id.in_(ids)).limit(1)):
            from .berichtenverkeer import trek_toewijzingen_in

            trek_toewijzingen_in(ctx, besluit.voorzieningen)
        for v in besluit.voorzieningen:
            if v.status in ("gereserveerd", "besteld", "aangevraagd"):
                v.status = "ingetrokken"
            elif v.status == "geleverd":
                v.status = "beeindigd"
                v.einddatum = ctx.vandaag
        from .effects import RondActieAf

        RondActieAf("bestellen").toepassen(ctx)
