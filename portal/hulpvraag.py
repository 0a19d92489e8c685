"""Portal: the inwoner asks for help (after DigiD); it lands at team toegang as a contact to handle."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.db import get_session
from domain.hulpvragen import CONTACTWIJZEN, HulpvraagFout, hulpvragen_van, onderwerpen, stuur_hulpvraag, voor_wie
from domain.workflow import OvergangFout

from . import bp
from .forms import HulpvraagForm
from .zaken import inwoner_nodig

BEVESTIGING = {
    "telefoon": "We bellen u op {telefoon}.",
    "email": "We sturen u een e-mail op {email}.",
    "post": "We sturen u een brief.",
}


@bp.route("/hulpvraag", methods=["GET", "POST"])
@inwoner_nodig
def hulpvraag():
    if current_user.inwoner is None:
        return render_template("portal/onbekend.html")
    db = get_session()
    actor = current_user.actor()
    inwoner = current_user.inwoner
    keuzes_voor = voor_wie(db, actor)
    form = HulpvraagForm(contactvoorkeur=inwoner.contactvoorkeur, telefoon=inwoner.telefoon, email=inwoner.email,
                         voor=keuzes_voor[0][0] if len(keuzes_voor) == 1 else None)
    form.voor.choices = keuzes_voor
    form.onderwerp.choices = onderwerpen()
    form.contactvoorkeur.choices = list(CONTACTWIJZEN.items())
    if form.validate_on_submit():
        try:
            stuur_hulpvraag(db, actor, tekst=form.tekst.data or "", voor=form.voor.data or "",
                            onderwerp=form.onderwerp.data or "", contactvoorkeur=form.contactvoorkeur.data or "",
                            telefoon=form.telefoon.data or "", email=form.email.data or "")
        except HulpvraagFout as fout:
            db.rollback()
            for naam, melding in fout.fouten.items():
                getattr(form, naam).errors = [*getattr(form, naam).errors, melding]
        except OvergangFout as fout:
            db.rollback()
            flash(fout.melding, "fout")
        else:
            flash("We hebben uw hulpvraag ontvangen. Een medewerker van de gemeente neemt contact met u op. "
                  + BEVESTIGING[form.contactvoorkeur.data].format(telefoon=form.telefoon.data, email=form.email.data),
                  "ok")
            return redirect(url_for("portal.hulpvragen"))
    return render_template("portal/hulpvraag.html", form=form, inwoner=inwoner), 422 if form.errors else 200


@bp.get("/hulpvragen")
@inwoner_nodig
def hulpvragen():
    if current_user.inwoner is None:
        return render_template("portal/onbekend.html")
    db = get_session()
    rijen = hulpvragen_van(db, current_user.actor())
    db.commit()
    return render_template("portal/hulpvragen.html", hulpvragen=rijen)
