"""Backoffice: team toegang finds an inwoner (BRP), sees the integral view and registers a contact or a melding."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz
from domain.inwoners import GemeenteNietAangesloten, uit_brp, zoek_in_brp
from domain.models import Inwoner, Klantcontact, Zaak
from domain.protocol import Handeling, protocolleer
from domain.workflow import OvergangFout
from domain.zaken import registreer_contact, registreer_melding
from integrations.brp import get_brp

from . import bp
from .forms import CONTACTVOORKEUREN, ContactForm, InwonerZoekForm, KaleActieForm
from .zaken import actor


def _inwoner_of_404(inwoner_id: int) -> Inwoner:
    a = actor()
    if not authz.mag(a, "inwoner.zoeken") and not authz.mag(a, "werkvoorraad.bekijken"):
        abort(404)
    inwoner = get_session().get(Inwoner, inwoner_id)
    if inwoner is None or inwoner.gemeente_id not in a.gemeente_ids:
        abort(404)
    return inwoner



# --- Team toegang ----------------------------------------------------------------------------------------------


@bp.route("/inwoners/zoeken", methods=["GET", "POST"])
def inwoner_zoeken():
    a = actor()
    if not authz.mag(a, "inwoner.zoeken"):
        abort(403)
    form = InwonerZoekForm()
    gevonden = None
    if request.method == "POST" and form.validate():
        db = get_session()
        gevonden = zoek_in_brp(db, a, get_brp(), bsn=form.bsn.data or None, geslachtsnaam=form.geslachtsnaam.data,
                               geboortedatum=form.geboortedatum.data)
        db.commit()
    return render_template("backoffice/inwoner_zoeken.html", form=form, gevonden=gevonden)


@bp.post("/inwoners/openen")
def inwoner_openen():
    """Take the chosen BRP person over (or refresh them) and open their page. The BSN travels in a POST body."""
    a = actor()
    if not authz.mag(a, "inwoner.zoeken"):
        abort(403)
    form = KaleActieForm()
    if not form.validate_on_submit():
        abort(400)
    persoon = get_brp().zoek_bsn(request.form.get("bsn", ""))
    if persoon is None:
        flash("Deze persoon staat niet (meer) in de BRP.", "fout")
        return redirect(url_for("backoffice.inwoner_zoeken"))
    db = get_session()
    try:
        inwoner = uit_brp(db, persoon)
    except GemeenteNietAangesloten as exc:
        db.rollback()
        flash(f"Deze inwoner woont in {exc.gemeentenaam}; die gemeente hoort niet bij deze werkorganisatie.", "fout")
        return redirect(url_for("backoffice.inwoner_zoeken"))
    if inwoner.gemeente_id not in a.gemeente_ids:
        db.rollback()
        flash(f"U werkt niet voor de gemeente {inwoner.gemeente.naam}.", "fout")
        return redirect(url_for("backoffice.inwoner_zoeken"))
    db.flush()
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="inwoner", object_id=inwoner.id,
                 omschrijving="Persoonsgegevens uit de BRP overgenomen", doel="Toegang sociaal domein",
                 inwoner_id=inwoner.id)
    db.commit()
    return redirect(url_for("backoffice.inwoner", inwoner_id=inwoner.id))


@bp.route("/inwoners/<int:inwoner_id>", methods=["GET", "POST"])
def inwoner(inwoner_id: int):
    """The integral (3D) view of one inwoner: every zaak in every domain, contacts, and for team toegang the
    form to register a contact and make a melding."""
    a = actor()
    db = get_session()
    inwoner = _inwoner_of_404(inwoner_id)
    form = ContactForm(contactvoorkeur=inwoner.contactvoorkeur, email=inwoner.email, telefoon=inwoner.telefoon)
    form.zaaktype.choices = meldbare_zaaktypen(db, inwoner.gemeente_id)
    if request.method == "POST":
        if not authz.mag(a, "melding.registreren"):
            abort(403)
        if form.validate_on_submit():
            inwoner.contactvoorkeur = form.contactvoorkeur.data
            inwoner.email = form.email.data or None
            inwoner.telefoon = form.telefoon.data or None
            try:
                if form.uitkomst.data == "advies":
                    registreer_contact(db, a, inwoner=inwoner, kanaal=form.kanaal.data, onderwerp="Advies gegeven",
                                       tekst=form.hulpvraag.data, alleen_advies=True)
                    db.commit()
                    flash("Het contact is geregistreerd. Er is geen melding gemaakt.", "ok")
                    return redirect(url_for("backoffice.inwoner", inwoner_id=inwoner.id))
                zaak = registreer_melding(db, a, inwoner=inwoner, zaaktype_code=form.zaaktype.data,
                                          hulpvraag=form.hulpvraag.data, kanaal=form.kanaal.data,
                                          diensten=diensten_uit(current_app.config["SETTINGS"]))
            except (OvergangFout, authz.Geweigerd) as fout:
                db.rollback()
                flash(getattr(fout, "melding", "Dit mag u niet doen."), "fout")
            else:
                flash(f"Melding {zaak.identificatie} staat in de werkvoorraad van {zaak.team.naam}. "
                      "De inwoner krijgt een bevestiging.", "ok")
                if not authz.is_behandelaar(a, zaak):
                    # Team toegang hands the melding over: back to the inwoner's page, which lists it now.
                    return redirect(url_for("backoffice.inwoner", inwoner_id=inwoner.id))
                return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    zaken = db.scalars(authz.zichtbare_zaken(a).where(Zaak.inwoner_id == inwoner.id)
                       .options(joinedload(Zaak.team), joinedload(Zaak.behandelaar))
                       .order_by(Zaak.startdatum.desc())).all()
    # Dossiers of other teams are counted; a shielded one (Regieteam) is named apart, and only while open.
    afgeschermd = authz.afgeschermde_zaaktypen()
    alle_zaken = db.scalar(select(func.count()).select_from(Zaak).where(Zaak.inwoner_id == inwoner.id,
                                                                        Zaak.zaaktype.not_in(afgeschermd)))
    verborgen = alle_zaken - sum(1 for z in zaken if z.zaaktype not in afgeschermd)
    contacten = db.scalars(select(Klantcontact).where(Klantcontact.inwoner_id == inwoner.id, or_(
                               Klantcontact.zaak_id.is_(None),
                               Klantcontact.zaak_id.not_in(authz.afgeschermd_verborgen(a, inwoner.id))))
                           .options(joinedload(Klantcontact.medewerker))
                           .order_by(Klantcontact.tijdstip.desc()).limit(20)).all()
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="inwoner", object_id=inwoner.id,
                 omschrijving="Inwonerdossier (3D-overzicht) bekeken", doel="Toegang en behandeling sociaal domein",
                 inwoner_id=inwoner.id)
    db.commit()
    return render_template("backoffice/inwoner.html", inwoner=inwoner, form=form, zaken=zaken, contacten=contacten,
                           afgeschermd_elders=authz.afgeschermd_elders(db, a, inwoner.id),
                           verborgen=verborgen, mag_melden=authz.mag(a, "melding.registreren"),
                           contactvoorkeur=CONTACTVOORKEUREN.get(inwoner.contactvoorkeur, inwoner.contactvoorkeur))


def meldbare_zaaktypen(db, gemeente_id: int) -> list[tuple[str, str]]:
    """What a melding can be for in this gemeente: every zaaktype that can be melded and has a team there."""
    from domain.configuratie import behandelend_team
    from domain.processes import zaaktypen

    return [(code, z.naam) for code, z in zaaktypen().items()
            if z.meldbaar and behandelend_team(db, code, gemeente_id) is not None]

