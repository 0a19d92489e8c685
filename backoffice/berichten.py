"""Backoffice: berichtenverkeer (iWmo/iJw) for administratie, and the bestelling with the choice of zorgaanbieder."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from lxml import etree
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz
from domain.berichtenverkeer import BERICHTSTATUSSEN, leg_uit
from domain.models import Bericht, Toewijzing, Zaak, Zorgaanbieder
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.stappen import lopend_besluit
from domain.workflow import OvergangFout, voer_uit
from integrations.istandaarden import BERICHTSOORTEN

from . import bp

PAGINA = 25
ROLLEN = (authz.Rol.ADMINISTRATIE, authz.Rol.BEHEER)
RICHTINGEN = {"uit": "Uitgaand", "in": "Inkomend"}
TOEWIJZINGSTATUSSEN = {"toegewezen": "Toegewezen, wacht op antwoord", "geaccepteerd": "Geaccepteerd door de aanbieder",
                       "afgewezen": "Afgewezen door de aanbieder", "gestart": "Ondersteuning gestart",
                       "gestopt": "Ondersteuning gestopt"}


def _actor():
    return current_user.actor()


def mag_berichten_inzien(actor=None) -> bool:
    actor = actor or _actor()
    return actor.is_medewerker and actor.heeft_rol(*ROLLEN)


@bp.app_context_processor
def _berichten_helpers():
    def berichtsoort_naam(code: str) -> str:
        soort = BERICHTSOORTEN.get(code or "")
        return soort.naam if soort else "Onbekend bericht"

    return {"mag_berichten_inzien": lambda: current_user.is_authenticated and current_user.is_medewerker
            and mag_berichten_inzien(), "berichtsoort_naam": berichtsoort_naam,
            "berichtstatus_tekst": lambda s: BERICHTSTATUSSEN.get(s, s)}


def _zichtbaar(actor):
    """Messages of the actor's gemeenten, and those for no known gemeente (they still need a look)."""
    return select(Bericht).where(or_(Bericht.gemeente_id.in_(actor.gemeente_ids or {-1}), Bericht.gemeente_id.is_(None)))


def _datum(waarde: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(waarde) if waarde else None
    except ValueError:
        return None


@bp.get("/berichten")
def berichten():
    a = _actor()
    if not mag_berichten_inzien(a):
        abort(403)
    db = get_session()
    filters = {k: (request.args.get(k) or "").strip() for k in ("code", "status", "richting", "van", "tot")}
    stmt = _zichtbaar(a)
    if filters["code"]:
        stmt = stmt.where(Bericht.code == filters["code"])
    if filters["status"]:
        stmt = stmt.where(Bericht.status == filters["status"])
    if filters["richting"] in RICHTINGEN:
        stmt = stmt.where(Bericht.richting == filters["richting"])
    van, tot = _datum(filters["van"]), _datum(filters["tot"])
    if van:
        stmt = stmt.where(Bericht.aangemaakt >= dt.datetime.combine(van, dt.time(), dt.UTC))
    if tot:
        stmt = stmt.where(Bericht.aangemaakt < dt.datetime.combine(tot + dt.timedelta(days=1), dt.time(), dt.UTC))
    voor = request.args.get("voor", type=int)
    if voor:
        stmt = stmt.where(Bericht.id < voor)
    rijen = db.scalars(stmt.options(joinedload(Bericht.aanbieder)).order_by(Bericht.id.desc()).limit(PAGINA + 1)).all()
    volgende = rijen[PAGINA - 1].id if len(rijen) > PAGINA else None
    rijen = rijen[:PAGINA]
    zaken = {z.id: z for z in db.scalars(select(Zaak).where(Zaak.id.in_({r.zaak_id for r in rijen if r.zaak_id})))}
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="berichtenverkeer",
                 omschrijving="Overzicht berichtenverkeer bekeken", doel="Berichtenverkeer met zorgaanbieders")
    db.commit()
    return render_template("backoffice/berichten.html", berichten=rijen, zaken=zaken, volgende=volgende,
                           filters=filters, gevuld={k: v for k, v in filters.items() if v}, codes=sorted(BERICHTSOORTEN), statussen=BERICHTSTATUSSEN,
                           richtingen=RICHTINGEN)


def _bericht_of_404(bericht_id: int) -> Bericht:
    a = _actor()
    if not mag_berichten_inzien(a):
        abort(403)
    bericht = get_session().scalar(_zichtbaar(a).where(Bericht.id == bericht_id))
    if bericht is None:
        abort(404)
    return bericht


def _mooi(xml: bytes) -> str:
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                     remove_blank_text=True))
        return etree.tostring(root, pretty_print=True, encoding="unicode")
    except etree.XMLSyntaxError:
        return xml.decode("utf-8", errors="replace")


@bp.get("/berichten/<int:bericht_id>")
def bericht(bericht_id: int):
    b = _bericht_of_404(bericht_id)
    db = get_session()
    zaak = db.get(Zaak, b.zaak_id) if b.zaak_id else None
    gerelateerd = db.scalars(select(Bericht).where(or_(Bericht.heenbericht_id == b.id,
                                                       Bericht.id == (b.heenbericht_id or -1)))
                             .order_by(Bericht.id)).all()
    toewijzingen = []
    if b.zaak_id:
        toewijzingen = db.scalars(select(Toewijzing).where(Toewijzing.zaak_id == b.zaak_id)
                                  .options(joinedload(Toewijzing.aanbieder)).order_by(Toewijzing.toewijzingnummer)).all()
    protocolleer(db, _actor(), handeling=Handeling.LEZEN, object_type="bericht", object_id=b.id,
                 omschrijving=f"Bericht {b.naam} {b.bericht_identificatie or ''} ({b.richting}) bekeken",
                 doel="Berichtenverkeer met zorgaanbieders", inwoner_id=zaak.inwoner_id if zaak else None)
    db.commit()
    return render_template("backoffice/bericht.html", bericht=b, zaak=zaak, gerelateerd=gerelateerd,
                           uitleg=leg_uit(b.retourcodes, b.standaard or "iwmo"), xml=_mooi(b.xml),
                           toewijzingen=toewijzingen, toewijzingstatussen=TOEWIJZINGSTATUSSEN,
                           richtingen=RICHTINGEN, form=OpnieuwForm())


class OpnieuwForm(FlaskForm):
    pass


@bp.post("/berichten/<int:bericht_id>/opnieuw")
def bericht_opnieuw(bericht_id: int):
    """An outgoing message that could not be delivered goes back into the outbox."""
    b = _bericht_of_404(bericht_id)
    if not OpnieuwForm().validate_on_submit():
        abort(400)
    if b.richting != "uit" or b.status != "mislukt":
        flash("Alleen een uitgaand bericht dat niet verstuurd kon worden, kan opnieuw verstuurd worden.", "fout")
        return redirect(url_for("backoffice.bericht", bericht_id=b.id))
    db = get_session()
    b.status, b.pogingen, b.volgende_poging = "klaar", 0, dt.datetime.now(dt.UTC)
    protocolleer(db, _actor(), handeling=Handeling.WIJZIGEN, object_type="bericht", object_id=b.id,
                 omschrijving=f"Bericht {b.naam} {b.bericht_identificatie} opnieuw klaargezet",
                 doel="Berichtenverkeer met zorgaanbieders")
    db.commit()
    flash("Het bericht staat weer klaar om verstuurd te worden.", "ok")
    return redirect(url_for("backoffice.bericht", bericht_id=b.id))


# --- Bestellen: administratie chooses the zorgaanbieder ----------------------------------------------------


class BestelForm(FlaskForm):
    zorgaanbieder_id = SelectField("Zorgaanbieder", coerce=int, validators=[DataRequired("Kies een zorgaanbieder.")],
                                   description="De toewijzing (iWmo 301) gaat naar deze zorgaanbieder.")
    versie = HiddenField()


@bp.route("/zaken/<int:zaak_id>/bestellen", methods=["GET", "POST"])
def zaak_bestellen(zaak_id: int):
    a = _actor()
    if not authz.mag(a, "bestelling.verwerken"):
        abort(403)
    db = get_session()
    try:
        zaak = authz.zaak_voor(db, a, zaak_id)
    except authz.NietGevonden:
        abort(404)
    aanbieders = db.scalars(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id)).all()
    form = BestelForm(versie=zaak.versie)
    form.zorgaanbieder_id.choices = [(z.id, f"{z.naam} (AGB {z.agb_code})") for z in aanbieders]
    if request.method == "GET" and aanbieders:
        form.zorgaanbieder_id.data = aanbieders[0].id
    if form.validate_on_submit():
        try:
            verwacht = int(form.versie.data) if form.versie.data else None
        except ValueError:
            verwacht = None
        try:
            voer_uit(db, a, zaak, "bestellen", verwachte_versie=verwacht,
                     gegevens={"zorgaanbieder_id": form.zorgaanbieder_id.data},
                     diensten=diensten_uit(current_app.config["SETTINGS"]))
        except OvergangFout as fout:
            db.rollback()
            flash(fout.melding, "fout")
        else:
            flash(zaaktype_van(zaak.zaaktype).overgang("bestellen").bevestiging
                  + " De toewijzing gaat naar de zorgaanbieder.", "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    besluit = lopend_besluit(db, zaak.id)
    regels = [f"{v.product.naam}: {v.volume} x per {'week' if v.frequentie == '2' else 'periode'}, vanaf "
              f"{v.ingangsdatum:%d-%m-%Y}" for v in (besluit.voorzieningen if besluit else [])]
    uitleg = ("Controleer de voorziening tegen de beschikking en kies de zorgaanbieder. "
              + ("Te bestellen: " + "; ".join(regels) + "." if regels else ""))
    if not aanbieders:
        uitleg += " Er is nog geen zorgaanbieder ingesteld; vraag beheer om er een toe te voegen."
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Voorziening bestellen",
                           knop="Bestellen en toewijzing versturen", uitleg=uitleg)
