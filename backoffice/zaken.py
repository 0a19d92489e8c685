"""Backoffice: team toegang (inwoner zoeken, contact, melding), werkvoorraad, zaak and its steps, queues."""
from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from app.db import get_session
from app.diensten import diensten_uit
from domain import authz
from domain.inwoners import GemeenteNietAangesloten, uit_brp
from domain.leesmodel import zaakbeeld
from domain.models import Bericht  # berichtenverkeer
from domain.models import (
    Actie, Afspraak, Bezwaarschrift, Document, DocumentVersie, Inwoner, Klantcontact, Medewerker, Notificatie, Product, StatusHistorie,
    Team, Termijn, Zaak,
)
from domain.processes import zaaktype_van
from domain.protocol import Handeling, protocolleer
from domain.stappen import laatste_verslag, lopend_besluit
from domain.vragen import mag_vragen, vragen_van
from domain import tijd
from domain.workflow import OvergangFout, beschikbare_overgangen, voer_uit
from domain.zaken import (
    LEEFGEBIEDEN, VerslagInvoer, VoorzieningInvoer, besluit_opstellen_kan, registreer_contact, registreer_melding, sla_besluit_op,
    sla_verslag_op, verslag_schrijven_kan,
)
from integrations.brp import get_brp

from . import bp
from .forms import (
    BesluitForm, BulkToewijzenForm, ContactForm, GesprekForm, InwonerZoekForm, KaleActieForm, RedenForm, ToewijzenForm,
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
        brp = get_brp()
        if form.bsn.data:
            persoon = brp.zoek_bsn(form.bsn.data)
            gevonden = [persoon] if persoon else []
        else:
            gevonden = brp.zoek_naam(form.geslachtsnaam.data, form.geboortedatum.data)
        db = get_session()
        protocolleer(db, a, handeling=Handeling.ZOEKEN, object_type="brp",
                     omschrijving=f"BRP bevraagd ({'op BSN' if form.bsn.data else 'op naam en geboortedatum'}), "
                                  f"{len(gevonden)} resultaat", doel="Toegang sociaal domein: inwoner identificeren")
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
                try:
                    authz.zaak_voor(db, a, zaak.id)
                except authz.NietGevonden:
                    # Team toegang hands the melding over and may not open it: back to the inwoner's page.
                    return redirect(url_for("backoffice.inwoner", inwoner_id=inwoner.id))
                return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    zaken = db.scalars(authz.zichtbare_zaken(a).where(Zaak.inwoner_id == inwoner.id)
                       .options(joinedload(Zaak.team), joinedload(Zaak.behandelaar))
                       .order_by(Zaak.startdatum.desc())).all()
    alle_zaken = db.scalar(select(func.count()).select_from(Zaak).where(Zaak.inwoner_id == inwoner.id))
    contacten = db.scalars(select(Klantcontact).where(Klantcontact.inwoner_id == inwoner.id)
                           .options(joinedload(Klantcontact.medewerker))
                           .order_by(Klantcontact.tijdstip.desc()).limit(20)).all()
    protocolleer(db, a, handeling=Handeling.LEZEN, object_type="inwoner", object_id=inwoner.id,
                 omschrijving="Inwonerdossier (3D-overzicht) bekeken", doel="Toegang en behandeling sociaal domein",
                 inwoner_id=inwoner.id)
    db.commit()
    return render_template("backoffice/inwoner.html", inwoner=inwoner, form=form, zaken=zaken, contacten=contacten,
                           verborgen=alle_zaken - len(zaken), mag_melden=authz.mag(a, "melding.registreren"))


def meldbare_zaaktypen(db, gemeente_id: int) -> list[tuple[str, str]]:
    """What a melding can be for in this gemeente: every zaaktype that can be melded and has a team there."""
    from domain.configuratie import behandelend_team
    from domain.processes import zaaktypen

    return [(code, z.naam) for code, z in zaaktypen().items()
            if z.meldbaar and behandelend_team(db, code, gemeente_id) is not None]


# --- Werkvoorraad ----------------------------------------------------------------------------------------------


def _consulenten(db, team_ids, gemeente_ids):
    return db.scalars(select(Medewerker).join(Medewerker.teams).where(Team.id.in_(team_ids), Medewerker.actief)
                      .options(selectinload(Medewerker.gemeenten)).order_by(Medewerker.naam).distinct()).all()


@bp.route("/werkvoorraad", methods=["GET", "POST"])
def werkvoorraad():
    """The team werkvoorraad for the teamoverleg, and 'mijn werkvoorraad'. Sorted by deadline; keyset paging on
    (deadline, id) so page 50 costs what page 1 costs."""
    a = actor()
    if not authz.mag(a, "werkvoorraad.bekijken"):
        abort(403)
    db = get_session()
    weergave = request.args.get("weergave", "team")
    status = request.args.get("status", "")
    alleen_open = request.args.get("onverdeeld") == "1"
    stmt = authz.zichtbare_zaken(a).where(Zaak.afgesloten.is_(False))
    if weergave == "mijn":
        stmt = stmt.where(Zaak.behandelaar_id == a.id)
    elif a.team_ids:
        stmt = stmt.where(Zaak.team_id.in_(a.team_ids)) if not a.heeft_rol(*authz.BREED_ZICHT) else stmt
    if status:
        stmt = stmt.where(Zaak.status == status)
    if alleen_open:
        stmt = stmt.where(Zaak.behandelaar_id.is_(None))
    deadline = func.coalesce(Zaak.uiterlijke_einddatum, dt.date(9999, 12, 31))
    na = request.args.get("na", "")
    if na:
        try:
            na_datum, na_id = na.split("_")
            stmt = stmt.where(tuple_(deadline, Zaak.id) > (dt.date.fromisoformat(na_datum), int(na_id)))
        except ValueError:
            abort(400)
    zaken = db.scalars(stmt.options(joinedload(Zaak.gemeente), joinedload(Zaak.inwoner), joinedload(Zaak.behandelaar),
                                    joinedload(Zaak.team))
                       .order_by(deadline, Zaak.id).limit(PAGINA + 1)).unique().all()
    volgende = None
    if len(zaken) > PAGINA:
        laatste = zaken[PAGINA - 1]
        volgende = f"{(laatste.uiterlijke_einddatum or dt.date(9999, 12, 31)).isoformat()}_{laatste.id}"
        zaken = zaken[:PAGINA]
    bulk = BulkToewijzenForm()
    bulk.behandelaar_id.choices = [(m.id, m.naam) for m in _consulenten(db, a.team_ids, a.gemeente_ids)
                                   if m.heeft_rol(*authz.CONSULENT_ROLLEN)] or [(0, "Geen consulenten")]
    if request.method == "POST":
        if not authz.mag(a, "zaak.toewijzen"):
            abort(403)
        if bulk.validate_on_submit():
            gekozen = [int(z) for z in request.form.getlist("zaak") if z.isdigit()]
            if not gekozen:
                flash("Kies eerst één of meer zaken.", "fout")
            else:
                gelukt, fouten = 0, []
                for zaak in db.scalars(authz.zichtbare_zaken(a).where(Zaak.id.in_(gekozen))).all():
                    try:
                        voer_uit(db, a, zaak, "toewijzen", verwachte_versie=None,
                                 gegevens={"behandelaar_id": bulk.behandelaar_id.data})
                        gelukt += 1
                    except OvergangFout as fout:
                        fouten.append(f"{zaak.identificatie}: {fout.melding}")
                if gelukt:
                    flash(f"{gelukt} zaak/zaken toegewezen.", "ok")
                for f in fouten:
                    flash(f, "fout")
            return redirect(request.full_path)
    return render_template("backoffice/werkvoorraad.html", zaken=zaken, volgende=volgende, weergave=weergave,
                           status=status, onverdeeld=alleen_open, bulk=bulk, vandaag=tijd.vandaag(),
                           statussen=_statussen_van_teams(db, a), mag_toewijzen=authz.mag(a, "zaak.toewijzen"))


def _statussen_van_teams(db, a) -> list:
    """The statuses to filter on: those of the zaaktypen the medewerker's teams handle (all, for a role that works
    across teams), each code once."""
    from domain.processes import zaaktypen

    if a.heeft_rol(*authz.BREED_ZICHT) or not a.team_ids:
        codes = list(zaaktypen())
    else:
        codes = [c for t in db.scalars(select(Team).where(Team.id.in_(a.team_ids))) for c in (t.zaaktypen or [])]
    gezien: dict[str, object] = {}
    for code in codes:
        try:
            definitie = zaaktype_van(code)
        except KeyError:
            continue  # a team may already list a zaaktype whose definition is still to come
        for s in definitie.statussen:
            gezien.setdefault(s.code, s)
    return list(gezien.values())


# --- The zaak and its steps -------------------------------------------------------------------------------------


def _zaak_context(zaak: Zaak) -> dict:
    db = get_session()
    a = actor()
    zaaktype = zaaktype_van(zaak.zaaktype)
    andere = db.scalars(select(Zaak).where(Zaak.inwoner_id == zaak.inwoner_id, Zaak.id != zaak.id)
                        .order_by(Zaak.startdatum.desc())).all()
    zichtbaar = set(db.scalars(authz.zichtbare_zaken(a).with_only_columns(Zaak.id)
                               .where(Zaak.inwoner_id == zaak.inwoner_id)))
    return {
        "zaak": zaak, "zaaktype": zaaktype,
        "verslag_schrijven": verslag_schrijven_kan(zaak), "besluit_opstellen": besluit_opstellen_kan(zaak),
        "overgangen": beschikbare_overgangen(zaaktype, a, zaak),
        "historie": db.scalars(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id).order_by(StatusHistorie.id)).all(),
        "termijnen": db.scalars(select(Termijn).where(Termijn.zaak_id == zaak.id).order_by(Termijn.id)).all(),
        "afspraken": db.scalars(select(Afspraak).where(Afspraak.zaak_id == zaak.id).order_by(Afspraak.start)).all(),
        "contacten": db.scalars(select(Klantcontact).where(Klantcontact.zaak_id == zaak.id).order_by(Klantcontact.tijdstip.desc())).all(),
        "documenten": db.scalars(select(Document).where(Document.zaak_id == zaak.id).options(selectinload(Document.versies)).order_by(Document.id)).all(),
        "verslag": laatste_verslag(db, zaak.id),
        "besluit": lopend_besluit(db, zaak.id),
        "acties": db.scalars(select(Actie).where(Actie.zaak_id == zaak.id).order_by(Actie.id)).all(),
        "andere_zaken": [(z, z.id in zichtbaar) for z in andere],
        "bezwaarschrift": db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == zaak.id)),
        "kale_actie": KaleActieForm(versie=zaak.versie),
        "vandaag": tijd.vandaag(),
        # Berichtenverkeer (iWmo/iJw) about this zaak: backoffice/berichten.py
        "berichten": db.scalars(select(Bericht).where(Bericht.zaak_id == zaak.id).order_by(Bericht.id)).all(),
        # Questions to the inwoner: backoffice/vragen.py
        "vragen": vragen_van(db, zaak),
        "mag_vragen": mag_vragen(a, zaak),
        # What the inwoner sees in the portal, from the same read model (domain/leesmodel.py)
        "beeld": zaakbeeld(db, zaak, tijd.vandaag()),
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
    try:
        verwacht = int(versie) if versie else None
    except ValueError:
        verwacht = None
    voer_uit(db, actor(), zaak, code, verwachte_versie=verwacht, gegevens=gegevens or {},
             diensten=diensten_uit(current_app.config["SETTINGS"]), toelichting=(gegevens or {}).get("toelichting"))
    flash(zaaktype_van(zaak.zaaktype).overgang(code).bevestiging, "ok")
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
            db.rollback()
            flash(fout.melding, "fout")
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Toewijzen aan een consulent",
                           knop="Toewijzen")


@bp.route("/zaken/<int:zaak_id>/gesprek", methods=["GET", "POST"])
def zaak_gesprek(zaak_id: int):
    return _afspraak_stap(zaak_id, "plan_gesprek", "Keukentafelgesprek plannen", "Gesprek plannen en bevestiging sturen")


@bp.route("/zaken/<int:zaak_id>/hoorzitting", methods=["GET", "POST"])
def zaak_hoorzitting(zaak_id: int):
    return _afspraak_stap(zaak_id, "hoorzitting_plannen", "Hoorzitting plannen", "Hoorzitting plannen en uitnodiging sturen")


def _afspraak_stap(zaak_id: int, code: str, titel: str, knop: str):
    zaak = _zaak_of_404(zaak_id)
    form = GesprekForm(versie=zaak.versie)
    if code == "hoorzitting_plannen" and request.method == "GET":
        form.voorbereiding.data = ("U kunt op de hoorzitting uitleggen waarom u het niet eens bent met het besluit. "
                                   "U mag iemand meenemen. Kunt u niet komen? Laat het ons weten.")
    if form.validate_on_submit():
        start = dt.datetime.combine(form.datum.data, form.tijd.data, AMS).astimezone(dt.UTC)
        try:
            return _voer_uit_en_ga_terug(zaak, code, {
                "start": start, "duur_minuten": form.duur_minuten.data, "locatie": form.locatie.data,
                "video_link": form.video_link.data, "voorbereiding": form.voorbereiding.data}, form.versie.data)
        except OvergangFout as fout:
            get_session().rollback()
            flash(fout.melding, "fout")
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
    producten = db.scalars(select(Product).where(Product.actief, Product.domein == zaaktype_van(zaak.zaaktype).domein)
                           .order_by(Product.naam)).all()
    vorige = lopend_besluit(db, zaak.id)
    form = BesluitForm()
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
        regels = []
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
        if not fout_regel:
            try:
                sla_besluit_op(db, actor(), zaak, besluittype=form.besluittype.data, onderbouwing=form.onderbouwing.data,
                               wettelijke_grondslag=form.wettelijke_grondslag.data or "", voorzieningen=regels)
            except (OvergangFout, authz.Geweigerd) as fout:
                db.rollback()
                flash(getattr(fout, "melding", "U mag deze beschikking niet opstellen."), "fout")
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
            get_session().rollback()
            flash(fout.melding, "fout")
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
    return _reden_stap(zaak_id, code, overgang.label, overgang.label, overgang.vraag)


@bp.route("/zaken/<int:zaak_id>/afsluiten", methods=["GET", "POST"])
def zaak_afsluiten(zaak_id: int):
    return _reden_stap(zaak_id, "afsluiten", "Zaak afsluiten", "Zaak afsluiten", "Waarom wordt de zaak afgesloten?")


def _reden_stap(zaak_id: int, code: str, titel: str, knop: str, uitleg: str):
    zaak = _zaak_of_404(zaak_id)
    form = RedenForm(versie=zaak.versie)
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, code, {"reden": form.reden.data, "toelichting": form.reden.data},
                                         form.versie.data)
        except OvergangFout as fout:
            get_session().rollback()
            flash(fout.melding, "fout")
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel=titel, knop=knop, uitleg=uitleg)


@bp.get("/documenten/<int:versie_id>")
def document(versie_id: int):
    db = get_session()
    versie = db.get(DocumentVersie, versie_id)
    if versie is None or versie.document.zaak_id is None:
        abort(404)
    zaak = _zaak_of_404(versie.document.zaak_id)
    protocolleer(db, actor(), handeling=Handeling.LEZEN, object_type="document", object_id=versie.id,
                 omschrijving=f"Document '{versie.document.titel}' v{versie.versie} geopend ({zaak.identificatie})",
                 doel="Behandeling zaak", inwoner_id=zaak.inwoner_id)
    db.commit()
    from io import BytesIO

    return send_file(BytesIO(versie.inhoud), mimetype=versie.mediatype, download_name=versie.bestandsnaam,
                     as_attachment=request.args.get("download") == "1")


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
    stmt = (select(Actie).outerjoin(Zaak, Actie.zaak_id == Zaak.id).outerjoin(Bericht, Actie.bericht_id == Bericht.id)
            .where(Actie.afgerond.is_(None), Actie.team_id.in_(a.team_ids or {-1}),
                   or_(Zaak.gemeente_id.in_(gemeenten), and_(Actie.zaak_id.is_(None), Bericht.gemeente_id.in_(gemeenten)),
                       and_(Actie.zaak_id.is_(None), Actie.klantcontact_id.in_(van_inwoners))))
            .options(joinedload(Actie.team)).order_by(Actie.aangemaakt))
    na = request.args.get("na", type=int)
    if na:
        stmt = stmt.where(Actie.id > na)
    rijen = db.scalars(stmt.limit(PAGINA + 1)).all()
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
        for n in db.scalars(select(Notificatie).where(Notificatie.medewerker_id == a.id, Notificatie.gelezen.is_(None))):
            n.gelezen = dt.datetime.now(dt.UTC)
        db.commit()
        flash("Alle meldingen zijn als gelezen gemarkeerd.", "ok")
        return redirect(url_for("backoffice.meldingen"))
    stmt = select(Notificatie).where(Notificatie.medewerker_id == a.id)
    na = request.args.get("na", type=int)
    if na:
        stmt = stmt.where(Notificatie.id < na)
    rijen = db.scalars(stmt.order_by(Notificatie.id.desc()).limit(PAGINA + 1)).all()
    volgende = rijen[PAGINA - 1].id if len(rijen) > PAGINA else None
    return render_template("backoffice/meldingen.html", meldingen=rijen[:PAGINA], volgende=volgende,
                           form=KaleActieForm())


@bp.get("/termijnen")
def termijnen():
    """For teamleiders: every running term, every overdue zaak with any dwangsom, and the trend per team."""
    from domain.termijnbewaking import beslistermijnen, dwangsom_van, trend_per_team

    a = actor()
    if not authz.mag(a, "termijnen.overzicht"):
        abort(403)
    db = get_session()
    vandaag = tijd.vandaag()
    stmt = (select(Termijn, Zaak).join(Zaak, Termijn.zaak_id == Zaak.id)
            .where(Termijn.gestopt_op.is_(None), Zaak.gemeente_id.in_(a.gemeente_ids or {-1}), Zaak.afgesloten.is_(False))
            .options(joinedload(Zaak.team), joinedload(Zaak.inwoner), joinedload(Zaak.behandelaar))
            .order_by(Termijn.einddatum, Termijn.id))
    na = request.args.get("na", "")
    if na:
        try:
            na_datum, na_id = na.split("_")
            stmt = stmt.where(tuple_(Termijn.einddatum, Termijn.id) > (dt.date.fromisoformat(na_datum), int(na_id)))
        except ValueError:
            abort(400)
    rijen = db.execute(stmt.limit(PAGINA + 1)).all()
    volgende = None
    if len(rijen) > PAGINA:
        t = rijen[PAGINA - 1][0]
        volgende = f"{t.einddatum.isoformat()}_{t.id}"
        rijen = rijen[:PAGINA]
    dwangsommen = {z.id: dwangsom_van(db, z, vandaag) for _, z in rijen if z.ingebreke_gesteld_op}
    trend = trend_per_team(db, a.gemeente_ids, vandaag)
    hoogste = max([n for t in trend for _, n in t.weken] + [1])
    return render_template("backoffice/termijnen.html", rijen=rijen, volgende=volgende, vandaag=vandaag,
                           dwangsommen=dwangsommen, trend=trend, hoogste=hoogste, beslistermijnen=beslistermijnen(),
                           binnenkort=vandaag + dt.timedelta(days=5))
