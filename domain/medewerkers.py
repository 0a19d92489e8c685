"""Medewerker accounts: local passwords (argon2) with lock-out, and linking OIDC identities."""
from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .actor import SYSTEEM
from .models import Medewerker, utcnow
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


def koppel_oidc(session: Session, subject: str, gebruikersnaam: str | None) -> Medewerker | None:
    """The medewerker behind an identity-provider log-in: by subject, else by user name (first log-in)."""
    medewerker = session.scalar(select(Medewerker).where(Medewerker.oidc_subject == subject))
    if medewerker is None and gebruikersnaam:
        medewerker = zoek_gebruikersnaam(session, gebruikersnaam)
        if medewerker is not None and medewerker.oidc_subject is None:
            medewerker.oidc_subject = subject
    if medewerker is None or not medewerker.actief:
        return None
    medewerker.laatst_ingelogd = utcnow()
    return medewerker
