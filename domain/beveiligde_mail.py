"""Secure e-mail as the channel for zaaktypen outside the portal (`Zaaktype.in_portaal = False`, Regie Team).

A message for the inwoner (an afspraakbevestiging, the verslag, the beschikking) becomes a zending: a mail with no
personal data, only a link to a one-time, expiring page. That page asks for a code sent by SMS to the phone number
of the zaak's inwoner record (the BRP has no phone numbers; for a child it is what toegang registered for the
parents), then shows the message and the documents the same overgang made, and the zaaktype's forms that are open
now (the inwoner's reply). Every open, wrong code, block, download, reply and expiry is in the protocol and among
the zending's events (the zaak page's panel "Beveiligde e-mail"). docs/beveiligde-mail.md explains the terms.

The second factor proves control of the e-mail address and the phone number registered for the zaak, not who
someone is: what the page allows is exactly what those two channels were trusted with anyway.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .actor import SYSTEEM, Actor
from .models import (
    BeveiligdeCode,
    BeveiligdeGebeurtenis,
    BeveiligdeZending,
    DocumentVersie,
    MailBericht,
    Notificatie,
    Zaak,
    utcnow,
)
from .notificaties import titel
from .protocol import Handeling, protocolleer

# --- The terms, in one place (docs/beveiligde-mail.md says why) ---------------------------------------------------
LINK_GELDIG = dt.timedelta(days=14)  # as long as the 7 days to react to a verslag, with a week to spare
CODE_GELDIG = dt.timedelta(minutes=10)
MAX_FOUTE_CODES = 5  # then the link is blocked; the consulent sends a new one
TOEGANG_NA_CODE = dt.timedelta(minutes=30)  # reading, downloading and replying after the right code
CODE_WACHTTIJD = dt.timedelta(seconds=60)  # between two codes
MAX_CODES = 10  # codes per link

OBJECT = "beveiligde_zending"
DOEL = "Beveiligde e-mail aan de inwoner"
MAIL_SJABLOON = "beveiligd_bericht"

# Status of a zending (models/beveiligd.py) and what the pages call the states they show.
NIET_VERZONDEN, VERZONDEN, GEOPEND, AFGEROND, VERLOPEN, GEBLOKKEERD = (
    "niet_verzonden", "verzonden", "geopend", "afgerond", "verlopen", "geblokkeerd")
OPEN, TOEGANG = "open", "toegang"

STATUS_TEKST = {NIET_VERZONDEN: "Niet verstuurd", VERZONDEN: "Verstuurd, nog niet geopend", GEOPEND: "Geopend",
                AFGEROND: "Geopend en afgesloten", VERLOPEN: "Verlopen", GEBLOKKEERD: "Geblokkeerd"}
GEBEURTENIS_TEKST = {
    "verzonden": "Link verstuurd per e-mail", "niet_verzonden": "Niet verstuurd", "code_verstuurd": "Sms-code verstuurd",
    "code_fout": "Verkeerde code ingevuld", "geopend": "Geopend met de juiste code",
    "document_gedownload": "Document gedownload", "reactie_verstuurd": "Reactie verstuurd",
    "afgerond": "Toegang afgesloten", "verlopen": "Link verlopen", "geblokkeerd": "Link geblokkeerd na te veel foute codes",
    "nieuwe_link": "Nieuwe link verstuurd",
}


class BeveiligdFout(Exception):
    """What the inwoner is told when a step cannot be done (Dutch, B1); `pogingen_over` after a wrong code."""

    def __init__(self, melding: str, pogingen_over: int | None = None):
        super().__init__(melding)
        self.melding = melding
        self.pogingen_over = pogingen_over


def nu() -> dt.datetime:
    """The clock of this module (tests move it)."""
    return utcnow()


def _hash(waarde: str) -> str:
    return hashlib.sha256(waarde.encode()).hexdigest()


def _gebeurtenis(zending: BeveiligdeZending, soort: str, moment: dt.datetime, omschrijving: str | None = None) -> None:
    zending.gebeurtenissen.append(BeveiligdeGebeurtenis(soort=soort, tijdstip=moment, omschrijving=omschrijving))


def ontvanger(zending: BeveiligdeZending) -> Actor:
    """The inwoner who opened this zending with the right code: may see and act on this one zaak only."""
    return Actor(soort="inwoner", id=None, naam="Ontvanger beveiligde e-mail", inwoner_id=zending.inwoner_id,
                 zaak_ids=frozenset({zending.zaak_id}))


def _protocol(session: Session, actor: Actor, zending: BeveiligdeZending, handeling: str, omschrijving: str) -> None:
    protocolleer(session, actor, handeling=handeling, object_type=OBJECT, object_id=zending.id,
                 omschrijving=f"{omschrijving} ({zending.zaak.identificatie})", doel=DOEL,
                 inwoner_id=zending.inwoner_id)


def _meld_team(session: Session, zaak: Zaak, onderwerp: str, tekst: str, moment: dt.datetime) -> None:
    """A backoffice notification for every active member of the zaak's team working for its gemeente."""
    team = zaak.team
    for medewerker in (team.leden if team else []):
        if medewerker.actief and zaak.gemeente in medewerker.gemeenten:
            session.add(Notificatie(medewerker_id=medewerker.id, zaak_id=zaak.id, tekst=tekst, aangemaakt=moment,
                                    onderwerp=titel(onderwerp, zaak.identificatie), link=f"/backoffice/zaken/{zaak.id}"))


def _reden_niet_verzonden(email: str | None, telefoon: str | None) -> str | None:
    from integrations.sms import SmsFout, internationaal

    if not (email or "").strip():
        return "Er is geen e-mailadres van de inwoner bekend."
    if not (telefoon or "").strip():
        return "Er is geen telefoonnummer van de inwoner bekend voor de sms-code."
    try:
        internationaal(telefoon)
    except SmsFout:
        return "Het telefoonnummer van de inwoner is niet geldig voor een sms-code."
    return None


# --- Sending -------------------------------------------------------------------------------------------------------


def meld_beveiligd(ctx, onderwerp: str, tekst: str) -> BeveiligdeZending:
    """Tell the inwoner of ctx.zaak by secure e-mail what `onderwerp`/`tekst` say, with the documents this overgang
    made for her (domain.documenten.DOCUMENTEN_VOOR_INWONER). In the overgang's transaction."""
    from .documenten import DOCUMENTEN_VOOR_INWONER

    versies = ctx.resultaat.pop(DOCUMENTEN_VOOR_INWONER, [])
    zending, _ = maak_zending(ctx.session, ctx.actor, ctx.zaak, onderwerp, tekst, versies,
                              portaal_url=ctx.diensten.portaal_url, moment=ctx.nu)
    if zending.status == NIET_VERZONDEN:
        ctx.resultaat["bevestiging"] = (f"{ctx.bevestiging} Let op: de beveiligde e-mail is niet verstuurd. "
                                        f"{zending.reden} Geef het bericht op een andere manier aan de inwoner.").strip()
    return zending


def maak_zending(session: Session, actor: Actor, zaak: Zaak, onderwerp: str, tekst: str,
                 versies: list[DocumentVersie], *, portaal_url: str, moment: dt.datetime,
                 vervangt: BeveiligdeZending | None = None) -> tuple[BeveiligdeZending, str | None]:
    """Record the zending and queue its mail (the caller commits). Without an e-mail address or a usable phone
    number no link goes out: the zending says why and the zaak's team is told to deliver it another way.
    Returns the zending and the link's token (None when not sent): the token exists only in the mail."""
    from integrations.mail.outbox import zet_klaar
    from integrations.mail.templates import render_mail

    inwoner = zaak.inwoner
    zending = BeveiligdeZending(zaak=zaak, inwoner_id=zaak.inwoner_id, onderwerp=onderwerp, tekst=tekst,
                                email=inwoner.email, telefoon=inwoner.telefoon, aangemaakt=moment,
                                foute_codes=0, documenten=list(versies), vervangt_id=vervangt.id if vervangt else None)
    session.add(zending)
    reden = _reden_niet_verzonden(inwoner.email, inwoner.telefoon)
    if reden:
        zending.status, zending.reden = NIET_VERZONDEN, reden
        _gebeurtenis(zending, "niet_verzonden", moment, reden)
        session.flush()
        _protocol(session, actor, zending, Handeling.AANMAKEN, f"Beveiligde e-mail '{onderwerp}' niet verstuurd: {reden}")
        _meld_team(session, zaak, "Beveiligde e-mail niet verstuurd",
                   f"Het bericht '{onderwerp}' is niet per beveiligde e-mail verstuurd. {reden} Geef het bericht en de "
                   "documenten op een andere manier aan de inwoner, of vul de contactgegevens aan en stuur een nieuwe "
                   "link.", moment)
        return zending, None
    token = secrets.token_urlsafe(32)
    zending.token_hash = _hash(token)
    zending.status, zending.verzonden_op, zending.verloopt_op = VERZONDEN, moment, moment + LINK_GELDIG
    gemeente = zaak.gemeente
    onderwerp_mail, tekst_mail, html = render_mail(
        MAIL_SJABLOON, gemeente_naam=gemeente.naam, gemeente_kleur=gemeente.kleur_primair,
        gemeente_telefoon=(gemeente.briefhoofd or {}).get("telefoon", ""), portaal_url=portaal_url,
        link=f"{portaal_url.rstrip('/')}/beveiligd/{token}", geldig_tot=zending.verloopt_op)
    zet_klaar(session, inwoner.email, onderwerp_mail, tekst_mail, html)
    _gebeurtenis(zending, "verzonden", moment, f"Geldig tot {zending.verloopt_op.isoformat(timespec='minutes')}")
    session.flush()
    _protocol(session, actor, zending, Handeling.AANMAKEN, f"Beveiligde e-mail '{onderwerp}' verstuurd")
    return zending, token


def opnieuw_versturen(session: Session, actor: Actor, zending: BeveiligdeZending, *, portaal_url: str,
                      moment: dt.datetime | None = None) -> BeveiligdeZending:
    """The consulent sends a new link for a zending that expired, was blocked or could not go out: the same message
    and documents, with the contact data the inwoner record has now. Only a behandelaar of the zaak; commits."""
    from . import authz

    if not authz.is_behandelaar(actor, zending.zaak):
        raise authz.Geweigerd("alleen een consulent van het team van deze zaak")
    if zending.status not in (VERLOPEN, GEBLOKKEERD, NIET_VERZONDEN):
        raise BeveiligdFout("Deze link werkt nog of is al gebruikt. Een nieuwe link is niet nodig.")
    moment = moment or nu()
    nieuw, _ = maak_zending(session, actor, zending.zaak, zending.onderwerp, zending.tekst, zending.documenten,
                            portaal_url=portaal_url, moment=moment, vervangt=zending)
    _gebeurtenis(zending, "nieuwe_link", moment, "Vervangen door een nieuwe zending"
                 if nieuw.status == VERZONDEN else f"Nieuwe poging niet verstuurd: {nieuw.reden}")
    session.commit()
    return nieuw


# --- The page: state, code, access --------------------------------------------------------------------------------


def zoek(session: Session, token: str) -> BeveiligdeZending | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(BeveiligdeZending).where(BeveiligdeZending.token_hash == _hash(token)))


def _verloop(session: Session, zending: BeveiligdeZending, moment: dt.datetime) -> None:
    zending.status, zending.verlopen_op = VERLOPEN, moment
    _gebeurtenis(zending, "verlopen", moment)
    _protocol(session, SYSTEEM, zending, Handeling.WIJZIGEN, "Beveiligde e-mail verlopen zonder dat hij is geopend")


def _rond_af(session: Session, zending: BeveiligdeZending, moment: dt.datetime) -> None:
    zending.status, zending.afgerond_op, zending.toegang_hash = AFGEROND, moment, None
    _gebeurtenis(zending, "afgerond", moment)
    _protocol(session, SYSTEEM, zending, Handeling.WIJZIGEN, "Toegang tot de beveiligde e-mail afgesloten")


def toestand(session: Session, zending: BeveiligdeZending, geheim: str | None, moment: dt.datetime | None = None) -> str:
    """What the page shows: OPEN (ask for a code), TOEGANG (this browser entered the right code and its time runs),
    or VERLOPEN, GEBLOKKEERD, AFGEROND. An expiry or an ended access found now is recorded (the caller commits)."""
    moment = moment or nu()
    if zending.status == VERZONDEN and zending.verloopt_op <= moment:
        _verloop(session, zending, moment)
    elif zending.status == GEOPEND and zending.toegang_tot <= moment:
        _rond_af(session, zending, moment)
    if zending.status == VERZONDEN:
        return OPEN
    if zending.status == GEOPEND:
        # Another browser (the link forwarded or copied) gets the page of a used link.
        ok = geheim is not None and hmac.compare_digest(_hash(geheim), zending.toegang_hash or "")
        return TOEGANG if ok else AFGEROND
    return zending.status


def geldige_code(session: Session, zending: BeveiligdeZending, moment: dt.datetime) -> BeveiligdeCode | None:
    return session.scalar(select(BeveiligdeCode).where(
        BeveiligdeCode.zending_id == zending.id, BeveiligdeCode.gebruikt_op.is_(None),
        BeveiligdeCode.verloopt_op > moment).order_by(BeveiligdeCode.id.desc()).limit(1))


def stuur_code(session: Session, zending: BeveiligdeZending, sms, moment: dt.datetime | None = None) -> None:
    """Send a new one-time code by SMS (an earlier code stops working) and commit. BeveiligdFout when not now."""
    from integrations.sms import SmsFout

    moment = moment or nu()
    if toestand(session, zending, None, moment) != OPEN:
        session.commit()
        raise BeveiligdFout("Met deze link kunt u geen code meer aanvragen.")
    codes = session.scalars(select(BeveiligdeCode).where(BeveiligdeCode.zending_id == zending.id)
                            .order_by(BeveiligdeCode.id)).all()
    if len(codes) >= MAX_CODES:
        raise BeveiligdFout("U heeft te vaak een code aangevraagd. Bel ons, dan helpen we u verder.")
    if codes and codes[-1].aangemaakt > moment - CODE_WACHTTIJD:
        raise BeveiligdFout("U heeft net een code gekregen. Wacht een minuut voordat u een nieuwe code aanvraagt.")
    for oud in codes:
        oud.gebruikt_op = oud.gebruikt_op or moment  # only the newest code works
    code = f"{secrets.randbelow(10 ** 6):06d}"
    zout = secrets.token_hex(16)
    session.add(BeveiligdeCode(zending_id=zending.id, zout=zout, code_hash=_hash(zout + code), aangemaakt=moment,
                               verloopt_op=moment + CODE_GELDIG, pogingen=0))
    minuten = int(CODE_GELDIG.total_seconds() // 60)
    try:
        sms.verstuur(zending.telefoon, f"Uw code voor het beveiligde bericht van de gemeente {zending.zaak.gemeente.naam} "
                     f"is {code}. De code werkt {minuten} minuten. Geef deze code aan niemand.",
                     referentie=f"bm{zending.id}")
    except SmsFout:
        session.rollback()
        raise BeveiligdFout("Het lukt nu niet om een sms te sturen. Probeer het later nog eens, of bel ons.") from None
    _gebeurtenis(zending, "code_verstuurd", moment, f"Naar het nummer dat eindigt op {eindigt_op(zending.telefoon)}")
    session.commit()


def controleer_code(session: Session, zending: BeveiligdeZending, invoer: str, moment: dt.datetime | None = None) -> str:
    """Check the code and commit what happened. Right: the zending is opened for TOEGANG_NA_CODE and the secret for
    this browser is returned (keep it in its session). Wrong: BeveiligdFout with the attempts left; the fifth wrong
    code blocks the link and tells the team."""
    moment = moment or nu()
    if toestand(session, zending, None, moment) != OPEN:
        session.commit()
        raise BeveiligdFout("Deze link werkt niet meer.")
    invoer = re.sub(r"\s", "", invoer or "")
    code = geldige_code(session, zending, moment)
    if code is None:
        raise BeveiligdFout("Deze code werkt niet meer. Vraag een nieuwe code aan.")
    if not re.fullmatch(r"\d{6}", invoer):
        raise BeveiligdFout("Vul de 6 cijfers in uit de sms.", MAX_FOUTE_CODES - zending.foute_codes)
    if not hmac.compare_digest(_hash(code.zout + invoer), code.code_hash):
        code.pogingen += 1
        zending.foute_codes += 1
        _gebeurtenis(zending, "code_fout", moment, f"Poging {zending.foute_codes} van {MAX_FOUTE_CODES}")
        _protocol(session, SYSTEEM, zending, Handeling.WEIGEREN, "Verkeerde code voor de beveiligde e-mail")
        over = MAX_FOUTE_CODES - zending.foute_codes
        if over <= 0:
            zending.status, zending.geblokkeerd_op = GEBLOKKEERD, moment
            _gebeurtenis(zending, "geblokkeerd", moment)
            _protocol(session, SYSTEEM, zending, Handeling.WEIGEREN, "Beveiligde e-mail geblokkeerd na te veel foute codes")
            _meld_team(session, zending.zaak, "Beveiligde e-mail geblokkeerd",
                       f"Bij het bericht '{zending.onderwerp}' is {MAX_FOUTE_CODES} keer een verkeerde code ingevuld. "
                       "De link werkt niet meer. Bel de inwoner en stuur zo nodig een nieuwe link.", moment)
        session.commit()
        raise BeveiligdFout("Deze code klopt niet.", max(over, 0))
    code.gebruikt_op = moment
    geheim = secrets.token_urlsafe(32)
    zending.status, zending.geopend_op = GEOPEND, moment
    zending.toegang_hash, zending.toegang_tot = _hash(geheim), moment + TOEGANG_NA_CODE
    _gebeurtenis(zending, "geopend", moment)
    _protocol(session, ontvanger(zending), zending, Handeling.LEZEN, f"Beveiligde e-mail '{zending.onderwerp}' geopend")
    session.commit()
    return geheim


def eindigt_op(telefoon: str | None) -> str:
    cijfers = re.sub(r"\D", "", telefoon or "")
    return cijfers[-2:]


def download(session: Session, zending: BeveiligdeZending, versie_id: int, moment: dt.datetime | None = None) -> DocumentVersie:
    """One of the zending's documents, for a browser with TOEGANG (the caller checked): recorded and committed.
    LookupError for a version this zending does not carry."""
    versie = next((v for v in zending.documenten if v.id == versie_id), None)
    if versie is None:
        raise LookupError(versie_id)
    moment = moment or nu()
    _gebeurtenis(zending, "document_gedownload", moment, versie.document.titel)
    _protocol(session, ontvanger(zending), zending, Handeling.LEZEN, f"Document '{versie.document.titel}' gedownload")
    session.commit()
    return versie


def open_formulieren(zending: BeveiligdeZending) -> list:
    """The zaaktype's forms the inwoner can send now (Formulier.open_in the zaak's current status)."""
    from .inzendingen import is_open
    from .processes import zaaktype_van

    zaak = zending.zaak
    return [f for f in zaaktype_van(zaak.zaaktype).formulieren if is_open(zaak, f)]


def reactie_verstuurd(session: Session, zending: BeveiligdeZending, formulier, moment: dt.datetime | None = None) -> None:
    """After `domain.inzendingen.verstuur` (which protocols the form itself): the event on the zending; commits."""
    _gebeurtenis(zending, "reactie_verstuurd", moment or nu(), formulier.titel)
    session.commit()


# --- The sweep, the zaak page, the demo ----------------------------------------------------------------------------


def verloop_zendingen(session: Session, moment: dt.datetime | None = None, *, limiet: int = 500) -> dict[str, int]:
    """Mark the links that expired unopened and close the accesses whose time ran out, each row in its own
    transaction, claimed with FOR UPDATE SKIP LOCKED and re-checked (two instances never record an event twice)."""
    moment = moment or nu()
    verlopen = (BeveiligdeZending.status == VERZONDEN, BeveiligdeZending.verloopt_op <= moment)
    afgerond = (BeveiligdeZending.status == GEOPEND, BeveiligdeZending.toegang_tot <= moment)
    telling = {"verlopen": 0, "afgerond": 0}
    for soort, voorwaarden, doe in (("verlopen", verlopen, _verloop), ("afgerond", afgerond, _rond_af)):
        ids = session.scalars(select(BeveiligdeZending.id).where(*voorwaarden).order_by(BeveiligdeZending.id)
                              .limit(limiet)).all()
        session.rollback()
        for zending_id in ids:
            zending = session.scalars(select(BeveiligdeZending).where(BeveiligdeZending.id == zending_id, *voorwaarden)
                                      .with_for_update(skip_locked=True)
                                      .execution_options(populate_existing=True)).first()
            if zending is None:
                session.rollback()
                continue
            doe(session, zending, moment)
            session.commit()
            telling[soort] += 1
    return telling


def paneel(session: Session, actor: Actor, zaak: Zaak) -> dict | None:
    """The zaak page's section "Beveiligde e-mail": every zending with its status and events."""
    from . import authz

    zendingen = session.scalars(select(BeveiligdeZending).where(BeveiligdeZending.zaak_id == zaak.id)
                                .order_by(BeveiligdeZending.id.desc())).all()
    return {"zendingen": zendingen, "status_tekst": STATUS_TEKST, "gebeurtenis_tekst": GEBEURTENIS_TEKST,
            "opnieuw": (VERLOPEN, GEBLOKKEERD, NIET_VERZONDEN), "mag_opnieuw": authz.is_behandelaar(actor, zaak),
            "vervangen": set(session.scalars(select(BeveiligdeZending.vervangt_id).where(
                BeveiligdeZending.zaak_id == zaak.id, BeveiligdeZending.vervangt_id.is_not(None))))}


_LINK = re.compile(r"https?://\S+/beveiligd/[A-Za-z0-9_-]+")


def laatste_link(session: Session, email: str) -> str | None:
    """The link in the newest secure mail queued for `email` (the outbox): for the demo and end-to-end tests; the
    token itself is stored nowhere else."""
    for tekst in session.scalars(select(MailBericht.tekst).where(func.lower(MailBericht.aan) == email.lower())
                                 .order_by(MailBericht.id.desc())):
        if gevonden := _LINK.search(tekst):
            return gevonden.group(0)
    return None
