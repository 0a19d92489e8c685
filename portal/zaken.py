"""Portal: the inwoner's zaak with its status timeline, afspraken, documents, signing, notifications."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.db import get_session
from app.diensten import diensten_uit
from app.parameters import als_id, id_param
from domain import authz
from domain.models import Afspraak, Document, DocumentVersie, Medewerker, Notificatie, Zaak
from domain.notificaties import markeer_gelezen
from domain.processes import zaaktype_van
from domain.protocol import Handeling, doel_inzage, protocolleer
from domain.stappen import laatste_verslag
from domain.vertrouwelijkheid import filter_documenten, mag_lezen
from domain.workflow import OvergangFout, voer_uit

from . import bp
from .forms import OndertekenForm

PAGINA = 20


def _inwoner():
    if not (current_user.is_authenticated and current_user.is_inwoner):
        return None
    return current_user


def inwoner_nodig(view):
    """Portal pages with personal data need a DigiD session; others are sent to the log-in."""
    from functools import wraps

    @wraps(view)
    def _wrapped(*args, **kwargs):
        if _inwoner() is None:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _wrapped


def _zaak(zaak_id: int) -> Zaak:
    try:
        return authz.zaak_voor(get_session(), current_user.actor(), zaak_id)
    except authz.NietGevonden:
        abort(404)


def _namens(zaak: Zaak):
    """The child whose zaak this is, when the inwoner looks at it as their parent with gezag; else None."""
    return zaak.inwoner if current_user.actor().handelt_namens(zaak.inwoner_id) else None


def _bijlagen(veld) -> list:
    """The files of a MultipleFileField through the one checked upload path; raises UploadFout (Dutch)."""
    from domain.uploads import controleer, lees

    max_bytes = current_app.config["SETTINGS"].upload_max_bytes
    return [controleer(f.filename or "bijlage", lees(f, max_bytes=max_bytes), max_bytes=max_bytes)
            for f in (veld.data or []) if f and f.filename]


@inwoner_nodig
def zaak_pagina(zaak_id: int):
    """The zaak as the inwoner sees it: the read model of domain.leesmodel (the backoffice shows the same)."""
    from domain.leesmodel import zaakbeeld
    from domain.relaties import voor_inwoner
    from domain.tijd import vandaag
    from domain.toegekend import wat_u_krijgt
    from domain.vragen import BEANTWOORD, vragen_van

    from .forms import KaleForm

    db = get_session()
    zaak = _zaak(zaak_id)
    afspraken = db.scalars(select(Afspraak).where(Afspraak.zaak_id == zaak.id)  # cancelled ones say so
                           .options(joinedload(Afspraak.medewerker).lazyload(Medewerker.rollen_rel))  # the name only
                           .order_by(Afspraak.start)).all()
    documenten = db.scalars(filter_documenten(select(Document).where(Document.zaak_id == zaak.id), current_user.actor(), zaak)
                            .options(selectinload(Document.versies)).order_by(Document.id)).all()
    protocolleer(db, current_user.actor(), handeling=Handeling.LEZEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"Zaak {zaak.identificatie} bekeken", doel=doel_inzage(current_user.actor(), zaak.inwoner_id),
                 inwoner_id=zaak.inwoner_id)
    db.commit()
    vragen = vragen_van(db, zaak)
    return render_template("portal/zaak.html", zaak=zaak, beeld=zaakbeeld(db, zaak, vandaag(), vragen=vragen),
                           afspraken=afspraken, documenten=documenten, nu=dt.datetime.now(dt.UTC), kale_form=KaleForm(),
                           beantwoord=[v for v in vragen if v.status == BEANTWOORD], namens=_namens(zaak),
                           gekoppeld=voor_inwoner(db, current_user.actor(), zaak), toekenning=wat_u_krijgt(db, zaak))


@bp.post("/zaken/<int:zaak_id>/keuze/<code>")
@inwoner_nodig
def zaak_keuze(zaak_id: int, code: str):
    """A step the inwoner takes with one button (domain.leesmodel.keuzes_inwoner), for the version they saw."""
    from domain.leesmodel import keuzes_inwoner

    from .forms import KaleForm

    if not KaleForm().validate_on_submit():
        abort(400)
    db = get_session()
    zaak = _zaak(zaak_id)
    zaaktype = zaaktype_van(zaak.zaaktype)
    if code not in {k.code for k in keuzes_inwoner(zaaktype, zaak)}:
        flash("Deze keuze kunt u nu niet maken. Bekijk hieronder hoe het ervoor staat.", "waarschuwing")
        return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    try:
        ctx = voer_uit(db, current_user.actor(), zaak, code, verwachte_versie=als_id(request.form.get("versie")),
                       diensten=diensten_uit(current_app.config["SETTINGS"]))
    except OvergangFout as fout:
        flash(fout.melding, "fout")
    else:
        flash(ctx.bevestiging, "ok")
    return redirect(url_for("portal.zaak", zaak_id=zaak.id))


@bp.route("/zaken/<int:zaak_id>/ondertekenen", methods=["GET", "POST"])
@inwoner_nodig
def ondertekenen(zaak_id: int):
    """Read the onderzoeksverslag, add remarks, and sign it with the DigiD session: this makes the aanvraag."""
    from domain.leesmodel import wacht_op_ondertekening

    db = get_session()
    zaak = _zaak(zaak_id)
    verslag = laatste_verslag(db, zaak.id)
    if not wacht_op_ondertekening(db, zaak):
        flash("Er staat nu geen verslag voor u klaar om te ondertekenen.", "waarschuwing")
        return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    versie = db.get(DocumentVersie, verslag.document_versie_id)
    # The fingerprint of the version shown goes into the page; a POST signs only what it sends back, never a
    # default filled in here (a POST without it is refused in the domain).
    form = OndertekenForm(versie=zaak.versie, sha256=versie.sha256) if request.method == "GET" else OndertekenForm()
    if form.validate_on_submit():
        try:
            voer_uit(db, current_user.actor(), zaak, "ondertekenen",
                     verwachte_versie=als_id(form.versie.data),
                     gegevens={"opmerking": form.opmerking.data, "sha256": form.sha256.data},
                     diensten=diensten_uit(current_app.config["SETTINGS"]))
        except OvergangFout as fout:
            db.rollback()
            flash(fout.melding, "fout")
            if not wacht_op_ondertekening(db, zaak):
                return redirect(url_for("portal.zaak", zaak_id=zaak.id))
            verslag = laatste_verslag(db, zaak.id)
            versie = db.get(DocumentVersie, verslag.document_versie_id)
            form.sha256.data, form.versie.data = versie.sha256, zaak.versie  # the version this page shows now
        else:
            flash(zaaktype_van(zaak.zaaktype).overgang("ondertekenen").bevestiging, "ok")
            return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    protocolleer(db, current_user.actor(), handeling=Handeling.LEZEN, object_type="onderzoeksverslag",
                 object_id=verslag.id, omschrijving=f"Onderzoeksverslag versie {verslag.versie} gelezen",
                 doel=doel_inzage(current_user.actor(), zaak.inwoner_id), inwoner_id=zaak.inwoner_id)
    db.commit()
    return render_template("portal/ondertekenen.html", zaak=zaak, verslag=verslag, versie=versie, form=form,
                           namens=_namens(zaak))


@bp.get("/documenten/<int:versie_id>")
@inwoner_nodig
def document(versie_id: int):
    db = get_session()
    versie = db.get(DocumentVersie, versie_id)
    # A document that is not the inwoner's, or not released to them, does not exist for them.
    if versie is None or versie.document.zaak_id is None:
        abort(404)
    zaak = _zaak(versie.document.zaak_id)
    if not mag_lezen(current_user.actor(), zaak, versie.document):
        abort(404)
    protocolleer(db, current_user.actor(), handeling=Handeling.LEZEN, object_type="document", object_id=versie.id,
                 omschrijving=f"Document '{versie.document.titel}' gedownload", doel=doel_inzage(current_user.actor(), zaak.inwoner_id),
                 inwoner_id=zaak.inwoner_id)
    db.commit()
    return send_file(BytesIO(versie.inhoud), mimetype=versie.mediatype, download_name=versie.bestandsnaam,
                     as_attachment=request.args.get("download") == "1")


@bp.get("/berichten")
def berichten():
    gebruiker = _inwoner()
    if gebruiker is None:
        return current_app.login_manager.unauthorized()
    if gebruiker.inwoner is None:
        return render_template("portal/onbekend.html")
    db = get_session()
    # A parent with gezag also gets the notifications about their child's zaken (kept on the child's record).
    stmt = select(Notificatie).where(Notificatie.inwoner_id.in_({gebruiker.inwoner.id, *gebruiker.namens_ids}))
    voor = id_param("voor")
    if voor:
        stmt = stmt.where(Notificatie.id < voor)
    rijen = db.scalars(stmt.order_by(Notificatie.id.desc()).limit(PAGINA + 1)).all()
    # What is shown is read: one statement for the page, however many were unread.
    markeer_gelezen(db, ids=[n.id for n in rijen[:PAGINA]])
    db.commit()
    volgende = rijen[PAGINA - 1].id if len(rijen) > PAGINA else None
    kinderen = {k.id: k for k in gebruiker.kinderen(db)}
    from domain.taakberichten import taakstand

    return render_template("portal/berichten.html", berichten=rijen[:PAGINA], volgende=volgende, kinderen=kinderen,
                           taken=taakstand(db, rijen[:PAGINA]))


@bp.route("/zaken/<int:zaak_id>/bezwaar", methods=["GET", "POST"])
@inwoner_nodig
def bezwaar(zaak_id: int):
    """File a bezwaar against the besluit of this zaak, with the bezwaartermijn counting down. Not against a
    beslissing op bezwaar: that is open to beroep at the rechtbank instead (Awb 7:1, 8:1)."""
    from domain.bezwaren import (
        GEEN_BEZWAAR_TEGEN_BESLISSING,
        bezwaartermijn,
        dien_bezwaar_in,
        is_bezwaarzaak,
        lopend_bezwaar,
        vastgesteld_besluit,
    )
    from domain.tijd import vandaag
    from domain.uploads import UploadFout

    from .forms import BezwaarForm

    db = get_session()
    zaak = _zaak(zaak_id)
    if is_bezwaarzaak(zaak):
        flash(GEEN_BEZWAAR_TEGEN_BESLISSING, "waarschuwing")
        return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    besluit = vastgesteld_besluit(db, zaak)
    if besluit is None:
        abort(404)
    bestaand = lopend_bezwaar(db, besluit)
    if bestaand is not None:
        flash("U heeft al bezwaar gemaakt tegen dit besluit.", "waarschuwing")
        return redirect(url_for("portal.zaak", zaak_id=bestaand.id))
    termijn = bezwaartermijn(besluit)
    form = BezwaarForm()
    if form.validate_on_submit():
        try:
            bijlagen = _bijlagen(form.bijlagen)
            nieuw = dien_bezwaar_in(db, current_user.actor(), zaak, gronden=form.gronden.data,
                                    contact_hoorzitting=form.contact_hoorzitting.data or "", bijlagen=bijlagen,
                                    diensten=diensten_uit(current_app.config["SETTINGS"]))
        except UploadFout as fout:
            form.bijlagen.errors = [fout.melding]
        except OvergangFout as fout:
            db.rollback()
            flash(fout.melding, "fout")
        else:
            flash("We hebben uw bezwaar ontvangen. U ziet hieronder wanneer we uiterlijk beslissen.", "ok")
            return redirect(url_for("portal.zaak", zaak_id=nieuw.id))
    return render_template("portal/bezwaar.html", zaak=zaak, besluit=besluit, termijn=termijn, form=form,
                           dagen_over=(termijn.einddatum - vandaag()).days, namens=_namens(zaak))


@bp.post("/zaken/<int:zaak_id>/ingebrekestelling")
@inwoner_nodig
def ingebrekestelling(zaak_id: int):
    from domain.termijnbewaking import stel_in_gebreke

    from .forms import KaleForm

    if not KaleForm().validate_on_submit():
        abort(400)
    db = get_session()
    zaak = _zaak(zaak_id)
    try:
        stel_in_gebreke(db, current_user.actor(), zaak, diensten=diensten_uit(current_app.config["SETTINGS"]))
    except OvergangFout as fout:
        db.rollback()
        flash(fout.melding, "fout")
    else:
        flash("We hebben uw ingebrekestelling ontvangen. We moeten nu binnen 2 weken beslissen.", "ok")
    return redirect(url_for("portal.zaak", zaak_id=zaak.id))


@bp.route("/zaken/<int:zaak_id>/vragen/<int:vraag_id>", methods=["GET", "POST"])
@inwoner_nodig
def vraag(zaak_id: int, vraag_id: int):
    """Answer a question of the gemeente: text and/or documents (checked like every upload)."""
    from domain.models import Vraag
    from domain.uploads import UploadFout
    from domain.vragen import OPEN, beantwoord_vraag

    from .forms import AntwoordForm

    db = get_session()
    zaak = _zaak(zaak_id)  # 404 for another inwoner's zaak, exactly like a missing one
    vraag = db.get(Vraag, vraag_id)
    if vraag is None or vraag.zaak_id != zaak.id:
        abort(404)
    if vraag.status != OPEN:
        flash("Deze vraag heeft u al beantwoord. Dank u wel.", "waarschuwing")
        return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    if request.method == "GET":
        protocolleer(db, current_user.actor(), handeling=Handeling.LEZEN, object_type="vraag", object_id=vraag.id,
                     omschrijving=f"Vraag bij zaak {zaak.identificatie} bekeken", doel=doel_inzage(current_user.actor(), zaak.inwoner_id),
                     inwoner_id=zaak.inwoner_id)
        db.commit()
    form = AntwoordForm()
    if form.validate_on_submit():
        try:
            bijlagen = _bijlagen(form.bijlagen)
            beantwoord_vraag(db, current_user.actor(), vraag, antwoord=form.antwoord.data or "", bijlagen=bijlagen)
        except UploadFout as fout:
            form.bijlagen.errors = [fout.melding]
        except OvergangFout as fout:
            db.rollback()
            form.antwoord.errors = [*form.antwoord.errors, fout.melding]
        else:
            flash("Dank u wel. We hebben uw antwoord ontvangen en gaan ermee verder.", "ok")
            return redirect(url_for("portal.zaak", zaak_id=zaak.id))
    return render_template("portal/vraag.html", zaak=zaak, vraag=vraag, form=form, namens=_namens(zaak))
