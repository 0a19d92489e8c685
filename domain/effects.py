"""Effects an overgang can have. Each is a small value object; the engine calls `toepassen` inside the
overgang's transaction, so either all of them happen together with the status change, or none."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from .models import Actie, Inwoner, Medewerker, Notificatie, Team, Termijn, Zaak
from .notificaties import titel
from .workflow import Context, Effect


def team_van(ctx: Context, spec: str) -> Team | None:
    """A team named in a zaaktype definition: a team code, "zaak" (the zaak's own team), "hoofdzaak" (the team of the zaak this one is about,
    e.g. the consulent's team for a bezwaar), or "instelling:<optie>" (the team the gemeente chose)."""
    if spec == "zaak":
        return ctx.zaak.team
    if spec == "hoofdzaak":
        from .models import Zaak

        hoofdzaak = ctx.session.get(Zaak, ctx.zaak.hoofdzaak_id) if ctx.zaak.hoofdzaak_id else None
        return hoofdzaak.team if hoofdzaak else None
    if spec.startswith("instelling:"):
        spec = ctx.variant.get(spec.split(":", 1)[1]) or ""
    return ctx.session.scalar(select(Team).where(Team.code == spec)) if spec else None


def _portaal_link(ctx: Context) -> str:
    return f"{ctx.diensten.portaal_url}/zaken/{ctx.zaak.id}"


@dataclass(frozen=True)
class MeldInwoner(Effect):
    """A notification in the portal, and an e-mail when the inwoner prefers e-mail. The mail says only that
    something is ready; the content stays behind the DigiD log-in."""

    sjabloon: str  # a mail template in templates/mail
    onderwerp: str
    tekst: str

    def toepassen(self, ctx: Context) -> None:
        if not ctx.zaaktype.in_portaal:
            # Nothing of such a zaak may show in the portal, not even as a notification (Regie Team): the inwoner
            # hears through the zaaktype's own channel (domain/beveiligde_mail.py).
            from .beveiligde_mail import meld_beveiligd

            meld_beveiligd(ctx, self.onderwerp, self.tekst)
            return
        inwoner = ctx.session.get(Inwoner, ctx.zaak.inwoner_id)
        ctx.session.add(Notificatie(inwoner_id=inwoner.id, zaak_id=ctx.zaak.id, onderwerp=self.onderwerp,
                                    tekst=self.tekst, link=f"/zaken/{ctx.zaak.id}", aangemaakt=ctx.nu))
        if inwoner.email and inwoner.contactvoorkeur == "email":
            from integrations.mail.outbox import zet_klaar
            from integrations.mail.templates import render_mail

            gemeente = ctx.zaak.gemeente
            onderwerp, tekst, html = render_mail(
                self.sjabloon,
                aanhef_naam=inwoner.naam,
                gemeente_naam=gemeente.naam,
                gemeente_kleur=gemeente.kleur_primair,
                zaaknummer=ctx.zaak.identificatie,
                gemeente_telefoon=(gemeente.briefhoofd or {}).get("telefoon", ""),
                portaal_url=_portaal_link(ctx),
                onderwerp=self.onderwerp,
                tekst=self.tekst,
                **{k: v for k, v in ctx.resultaat.items() if isinstance(v, (str, int, dt.date, dt.datetime))},
            )
            zet_klaar(ctx.session, inwoner.email, onderwerp, tekst, html)


@dataclass(frozen=True)
class MeldMedewerkers(Effect):
    """A notification in the backoffice for the behandelaar, the zaak's team, or the besluit's author."""

    wie: str  # behandelaar, behandelaar_hoofdzaak, teamleiders, team, team:<code as in team_van>
    onderwerp: str
    tekst: str

    def toepassen(self, ctx: Context) -> None:
        ontvangers: list[int] = []
        if self.wie == "behandelaar" and ctx.zaak.behandelaar_id:
            ontvangers = [ctx.zaak.behandelaar_id]
        elif self.wie == "behandelaar_hoofdzaak" and ctx.zaak.hoofdzaak_id:
            from .models import Zaak

            hoofdzaak = ctx.session.get(Zaak, ctx.zaak.hoofdzaak_id)
            ontvangers = [hoofdzaak.behandelaar_id] if hoofdzaak.behandelaar_id else []
        elif self.wie == "teamleiders":
            from .roles import Rol

            ontvangers = [m.id for m in ctx.session.scalars(select(Medewerker).where(
                Medewerker.actief, Medewerker.rollen_rel.any(rol=Rol.TEAMLEIDER.value)))
                if ctx.zaak.gemeente in m.gemeenten]
        elif self.wie.startswith("team"):
            code = self.wie.split(":", 1)[1] if ":" in self.wie else None
            team = team_van(ctx, code) if code else ctx.zaak.team
            if team is not None:
                ontvangers = [m.id for m in team.leden if m.actief and ctx.zaak.gemeente in m.gemeenten]
        # The consulent of the original zaak may not open the bezwaar itself: point them at their own zaak.
        doel = ctx.zaak.hoofdzaak_id if self.wie == "behandelaar_hoofdzaak" and ctx.zaak.hoofdzaak_id else ctx.zaak.id
        for medewerker_id in ontvangers:
            if ctx.actor.is_medewerker and medewerker_id == ctx.actor.id:
                continue  # nobody needs to be told what they just did themselves
            ctx.session.add(Notificatie(medewerker_id=medewerker_id, zaak_id=ctx.zaak.id,
                                        onderwerp=titel(self.onderwerp, ctx.zaak.identificatie), tekst=self.tekst,
                                        link=f"/backoffice/zaken/{doel}", aangemaakt=ctx.nu))


def bereken_voor_zaak(zaak: Zaak, soort: str, gebeurtenis: dt.date):
    """The term ``soort`` for this zaak: with its gemeente's gelijkgestelde dagen, and for a term that an
    adviescommissie lengthens (the bezwaar-beslistermijn) the choice in the zaak's variant (``adviescommissie``)."""
    from sqlalchemy.orm import object_session

    from .configuratie import variant_van
    from .deadlines import bereken, regel
    from .feestdagen import gelijkgestelde_dagen_van

    adviescommissie = (regel(soort).duur_adviescommissie is not None
                       and bool(variant_van(object_session(zaak), zaak).get("adviescommissie")))
    return bereken(soort, gebeurtenis, adviescommissie=adviescommissie,
                   extra_feestdagen=gelijkgestelde_dagen_van(zaak.gemeente))


def zet_uiterlijke_einddatum(session, zaak: Zaak) -> None:
    """The zaak's uiterlijke einddatum is the earliest last day of its running terms. A term suspended until an
    event (``opgeschort_tot``) has no known end and does not count; no running term: None."""
    session.flush()
    zaak.uiterlijke_einddatum = session.scalar(select(func.min(Termijn.einddatum)).where(
        Termijn.zaak_id == zaak.id, Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot.is_(None)))


@dataclass(frozen=True)
class StartTermijn(Effect):
    """Start a term on the zaak. What the zaaktype declares about it (``Termijnsoort.bij_einde`` and
    ``herinnering``) goes onto the Termijn row, for the time-driven sweep (domain/tijdgestuurd.py)."""

    soort: str
    vanaf: str = "vandaag"  # vandaag, aanvraagdatum, startdatum, bekendmaking

    def toepassen(self, ctx: Context) -> None:
        if self.vanaf == "bekendmaking":
            # The bezwaar-beslistermijn counts from the bekendmaking of the contested besluit (Awb 7:10).
            from .models import Besluit

            gebeurtenis = ctx.session.get(Besluit, ctx.zaak.besluit_id).verzenddatum
        else:
            gebeurtenis = {"vandaag": ctx.vandaag, "aanvraagdatum": ctx.zaak.aanvraagdatum or ctx.vandaag,
                           "startdatum": ctx.zaak.startdatum}[self.vanaf]
        uitkomst = bereken_voor_zaak(ctx.zaak, self.soort, gebeurtenis)
        verklaring = ctx.zaaktype.termijnsoort(self.soort)
        herinnering = verklaring.herinnering if verklaring else None
        ctx.session.add(Termijn(
            zaak_id=ctx.zaak.id, soort=self.soort, bron=uitkomst.bron, startdatum=gebeurtenis,
            einddatum=uitkomst.einddatum, bij_einde=verklaring.bij_einde if verklaring else None,
            herinner_op=(uitkomst.einddatum - dt.timedelta(days=herinnering.dagen_voor_einde)
                         if herinnering else None)))
        zet_uiterlijke_einddatum(ctx.session, ctx.zaak)


@dataclass(frozen=True)
class StopTermijn(Effect):
    soort: str

    def toepassen(self, ctx: Context) -> None:
        termijnen = ctx.session.scalars(select(Termijn).where(
            Termijn.zaak_id == ctx.zaak.id, Termijn.soort == self.soort, Termijn.gestopt_op.is_(None))).all()
        for termijn in termijnen:
            termijn.gestopt_op = ctx.vandaag
        zet_uiterlijke_einddatum(ctx.session, ctx.zaak)


def schort_op_tot_gebeurtenis(session, zaak: Zaak, termijn: Termijn, *, van: dt.date, gebeurtenis: str) -> None:
    """Suspend a running term without an end date: from the day after ``van`` until ``gebeurtenis`` happens
    (``hervat_termijnen``). The rule must allow suspension (Awb 4:15, 7:10 lid 2); raises ValueError otherwise."""
    from .deadlines import regel

    r = regel(termijn.soort)
    if r.opschorting_bron is None:
        raise ValueError(f"De {termijn.soort} kent geen wettelijke opschorting.")
    if termijn.gestopt_op is not None or termijn.opgeschort_tot is not None:
        raise ValueError("Deze termijn loopt niet of staat al stil.")
    if van < termijn.startdatum or van > termijn.einddatum:
        raise ValueError("Opschorten kan alleen terwijl de termijn loopt.")
    termijn.opgeschort_sinds = van
    termijn.opgeschort_tot = gebeurtenis
    zet_uiterlijke_einddatum(session, zaak)


def hervat_termijnen(session, zaak: Zaak, gebeurtenis: str, op: dt.date) -> list[Termijn]:
    """``gebeurtenis`` happened on ``op``: every term of the zaak suspended until it runs again from ``op`` with
    the days it had left (Awb 4:15 lid 1: suspended "tot de dag waarop" the aanvraag is completed, so the days
    strictly between the start of the suspension and ``op`` are added; ``domain.deadlines.schort_op``)."""
    from .deadlines import schort_op
    from .feestdagen import datum_tekst, gelijkgestelde_dagen_van

    termijnen = session.scalars(select(Termijn).where(
        Termijn.zaak_id == zaak.id, Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot == gebeurtenis)).all()
    for termijn in termijnen:
        van = termijn.opgeschort_sinds
        termijn.zet_einddatum(schort_op(termijn.einddatum, van, max(op, van),
                                        extra_feestdagen=gelijkgestelde_dagen_van(zaak.gemeente)))
        termijn.opgeschort_tot = None
        stap = f"Opgeschort van {datum_tekst(van)} tot {datum_tekst(op)}; loopt nu tot en met {datum_tekst(termijn.einddatum)}."
        termijn.toelichting = f"{termijn.toelichting} {stap}" if termijn.toelichting else stap
    if termijnen:
        zet_uiterlijke_einddatum(session, zaak)
    return termijnen


@dataclass(frozen=True)
class SchortTermijnOp(Effect):
    """Suspend the running term ``soort`` until ``tot`` happens (an overgang that asks the inwoner for data)."""

    soort: str
    tot: str

    def toepassen(self, ctx: Context) -> None:
        from .workflow import OvergangFout

        for termijn in ctx.session.scalars(select(Termijn).where(
                Termijn.zaak_id == ctx.zaak.id, Termijn.soort == self.soort, Termijn.gestopt_op.is_(None),
                Termijn.opgeschort_tot.is_(None))).all():
            try:
                schort_op_tot_gebeurtenis(ctx.session, ctx.zaak, termijn, van=ctx.vandaag, gebeurtenis=self.tot)
            except ValueError as exc:
                raise OvergangFout(str(exc)) from None


@dataclass(frozen=True)
class HervatTermijn(Effect):
    """The event ``gebeurtenis`` happened today: the terms suspended until it run again."""

    gebeurtenis: str

    def toepassen(self, ctx: Context) -> None:
        hervat_termijnen(ctx.session, ctx.zaak, self.gebeurtenis, ctx.vandaag)


@dataclass(frozen=True)
class MaakActie(Effect):
    """Work for another team (toetsing, bestellen, juridische zaken), in that team's queue."""

    team: str  # as in team_van
    soort: str
    omschrijving: str

    def toepassen(self, ctx: Context) -> None:
        team = team_van(ctx, self.team)
        if team is None:
            raise LookupError(f"team {self.team} ontbreekt in de configuratie")
        ctx.session.add(Actie(team_id=team.id, zaak_id=ctx.zaak.id, soort=self.soort,
                              omschrijving=self.omschrijving, aangemaakt=ctx.nu))


@dataclass(frozen=True)
class RondActieAf(Effect):
    soort: str

    def toepassen(self, ctx: Context) -> None:
        for actie in ctx.session.scalars(select(Actie).where(
                Actie.zaak_id == ctx.zaak.id, Actie.soort == self.soort, Actie.afgerond.is_(None))):
            actie.afgerond = ctx.nu
            actie.afgerond_door_id = ctx.actor.id if ctx.actor.is_medewerker else None


@dataclass(frozen=True)
class WijsToe(Effect):
    """Assign the zaak to a consulent of the zaak's team who works for the zaak's gemeente."""

    def toepassen(self, ctx: Context) -> None:
        from .workflow import OvergangFout

        medewerker = ctx.session.get(Medewerker, int(ctx.gegevens["behandelaar_id"]))
        team = ctx.zaak.team
        if medewerker is None or not medewerker.actief or (team and team not in medewerker.teams):
            raise OvergangFout("Kies een medewerker van het team van deze zaak.")
        if ctx.zaak.gemeente not in medewerker.gemeenten:
            raise OvergangFout(f"{medewerker.naam} werkt niet voor de gemeente {ctx.zaak.gemeente.naam}.")
        if not medewerker.rollen & ctx.zaaktype.behandelaar_rollen:
            raise OvergangFout(f"{medewerker.naam} is geen consulent voor dit soort zaak.")
        ctx.zaak.behandelaar_id = medewerker.id
        ctx.resultaat["behandelaar"] = medewerker.naam


@dataclass(frozen=True)
class Als(Effect):
    """A branch decided during the overgang (e.g. by the toetsing rules): apply `dan` or `anders`."""

    conditie: Callable[[Context], bool]
    dan: tuple[Effect, ...] = ()
    anders: tuple[Effect, ...] = ()

    def toepassen(self, ctx: Context) -> None:
        for effect in (self.dan if self.conditie(ctx) else self.anders):
            effect.toepassen(ctx)


@dataclass(frozen=True)
class RegistreerKlantcontact(Effect):
    """Record a contact with the inwoner (a call about the besluit) from the text the medewerker wrote."""

    kanaal: str
    onderwerp: str

    def toepassen(self, ctx: Context) -> None:
        from .models import Klantcontact
        from .workflow import OvergangFout

        tekst = (ctx.gegevens.get("reden") or "").strip()
        if not tekst:
            raise OvergangFout("Schrijf kort op wat u heeft besproken.")
        ctx.session.add(Klantcontact(inwoner_id=ctx.zaak.inwoner_id, zaak_id=ctx.zaak.id, medewerker_id=ctx.actor.id,
                                     kanaal=self.kanaal, onderwerp=self.onderwerp, tekst=tekst, alleen_advies=False,
                                     tijdstip=ctx.nu))


@dataclass(frozen=True)
class StartGekoppeldeZaak(Effect):
    """Hand over to another team: start a zaak for this inwoner, linked to this one (domain/relaties.py).

    `zaaktype`: the code of the zaak to start, or None for the one the medewerker chose (gegevens["zaaktype"]);
    the hulpvraag is what the medewerker wrote (gegevens["reden"]). The new zaak is in ctx.resultaat."""

    soort: str = "melding_ander_team"
    zaaktype: str | None = None

    def toepassen(self, ctx: Context) -> None:
        from .relaties import start_gekoppeld

        ctx.resultaat["gekoppelde_zaak"] = start_gekoppeld(
            ctx.session, ctx.actor, ctx.zaak, zaaktype_code=self.zaaktype or ctx.gegevens.get("zaaktype") or "",
            hulpvraag=ctx.gegevens.get("reden") or "", soort=self.soort, diensten=ctx.diensten, nu=ctx.nu,
            vandaag=ctx.vandaag)


@dataclass(frozen=True)
class Bevestig(Effect):
    """The confirmation shown after the overgang when it depends on the branch taken (inside an `Als`); without
    it the overgang's own `bevestiging` is shown."""

    tekst: str

    def toepassen(self, ctx: Context) -> None:
        ctx.resultaat["bevestiging"] = self.tekst
