"""Medewerker accounts: local passwords (argon2) with lock-out, and linking OIDC identities."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .actor import SYSTEEM, Actor
from .models import Medewerker, MedewerkerRol, utcnow
from .models.organisatie import medewerker_team
from .protocol import Handeling, protocolleer

_hasher = PasswordHasher()
# Verified when the account does not exist, so a wrong user name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("geen-account")


class InlogGeweigerd(Exception):
    def __init__(self, melding: str, reden: str, medewerker: Medewerker | None = None):
        super().__init__(reden)
        self.melding = melding
        self.reden = reden
        self.medewerker = medewerker


# The one answer to every refused user name and password, whether the account exists, the password is wrong or the
# account is blocked: a different text for a blocked account told an attacker which names exist (issue 12, finding 11).
ONJUIST = ("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet, of het account is na te veel mislukte "
           "pogingen tijdelijk geblokkeerd. Probeer het later opnieuw of vraag beheer om hulp.")


def hash_wachtwoord(wachtwoord: str) -> str:
    return _hasher.hash(wachtwoord)


def _klopt(hash_: str, wachtwoord: str) -> bool:
    try:
        return _hasher.verify(hash_, wachtwoord)
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        return False


def zoek_gebruikersnaam(session: Session, gebruikersnaam: str) -> Medewerker | None:
    return session.scalar(
        select(Medewerker).where(func.lower(Medewerker.gebruikersnaam) == gebruikersnaam.strip().lower())
    )


def controleer_wachtwoord(
    session: Session,
    gebruikersnaam: str,
    wachtwoord: str,
    *,
    max_pogingen: int = 5,
    blokkade: dt.timedelta = dt.timedelta(minutes=15),
    nu: dt.datetime | None = None,
) -> Medewerker:
    """The medewerker for these credentials, or InlogGeweigerd. Counts failures and blocks the account for a
    while after `max_pogingen` failures in a row, and protocols the block. The caller commits (also on failure, to
    keep the count).

    An unknown name, a wrong password and a blocked account get the same melding (ONJUIST) for the same work (one
    argon2 verification each), so neither the text nor the time tells whether the name exists; only `reden` (for
    the log) differs."""
    nu = nu or utcnow()
    medewerker = zoek_gebruikersnaam(session, gebruikersnaam)
    if medewerker is None or not medewerker.wachtwoord_hash:
        _klopt(_DUMMY_HASH, wachtwoord + "x")
        raise InlogGeweigerd(ONJUIST, "onbekende gebruiker")
    klopt = _klopt(medewerker.wachtwoord_hash, wachtwoord)
    if medewerker.geblokkeerd_tot and medewerker.geblokkeerd_tot > nu:
        raise InlogGeweigerd(ONJUIST, "geblokkeerd", medewerker)  # even with the right password
    if not klopt:
        medewerker.mislukte_pogingen = (medewerker.mislukte_pogingen or 0) + 1
        if medewerker.mislukte_pogingen >= max_pogingen:
            medewerker.geblokkeerd_tot = nu + blokkade
            medewerker.mislukte_pogingen = 0
            protocolleer(session, SYSTEEM, handeling=Handeling.WEIGEREN, object_type="medewerker",
                         object_id=medewerker.id, doel="Beveiliging backoffice",
                         omschrijving=f"Account {medewerker.gebruikersnaam} {int(blokkade.total_seconds() // 60)} "
                                      f"minuten geblokkeerd na {max_pogingen} mislukte inlogpogingen")
            raise InlogGeweigerd(ONJUIST, "geblokkeerd na mislukte pogingen", medewerker)
        raise InlogGeweigerd(ONJUIST, "wachtwoord onjuist", medewerker)
    if not medewerker.actief:
        raise InlogGeweigerd("Uw account is niet actief. Neem contact op met beheer.", "inactief", medewerker)
    if _hasher.check_needs_rehash(medewerker.wachtwoord_hash):
        medewerker.wachtwoord_hash = _hasher.hash(wachtwoord)
    medewerker.mislukte_pogingen = 0
    medewerker.geblokkeerd_tot = None
    medewerker.laatst_ingelogd = nu
    return medewerker


class KoppelingWijkt(Exception):
    """The account with the user name of this log-in is linked to another account at the identity provider."""

    def __init__(self, medewerker: Medewerker):
        super().__init__("account gekoppeld aan een ander subject")
        self.medewerker = medewerker


class KoppelingFout(Exception):
    """A change of a link that cannot be made; `melding` says why, in Dutch."""

    def __init__(self, melding: str):
        super().__init__(melding)
        self.melding = melding


@dataclass(frozen=True)
class OidcInlog:
    medewerker: Medewerker
    nieuw_gekoppeld: bool  # this log-in made the first link; the caller protocols it


SUBJECT_MAX = 200  # Medewerker.oidc_subject


def koppel_oidc(session: Session, subject: str, gebruikersnaam: str | None) -> OidcInlog | None:
    """The medewerker behind an identity-provider log-in, or None (no account, or not active).

    The subject decides: the account linked to it. Only when no account is linked to it does the user name count,
    and only for an account without a link, which is then linked (the first log-in). An account linked to another
    subject is never taken over by a user name: KoppelingWijkt. Changing a link is `wijzig_koppeling`."""
    medewerker = session.scalar(select(Medewerker).where(Medewerker.oidc_subject == subject))
    nieuw = False
    if medewerker is None:
        medewerker = zoek_gebruikersnaam(session, gebruikersnaam) if gebruikersnaam else None
        if medewerker is None or not medewerker.actief:
            return None
        if medewerker.oidc_subject is not None:
            raise KoppelingWijkt(medewerker)
        medewerker.oidc_subject = subject
        nieuw = True
    if not medewerker.actief:
        return None
    medewerker.laatst_ingelogd = utcnow()
    return OidcInlog(medewerker, nieuw)


def wijzig_koppeling(session: Session, actor: Actor, gebruikersnaam: str, subject: str | None, reden: str) -> Medewerker:
    """Link the account to this identity-provider subject, or unlink it (subject None): the explicit, protocolled
    act of beheer (`keukentafel medewerker koppel/ontkoppel`). A subject already linked to another account is not
    moved. The protocol names the account and the reason, not the subject. The caller commits."""
    reden = (reden or "").strip()
    if not reden:
        raise KoppelingFout("Geef een reden op (--reden): de wijziging komt in de protocollering.")
    medewerker = zoek_gebruikersnaam(session, gebruikersnaam)
    if medewerker is None:
        raise KoppelingFout(f"Er is geen account met gebruikersnaam '{gebruikersnaam}'.")
    if subject is not None:
        subject = subject.strip()
        if not subject or len(subject) > SUBJECT_MAX or "\x00" in subject:
            raise KoppelingFout(f"Een subject is 1 tot {SUBJECT_MAX} tekens.")
        ander = session.scalar(select(Medewerker).where(Medewerker.oidc_subject == subject))
        if ander is not None and ander.id != medewerker.id:
            raise KoppelingFout(f"Dit subject is al gekoppeld aan het account '{ander.gebruikersnaam}'. Ontkoppel dat "
                                "eerst.")
    if subject is None:
        wat = "Koppeling met de identity provider opgeheven"
    elif medewerker.oidc_subject is None:
        wat = "Account gekoppeld aan een account bij de identity provider"
    else:
        wat = "Koppeling met de identity provider gewijzigd naar een ander account"
    medewerker.oidc_subject = subject
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="medewerker", object_id=medewerker.id,
                 omschrijving=f"{wat}. Reden: {reden}", doel="Beheer toegang backoffice")
    return medewerker


def behandelaars(session: Session, team_ids, rollen) -> list[tuple[int, str]]:
    """(id, naam) of the active medewerkers in these teams with one of these roles, by name: the choice a
    werkvoorraad offers for toewijzen. Plain rows, one statement: the list is shown on every werkvoorraad page."""
    if not team_ids:
        return []
    return [tuple(r) for r in session.execute(
        select(Medewerker.id, Medewerker.naam).distinct()
        .join(medewerker_team, medewerker_team.c.medewerker_id == Medewerker.id)
        .join(MedewerkerRol, MedewerkerRol.medewerker_id == Medewerker.id)
        .where(medewerker_team.c.team_id.in_(sorted(team_ids)), Medewerker.actief,
               MedewerkerRol.rol.in_(sorted(str(r) for r in rollen)))
        .order_by(Medewerker.naam, Medewerker.id))]
