"""Aanmelding in the Verwijsindex risicojongeren from a zaak, when the consulent judges it
applies; the matches it gives with other organisations; withdrawal; and the daily sweep that ends signals after
their legal term and fetches the matches that arrived later. docs/verwijsindex.md.

What leaves the gemeente is only `integrations.verwijsindex.Signaal`: the BSN, the organisation (the zaak's team
of the gemeente, with the gemeente's OIN or CBS code), the date and the contact person. Never the concern or the
zaak. The legal term (its article in integrations/verwijsindex, where the index's own rules live): a signal is
removed at most two years after it was made, and in any case from the day the young person turns 23.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

# The index's own rules (its term, its age limit) live with the integration: they come from the law that made it.
from integrations.verwijsindex import (
    DOEL,
    LEEFTIJDSGRENS,
    TERMIJN_JAREN,
    Match,
    Signaal,
    VerwijsindexClient,
    VerwijsindexFout,
)

from . import authz
from .actor import SYSTEEM, Actor
from .effects import MeldMedewerkers
from .models import VerwijsindexMatch, VerwijsindexSignaal, Zaak, utcnow
from .models.verwijsindex import ACTIEF
from .protocol import Handeling, protocolleer
from .teksten import datum_nl
from .tijd import datum_van
from .workflow import OvergangFout, handeling_context

log = logging.getLogger(__name__)

__all__ = ["LEEFTIJDSGRENS", "TERMIJN_JAREN", "Telling", "aanmelden", "eindigt_op", "intrekken", "opsomming", "paneel",
           "verwerk_verwijsindex"]

# Matches are fetched once a day per active signal, however often the sweep runs (each fetch is in the protocol).
OPHALEN_NA = dt.timedelta(hours=20)
NIET_BEREIKBAAR = "De Verwijsindex is nu niet bereikbaar. Er is niets veranderd. Probeer het later opnieuw."


def _plus_jaren(datum: dt.date, jaren: int) -> dt.date:
    """The same calendar day `jaren` later; 29 February becomes 28 February (the earlier day: the signal never
    lasts longer than the law allows)."""
    try:
        return datum.replace(year=datum.year + jaren)
    except ValueError:
        return datum.replace(year=datum.year + jaren, day=28)


def opsomming(namen: list[str]) -> str:
    """"A", "A en B", "A, B en C"; with "; " between names that hold a comma themselves ("OBS X, Barendrecht")."""
    if len(namen) <= 1:
        return "".join(namen)
    scheiding = "; " if any("," in n for n in namen) else ", "
    return f"{scheiding.join(namen[:-1])} en {namen[-1]}"


def leeftijd(geboortedatum: dt.date, op: dt.date) -> int:
    return op.year - geboortedatum.year - ((op.month, op.day) < (geboortedatum.month, geboortedatum.day))


def eindigt_op(datum: dt.date, geboortedatum: dt.date) -> dt.date:
    """The day the signal stops being active: two years after it was made, or the 23rd birthday if that is earlier."""
    return min(_plus_jaren(datum, TERMIJN_JAREN), _plus_jaren(geboortedatum, LEEFTIJDSGRENS))


def organisatie(zaak: Zaak) -> tuple[str, str]:
    """Who signals: the zaak's team of the gemeente ("Regieteam gemeente Barendrecht"), identified by the gemeente's
    OIN (Gemeente.instellingen["oin"]) or else its CBS gemeentecode. The gemeente is the meldingsbevoegde."""
    gemeente = zaak.gemeente
    team = zaak.team.naam if zaak.team else "Team"
    return f"{team} gemeente {gemeente.naam}", str((gemeente.instellingen or {}).get("oin") or gemeente.code)


def actief_signaal(session: Session, inwoner_id: int, organisatie_code: str) -> VerwijsindexSignaal | None:
    return session.scalar(select(VerwijsindexSignaal).where(
        VerwijsindexSignaal.inwoner_id == inwoner_id, VerwijsindexSignaal.organisatie_code == organisatie_code,
        text(ACTIEF)))


def signalen_van(session: Session, zaak: Zaak) -> list[VerwijsindexSignaal]:
    """The zaak's signals, newest first."""
    return list(session.scalars(select(VerwijsindexSignaal).where(VerwijsindexSignaal.zaak_id == zaak.id)
                                .order_by(VerwijsindexSignaal.id.desc())))


def _jeugdige_fout(zaak: Zaak, vandaag: dt.date) -> str | None:
    """Why this zaak's inwoner cannot be signalled (not a young person under 23), or None."""
    inwoner = zaak.inwoner
    if inwoner.geboortedatum is None:
        return ("We weten de geboortedatum van deze inwoner niet. De Verwijsindex is alleen voor jongeren tot 23 jaar. "
                "Controleer de gegevens in de BRP.")
    jaren = leeftijd(inwoner.geboortedatum, vandaag)
    if jaren >= LEEFTIJDSGRENS:
        return (f"{inwoner.naam} is {jaren} jaar. De Verwijsindex is alleen voor jongeren tot {LEEFTIJDSGRENS} jaar. "
                "U kunt deze inwoner niet aanmelden.")
    return None


def _meld_match(session: Session, actor: Actor, zaak: Zaak, signaal: VerwijsindexSignaal, matches, nu: dt.datetime
                ) -> list[VerwijsindexMatch]:
    """Store the matches not stored yet; each in the protocol and as a notification to the behandelaar (the team
    when the zaak has none yet)."""
    bekend = {m.extern_kenmerk for m in signaal.matches}
    nieuw: list[VerwijsindexMatch] = []
    for match in matches:
        if match.kenmerk in bekend:
            continue
        bekend.add(match.kenmerk)
        rij = VerwijsindexMatch(extern_kenmerk=match.kenmerk, organisatie=match.organisatie,
                                contactpersoon=match.contactpersoon, telefoon=match.telefoon, sinds=match.sinds,
                                ontvangen=nu)
        signaal.matches.append(rij)
        nieuw.append(rij)
        session.flush()
        protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="verwijsindex_match", object_id=rij.id,
                     omschrijving=f"Match in de Verwijsindex ontvangen: ook gemeld door {match.organisatie} "
                                  f"({zaak.identificatie})", doel=DOEL, inwoner_id=zaak.inwoner_id)
    if nieuw:
        namen = opsomming([m.organisatie for m in nieuw])
        ctx = handeling_context(session, actor, zaak, "verwijsindex_match", "Match in de Verwijsindex", nu=nu)
        MeldMedewerkers("behandelaar" if zaak.behandelaar_id else "team", "Match in de Verwijsindex",
                        f"Ook gemeld door: {namen}. Bij de zaak staat wie u kunt bellen.").toepassen(ctx)
    return nieuw


def aanmelden(session: Session, actor: Actor, zaak: Zaak, *, contactpersoon: str, telefoon: str,
              client: VerwijsindexClient, nu: dt.datetime | None = None) -> VerwijsindexSignaal:
    """Signal the zaak's young person in the Verwijsindex. Only the zaak's behandelaar team; only a young person
    under 23; one active signal per young person per organisation. The matches it gives at once are stored and
    shown. Commits."""
    if not authz.is_behandelaar(actor, zaak):
        raise authz.Geweigerd("verwijsindex.aanmelden")
    nu = nu or utcnow()
    vandaag = datum_van(nu)
    if zaak.afgesloten:
        raise OvergangFout("Deze zaak is afgesloten. U kunt de jongere niet meer aanmelden vanuit deze zaak.")
    fout = _jeugdige_fout(zaak, vandaag)
    if fout:
        raise OvergangFout(fout)
    contactpersoon, telefoon = (contactpersoon or "").strip(), (telefoon or "").strip()
    if not contactpersoon:
        raise OvergangFout("Vul de naam van de contactpersoon in.", veld="contactpersoon")
    if not telefoon:
        raise OvergangFout("Vul het telefoonnummer van de contactpersoon in.", veld="telefoon")
    naam, code = organisatie(zaak)
    bestaand = actief_signaal(session, zaak.inwoner_id, code)
    if bestaand is not None:
        raise OvergangFout(f"{zaak.inwoner.naam} is al aangemeld in de Verwijsindex door {bestaand.organisatie}, "
                           f"tot {datum_nl(bestaand.eindigt_op)}. Eén aanmelding per jongere is genoeg.")
    signaal = Signaal(bsn=zaak.inwoner.bsn, organisatie=naam, organisatie_code=code, datum=vandaag,
                      contactpersoon=contactpersoon, telefoon=telefoon)
    try:
        antwoord = client.aanmelden(signaal)
    except VerwijsindexFout:
        log.exception("Aanmelding in de Verwijsindex mislukt")
        raise OvergangFout(NIET_BEREIKBAAR) from None
    rij = VerwijsindexSignaal(zaak_id=zaak.id, inwoner_id=zaak.inwoner_id, organisatie=naam, organisatie_code=code,
                              datum=vandaag, contactpersoon=contactpersoon, telefoon=telefoon,
                              extern_kenmerk=antwoord.kenmerk, aangemeld_op=nu, aangemeld_door_id=actor.id,
                              eindigt_op=eindigt_op(vandaag, zaak.inwoner.geboortedatum), matches_opgehaald_op=nu)
    session.add(rij)
    session.flush()
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="verwijsindex_signaal", object_id=rij.id,
                 omschrijving=f"Aangemeld in de Verwijsindex, actief tot {rij.eindigt_op.isoformat()} "
                              f"({zaak.identificatie})", doel=DOEL, inwoner_id=zaak.inwoner_id)
    _meld_match(session, actor, zaak, rij, antwoord.matches, nu)
    session.commit()
    return rij


def intrekken(session: Session, actor: Actor, zaak: Zaak, *, reden: str, client: VerwijsindexClient,
              nu: dt.datetime | None = None) -> VerwijsindexSignaal:
    """Withdraw the zaak's active signal (the law's ground: not justified, or the risk is gone), with the
    reason. Commits."""
    if not authz.is_behandelaar(actor, zaak):
        raise authz.Geweigerd("verwijsindex.intrekken")
    nu = nu or utcnow()
    signaal = next((s for s in signalen_van(session, zaak) if s.actief), None)
    if signaal is None:
        raise OvergangFout("Er is geen actieve aanmelding in de Verwijsindex bij deze zaak.")
    reden = (reden or "").strip()
    if not reden:
        raise OvergangFout("Schrijf op waarom u de aanmelding intrekt.", veld="reden")
    try:
        client.intrekken(signaal.extern_kenmerk)
    except VerwijsindexFout:
        log.exception("Intrekken in de Verwijsindex mislukt")
        raise OvergangFout(NIET_BEREIKBAAR) from None
    signaal.ingetrokken_op, signaal.ingetrokken_door_id, signaal.intrekreden = nu, actor.id, reden
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="verwijsindex_signaal",
                 object_id=signaal.id, omschrijving=f"Aanmelding in de Verwijsindex ingetrokken ({zaak.identificatie})",
                 doel=DOEL, inwoner_id=zaak.inwoner_id)
    session.commit()
    return signaal


# --- The daily sweep ---------------------------------------------------------------------------------------


@dataclass
class Telling:
    beeindigd: int = 0  # signals ended because their term passed
    matches: int = 0  # new matches stored

    def __bool__(self) -> bool:
        return bool(self.beeindigd or self.matches)


def _claim(session: Session, signaal_id: int, *voorwaarden) -> VerwijsindexSignaal | None:
    """Lock the signal if it is still active (and meets `voorwaarden`) and nobody else holds it; None otherwise."""
    return session.scalars(select(VerwijsindexSignaal).where(VerwijsindexSignaal.id == signaal_id, text(ACTIEF),
                                                             *voorwaarden)
                           .with_for_update(skip_locked=True).execution_options(populate_existing=True)).first()


def _per_rij(session: Session, werk) -> int:
    try:
        uitkomst = werk()
        session.commit()
        return uitkomst
    except Exception:
        session.rollback()  # the Verwijsindex was unreachable, or a conflict: the next sweep tries again
        log.exception("Verwijsindex-signaal niet verwerkt; de volgende sweep probeert het opnieuw")
        return 0


def _beeindig(session: Session, signaal_id: int, vandaag: dt.date, client: VerwijsindexClient, nu: dt.datetime) -> int:
    signaal = _claim(session, signaal_id, VerwijsindexSignaal.eindigt_op <= vandaag)
    if signaal is None:
        return 0
    client.intrekken(signaal.extern_kenmerk)  # the index removes it itself too; this makes sure
    signaal.beeindigd_op = nu
    zaak = session.get(Zaak, signaal.zaak_id)
    protocolleer(session, SYSTEEM, handeling=Handeling.WIJZIGEN, object_type="verwijsindex_signaal",
                 object_id=signaal.id, doel=DOEL, inwoner_id=signaal.inwoner_id,
                 omschrijving=f"Aanmelding in de Verwijsindex beëindigd: de wettelijke termijn is voorbij "
                              f"({zaak.identificatie})")
    return 1


def _ophalen_te_doen(vandaag: dt.date, nu: dt.datetime) -> tuple:
    return (VerwijsindexSignaal.eindigt_op > vandaag, or_(VerwijsindexSignaal.matches_opgehaald_op.is_(None),
                                                          VerwijsindexSignaal.matches_opgehaald_op <= nu - OPHALEN_NA))


def _haal_matches(session: Session, signaal_id: int, vandaag: dt.date, client: VerwijsindexClient,
                  nu: dt.datetime) -> int:
    signaal = _claim(session, signaal_id, *_ophalen_te_doen(vandaag, nu))
    if signaal is None:
        return 0
    zaak = session.get(Zaak, signaal.zaak_id)
    matches: list[Match] = client.matches(zaak.inwoner.bsn, signaal.organisatie_code)
    protocolleer(session, SYSTEEM, handeling=Handeling.ZOEKEN, object_type="verwijsindex_signaal",
                 object_id=signaal.id, doel=DOEL, inwoner_id=signaal.inwoner_id,
                 omschrijving=f"Matches in de Verwijsindex opgevraagd ({zaak.identificatie})")
    signaal.matches_opgehaald_op = nu
    return len(_meld_match(session, SYSTEEM, zaak, signaal, matches, nu))


def verwerk_verwijsindex(session: Session, vandaag: dt.date, *, client: VerwijsindexClient,
                         nu: dt.datetime | None = None, limiet: int = 500) -> Telling:
    """Daily sweep: end the signals whose term has passed (on or after `eindigt_op`), then fetch the matches that
    arrived for the active ones (once a day each: `OPHALEN_NA`). Idempotent, safe in several processes (rows claimed FOR UPDATE SKIP LOCKED), one
    transaction per signal."""
    nu = nu or utcnow()
    telling = Telling()
    te_beeindigen = session.scalars(select(VerwijsindexSignaal.id).where(
        text(ACTIEF), VerwijsindexSignaal.eindigt_op <= vandaag).order_by(VerwijsindexSignaal.id).limit(limiet)).all()
    actief = session.scalars(select(VerwijsindexSignaal.id).where(
        text(ACTIEF), *_ophalen_te_doen(vandaag, nu)).order_by(VerwijsindexSignaal.id).limit(limiet)).all()
    session.rollback()  # end the read: every row below gets its own transaction
    for signaal_id in te_beeindigen:
        telling.beeindigd += _per_rij(session, lambda s=signaal_id: _beeindig(session, s, vandaag, client, nu))
    for signaal_id in actief:
        telling.matches += _per_rij(session, lambda s=signaal_id: _haal_matches(session, s, vandaag, client, nu))
    return telling


# --- The zaak page's section -------------------------------------------------------------------------------


def paneel(session: Session, actor: Actor, zaak: Zaak) -> dict | None:
    """What the Verwijsindex section of the zaak page shows: the active signal with its matches, the earlier ones,
    and whether this actor may signal or withdraw. Only for the behandelaar team: the toetser or administratie, who
    see the zaak for their own task, do not need to know which other organisations are involved (None)."""
    from .tijd import vandaag as vandaag_nl

    if not authz.is_behandelaar(actor, zaak):
        return None
    vandaag = vandaag_nl()
    signalen = signalen_van(session, zaak)
    actief = next((s for s in signalen if s.actief), None)
    behandelaar = not zaak.afgesloten
    naam, code = organisatie(zaak)
    elders = None
    if actief is None:
        elders = actief_signaal(session, zaak.inwoner_id, code)  # signalled from another zaak of the gemeente
    fout = _jeugdige_fout(zaak, vandaag)
    return {
        "signaal": actief,
        "ook_gemeld_door": opsomming([m.organisatie for m in actief.matches]) if actief else "",
        "eerder": [s for s in signalen if not s.actief],
        "elders": elders,
        "niet_jeugdig": fout,
        "organisatie": naam,
        "mag_aanmelden": behandelaar and actief is None and elders is None and fout is None,
        "mag_intrekken": behandelaar and actief is not None,
        "contactpersoon": actor.naam,
        "telefoon": (zaak.gemeente.briefhoofd or {}).get("telefoon", ""),
        "termijn_jaren": TERMIJN_JAREN,
        "leeftijdsgrens": LEEFTIJDSGRENS,
    }
