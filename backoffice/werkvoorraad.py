"""Backoffice: the team werkvoorraad for the teamoverleg and 'mijn werkvoorraad', with bulk toewijzen."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request

from app.db import get_session
from app.parameters import ids_uit, keyset_param, keyset_tekst
from domain import authz, tijd
from domain.medewerkers import behandelaars
from domain.models import Zaak
from domain.processes import zaaktype_van
from domain.teksten import aantal
from domain.werkvoorraad import pagina as werkvoorraad_pagina
from domain.werkvoorraad import zaaktypen_van_teams
from domain.workflow import OvergangFout, voer_uit

from . import bp
from .forms import BulkToewijzenForm
from .zaken import actor

PAGINA = 25


# --- Werkvoorraad ----------------------------------------------------------------------------------------------


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
    zaken, cursor = werkvoorraad_pagina(db, a, weergave=weergave, status=status, onverdeeld=alleen_open,
                                        na=keyset_param("na"), grootte=PAGINA)
    volgende = keyset_tekst(cursor)
    bulk = BulkToewijzenForm()
    bulk.behandelaar_id.choices = (behandelaars(db, a.team_ids, authz.CONSULENT_ROLLEN)
                                   or [(0, "Geen consulenten")])
    if request.method == "POST":
        if not authz.mag(a, "zaak.toewijzen"):
            abort(403)
        if bulk.validate_on_submit():
            gekozen = ids_uit(request.form.getlist("zaak"))
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
                    flash(f"{aantal(gelukt, 'zaak', 'zaken')} toegewezen aan "
                          f"{dict(bulk.behandelaar_id.choices).get(bulk.behandelaar_id.data, 'de consulent')}.", "ok")
                for f in fouten:
                    flash(f, "fout")
            return redirect(request.full_path)
    return render_template("backoffice/werkvoorraad.html", zaken=zaken, volgende=volgende, weergave=weergave,
                           status=status, onverdeeld=alleen_open, bulk=bulk, vandaag=tijd.vandaag(),
                           statussen=_statussen_van_teams(db, a), mag_toewijzen=authz.mag(a, "zaak.toewijzen"))


def _statussen_van_teams(db, a) -> list:
    """The statuses to filter on: those of the zaaktypen the werkvoorraad shows (its teams' zaaktypen; all, for a
    team that names none), from their definitions, each code once."""
    from domain.processes import zaaktypen

    codes = zaaktypen_van_teams(db, a) or list(zaaktypen())
    gezien: dict[str, object] = {}
    for code in codes:
        try:
            definitie = zaaktype_van(code)
        except KeyError:
            continue  # a team may already list a zaaktype whose definition is still to come
        for s in definitie.statussen:
            gezien.setdefault(s.code, s)
    return list(gezien.values())

