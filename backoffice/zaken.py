"""Backoffice: one zaak and its steps (the buttons and forms of its overgangen), and its documents."""
from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from app.db import get_session
from app.diensten import diensten_uit
from app.parameters import als_id
from domain import authz, tijd
from domain.afspraken import vastleggen_codes
from domain.leesmodel import zaakbeeld
from domain.toegekend import wat_u_krijgt
from domain.models import (
    Actie,
    Afspraak,
    Bericht,  # berichtenverkeer
    Bezwaarschrift,
    Document,
    DocumentVersie,
    Klantcontact,
    Product,
    StatusHistorie,
    Termijn,
    Zaak,
)
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.stappen import laatste_verslag, lopend_besluit
from domain.vertrouwelijkheid import NAMEN as VERTROUWELIJKHEID
from domain.vertrouwelijkheid import filter_documenten, mag_lezen, toegestaan, voor_documenttype
from domain.vragen import mag_vragen, vragen_van
from domain.workflow import OvergangFout, beschikbare_overgangen, voer_uit
from domain.zaken import (
    LEEFGEBIEDEN,
    VerslagInvoer,
    VoorzieningInvoer,
    besluit_opstellen_kan,
    sla_besluit_op,
    sla_verslag_op,
    verslag_schrijven_kan,
)

from . import bp
from .formfout import toon_fout
from .forms import (
    BesluitForm,
    GesprekForm,
    KaleActieForm,
    RedenForm,
    ToewijzenForm,
    VerslagForm,
)

log = logging.getLogger(__name__)
AMS = ZoneInfo("Europe/Amsterdam")
PAGINA = 25


def actor():
    return current_user.actor()


def _zaak_of_404(zaak_id: int) -> Zaak:
    try:
        return authz.zaak_voor(get_session(), actor(), zaak_id)
    except authz.NietGevonden:
        abort(404)




# --- The zaak and its steps -------------------------------------------------------------------------------------


def _zaak_context(zaak: Zaak) -> dict:
    from .kenmerken import zaak_extra
    from .toetsing import toetsbeeld

    db = get_session()
    a = actor()
    zaaktype = zaaktype_van(zaak.zaaktype)
    andere = db.scalars(select(Zaak).where(Zaak.inwoner_id == zaak.inwoner_id, Zaak.id != zaak.id)
                        .order_by(Zaak.startdatum.desc())).all()
    zichtbaar = set(db.scalars(authz.zichtbare_zaken(a).with_only_columns(Zaak.id)
                               .where(Zaak.inwoner_id == zaak.inwoner_id)))
    historie = db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id).order_by(StatusHistorie.id)).all()
    termijnen = db.scalars(select(Termijn).where(Termijn.zaak_id == zaak.id).order_by(Termijn.id)).all()
    vragen = vragen_van(db, zaak)
    besluit = lopend_besluit(db, zaak.id)
    return {
        "zaak": zaak, "zaaktype": zaaktype,
        "verslag_schrijven": verslag_schrijven_kan(zaak), "besluit_opstellen": besluit_opstellen_kan(zaak),
        "overgangen": beschikbare_overgangen(zaaktype, a, zaak),
        "vastleggen": vastleggen_codes(zaaktype),
        "historie": historie,
        "termijnen": termijnen, "nu": dt.datetime.now(dt.UTC),
        "afspraken": db.scalars(select(Afspraak).where(Afspraak.zaak_id == zaak.id).order_by(Afspraak.start)).all(),
        "contacten": db.scalars(select(Klantcontact).where(Klantcontact.zaak_id == zaak.id).order_by(Klantcontact.tijdstip.desc())).all(),
        # Only the documents this medewerker may read (domain/vertrouwelijkheid.py).
        "documenten": db.scalars(filter_documenten(select(Document).where(Document.zaak_id == zaak.id), a, zaak)
                                 .options(selectinload(Document.versies).selectinload(DocumentVersie.ondertekeningen))
                                 .order_by(Document.id)).all(),
        "verslag": laatste_verslag(db, zaak.id)
        if voor_documenttype(zaaktype, "onderzoeksverslag") in toegestaan(a, zaak) else None,
        "besluit": besluit,
        # A beschikking ter toetsing: why, and what the toetser needs to judge it (backoffice/toetsing.py)
        "toetsing": toetsbeeld(db, a, zaak, besluit),
        "acties": db.scalars(select(Actie).where(Actie.zaak_id == zaak.id).order_by(Actie.id)).all(),
        # Another team's dossier shows with its number; a shielded one not at all, only whom to contact.
        "andere_zaken": [(z, z.id in zichtbaar) for z in andere
                         if z.id in zichtbaar or not zaaktype_van(z.zaaktype).afgeschermd],
        "afgeschermd_elders": authz.afgeschermd_elders(db, a, zaak.inwoner_id),
        # The zaaktype's own sections (Zaaktype.panelen): (template, its values), those this actor may see.
        "panelen": [(p.template, w) for p in zaaktype.panelen if (w := p.gegevens(db, a, zaak)) is not None],
        "bezwaarschrift": db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == zaak.id)),
        "kale_actie": KaleActieForm(versie=zaak.versie),
        "vandaag": tijd.vandaag(),
        "vertrouwelijkheid": VERTROUWELIJKHEID,
        # Berichtenverkeer (iWmo/iJw) about this zaak: backoffice/berichten.py
        "berichten": db.scalars(select(Bericht).where(Bericht.zaak_id == zaak.id).options(defer(Bericht.xml))
                                .order_by(Bericht.id)).all(),
        # Questions to the inwoner: backoffice/vragen.py
        "vragen": vragen,
        "mag_vragen": mag_vragen(a, zaak),
        # What the inwoner sees in the portal, from the same read model (domain/leesmodel.py)
        "beeld": zaakbeeld(db, zaak, tijd.vandaag(), historie=historie, termijnen=termijnen, vragen=vragen),
        "toekenning": wat_u_krijgt(db, zaak),  # the portal's "Wat u krijgt" (domain/toegekend.py)
        # Kenmerken and linked zaken: backoffice/kenmerken.py
        **zaak_extra(zaak, zaaktype),
    }


@bp.get("/zaken/<int:zaak_id>")
def zaak(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    db = get_session()
    context = _zaak_context(zaak)
    protocolleer(db, actor(), handeling=Handeling.LEZEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"Zaak {zaak.identificatie} geopend", doel="Behandeling zaak", inwoner_id=zaak.inwoner_id)
    db.commit()
    return render_template("backoffice/zaak.html", **context)


def _voer_uit_en_ga_terug(zaak: Zaak, code: str, gegevens: dict | None = None, versie: str | None = None):
    """Fire an overgang; on refusal the caller re-renders its form with the input kept."""
    db = get_session()
    ctx = voer_uit(db, actor(), zaak, code, verwachte_versie=als_id(versie), gegevens=gegevens or {},
                   diensten=diensten_uit(current_app.config["SETTINGS"]), toelichting=(gegevens or {}).get("toelichting"))
    flash(ctx.bevestiging, "ok")
    return naar_zaak_of_werk(zaak)


def naar_zaak_of_werk(zaak: Zaak):
    """After a step, back to the zaak; or, when the step ended this medewerker's sight of it (the toetser of a
    shielded zaak once the toetsing is done, administratie once it ordered), to their actions."""
    try:
        authz.zaak_voor(get_session(), actor(), zaak.id)
    except authz.NietGevonden:
        return redirect(url_for("backoffice.acties"))
    return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))


@bp.post("/zaken/<int:zaak_id>/actie/<code>")
def zaak_actie(zaak_id: int, code: str):
    """Overgangen without a form of their own: a button with the version the medewerker saw."""
    zaak = _zaak_of_404(zaak_id)
    form = KaleActieForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        overgang = zaaktype_van(zaak.zaaktype).overgang(code)
    except KeyError:
        abort(404)
    if overgang.formulier:
        abort(404)
    try:
        return _voer_uit_en_ga_terug(zaak, code, versie=form.versie.data)
    except OvergangFout as fout:
        flash(fout.melding, "fout")
        return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))


@bp.route("/zaken/<int:zaak_id>/toewijzen", methods=["GET", "POST"])
def zaak_toewijzen(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    db = get_session()
    form = ToewijzenForm(versie=zaak.versie)
    rollen = zaaktype_van(zaak.zaaktype).behandelaar_rollen
    kandidaten = [m for m in (zaak.team.leden if zaak.team else []) if m.actief and m.heeft_rol(*rollen)
                  and zaak.gemeente in m.gemeenten]
    form.behandelaar_id.choices = [(m.id, m.naam) for m in kandidaten]
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, "toewijzen", {"behandelaar_id": form.behandelaar_id.data}, form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Toewijzen aan een consulent",
                           knop="Toewijzen")


@bp.route("/zaken/<int:zaak_id>/gesprek", methods=["GET", "POST"])
def zaak_gesprek(zaak_id: int):
    return _afspraak_stap(zaak_id, "plan_gesprek", "Gesprek plannen en bevestiging sturen")


@bp.route("/zaken/<int:zaak_id>/hoorzitting", methods=["GET", "POST"])
def zaak_hoorzitting(zaak_id: int):
    return _afspraak_stap(zaak_id, "hoorzitting_plannen", "Hoorzitting plannen en uitnodiging sturen")


def _afspraak_stap(zaak_id: int, code: str, knop: str):
    """An overgang that plans an appointment (PlanAfspraak): its label is the title, its suggestion the text."""
    from domain.stappen import PlanAfspraak

    zaak = _zaak_of_404(zaak_id)
    overgang = zaaktype_van(zaak.zaaktype).overgang(code)
    titel = overgang.label
    form = GesprekForm(versie=zaak.versie)
    if request.method == "GET":
        form.voorbereiding.data = next((e.voorbereiding for e in overgang.effecten if isinstance(e, PlanAfspraak)), "")
    if form.validate_on_submit():
        start = dt.datetime.combine(form.datum.data, form.tijd.data, AMS).astimezone(dt.UTC)
        try:
            return _voer_uit_en_ga_terug(zaak, code, {
                "start": start, "duur_minuten": form.duur_minuten.data, "locatie": form.locatie.data,
                "video_link": form.video_link.data, "voorbereiding": form.voorbereiding.data}, form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel=titel, knop=knop)


@bp.route("/zaken/<int:zaak_id>/verslag", methods=["GET", "POST"])
def zaak_verslag(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    db = get_session()
    vorige = laatste_verslag(db, zaak.id)
    form = VerslagForm(obj=vorige) if request.method == "GET" and vorige else VerslagForm()
    if request.method == "GET" and not vorige:
        form.hulpvraag.data = zaak.hulpvraag
    bevindingen = {lg["leefgebied"]: lg["bevinding"] for lg in (vorige.leefgebieden if vorige else [])}
    if request.method == "POST":
        bevindingen = {lg: request.form.get(f"leefgebied-{i}", "").strip() for i, lg in enumerate(LEEFGEBIEDEN)}
        if form.validate_on_submit():
            invoer = VerslagInvoer(
                hulpvraag=form.hulpvraag.data, situatie=form.situatie.data, eigen_kracht=form.eigen_kracht.data,
                afweging=form.afweging.data, advies=form.advies.data,
                leefgebieden=[{"leefgebied": lg, "bevinding": b} for lg, b in bevindingen.items() if b])
            try:
                verslag = sla_verslag_op(db, actor(), zaak, invoer)
            except (OvergangFout, authz.Geweigerd) as fout:
                db.rollback()
                flash(getattr(fout, "melding", "U mag dit verslag niet aanpassen."), "fout")
            else:
                flash(f"Versie {verslag.versie} van het verslag is opgeslagen.", "ok")
                return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/verslag.html", zaak=zaak, form=form, leefgebieden=LEEFGEBIEDEN,
                           bevindingen=bevindingen, vorige=vorige)


@bp.route("/zaken/<int:zaak_id>/beschikking", methods=["GET", "POST"])
def zaak_besluit(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    db = get_session()
    producten = db.scalars(select(Product).where(Product.actief, Product.domein == zaaktype_van(zaak.zaaktype).productdomein)
                           .order_by(Product.naam)).all()
    vorige = lopend_besluit(db, zaak.id)
    form = BesluitForm()
    if request.method == "GET":
        form.wettelijke_grondslag.data = zaaktype_van(zaak.zaaktype).grondslag
    if request.method == "GET" and vorige and vorige.status == "concept":
        form.besluittype.data = vorige.besluittype
        form.onderbouwing.data = vorige.onderbouwing
        form.wettelijke_grondslag.data = vorige.wettelijke_grondslag
        for regel, v in zip(form.voorzieningen, vorige.voorzieningen, strict=False):
            regel.product_id.data, regel.volume.data, regel.frequentie.data = v.product_id, v.volume, v.frequentie
            regel.ingangsdatum.data, regel.einddatum.data, regel.leveringsvorm.data = v.ingangsdatum, v.einddatum, v.leveringsvorm
    for regel in form.voorzieningen:
        regel.product_id.choices = [(0, "Geen")] + [
            (p.id, f"{p.naam} ({p.categorie}/{p.productcode}, per {p.eenheid == '04' and 'uur' or 'eenheid'})") for p in producten]
    if form.validate_on_submit():
        regels, rijen = [], []  # rijen: the form row of each voorziening, for an error at its field
        fout_regel = False
        for i, regel in enumerate(form.voorzieningen, 1):
            if not regel.product_id.data:
                continue
            if not regel.volume.data or not regel.ingangsdatum.data:
                regel.volume.errors = list(regel.volume.errors) + [f"Regel {i}: vul volume en ingangsdatum in."]
                fout_regel = True
                continue
            regels.append(VoorzieningInvoer(product_id=regel.product_id.data, volume=regel.volume.data,
                                            frequentie=regel.frequentie.data, ingangsdatum=regel.ingangsdatum.data,
                                            einddatum=regel.einddatum.data, leveringsvorm=regel.leveringsvorm.data))
            rijen.append(i - 1)
        if not fout_regel:
            try:
                sla_besluit_op(db, actor(), zaak, besluittype=form.besluittype.data, onderbouwing=form.onderbouwing.data,
                               wettelijke_grondslag=form.wettelijke_grondslag.data or "", voorzieningen=regels)
            except OvergangFout as fout:
                if fout.veld and fout.veld.startswith("voorzieningen."):
                    _, nr, naam = fout.veld.split(".")
                    fout.veld = f"voorzieningen.{rijen[int(nr)]}.{naam}"
                toon_fout(form, fout)
            except authz.Geweigerd:
                db.rollback()
                flash("U mag deze beschikking niet opstellen.", "fout")
            else:
                flash("De concept-beschikking is opgeslagen. Rond haar af als ze klaar is.", "ok")
                return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/besluit.html", zaak=zaak, form=form, vorige=vorige)


@bp.route("/zaken/<int:zaak_id>/afkeuren", methods=["GET", "POST"])
def zaak_afkeuren(zaak_id: int):
    return _reden_stap(zaak_id, "afkeuren", "Beschikking afkeuren", "Terugsturen naar de consulent",
                       "Schrijf op wat er moet veranderen. De consulent ziet deze reden.")


@bp.route("/zaken/<int:zaak_id>/advies", methods=["GET", "POST"])
def zaak_advies(zaak_id: int):
    return _reden_stap(zaak_id, "advies_vastleggen", "Advies bezwaarcommissie vastleggen", "Advies vastleggen",
                       "Neem het advies van de bezwaarcommissie over, of vat het samen.")


@bp.route("/zaken/<int:zaak_id>/beslissen", methods=["GET", "POST"])
def zaak_beslissen(zaak_id: int):
    from .forms import BeslisOpBezwaarForm

    zaak = _zaak_of_404(zaak_id)
    form = BeslisOpBezwaarForm(versie=zaak.versie)
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, "beslissen", {"uitkomst": form.uitkomst.data,
                                                             "motivering": form.motivering.data}, form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Beslissen op bezwaar",
                           knop="Beslissing vaststellen en versturen")


@bp.route("/zaken/<int:zaak_id>/stap/<code>", methods=["GET", "POST"])
def zaak_stap(zaak_id: int, code: str):
    """Any overgang whose zaaktype asks one question of the medewerker (`Overgang.vraag`)."""
    zaak = _zaak_of_404(zaak_id)
    try:
        overgang = zaaktype_van(zaak.zaaktype).overgang(code)
    except KeyError:
        abort(404)
    if not overgang.vraag:
        abort(404)
    from .kenmerken import kiest_zaaktype, overdracht_stap

    if kiest_zaaktype(overgang):
        return overdracht_stap(zaak, overgang)
    return _reden_stap(zaak_id, code, overgang.label, overgang.label, None, vraag=overgang.vraag)


@bp.route("/zaken/<int:zaak_id>/afsluiten", methods=["GET", "POST"])
def zaak_afsluiten(zaak_id: int):
    return _reden_stap(zaak_id, "afsluiten", "Zaak afsluiten", "Zaak afsluiten", "Waarom wordt de zaak afgesloten?")


def _reden_stap(zaak_id: int, code: str, titel: str, knop: str, uitleg: str | None, *, vraag: str | None = None):
    """A step that asks one text; `vraag` (the zaaktype's question) is then the field's label instead of "Reden"."""
    zaak = _zaak_of_404(zaak_id)
    form = RedenForm(versie=zaak.versie)
    if vraag:
        form.reden.label.text = vraag
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, code, {"reden": form.reden.data, "toelichting": form.reden.data},
                                         form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel=titel, knop=knop, uitleg=uitleg)


@bp.get("/documenten/<int:versie_id>")
def document(versie_id: int):
    db = get_session()
    versie = db.get(DocumentVersie, versie_id)
    if versie is None or versie.document.zaak_id is None:
        abort(404)
    zaak = _zaak_of_404(versie.document.zaak_id)
    if not mag_lezen(actor(), zaak, versie.document):
        abort(404)
    protocolleer(db, actor(), handeling=Handeling.LEZEN, object_type="document", object_id=versie.id,
                 omschrijving=f"Document '{versie.document.titel}' v{versie.versie} geopend ({zaak.identificatie})",
                 doel="Behandeling zaak", inwoner_id=zaak.inwoner_id)
    db.commit()
    from io import BytesIO

    return send_file(BytesIO(versie.inhoud), mimetype=versie.mediatype, download_name=versie.bestandsnaam,
                     as_attachment=request.args.get("download") == "1")
