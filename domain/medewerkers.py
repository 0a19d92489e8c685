"""Medewerker accounts: local passwords (argon2) with lock-out, and linking OIDC identities."""
from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Medewerker, utcnow

_hasher = PasswordHasher()
# Verified when the account does not exist, so a wrong user name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("geen-account")


class InlogGeweigerd(Exception):
    def __init__(self, melding: str, reden: str, medewerker: Medewerker | None = None):
        super().__init__(reden)
        self.melding = melding
        self.reden = reden
        self.medewerker = medewerker


ONJUIST = "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."


def hash_wachtwoord(wachtwoord: str) -> str:
    return _hasher.hash(wachtwoord)


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
    while after `max_pogingen` failures in a row. The caller commits (also on failure, to keep the count)."""
    nu = nu or utcnow()
    medewerker = zoek_gebruikersnaam(session, gebruikersnaam)
    if medewerker is None or not medewerker.wachtwoord_hash:
        try:
            _hasher.verify(_DUMMY_HASH, wachtwoord + "x")
        except VerificationError:
            pass
        raise InlogGeweigerd(ONJUIST, "onbekende gebruiker")
    if medewerker.geblokkeerd_tot and medewerker.geblokkeerd_tot > nu:
        minuten = max(1, int((medewerker.geblokkeerd_tot - nu).total_seconds() // 60) + 1)
        raise InlogGeweigerd(
            f"Uw account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over {minuten} "
            "minuten opnieuw, of vraag beheer om hulp.",
            "geblokkeerd",
            medewerker,
        )
    try:
        _hasher.verify(medewerker.wachtwoord_hash, wachtwoord)
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        medewerker.mislukte_pogingen = (medewerker.mislukte_pogingen or 0) + 1
        if medewerker.mislukte_pogingen >= max_pogingen:
            medewerker.geblokkeerd_tot = nu + blokkade
            medewerker.mislukte_pogingen = 0
            raise InlogGeweigerd(
                "Uw account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over "
                f"{int(blokkade.total_seconds() // 60)} minuten opnieuw.",
                "geblokkeerd na mislukte pogingen",
                medewerker,
            ) from None
        raise InlogGeweigerd(ONJUIST, "wachtwoord onjuist", medewerker) from None
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
