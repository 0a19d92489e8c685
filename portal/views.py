"""Portal pages: home, DigiD log-in and log-out, Mijn zaken."""
from __future__ import annotations

import logging

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth import beeindig_sessie, login_sessie
from app.db import get_session
from app.errors import te_groot
from app.security import externe_url
from domain import authz
from domain.inwoners import GemeenteNietAangesloten, inwoner_bij_inlog, kinderen_onder_gezag
from domain.leesmodel import zaaktitels
from domain.models import Gemeente, Zaak
from domain.protocol import DOEL_EIGEN, DOEL_NAMENS, Handeling, protocolleer
from domain.tijd import vandaag
from integrations.brp import get_brp
from integrations.digid.client import DigidClient, DigidFout

from . import bp

log = logging.getLogger(__name__)


def digid() -> DigidClient:
    client = current_app.extensions.get("digid_client")
    if client is None:
        client = DigidClient(current_app, current_app.config["SETTINGS"].digid)
        current_app.extensions["digid_client"] = client
    return client


@bp.before_request
def _branding():
    if current_user.is_authenticated and current_user.is_inwoner and current_user.inwoner is not None:
        g.gemeente = current_user.inwoner.gemeente


@bp.errorhandler(RequestEntityTooLarge)
def _te_groot(exc):
    """Too much in one request: the page in the gemeente's own branding (the CSRF check that reads the request runs
    before _branding, so without this the werkorganisatie's would show)."""
    _branding()
    return te_groot(exc)


@bp.get("/")
def home():
    if current_user.is_authenticated and current_user.is_inwoner:
        return redirect(url_for("portal.mijn_zaken"))
    gemeenten = get_session().scalars(select(Gemeente).order_by(Gemeente.naam)).all()
    return render_template("portal/home.html", gemeenten=gemeenten, digid_actief=bool(current_app.config["SETTINGS"].digid["issuer"]))


@bp.post("/inloggen")
def inloggen():
    if not current_app.config["SETTINGS"].digid["issuer"]:
        flash("Inloggen met DigiD is op dit moment niet mogelijk. Probeer het later opnieuw.", "fout")
        return redirect(url_for("portal.home"))
    try:
        return digid().start(externe_url("portal.digid_terug"))
    except Exception:
        log.exception("DigiD niet bereikbaar")
        flash("DigiD is op dit moment niet bereikbaar. Probeer het later opnieuw.", "fout")
        return redirect(url_for("portal.home"))


@bp.get("/inloggen/digid")
def digid_terug():
    db = get_session()
    try:
        login = digid().verwerk_antwoord()
    except DigidFout as fout:
        log.info("DigiD log-in niet gelukt: %s", fout.reden)
        return render_template("portal/inloggen_mislukt.html", melding=fout.melding), 400
    try:
        inwoner = inwoner_bij_inlog(db, login.bsn, get_brp())
    except GemeenteNietAangesloten as exc:
        db.rollback()
        return render_template("portal/niet_aangesloten.html", gemeentenaam=exc.gemeentenaam), 403
    # The minors this inwoner may act for: asked of the BRP now, fixed for this session.
    kinderen = kinderen_onder_gezag(db, login.bsn, get_brp(), vandaag()) if inwoner is not None else []
    db.flush()
    login_sessie(
        db,
        soort="inwoner",
        bsn=login.bsn,
        inwoner_id=inwoner.id if inwoner else None,
        betrouwbaarheidsniveau=login.niveau,
        id_token=login.id_token,
        namens_inwoner_ids=[k.id for k in kinderen] or None,
    )
    actor = current_user.actor()
    protocolleer(
        db,
        actor,
        handeling=Handeling.INLOGGEN,
        object_type="sessie",
        omschrijving=f"Ingelogd met DigiD, niveau {login.niveau}",
        doel="Toegang tot het portaal",
        inwoner_id=inwoner.id if inwoner else None,
    )
    for kind in kinderen:
        protocolleer(db, actor, handeling=Handeling.LEZEN, object_type="gezag", object_id=kind.id,
                     omschrijving="Gezag opgevraagd bij de BRP: de ouder mag namens het kind handelen",
                     doel=DOEL_NAMENS, inwoner_id=kind.id)
    db.commit()
    return redirect(url_for("portal.mijn_zaken"))


@bp.post("/uitloggen")
def uitloggen():
    db = get_session()
    if current_user.is_authenticated and current_user.is_inwoner:
        protocolleer(
            db,
            current_user.actor(),
            handeling=Handeling.UITLOGGEN,
            object_type="sessie",
            omschrijving="Uitgelogd",
            doel="Toegang tot het portaal",
            inwoner_id=current_user.actor().inwoner_id,
        )
    sessie = beeindig_sessie(db)
    terug = externe_url("portal.uitgelogd")
    if sessie is not None and current_app.config["SETTINGS"].digid["issuer"]:
        url = digid().uitlog_url(sessie.id_token, terug)
        if url:
            return redirect(url)
    return redirect(terug)


@bp.get("/uitgelogd")
def uitgelogd():
    return render_template("portal/uitgelogd.html")


@bp.get("/sessie-verlopen")
def sessie_verlopen():
    """Where the idle timer in keukentafel.js lands, after it POSTed below. A GET changes nothing, so a link on
    another site cannot log anyone out: a session that is still live goes on at the start page; one that is gone
    (ended by that POST, or by the server's idle timeout) gets the message."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    flash("U was 15 minuten niet actief. Daarom bent u uitgelogd. Log opnieuw in.", "waarschuwing")
    return redirect(url_for("portal.home"))


@bp.post("/sessie-verlopen")
def sessie_beeindigen():
    """The idle timer ends the session: by POST with the CSRF token, like every change of state."""
    beeindig_sessie(get_session())
    return redirect(url_for("portal.sessie_verlopen"))


@bp.get("/mijn-zaken")
def mijn_zaken():
    from .zaken import inwoner_nodig

    return inwoner_nodig(_mijn_zaken)()


def _mijn_zaken():
    gebruiker = current_user
    db = get_session()
    actor = gebruiker.actor()
    if gebruiker.inwoner is None:
        return render_template("portal/onbekend.html")
    from domain.models import Vraag

    # With each zaak whether a question waits for the inwoner: one statement for the whole overview.
    open_vraag = select(Vraag.id).where(Vraag.zaak_id == Zaak.id, Vraag.status == "open").exists()
    rijen = db.execute(authz.zichtbare_zaken(actor).add_columns(open_vraag)
                       .order_by(Zaak.startdatum.desc(), Zaak.id.desc())).all()
    alle = [z for z, _ in rijen]
    met_vraag = {z.id for z, vraag in rijen if vraag}
    zaken = [z for z in alle if z.inwoner_id == actor.inwoner_id]
    # The zaken of each child under the inwoner's gezag, in a section of their own ("Zaken van Noor").
    kinderen = [(kind, [z for z in alle if z.inwoner_id == kind.id]) for kind in gebruiker.kinderen(db)]
    protocolleer(
        db,
        actor,
        handeling=Handeling.LEZEN,
        object_type="zaken",
        omschrijving="Overzicht Mijn zaken bekeken",
        doel=DOEL_EIGEN,
        inwoner_id=actor.inwoner_id,
    )
    for kind, _ in kinderen:
        protocolleer(db, actor, handeling=Handeling.LEZEN, object_type="zaken",
                     omschrijving="Overzicht zaken van het kind bekeken (Mijn zaken)", doel=DOEL_NAMENS,
                     inwoner_id=kind.id)
    db.commit()
    return render_template("portal/mijn_zaken.html", inwoner=gebruiker.inwoner, zaken=zaken, met_vraag=met_vraag,
                           kinderen=kinderen, titels=zaaktitels(db, alle))


@bp.get("/zaken/<int:zaak_id>")
def zaak(zaak_id: int):
    from .zaken import zaak_pagina

    return zaak_pagina(zaak_id)
