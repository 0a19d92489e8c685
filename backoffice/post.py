"""Backoffice: post for inwoners who prefer letters on paper (domain/post.py). For administratie."""
from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.db import get_session
from app.parameters import id_param, ids_uit
from domain import authz
from domain.models import Inwoner, Zaak
from domain.post import aantal_te_versturen, afdrukbestand, markeer_verstuurd, te_versturen

from . import bp

PAGINA = 50


class PostForm(FlaskForm):
    pass


def _actor():
    actor = current_user.actor()
    if not (actor.is_medewerker and actor.heeft_rol(authz.Rol.ADMINISTRATIE)):
        abort(403)
    return actor


def _gekozen() -> list[int]:
    return ids_uit(request.form.getlist("stuk"))


@bp.get("/post")
def post():
    actor = _actor()
    db = get_session()
    stukken = te_versturen(db, actor, na=id_param("na"), limiet=PAGINA + 1)
    volgende = stukken[PAGINA - 1].id if len(stukken) > PAGINA else None
    stukken = stukken[:PAGINA]
    inwoners = {i.id: i for i in db.query(Inwoner).filter(Inwoner.id.in_({s.inwoner_id for s in stukken}))}
    zaken = {z.id: z for z in db.query(Zaak).filter(Zaak.id.in_({s.zaak_id for s in stukken if s.zaak_id}))}
    return render_template("backoffice/post.html", stukken=stukken, inwoners=inwoners, zaken=zaken, form=PostForm(),
                           volgende=volgende, totaal=aantal_te_versturen(db, actor))


@bp.post("/post/afdrukken")
def post_afdrukken():
    actor = _actor()
    if not PostForm().validate_on_submit():
        abort(400)
    db = get_session()
    stukken = te_versturen(db, actor, ids=_gekozen())
    if not stukken:
        flash("Kies de brieven die u wilt afdrukken.", "fout")
        return redirect(url_for("backoffice.post"))
    pdf = afdrukbestand(db, actor, stukken)
    db.commit()
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=f"post-{len(stukken)}-brieven.pdf",
                     as_attachment=True)


@bp.post("/post/verstuurd")
def post_verstuurd():
    actor = _actor()
    if not PostForm().validate_on_submit():
        abort(400)
    db = get_session()
    aantal = markeer_verstuurd(db, actor, _gekozen())
    db.commit()
    if aantal:
        flash(f"{aantal} brie{'f is' if aantal == 1 else 'ven zijn'} als verstuurd vastgelegd.", "ok")
    else:
        flash("Kies de brieven die in de post zijn gegaan.", "fout")
    return redirect(url_for("backoffice.post"))
