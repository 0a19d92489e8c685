"""Backoffice: berichtenverkeer (iWmo/iJw) for administratie, and the bestelling with the choice of zorgaanbieder."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from lxml import etree
from sqlalchemy import or_, select
from sqlalchemy.orm import defer, joinedload
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import DataRequired

from app.db import get_session
from app.diensten import diensten_uit
from app.parameters import als_id, id_param
from domain import authz
from domain.berichtenverkeer import (
    AFGEWEZEN_ANTWOORD,
    ANTWOORD_BINNEN_DAGEN,
    BERICHTSTATUSSEN,
    IN_ONDERZOEK_ANTWOORD,
    STANDIN_SOORTEN,
    TOEGEWEZEN_ANTWOORD,
    VerzoekFout,
    antwoorden_op,
    beantwoord_verzoek,
    is_in_onderzoek,
    kan_opnieuw_verstuurd,
    leg_uit,
    mogelijke_antwoorden,
    open_verzoeken,
    redenen_afwijzing,
    team_voor_standaard,
    zet_opnieuw_klaar,
    zonder_antwoord,
)
from domain.models import Bericht, Toewijzing, Zaak, Zorgaanbieder
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.stappen import lopend_besluit
from domain.voorzieningen import omschrijving
from domain.workflow import OvergangFout, voer_uit
from integrations.istandaarden import BERICHTSOORTEN

from . import bp

PAGINA = 25
AANDACHT = 50  # at most this many in each 'waits for an answer' list, oldest first
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
        if code in STANDIN_SOORTEN:  # iEb/iPgb stand-in records (no schema yet)
            return STANDIN_SOORTEN[code][2]
        soort = BERICHTSOORTEN.get(code or "")
        return soort.naam if soort else "Onbekend bericht"

    def berichtnaam(b: Bericht) -> str:
        return b.naam if b.code else "Onleesbaar bericht"  # named by its own standard (Bericht.naam)

    return {"mag_berichten_inzien": lambda: current_user.is_authenticated and current_user.is_medewerker
            and mag_berichten_inzien(), "berichtsoort_naam": berichtsoort_naam, "berichtnaam": berichtnaam,
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
    filters = {k: (request.args.get(k) or "").strip() for k in ("code", "status", "richting", "aanbieder", "van",
                                                                 "tot")}
    stmt = _zichtbaar(a)
    aanbieders = db.scalars(select(Zorgaanbieder).order_by(Zorgaanbieder.naam)).all()
    aanbieder_id = id_param("aanbieder")
    if aanbieder_id:
        stmt = stmt.where(Bericht.aanbieder_id == aanbieder_id)
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
    voor = id_param("voor")
    if voor:
        stmt = stmt.where(Bericht.id < voor)
    # The list shows metadata only: not the messages themselves (kilobytes each).
    rijen = db.scalars(stmt.options(joinedload(Bericht.aanbieder), defer(Bericht.xml))
                       .order_by(Bericht.id.desc()).limit(PAGINA + 1)).all()
    volgende = rijen[PAGINA - 1].id if len(rijen) > PAGINA else None
    rijen = rijen[:PAGINA]
    zaken = {z.id: z for z in db.scalars(select(Zaak).where(Zaak.id.in_({r.zaak_id for r in rijen if r.zaak_id})))}
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="berichtenverkeer",
                 omschrijving="Overzicht berichtenverkeer bekeken", doel="Berichtenverkeer met zorgaanbieders")
    db.commit()
    return render_template("backoffice/berichten.html", berichten=rijen, zaken=zaken, volgende=volgende,
                           filters=filters, gevuld={k: v for k, v in filters.items() if v},
                           codes=[*sorted(BERICHTSOORTEN), *STANDIN_SOORTEN], statussen=BERICHTSTATUSSEN,
                           richtingen=RICHTINGEN, aanbieders=aanbieders, vastgelopen=_vastgelopen(),
                           form=OpnieuwForm(), open_verzoeken=open_verzoeken(db, a.gemeente_ids, AANDACHT),
                           zonder_antwoord=zonder_antwoord(db, a.gemeente_ids, limiet=AANDACHT),
                           antwoord_dagen=ANTWOORD_BINNEN_DAGEN, aandacht_limiet=AANDACHT)


def _bericht_of_404(bericht_id: int, *, verzoek: bool = False) -> Bericht:
    """The message, for administratie/beheer. With `verzoek`: an incoming 315/317 is also open to the team that
    has to answer it (the consulent's team)."""
    a = _actor()
    if mag_berichten_inzien(a):
        bericht = get_session().scalar(_zichtbaar(a).where(Bericht.id == bericht_id))
        if bericht is None:
            abort(404)
        return bericht
    if not (verzoek and a.is_medewerker):
        abort(403)
    bericht = get_session().get(Bericht, bericht_id)
    if bericht is None or not mag_verzoek_beantwoorden(a, bericht):
        abort(404)
    return bericht


def _team_van_verzoek(db, b: Bericht) -> int | None:
    zaak = db.get(Zaak, b.zaak_id) if b.zaak_id else None
    if zaak is not None and zaak.team_id:
        return zaak.team_id
    team = team_voor_standaard(db, b.standaard)
    return team.id if team is not None else None


def mag_verzoek_beantwoorden(actor, b: Bericht) -> bool:
    """An incoming verzoek om toewijzing (315) or om wijziging (317) is answered by administratie or by the team of
    the consulent (the zaak's team, or else the domain's team), within the actor's gemeenten."""
    if not (actor.is_medewerker and b.richting == "in" and b.code in ("315", "317")):
        return False
    if b.gemeente_id not in (actor.gemeente_ids or set()):
        return False
    return actor.heeft_rol(authz.Rol.ADMINISTRATIE) or _team_van_verzoek(get_session(), b) in (actor.team_ids or set())


def _mooi(xml: bytes) -> str:
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                     remove_blank_text=True))
        return etree.tostring(root, pretty_print=True, encoding="unicode")
    except etree.XMLSyntaxError:
        return xml.decode("utf-8", errors="replace")


@bp.get("/berichten/<int:bericht_id>")
def bericht(bericht_id: int):
    b = _bericht_of_404(bericht_id, verzoek=True)
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
                           uitleg=leg_uit(b.retourcodes, b.standaard), xml=_mooi(b.xml),
                           toewijzingen=toewijzingen, toewijzingstatussen=TOEWIJZINGSTATUSSEN,
                           richtingen=RICHTINGEN, form=OpnieuwForm(), **_verzoek_context(db, b))


def _verzoek_context(db, b: Bericht) -> dict:
    if b.richting != "in" or b.code not in ("315", "317"):
        return {}
    mogelijk = mogelijke_antwoorden(db, b) if mag_verzoek_beantwoorden(_actor(), b) else []
    return {"verzoek_antwoorden": [(a, is_in_onderzoek(a)) for a in antwoorden_op(db, b)],
            "verzoek_form": _antwoord_form(b, mogelijk) if mogelijk else None}


ANTWOORD_KEUZES = {
    TOEGEWEZEN_ANTWOORD: "Toewijzen: de zorgaanbieder krijgt een toewijzing (301)",
    IN_ONDERZOEK_ANTWOORD: "In onderzoek: de gemeente onderzoekt de aanvraag eerst; de zorgaanbieder hoort dat (319) "
                           "en krijgt later de toewijzing of de afwijzing",
    AFGEWEZEN_ANTWOORD: "Afwijzen: de zorgaanbieder krijgt een afwijzing met reden (319)",
}


class VerzoekAntwoordForm(FlaskForm):
    antwoord = RadioField("Uw antwoord", choices=list(ANTWOORD_KEUZES.items()),
                          validators=[DataRequired("Kies of u het verzoek toewijst of afwijst.")])
    # The domain checks the reden against the code list (and only when the verzoek is afgewezen).
    reden = SelectField("Reden van de afwijzing", description="Alleen nodig als u het verzoek afwijst.",
                        validate_choice=False, default="")


def _antwoord_form(b: Bericht, mogelijk: list[str] | None = None, **kwargs) -> VerzoekAntwoordForm:
    form = VerzoekAntwoordForm(**kwargs)
    if mogelijk is not None:
        form.antwoord.choices = [(k, ANTWOORD_KEUZES[k]) for k in mogelijk]
    form.reden.choices = [("", "Kies een reden")] + [(c, f"{c} {t}") for c, t in redenen_afwijzing(b.standaard).items()]
    return form


@bp.post("/berichten/<int:bericht_id>/antwoord")
def bericht_antwoord(bericht_id: int):
    """Answer an incoming 315/317: toewijzen (a 301) or afwijzen (a 319 with the reden)."""
    b = _bericht_of_404(bericht_id, verzoek=True)
    a = _actor()
    if not mag_verzoek_beantwoorden(a, b):
        abort(403)
    form = _antwoord_form(b)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(" ".join(e for fout in form.errors.values() for e in fout) or "Het formulier is niet compleet.", "fout")
        return redirect(url_for("backoffice.bericht", bericht_id=b.id))
    db = get_session()
    zaak = db.get(Zaak, b.zaak_id) if b.zaak_id else None
    try:
        reden = form.reden.data if form.reden.data not in (None, "", "None") else None
        uit = beantwoord_verzoek(db, a, b, form.antwoord.data, reden=reden)
    except VerzoekFout as fout:
        db.rollback()
        flash(fout.melding, "fout")
        return redirect(url_for("backoffice.bericht", bericht_id=b.id))
    wat = {TOEGEWEZEN_ANTWOORD: "toegewezen", IN_ONDERZOEK_ANTWOORD: "in onderzoek"}.get(form.antwoord.data,
                                                                                          "afgewezen")
    protocolleer(db, a, handeling=Handeling.AANMAKEN, object_type="bericht", object_id=b.id,
                 omschrijving=f"Verzoek {b.naam} {b.bericht_identificatie} {wat}; antwoord "
                              + ", ".join(f"{u.naam} {u.bericht_identificatie}" for u in uit),
                 doel="Berichtenverkeer met zorgaanbieders", inwoner_id=zaak.inwoner_id if zaak else None)
    db.commit()
    if wat == "toegewezen":
        flash("Het verzoek is toegewezen. De toewijzing (301) staat klaar om naar de zorgaanbieder te gaan.", "ok")
    elif wat == "in onderzoek":
        flash("De zorgaanbieder hoort dat de aanvraag in onderzoek is (319). Beantwoord het verzoek als het onderzoek "
              "klaar is: het blijft op uw lijst met acties staan.", "ok")
    else:
        flash("Het verzoek is afgewezen. Het antwoord met de reden (319) staat klaar om naar de zorgaanbieder te gaan.",
              "ok")
    return redirect(url_for("backoffice.bericht", bericht_id=b.id))


class OpnieuwForm(FlaskForm):
    pass


@bp.post("/berichten/<int:bericht_id>/opnieuw")
def bericht_opnieuw(bericht_id: int):
    """An outgoing message that could not be delivered, or that got no answer, goes back into the outbox: the same
    bytes with the same BerichtIdentificatie, so the zorgaanbieder recognises a second copy."""
    b = _bericht_of_404(bericht_id)
    if not OpnieuwForm().validate_on_submit():
        abort(400)
    if not kan_opnieuw_verstuurd(b):
        flash("Alleen een uitgaand bericht dat niet verstuurd kon worden of nog geen antwoord kreeg, kan opnieuw "
              "verstuurd worden.", "fout")
        return redirect(url_for("backoffice.bericht", bericht_id=b.id))
    db = get_session()
    zet_opnieuw_klaar(b)
    protocolleer(db, _actor(), handeling=Handeling.WIJZIGEN, object_type="bericht", object_id=b.id,
                 omschrijving=f"Bericht {b.naam} {b.bericht_identificatie} opnieuw klaargezet",
                 doel="Berichtenverkeer met zorgaanbieders")
    db.commit()
    flash("Het bericht staat weer klaar om verstuurd te worden. Het gaat met dezelfde identificatie, zodat de "
          "zorgaanbieder een tweede exemplaar herkent.", "ok")
    return redirect(url_for("backoffice.bericht", bericht_id=b.id))


def _transport():
    from app.cli_berichten import berichten_map
    from integrations.istandaarden.transport import MapTransport

    return MapTransport(berichten_map())


def _vastgelopen() -> list:
    try:
        return _transport().vastgelopen()
    except OSError:
        return []


@bp.post("/berichten/vastgelopen/<naam>")
def bericht_terugzetten(naam: str):
    """A received file that kept failing goes back into the inbox. Safe: processing is idempotent, so a message
    that was stored after all is recognised and not processed twice."""
    a = _actor()
    if not mag_berichten_inzien(a):
        abort(403)
    if not OpnieuwForm().validate_on_submit():
        abort(400)
    transport = _transport()
    if not transport.terugzetten(naam):
        flash("Dit bestand staat niet (meer) bij de vastgelopen berichten.", "fout")
        return redirect(url_for("backoffice.berichten"))
    db = get_session()
    protocolleer(db, a, handeling=Handeling.WIJZIGEN, object_type="berichtenverkeer",
                 omschrijving=f"Vastgelopen bericht {naam} teruggezet in de inbox",
                 doel="Berichtenverkeer met zorgaanbieders")
    db.commit()
    flash("Het bericht staat weer in de inbox en wordt bij de volgende ronde (binnen een minuut) verwerkt.", "ok")
    return redirect(url_for("backoffice.berichten"))


# --- Bestellen: administratie chooses the zorgaanbieder ----------------------------------------------------


class BestelForm(FlaskForm):
    zorgaanbieder_id = SelectField("Zorgaanbieder", coerce=int, validators=[DataRequired("Kies een zorgaanbieder.")],
                                   description="De toewijzing (bericht 301) gaat naar deze zorgaanbieder.")
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
        verwacht = als_id(form.versie.data)
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
            from .zaken import naar_zaak_of_werk

            return naar_zaak_of_werk(zaak)
    besluit = lopend_besluit(db, zaak.id)
    # In the beschikking's own words (domain.voorzieningen), so administratie checks the one against the other.
    regels = [omschrijving(v) for v in (besluit.voorzieningen if besluit else [])]
    uitleg = ("Controleer de voorziening tegen de beschikking en kies de zorgaanbieder. "
              + ("Te bestellen: " + "; ".join(regels) + "." if regels else ""))
    if not aanbieders:
        uitleg += " Er is nog geen zorgaanbieder ingesteld; vraag beheer om er een toe te voegen."
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Voorziening bestellen",
                           knop="Bestellen en toewijzing versturen", uitleg=uitleg)
