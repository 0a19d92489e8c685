"""Effects and guards for appointments, shared by every zaaktype that has one (keukentafelgesprek, huisbezoek,
hoorzitting): plan (or move) it, record that it took place, cancel it with the reason told to the inwoner.

Why recording matters: an onderzoeksverslag reports a gesprek, so it goes to the inwoner only after the gesprek
took place; a bezwaar is decided only after the bezwaarmaker was heard (Awb 7:2) or horen was left out for a
reason the law allows (Awb 7:3, the bezwaar zaaktype)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .models import Afspraak
from .workflow import Context, Effect, OvergangFout

AMS = ZoneInfo("Europe/Amsterdam")


def _open_afspraken(ctx_of_session, zaak_id: int, soort: str) -> list[Afspraak]:
    """Planned, not cancelled, not yet recorded as held: the appointments still 'to come' (or just past)."""
    session = getattr(ctx_of_session, "session", ctx_of_session)
    return list(session.scalars(select(Afspraak).where(
        Afspraak.zaak_id == zaak_id, Afspraak.soort == soort, Afspraak.geannuleerd.is_(False),
        Afspraak.gehouden_op.is_(None)).order_by(Afspraak.start, Afspraak.id)))


def gehouden(session, zaak_id: int, soort: str) -> Afspraak | None:
    """The latest appointment of this kind recorded as held."""
    return session.scalar(select(Afspraak).where(
        Afspraak.zaak_id == zaak_id, Afspraak.soort == soort, Afspraak.gehouden_op.is_not(None))
        .order_by(Afspraak.gehouden_op.desc(), Afspraak.id.desc()).limit(1))


def is_gehouden(soort: str) -> Callable[[Context], bool]:
    """Guard check: an appointment of this kind took place."""
    return lambda ctx: gehouden(ctx.session, ctx.zaak.id, soort) is not None


def is_gepland(soort: str) -> Callable[[Context], bool]:
    """Guard check: an appointment of this kind is planned and not yet recorded."""
    return lambda ctx: bool(_open_afspraken(ctx, ctx.zaak.id, soort))


@dataclass(frozen=True)
class AfspraakStaat:
    """Where an appointment stands, the same words for inwoner and medewerker: planned, took place, past but not
    yet recorded, or not going ahead (with the reason the medewerker gave)."""

    code: str  # gepland, gehouden, voorbij, vervallen
    tekst: str
    komt_nog: bool  # still to come: only then "Kunt u niet? Bel …" makes sense


def staat(afspraak: Afspraak, nu: dt.datetime) -> AfspraakStaat:
    from .teksten import datum_nl

    if afspraak.geannuleerd:
        reden = (afspraak.annuleringsreden or "").strip()
        return AfspraakStaat("vervallen", f"Gaat niet door. {reden}".strip(), False)
    if afspraak.gehouden_op is not None:
        return AfspraakStaat("gehouden", f"Geweest op {datum_nl(afspraak.gehouden_op)}.", False)
    if afspraak.start < nu:
        return AfspraakStaat("voorbij", "Deze afspraak is voorbij.", False)
    return AfspraakStaat("gepland", "Gepland.", True)


def _datum_waarden(ctx: Context, afspraak: Afspraak) -> None:
    """The appointment's date, time and place for the letters about it ("dinsdag 5 mei 2026", "10:00")."""
    from .feestdagen import datum_tekst

    lokaal = afspraak.start.astimezone(AMS)
    ctx.resultaat["afspraak_datum"] = lokaal.date()
    ctx.resultaat["afspraak_dag"] = datum_tekst(lokaal.date())
    ctx.resultaat["afspraak_tijd"] = f"{lokaal:%H:%M}"
    ctx.resultaat["afspraak_plaats"] = afspraak.locatie or "Videogesprek"


@dataclass(frozen=True)
class PlanAfspraak(Effect):
    """Plan an appointment. One still to come of the same kind is moved: it is cancelled with "verzet naar …"
    (the letter of this overgang confirms the new date), so nobody sees two."""

    soort: str  # keukentafelgesprek, huisbezoek, hoorzitting
    # The suggested text "how to prepare" the medewerker sees in the form (and may change) for this kind of appointment.
    voorbereiding: str = ""

    def toepassen(self, ctx: Context) -> None:
        g = ctx.gegevens
        start: dt.datetime = g["start"]
        if start.astimezone(AMS).date() < ctx.vandaag:
            raise OvergangFout("Deze datum is al voorbij. Kies een datum vandaag of later.", veld="datum")
        if start < ctx.nu:
            raise OvergangFout("Dit tijdstip is al voorbij. Kies een later tijdstip.", veld="tijd")
        if not (g.get("locatie") or g.get("video_link")):
            raise OvergangFout("Vul een plaats of een videolink in.", veld="locatie")
        afspraak = Afspraak(zaak_id=ctx.zaak.id, soort=self.soort, start=start,
                            eind=start + dt.timedelta(minutes=int(g.get("duur_minuten") or 60)),
                            locatie=g.get("locatie") or None, video_link=g.get("video_link") or None,
                            voorbereiding=g.get("voorbereiding") or None,
                            medewerker_id=ctx.actor.id, aangemaakt=ctx.nu)
        for oud in _open_afspraken(ctx, ctx.zaak.id, self.soort):
            oud.geannuleerd = True
            oud.annuleringsreden = f"Verzet naar {_dag_tijd(start)}."
            ctx.resultaat["verzet"] = True
        ctx.session.add(afspraak)
        if ctx.zaak.behandelaar_id is None:
            ctx.zaak.behandelaar_id = ctx.actor.id
        ctx.session.flush()
        ctx.resultaat["afspraak_id"] = afspraak.id
        _datum_waarden(ctx, afspraak)
        ctx.resultaat["begin"] = start
        if afspraak.locatie:
            ctx.resultaat["locatie"] = afspraak.locatie
        if afspraak.video_link:
            ctx.resultaat["video_link"] = afspraak.video_link
        ctx.resultaat["medewerker_naam"] = ctx.actor.naam


def _dag_tijd(moment: dt.datetime) -> str:
    from .feestdagen import datum_tekst

    lokaal = moment.astimezone(AMS)
    return f"{datum_tekst(lokaal.date())} om {lokaal:%H:%M}"


@dataclass(frozen=True)
class LegAfspraakVast(Effect):
    """Record that the planned appointment took place: on which day (not in the future, not before it was planned),
    who were there, and a short verslag of what was said (for a hoorzitting: the verslag Awb 7:7 asks for)."""

    soort: str

    def toepassen(self, ctx: Context) -> None:
        g = ctx.gegevens
        open_ = _open_afspraken(ctx, ctx.zaak.id, self.soort)
        if not open_:
            raise OvergangFout("Er is geen geplande afspraak om vast te leggen. Plan eerst een afspraak.")
        afspraak = open_[-1]
        datum: dt.date | None = g.get("gehouden_op")
        if datum is None:
            raise OvergangFout("Vul de datum in waarop de afspraak was.", veld="gehouden_op")
        if datum > ctx.vandaag:
            raise OvergangFout("Deze datum ligt in de toekomst. Leg een afspraak vast nadat die is geweest.",
                               veld="gehouden_op")
        gepland_op = afspraak.aangemaakt.astimezone(AMS).date()
        if datum < gepland_op:
            raise OvergangFout(f"De afspraak is gepland op {gepland_op:%d-%m-%Y}. Hij kan niet eerder zijn geweest.",
                               veld="gehouden_op")
        aanwezig = (g.get("aanwezig") or "").strip()
        if not aanwezig:
            raise OvergangFout("Vul in wie er bij waren.", veld="aanwezig")
        verslag = (g.get("verslag") or "").strip()
        if not verslag:
            raise OvergangFout("Schrijf kort op wat er is besproken.", veld="verslag")
        afspraak.gehouden_op, afspraak.aanwezig, afspraak.verslag = datum, aanwezig, verslag
        for ander in open_[:-1]:  # an older one still open was evidently not the one that took place
            ander.geannuleerd, ander.annuleringsreden = True, "Vervangen door een latere afspraak."
        _datum_waarden(ctx, afspraak)


@dataclass(frozen=True)
class AnnuleerAfspraak(Effect):
    """Cancel the planned appointment; the reason (gegevens["reden"]) is kept and shown to the inwoner, and the
    date goes to this overgang's letter ("De hoorzitting van dinsdag 5 mei gaat niet door")."""

    soort: str

    def toepassen(self, ctx: Context) -> None:
        open_ = _open_afspraken(ctx, ctx.zaak.id, self.soort)
        if not open_:
            raise OvergangFout("Er is geen geplande afspraak om te annuleren.")
        reden = (ctx.gegevens.get("reden") or "").strip()
        if not reden:
            raise OvergangFout("Schrijf op waarom de afspraak niet doorgaat. De inwoner leest dit.", veld="reden")
        for afspraak in open_:
            afspraak.geannuleerd, afspraak.annuleringsreden = True, reden
        _datum_waarden(ctx, open_[0])
        ctx.resultaat["reden"] = reden


def vastleggen(code: str, soort: str, label: str, *, van: tuple[str, ...], naar: str | None, rollen: frozenset[str],
               bevestiging: str, effecten: tuple[Effect, ...] = ()):
    """The overgang "appointment took place" with its form (date, present, verslag); offered only while one of
    this kind is planned."""
    from .workflow import Guard, Overgang

    return Overgang(code, label, van=van, naar=naar, rollen=rollen, formulier=True,
                    guards=(Guard(is_gepland(soort), "Er is geen geplande afspraak om vast te leggen.", verberg=True),),
                    effecten=(LegAfspraakVast(soort), *effecten), bevestiging=bevestiging)


def vastleggen_codes(zaaktype) -> frozenset[str]:
    """The overgangen of this zaaktype that record an appointment as held (they share one form)."""
    return frozenset(o.code for o in zaaktype.overgangen if any(isinstance(e, LegAfspraakVast) for e in o.effecten))
