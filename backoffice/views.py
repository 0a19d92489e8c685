"""Backoffice pages: log-in, werkvoorraad, protocollering."""
from __future__ import annotations

import datetime as dt
import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.auth import beeindig_sessie, login_sessie
from app.db import get_session
from app.limiter import limiter
from app.parameters import id_param
from app.security import externe_url, veilige_volgende
from domain import authz
from domain.actor import SYSTEEM, Actor
from domain.medewerkers import SUBJECT_MAX, InlogGeweigerd, KoppelingWijkt, controleer_wachtwoord, koppel_oidc
from domain.models import AuditLog, Inwoner
from domain.notificaties import aantal_ongelezen, als_label
from domain.protocol import Handeling, protocolleer
from integrations.oidc import haal_token_op

from . import bp
from .forms import InlogForm, ProtocolZoekForm

log = logging.getLogger(__name__)
PAGINA = 25


def medewerker_actor() -> Actor:
    return current_user.actor()


@bp.before_request
def _alleen_medewerkers():
    """Every backoffice page except log-in needs a logged-in medewerker; an inwoner session is not one."""
    if request.endpoint in {"backoffice.inloggen", "backoffice.oidc_terug", "backoffice.oidc_start", "backoffice.uitgelogd",
                            "backoffice.sessie_verlopen", "backoffice.sessie_beeindigen"}:
        return None
    if not (current_user.is_authenticated and current_user.is_medewerker):
        return current_app.login_manager.unauthorized()
    return None


@bp.app_context_processor
def _menu():
    def backoffice_menu():
        if not (current_user.is_authenticated and current_user.is_medewerker):
            return []
        actor = current_user.actor()
        items = []
        if authz.mag(actor, "inwoner.zoeken"):
            items.append(("Inwoner zoeken", "backoffice.inwoner_zoeken"))
        if authz.mag(actor, "werkvoorraad.bekijken"):
            items.append(("Werkvoorraad", "backoffice.werkvoorraad"))
        if actor.heeft_rol(authz.Rol.TOETSER, authz.Rol.ADMINISTRATIE, authz.Rol.JURIDISCH, authz.Rol.TOEGANG):
            items.append(("Acties", "backoffice.acties"))
        if actor.heeft_rol(authz.Rol.ADMINISTRATIE, authz.Rol.BEHEER):
            items.append(("Berichtenverkeer", "backoffice.berichten"))
        if actor.heeft_rol(authz.Rol.ADMINISTRATIE):
            items.append(("Post", "backoffice.post"))
        if authz.mag(actor, "campagne.starten"):
            items.append(("Briefcampagnes", "backoffice.campagnes_overzicht"))
        if authz.mag(actor, "termijnen.overzicht"):
            items.append(("Termijnen", "backoffice.termijnen"))
        if authz.mag(actor, "beheer.instellingen"):
            items.append(("Zaaktypen", "backoffice.beheer_zaaktypen"))
        if authz.mag(actor, "protocol.inzien"):
            items.append(("Protocollering", "backoffice.protocol"))
        items.append(("Meldingen", "backoffice.meldingen"))
        ongelezen = aantal_ongelezen(get_session(), actor.id)
        return [{"label": f"{label} ({als_label(ongelezen)})" if ep == "backoffice.meldingen" and ongelezen else label,
                 "url": url_for(ep), "actief": request.endpoint == ep} for label, ep in items]

    return {"backoffice_menu": backoffice_menu}


def _veilige_volgende(waarde: str | None) -> str:
    """Only a local backoffice path is a valid place to return to after log-in (no open redirect, no header
    injection)."""
    return veilige_volgende(waarde, "/backoffice", url_for("backoffice.home"))


def _login_key() -> str:
    return f"{request.remote_addr}:{(request.form.get('gebruikersnaam') or '').lower()}"


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=_login_key,
               error_message="Te veel pogingen. Wacht een minuut en probeer het opnieuw.")
@limiter.limit("60 per hour", methods=["POST"])
def inloggen():
    settings = current_app.config["SETTINGS"]
    form = InlogForm()
    volgende = _veilige_volgende(request.args.get("volgende"))
    if form.validate_on_submit():
        db = get_session()
        try:
            medewerker = controleer_wachtwoord(
                db,
                form.gebruikersnaam.data,
                form.wachtwoord.data,
                max_pogingen=settings.login_max_pogingen,
                blokkade=dt.timedelta(minutes=settings.login_blokkade_minuten),
            )
        except InlogGeweigerd as fout:
            db.commit()  # keep the failure count
            log.info("Medewerker-log-in geweigerd: %s", fout.reden)
            form.wachtwoord.errors = [fout.melding]
            return render_template("backoffice/inloggen.html", form=form, oidc=bool(settings.medewerker_oidc["issuer"])), 401
        login_sessie(db, soort="medewerker", medewerker_id=medewerker.id)
        protocolleer(db, current_user.actor(), handeling=Handeling.INLOGGEN, object_type="sessie",
                     omschrijving="Ingelogd in de backoffice", doel="Toegang backoffice")
        db.commit()
        flash(f"Welkom, {medewerker.naam}.", "ok")
        return redirect(volgende)
    status = 400 if request.method == "POST" else 200
    return render_template("backoffice/inloggen.html", form=form, oidc=bool(settings.medewerker_oidc["issuer"])), status


def _medewerker_oidc():
    client = current_app.extensions.get("medewerker_oidc")
    if client is None:
        from authlib.integrations.flask_client import OAuth

        cfg = current_app.config["SETTINGS"].medewerker_oidc
        oauth = OAuth(current_app)
        oauth.register(
            "medewerker",
            client_id=cfg["client_id"],
            client_secret=cfg["client_secret"],
            server_metadata_url=f"{cfg['issuer']}/.well-known/openid-configuration",
            client_kwargs={"scope": cfg["scope"], "code_challenge_method": "S256"},
        )
        client = oauth.medewerker
        current_app.extensions["medewerker_oidc"] = client
    return client


@bp.post("/inloggen/oidc")
def oidc_start():
    if not current_app.config["SETTINGS"].medewerker_oidc["issuer"]:
        abort(404)
    return _medewerker_oidc().authorize_redirect(externe_url("backoffice.oidc_terug"))


def _tekst_claim(claims: dict, naam: str, *, verplicht: bool) -> str | None:
    """A claim that must be a non-empty string (of at most the column's length); when not verplicht it may also be
    absent or empty (None: only a linked subject gets in then). Any other shape raises: the log-in did not
    succeed."""
    waarde = claims.get(naam)
    if not verplicht and (waarde is None or (isinstance(waarde, str) and not waarde.strip())):
        return None
    if not isinstance(waarde, str) or not waarde.strip() or len(waarde) > SUBJECT_MAX or "\x00" in waarde:
        raise ValueError(f"claim {naam} is geen bruikbare tekst ({type(waarde).__name__})")
    return waarde


@bp.get("/inloggen/oidc/terug")
def oidc_terug():
    cfg = current_app.config["SETTINGS"].medewerker_oidc
    if not cfg["issuer"]:
        abort(404)
    db = get_session()
    try:
        if request.args.get("error"):
            raise ValueError(request.args["error"])
        token = haal_token_op(_medewerker_oidc(), cfg["issuer"], cfg["client_id"])
        claims = token.get("userinfo") or {}
        inlog = koppel_oidc(db, _tekst_claim(claims, "sub", verplicht=True),
                            _tekst_claim(claims, cfg["username_claim"], verplicht=False))
    except KoppelingWijkt as wijkt:
        # Someone whose organisation account is not the linked one, with the user name of a linked account.
        db.rollback()
        log.warning("Medewerker-OIDC-log-in geweigerd: het account met deze gebruikersnaam is gekoppeld aan een "
                    "ander organisatie-account (zie de protocollering)")
        protocolleer(db, SYSTEEM, handeling=Handeling.WEIGEREN, object_type="medewerker",
                     object_id=wijkt.medewerker.id, doel="Toegang backoffice",
                     omschrijving="Inloggen via de identity provider geweigerd: het account is gekoppeld aan een "
                                  "ander organisatie-account dan waarmee werd ingelogd")
        db.commit()
        flash("Uw organisatie-account hoort niet bij het account met deze gebruikersnaam in de backoffice. U bent "
              "niet ingelogd. Vraag beheer om de koppeling na te kijken.", "fout")
        return redirect(url_for("backoffice.inloggen"))
    except Exception as exc:
        db.rollback()
        log.info("Medewerker-OIDC-log-in niet gelukt: %s", type(exc).__name__)
        flash("Inloggen via uw organisatie-account is niet gelukt. Probeer het opnieuw.", "fout")
        return redirect(url_for("backoffice.inloggen"))
    if inlog is None:
        db.rollback()
        flash("U heeft nog geen toegang tot de backoffice. Vraag beheer om een account.", "fout")
        return redirect(url_for("backoffice.inloggen"))
    login_sessie(db, soort="medewerker", medewerker_id=inlog.medewerker.id, id_token=token.get("id_token"))
    actor = current_user.actor()
    if inlog.nieuw_gekoppeld:
        protocolleer(db, actor, handeling=Handeling.WIJZIGEN, object_type="medewerker", object_id=inlog.medewerker.id,
                     omschrijving="Account gekoppeld aan het account bij de identity provider (eerste inlog via de "
                                  "identity provider)", doel="Toegang backoffice")
    protocolleer(db, actor, handeling=Handeling.INLOGGEN, object_type="sessie",
                 omschrijving="Ingelogd in de backoffice via de identity provider", doel="Toegang backoffice")
    db.commit()
    return redirect(url_for("backoffice.home"))


@bp.post("/uitloggen")
def uitloggen():
    db = get_session()
    protocolleer(db, medewerker_actor(), handeling=Handeling.UITLOGGEN, object_type="sessie",
                 omschrijving="Uitgelogd", doel="Toegang backoffice")
    beeindig_sessie(db)
    flash("U bent uitgelogd.", "ok")
    return redirect(url_for("backoffice.uitgelogd"))


@bp.get("/uitgelogd")
def uitgelogd():
    return redirect(url_for("backoffice.inloggen"))


@bp.get("/sessie-verlopen")
def sessie_verlopen():
    """As in the portal: a GET never ends a session. Still logged in: on to the start page; gone: the message."""
    if current_user.is_authenticated and current_user.is_medewerker:
        return redirect(url_for("backoffice.home"))
    flash("U was een tijd niet actief. Log opnieuw in.", "waarschuwing")
    return redirect(url_for("backoffice.inloggen"))


@bp.post("/sessie-verlopen")
def sessie_beeindigen():
    """The idle timer ends the session: by POST with the CSRF token."""
    beeindig_sessie(get_session())
    return redirect(url_for("backoffice.sessie_verlopen"))


@bp.get("/")
def home():
    """Werkvoorraad for those who have one; beheer starts at the protocol."""
    actor = medewerker_actor()
    if authz.mag(actor, "werkvoorraad.bekijken"):
        if actor.heeft_rol(*authz.CONSULENT_ROLLEN):
            return redirect(url_for("backoffice.werkvoorraad", weergave="mijn"))
        if actor.heeft_rol(authz.Rol.TOETSER, authz.Rol.ADMINISTRATIE):
            return redirect(url_for("backoffice.acties"))
        if actor.heeft_rol(authz.Rol.TOEGANG):
            return redirect(url_for("backoffice.inwoner_zoeken"))
        return redirect(url_for("backoffice.werkvoorraad"))
    if authz.mag(actor, "protocol.inzien"):
        return redirect(url_for("backoffice.protocol"))
    abort(403)


@bp.route("/protocollering", methods=["GET", "POST"])
def protocol():
    actor = medewerker_actor()
    try:
        authz.vereis(actor, "protocol.inzien")
    except authz.Geweigerd:
        abort(403)
    db = get_session()
    form = ProtocolZoekForm()
    stmt = select(AuditLog)
    inwoner = None
    if request.method == "POST" and form.validate():
        if form.inwoner_bsn.data:
            inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == form.inwoner_bsn.data.strip().zfill(9)))
            stmt = stmt.where(AuditLog.inwoner_id == (inwoner.id if inwoner else -1))
        if form.medewerker.data:
            stmt = stmt.where(func.lower(AuditLog.actor_naam).contains(form.medewerker.data.strip().lower()))
        if form.handeling.data:
            stmt = stmt.where(AuditLog.handeling == form.handeling.data)
        if form.van.data:
            stmt = stmt.where(AuditLog.tijdstip >= dt.datetime.combine(form.van.data, dt.time(), dt.UTC))
        if form.tot.data:
            stmt = stmt.where(AuditLog.tijdstip < dt.datetime.combine(form.tot.data + dt.timedelta(days=1), dt.time(), dt.UTC))
    voor_id = id_param("voor", request.form) if request.method == "POST" else None
    if voor_id:
        stmt = stmt.where(AuditLog.id < voor_id)
    regels = db.scalars(stmt.order_by(AuditLog.id.desc()).limit(PAGINA + 1)).all()
    volgende = regels[PAGINA - 1].id if len(regels) > PAGINA else None
    # Looking at the log is itself a processing of personal data when it is about one inwoner.
    protocolleer(db, actor, handeling=Handeling.LEZEN, object_type="protocollering",
                 omschrijving="Protocollering doorzocht", doel="Toezicht op gegevensverwerking",
                 inwoner_id=inwoner.id if inwoner else None)
    db.commit()
    return render_template("backoffice/protocol.html", form=form, regels=regels[:PAGINA], volgende=volgende,
                           inwoner=inwoner)
