"""Backoffice: the queues beside the werkvoorraad: open actions per team, notifications, the termijnen overview."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select, tuple_, union_all
from sqlalchemy.orm import joinedload

from app.db import get_session
from app.parameters import id_param, keyset_param, keyset_tekst
from domain import authz, tijd
from domain.models import (
    Actie,
    Bericht,  # berichtenverkeer
    Inwoner,
    Klantcontact,
    Termijn,
    Zaak,
)
from domain.notificaties import markeer_gelezen, meldingen_van
from domain.teksten import aantal

from . import bp
from .forms import KaleActieForm
from .zaken import actor

PAGINA = 25


# --- Queues and notifications -----------------------------------------------------------------------------------


@bp.get("/acties")
def acties():
    """The queue of open actions for the medewerker's teams: toetsing (kwaliteit), bestellen (administratie)."""
    a = actor()
    db = get_session()
    gemeenten = a.gemeente_ids or {-1}
    # An action without a zaak (a verzoek om toewijzing for someone without a zaak here) counts for the gemeente
    # of its message.
    # A hulpvraag from the portal has no zaak either: it counts for the gemeente of its inwoner.
    van_inwoners = select(Klantcontact.id).join(Inwoner, Klantcontact.inwoner_id == Inwoner.id).where(
        Inwoner.gemeente_id.in_(gemeenten))
    open_ = [Actie.afgerond.is_(None), Actie.team_id.in_(a.team_ids or {-1})]
    na = id_param("na")
    if na:
        open_.append(Actie.id > na)
    # Three ordered, limited reads merged (one per way an action belongs to a gemeente), each walking the index
    # of open actions in arrival order: one query with an OR over three joined tables makes the database join all
    # open actions with all zaken first.
    delen = [select(Actie.id).join(Zaak, Actie.zaak_id == Zaak.id).where(*open_, Zaak.gemeente_id.in_(gemeenten)),
             select(Actie.id).join(Bericht, Actie.bericht_id == Bericht.id)
             .where(*open_, Actie.zaak_id.is_(None), Bericht.gemeente_id.in_(gemeenten)),
             select(Actie.id).where(*open_, Actie.zaak_id.is_(None), Actie.klantcontact_id.in_(van_inwoners))]
    samen = union_all(*[select(d.order_by(Actie.id).limit(PAGINA + 1).subquery().c.id) for d in delen]).subquery()
    ids = db.scalars(select(samen.c.id).order_by(samen.c.id).limit(PAGINA + 1)).all()
    rijen = db.scalars(select(Actie).where(Actie.id.in_(ids)).options(joinedload(Actie.team)).order_by(Actie.id)).all()
    zaken = {z.id: z for z in db.scalars(select(Zaak).where(Zaak.id.in_([r.zaak_id for r in rijen if r.zaak_id]))
                                         .options(joinedload(Zaak.inwoner), joinedload(Zaak.gemeente)))}
    contacten = {c.id: c for c in db.scalars(select(Klantcontact).where(
        Klantcontact.id.in_([r.klantcontact_id for r in rijen if r.klantcontact_id])).options(joinedload(Klantcontact.inwoner)))}
    volgende = rijen[PAGINA - 1].id if len(rijen) > PAGINA else None
    return render_template("backoffice/acties.html", acties=rijen[:PAGINA], zaken=zaken, volgende=volgende,
                           contacten=contacten, form=KaleActieForm())


@bp.route("/meldingen", methods=["GET", "POST"])
def meldingen():
    a = actor()
    db = get_session()
    if request.method == "POST":
        if not KaleActieForm().validate_on_submit():
            abort(400)
        gelezen = markeer_gelezen(db, medewerker_id=a.id)
        db.commit()
        if gelezen:
            flash(f"{aantal(gelezen, 'melding is', 'meldingen zijn')} als gelezen gemarkeerd.", "ok")
        else:
            flash("Er waren geen ongelezen meldingen.", "ok")
        return redirect(url_for("backoffice.meldingen"))
    rijen, volgende = meldingen_van(db, a.id, na=id_param("na"), grootte=PAGINA)
    return render_template("backoffice/meldingen.html", meldingen=rijen, volgende=volgende,
                           form=KaleActieForm())


@bp.get("/termijnen")
def termijnen():
    """For teamleiders: every running term, every overdue zaak with any dwangsom, and the trend per team."""
    from domain.termijnbewaking import beslistermijnen, dwangsom_van
    from domain.termijnstand import trend_per_team

    a = actor()
    if not authz.mag(a, "termijnen.overzicht"):
        abort(403)
    db = get_session()
    vandaag = tijd.vandaag()
    stmt = (select(Termijn, Zaak).join(Zaak, Termijn.zaak_id == Zaak.id)
            .where(Termijn.gestopt_op.is_(None), Zaak.gemeente_id.in_(a.gemeente_ids or {-1}), Zaak.afgesloten.is_(False))
            .options(joinedload(Zaak.team), joinedload(Zaak.inwoner), joinedload(Zaak.behandelaar))
            .order_by(Termijn.einddatum, Termijn.id))
    na = keyset_param("na")
    if na:
        stmt = stmt.where(tuple_(Termijn.einddatum, Termijn.id) > na)
    rijen = db.execute(stmt.limit(PAGINA + 1)).all()
    volgende = None
    if len(rijen) > PAGINA:
        t = rijen[PAGINA - 1][0]
        volgende = keyset_tekst((t.einddatum, t.id))
        rijen = rijen[:PAGINA]
    dwangsommen = {z.id: dwangsom_van(db, z, vandaag) for _, z in rijen if z.ingebreke_gesteld_op}
    trend = trend_per_team(db, a.gemeente_ids, vandaag)
    hoogste = max([n for t in trend for _, n in t.weken] + [1])
    return render_template("backoffice/termijnen.html", rijen=rijen, volgende=volgende, vandaag=vandaag,
                           dwangsommen=dwangsommen, trend=trend, hoogste=hoogste, beslistermijnen=beslistermijnen(),
                           binnenkort=vandaag + dt.timedelta(days=5))
