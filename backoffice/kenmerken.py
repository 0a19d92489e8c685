"""Backoffice: a zaak's kenmerken (zaakeigenschappen) and its linked zaken, and a melding for another team made
from the zaak, either on its own or as the zaaktype's step that hands the zaak over (domain/relaties.py)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from app.db import get_session
from app.parameters import als_id
from app.diensten import diensten_uit
from domain import authz, eigenschappen
from domain.effects import StartGekoppeldeZaak
from domain.processes import zaaktype_van
from domain.relaties import meld_voor_ander_team
from domain.workflow import OvergangFout, voer_uit

from . import bp
from .forms import MeldingAnderTeamForm, kenmerken_form
from .toegang import meldbare_zaaktypen
from .zaken import _zaak_context, _zaak_of_404, actor


def zaak_extra(zaak, zaaktype) -> dict:
    """What the zaak page shows of this module: kenmerken (with their form when the medewerker may edit them) and
    the linked zaken with whether the medewerker may open them."""
    from domain.relaties import gekoppelde_zaken
    from domain.models import Zaak

    db = get_session()
    a = actor()
    koppelingen = gekoppelde_zaken(db, zaak)
    ids = [k.zaak.id for k in koppelingen]
    zichtbaar = set(db.scalars(authz.zichtbare_zaken(a).with_only_columns(Zaak.id).where(Zaak.id.in_(ids)))) if ids else set()
    form = None
    if zaaktype.eigenschappen and eigenschappen.mag_wijzigen(a, zaak):
        form = kenmerken_form(zaaktype.eigenschappen, eigenschappen.waarden(db, zaak))
        form.versie.data = zaak.versie
    return {
        "kenmerken": eigenschappen.overzicht(db, zaak, zaaktype),
        "kenmerken_form": form,
        "koppelingen": [(k, k.zaak.id in zichtbaar) for k in koppelingen],
        "mag_melden_ander_team": not zaak.afgesloten and authz.mag(a, "melding.registreren"),
    }


@bp.post("/zaken/<int:zaak_id>/kenmerken")
def zaak_kenmerken(zaak_id: int):
    zaak = _zaak_of_404(zaak_id)
    zaaktype = zaaktype_van(zaak.zaaktype)
    db = get_session()
    form = kenmerken_form(zaaktype.eigenschappen, {}, formdata=request.form)
    if not form.validate_on_submit():
        abort(400)
    versie = als_id(form.versie.data)
    try:
        veranderd = eigenschappen.leg_vast(db, actor(), zaak, {e.code: form[e.code].data for e in zaaktype.eigenschappen},
                                           verwachte_versie=versie, zaaktype=zaaktype)
    except authz.Geweigerd:
        abort(403)
    except eigenschappen.EigenschapFout as fout:
        for code, melding in fout.fouten.items():
            form[code].errors = [melding]
        context = _zaak_context(zaak)
        context["kenmerken_form"] = form
        return render_template("backoffice/zaak.html", **context), 422
    except OvergangFout as fout:
        flash(fout.melding, "fout")
        return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    flash("De kenmerken zijn opgeslagen." if veranderd else "Er is niets veranderd aan de kenmerken.", "ok")
    return redirect(url_for("backoffice.zaak", zaak_id=zaak.id) + "#kop-kenmerken")


def _melding_form(zaak) -> MeldingAnderTeamForm:
    form = MeldingAnderTeamForm(versie=zaak.versie)
    eigen = set(zaak.team.zaaktypen or []) if zaak.team else {zaak.zaaktype}
    form.zaaktype.choices = [("", "Kies ...")] + [(c, n) for c, n in meldbare_zaaktypen(get_session(), zaak.gemeente_id)
                                                  if c not in eigen]
    return form


def _gemeld(nieuw) -> None:
    flash(f"Melding {nieuw.identificatie} staat in de werkvoorraad van {nieuw.team.naam}. "
          "De inwoner krijgt een bevestiging.", "ok")


@bp.route("/zaken/<int:zaak_id>/melding-ander-team", methods=["GET", "POST"])
def zaak_melding_ander_team(zaak_id: int):
    """Any medewerker who may make meldingen makes one for another team from this zaak; both show the link."""
    zaak = _zaak_of_404(zaak_id)
    if not authz.mag(actor(), "melding.registreren") or zaak.afgesloten:
        abort(403)
    form = _melding_form(zaak)
    if form.validate_on_submit():
        db = get_session()
        try:
            nieuw = meld_voor_ander_team(db, actor(), zaak, zaaktype_code=form.zaaktype.data, hulpvraag=form.reden.data,
                                         diensten=diensten_uit(current_app.config["SETTINGS"]))
        except (OvergangFout, authz.Geweigerd) as fout:
            db.rollback()
            flash(getattr(fout, "melding", "Dit mag u niet doen."), "fout")
        else:
            _gemeld(nieuw)
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Melding voor een ander team",
                           knop="Melding maken",
                           uitleg="De melding komt in de werkvoorraad van het team dat deze hulp geeft. Beide zaken "
                                  "laten de koppeling zien.")


def kiest_zaaktype(overgang) -> bool:
    """An overgang that hands over to a zaaktype the medewerker chooses."""
    return any(isinstance(e, StartGekoppeldeZaak) and e.zaaktype is None for e in overgang.effecten)


def overdracht_stap(zaak, overgang):
    """The step form of such an overgang: the choice of melding and the hulpvraag, then the overgang fires."""
    form = _melding_form(zaak)
    if form.validate_on_submit():
        db = get_session()
        versie = als_id(form.versie.data)
        try:
            ctx = voer_uit(db, actor(), zaak, overgang.code, verwachte_versie=versie,
                           gegevens={"zaaktype": form.zaaktype.data, "reden": form.reden.data},
                           diensten=diensten_uit(current_app.config["SETTINGS"]), toelichting=form.reden.data)
        except OvergangFout as fout:
            flash(fout.melding, "fout")
        else:
            _gemeld(ctx.resultaat["gekoppelde_zaak"])
            flash(ctx.bevestiging, "ok")
            return redirect(url_for("backoffice.zaak", zaak_id=zaak.id))
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel=overgang.label, knop="Melding maken",
                           uitleg=overgang.vraag)
