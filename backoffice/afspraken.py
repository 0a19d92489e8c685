"""Backoffice: recording that an appointment took place (gesprek, huisbezoek, hoorzitting), and for a bezwaar why
horen is not needed (Awb 7:3). Planning and cancelling go through the shared step forms in backoffice/zaken.py."""
from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from app.db import get_session
from domain import tijd
from domain.afspraken import LegAfspraakVast, vastleggen_codes
from domain.models import Afspraak
from domain.processes import zaaktype_van
from domain.tijd import datum_van
from domain.workflow import OvergangFout

from . import bp
from .formfout import toon_fout
from .forms import AfspraakGehoudenForm, HorenAchterwegeForm
from .zaken import _voer_uit_en_ga_terug, _zaak_of_404


@bp.route("/zaken/<int:zaak_id>/vastleggen/<code>", methods=["GET", "POST"])
def zaak_vastleggen(zaak_id: int, code: str):
    zaak = _zaak_of_404(zaak_id)
    zaaktype = zaaktype_van(zaak.zaaktype)
    if code not in vastleggen_codes(zaaktype):
        abort(404)
    overgang = zaaktype.overgang(code)
    soort = next(e.soort for e in overgang.effecten if isinstance(e, LegAfspraakVast))
    gepland = get_session().scalar(select(Afspraak).where(
        Afspraak.zaak_id == zaak.id, Afspraak.soort == soort, Afspraak.geannuleerd.is_(False),
        Afspraak.gehouden_op.is_(None)).order_by(Afspraak.start.desc()).limit(1))
    form = AfspraakGehoudenForm(versie=zaak.versie)
    if not form.is_submitted():
        form.gehouden_op.data = min(datum_van(gepland.start), tijd.vandaag()) if gepland else tijd.vandaag()
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, code, {
                "gehouden_op": form.gehouden_op.data, "aanwezig": form.aanwezig.data, "verslag": form.verslag.data,
                "toelichting": f"{soort.capitalize()} gehouden op {form.gehouden_op.data:%d-%m-%Y}"}, form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    uitleg = (f"Gepland: {soort} op {gepland.start:%d-%m-%Y}. Vul in wanneer het was, wie er bij waren en wat er is "
              "besproken." if gepland else None)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel=overgang.label, knop="Vastleggen",
                           uitleg=uitleg)


@bp.route("/zaken/<int:zaak_id>/horen-achterwege", methods=["GET", "POST"])
def zaak_horen_achterwege(zaak_id: int):
    from domain.processes.bezwaar import HOREN_ACHTERWEGE

    zaak = _zaak_of_404(zaak_id)
    try:
        zaaktype_van(zaak.zaaktype).overgang("horen_achterwege")
    except KeyError:
        abort(404)
    form = HorenAchterwegeForm(versie=zaak.versie)
    form.grond.choices = list(HOREN_ACHTERWEGE.items())
    if form.validate_on_submit():
        try:
            return _voer_uit_en_ga_terug(zaak, "horen_achterwege", {
                "grond": form.grond.data, "toelichting": form.toelichting.data}, form.versie.data)
        except OvergangFout as fout:
            toon_fout(form, fout)
    return render_template("backoffice/stap.html", zaak=zaak, form=form, titel="Horen is niet nodig",
                           knop="Vastleggen", uitleg=("De indiener wordt gehoord voordat u beslist (Awb, artikel "
                                                      "7:2). Alleen in deze gevallen mag dat niet: kies de reden."))
