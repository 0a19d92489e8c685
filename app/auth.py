"""Log-in state for both faces: server-side sessions behind Flask-Login, with an idle timeout.

The Flask session cookie carries only a random token. The Sessie row holds the BSN, the DigiD level, the minors
the inwoner may act for (gezag, asked of the BRP at log-in) and the id_token for log-out, and is ended on log-out
or after SESSION_IDLE_MINUTES without activity.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, current_app, g, jsonify, request, session
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from domain.actor import Actor
from domain.models import Inwoner, Medewerker, Sessie, utcnow

login_manager = LoginManager()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Anoniem(AnonymousUserMixin):
    is_inwoner = False
    is_medewerker = False
    naam = ""

    def actor(self) -> Actor:
        return Actor(soort="anoniem", id=None, naam="anoniem")


class InwonerGebruiker:
    """A logged-in inwoner. `inwoner` is None when DigiD knows them but our BRP register does not."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_inwoner = True
    is_medewerker = False

    def __init__(self, token: str, sessie: Sessie, inwoner: Inwoner | None):
        self._token = token
        self.sessie = sessie
        self.inwoner = inwoner

    def get_id(self) -> str:
        return self._token

    @property
    def naam(self) -> str:
        return self.inwoner.naam if self.inwoner else "Inwoner"

    @property
    def bsn(self) -> str:
        return self.sessie.bsn or ""

    @property
    def namens_ids(self) -> frozenset[int]:
        """The minors this inwoner may act for in this session (gezag, as the BRP said at log-in)."""
        if self.inwoner is None:
            return frozenset()
        return frozenset(self.sessie.namens_inwoner_ids or ()) - {self.inwoner.id}

    def kinderen(self, db: Session) -> list[Inwoner]:
        """The Inwoner records of those minors, by first name."""
        kinderen = [k for k in (db.get(Inwoner, i) for i in self.namens_ids) if k is not None]
        return sorted(kinderen, key=lambda k: (k.voornamen or "", k.id))

    def actor(self) -> Actor:
        return Actor(
            soort="inwoner",
            id=self.inwoner.id if self.inwoner else None,
            naam=self.naam,
            inwoner_id=self.inwoner.id if self.inwoner else None,
            gemeente_ids=frozenset({self.inwoner.gemeente_id}) if self.inwoner else frozenset(),
            betrouwbaarheidsniveau=self.sessie.betrouwbaarheidsniveau,
            namens_ids=self.namens_ids,
        )


class MedewerkerGebruiker:
    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_inwoner = False
    is_medewerker = True

    def __init__(self, token: str, sessie: Sessie, medewerker: Medewerker):
        self._token = token
        self.sessie = sessie
        self.medewerker = medewerker
        self._actor: Actor | None = None

    def get_id(self) -> str:
        return self._token

    @property
    def naam(self) -> str:
        return self.medewerker.naam

    def actor(self) -> Actor:
        # Once per request (this object is loaded per request): the view, the menu and the checks share it.
        if self._actor is None:
            m = self.medewerker
            self._actor = Actor(
                soort="medewerker",
                id=m.id,
                naam=m.naam,
                rollen=m.rollen,
                gemeente_ids=frozenset(gm.id for gm in m.gemeenten),
                team_ids=frozenset(t.id for t in m.teams),
            )
        return self._actor


def start_sessie(db: Session, **velden) -> str:
    """Create a server-side session and log it in with Flask-Login. Returns nothing the caller must keep."""
    token = secrets.token_urlsafe(32)
    db.add(Sessie(token_hash=_hash(token), **velden))
    db.commit()
    session.clear()  # a new session id after log-in: no session fixation
    session.permanent = False
    return token


def login_sessie(db: Session, **velden) -> None:
    token = start_sessie(db, **velden)
    user = _laad(db, token)
    assert user is not None
    login_user(user)


def beeindig_sessie(db: Session) -> Sessie | None:
    """End the current session on the server and in the browser; returns the ended Sessie."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    sessie = getattr(user, "sessie", None)
    if sessie is not None:
        sessie = db.merge(sessie)
        sessie.beeindigd = utcnow()
        db.commit()
    logout_user()
    session.clear()
    return sessie


def _laad(db: Session, token: str):
    # One statement per request: the session with what the face needs, guessed from the path — the portal's inwoner
    # with the gemeente it is branded with, the backoffice's medewerker with roles, teams and gemeenten. A wrong
    # guess (a medewerker on a portal page) costs one lazy load, nothing else.
    if request.path.startswith("/backoffice"):
        mee = joinedload(Sessie.medewerker).options(joinedload(Medewerker.rollen_rel), joinedload(Medewerker.teams),
                                                     joinedload(Medewerker.gemeenten))
    else:
        mee = joinedload(Sessie.inwoner).joinedload(Inwoner.gemeente)
    sessie = db.execute(select(Sessie).where(Sessie.token_hash == _hash(token)).options(mee)
                        ).unique().scalar_one_or_none()
    if sessie is None or sessie.beeindigd is not None:
        return None
    idle = dt.timedelta(minutes=current_app.config["SETTINGS"].session_idle_minutes)
    now = utcnow()
    if now - sessie.laatste_activiteit > idle:
        sessie.beeindigd = now
        db.commit()
        g.sessie_verlopen = True
        return None
    # Write the activity at most every 30 seconds: a page with many requests costs one write.
    if now - sessie.laatste_activiteit > dt.timedelta(seconds=30):
        sessie.laatste_activiteit = now
        db.commit()
    if sessie.soort == "inwoner":
        return InwonerGebruiker(token, sessie, sessie.inwoner if sessie.inwoner_id else None)
    medewerker = sessie.medewerker
    if medewerker is None or not medewerker.actief:
        return None
    return MedewerkerGebruiker(token, sessie, medewerker)


def init_app(app: Flask) -> None:
    from .db import get_session

    login_manager.init_app(app)
    login_manager.anonymous_user = Anoniem
    login_manager.session_protection = None  # the server-side Sessie is the protection; it is rotated at log-in

    @login_manager.user_loader
    def _load_user(token: str):
        return _laad(get_session(), token)

    @login_manager.unauthorized_handler
    def _unauthorized():
        from flask import flash, redirect, request, url_for

        if request.path.startswith("/backoffice") and "backoffice.inloggen" in app.view_functions:
            if g.get("sessie_verlopen"):
                flash("U was een tijd niet actief. Log opnieuw in.", "waarschuwing")
            return redirect(url_for("backoffice.inloggen", volgende=request.path))
        if g.get("sessie_verlopen"):
            flash("U was 15 minuten niet actief. Daarom bent u uitgelogd. Log opnieuw in.", "waarschuwing")
        return redirect(url_for("portal.home"))

    @app.post("/sessie/verleng")
    def sessie_verlengen():
        # Reaching here loaded the user, which already refreshed laatste_activiteit when needed; force it now.
        if not current_user.is_authenticated:
            return jsonify({"ok": False}), 401
        db = get_session()
        sessie = db.merge(current_user.sessie)
        sessie.laatste_activiteit = utcnow()
        db.commit()
        return jsonify({"ok": True})
