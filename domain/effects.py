"""Effects an overgang can have. Each is a small value object; the engine calls `toepassen` inside the
overgang's transaction, so either all of them happen together with the status change, or none."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from .models import Actie, Inwoner, Medewerker, Notificatie, Team, Termijn
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
            ctx.session.add(Notificatie(medewerker_id=medewerker_id, zaak_id=ctx.zaak.id, onderwerp=self.onderwerp,
                                        tekst=f"{ctx.zaak.identificatie}: {self.tekst}",
                                        link=f"/backoffice/zaken/{doel}", aangemaakt=ctx.nu))


def _gelijkgestelde_dagen(instellingen: dict):
    """Days the government declared equal to a feestdag (Atw art. 3 lid 3), kept per gemeente per year."""
    from .feestdagen import lees_gelijkgestelde_dagen

    return lees_gelijkgestelde_dagen(instellingen.get("gelijkgestelde_dagen") or {})


@dataclass(frozen=True)
class StartTermijn(Effect):
    soort: str
    vanaf: str = "vandaag"  # vandaag, aanvraagdatum, startdatum

    def toepassen(self, ctx: Context) -> None:
        from .deadlines import bereken

        if self.vanaf == "bekendmaking":
            # The bezwaar-beslistermijn counts from the bekendmaking of the contested besluit (Awb 7:10).
            from .models import Besluit

            gebeurtenis = ctx.session.get(Besluit, ctx.zaak.besluit_id).verzenddatum
        else:
            gebeurtenis = {"vandaag": ctx.vandaag, "aanvraagdatum": ctx.zaak.aanvraagdatum or ctx.vandaag,
                           "startdatum": ctx.zaak.startdatum}[self.vanaf]
        instellingen = ctx.zaak.gemeente.instellingen or {}
        # A gemeente that has its bezwaren advised by a commissie (its configuration) gets the longer term.
        from .deadlines import regel

        adviescommissie = bool(ctx.variant.get("adviescommissie")) and regel(self.soort).duur_adviescommissie is not None
        uitkomst = bereken(self.soort, gebeurtenis, adviescommissie=adviescommissie,
                           extra_feestdagen=_gelijkgestelde_dagen(instellingen))
        ctx.session.add(Termijn(zaak_id=ctx.zaak.id, soort=self.soort, bron=uitkomst.bron, startdatum=gebeurtenis,
                                einddatum=uitkomst.einddatum))
        ctx.zaak.uiterlijke_einddatum = uitkomst.einddatum


@dataclass(frozen=True)
class StopTermijn(Effect):
    soort: str

    def toepassen(self, ctx: Context) -> None:
        termijnen = ctx.session.scalars(select(Termijn).where(
            Termijn.zaak_id == ctx.zaak.id, Termijn.soort == self.soort, Termijn.gestopt_op.is_(None))).all()
        for termijn in termijnen:
            termijn.gestopt_op = ctx.vandaag
        lopend = ctx.session.scalars(select(Termijn).where(
            Termijn.zaak_id == ctx.zaak.id, Termijn.gestopt_op.is_(None)).order_by(Termijn.einddatum)).first()
        ctx.zaak.uiterlijke_einddatum = lopend.einddatum if lopend else None


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
