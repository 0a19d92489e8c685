"""`_Werk`: what the handler of one incoming message code works with (the message, its gemeente and
zorgaanbieder, the toewijzingen it names, the identifiers it claims), and what the handlers share: moving the zaak
by a system overgang, an Actie for a team, the zaak of the inwoner a message is about."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.istandaarden import Bericht as IBericht

from ..actor import SYSTEEM
from ..models import (
    Actie,
    Bericht,
    Berichtreferentie,
    Gemeente,
    Inwoner,
    Notificatie,
    Team,
    Toewijzing,
    Zaak,
    Zorgaanbieder,
)
from ..notificaties import titel
from ..tijd import datum_van
from ..workflow import Diensten, OvergangFout, pas_toe
from .standaard import team_voor_standaard, zaaktypen_met_standaard

if TYPE_CHECKING:
    from .ontvangen import Verwerking, Voorraad


@dataclass
class _Werk:
    session: Session
    bericht: Bericht
    ontvangen: IBericht
    gemeente: Gemeente | None
    aanbieder: Zorgaanbieder | None
    nu: dt.datetime
    diensten: Diensten
    verwerking: Verwerking
    voorraad: Voorraad | None = None

    @property
    def vandaag(self) -> dt.date:
        return datum_van(self.nu)

    def koppel(self, toewijzing: Toewijzing | None = None, zaak_id: int | None = None) -> None:
        if toewijzing is not None and self.bericht.toewijzing_id is None:
            self.bericht.toewijzing_id = toewijzing.id
        zaak_id = zaak_id or (toewijzing.zaak_id if toewijzing is not None else None)
        if zaak_id and self.bericht.zaak_id is None:
            self.bericht.zaak_id = zaak_id

    def toewijzing(self, nummer: int | None, bsn: str | None = None) -> Toewijzing | None:
        """The toewijzing with this number of this gemeente at this aanbieder (and this client)."""
        if nummer is None or self.gemeente is None or self.aanbieder is None:
            return None
        t = self.voorraad.toewijzingen.get((self.gemeente.id, nummer)) if self.voorraad is not None else None
        if t is None:
            t = self.session.scalar(select(Toewijzing).where(Toewijzing.gemeente_id == self.gemeente.id,
                                                             Toewijzing.toewijzingnummer == nummer)
                                    .with_for_update())
        if t is None or t.aanbieder_id != self.aanbieder.id:
            return None
        if bsn is not None and t.inwoner.bsn != bsn:
            return None
        return t

    def al_gebruikt(self, soort: str, referentie: str) -> bool:
        """Whether an earlier message of this aanbieder (or this one, before) claimed this identifier."""
        if self.aanbieder is None:
            return False
        if (soort, referentie) in self.__dict__.setdefault("_geclaimd", set()):
            return True
        return self.session.scalar(select(Berichtreferentie.id).where(
            Berichtreferentie.aanbieder_id == self.aanbieder.id, Berichtreferentie.standaard == self.ontvangen.standaard,
            Berichtreferentie.soort == soort, Berichtreferentie.referentie == referentie)) is not None

    def claim(self, soort: str, referentie: str, *, opnieuw_in_bericht: bool = True) -> bool:
        """Claim an identifier of the aanbieder that must be unique (`Berichtreferentie`): False when an earlier
        message of this aanbieder already used it. `opnieuw_in_bericht`: a second use within this message is fine
        (the products of one 315 share their ReferentieAanbieder)."""
        if self.aanbieder is None:
            return True
        eigen = self.__dict__.setdefault("_geclaimd", set())
        if (soort, referentie) in eigen:
            return opnieuw_in_bericht
        if self.al_gebruikt(soort, referentie):
            return False
        self.session.add(Berichtreferentie(aanbieder_id=self.aanbieder.id, standaard=self.ontvangen.standaard,
                                           soort=soort, referentie=referentie, bericht=self.bericht))
        eigen.add((soort, referentie))
        return True

    def naam_aanbieder(self) -> str:
        if self.aanbieder is not None:
            return f"{self.aanbieder.naam} (AGB {self.aanbieder.agb_code})"
        return f"zorgaanbieder met AGB-code {self.bericht.afzender} (onbekend)"


def _zaakovergang(w: _Werk, zaak_id: int, code: str, van: tuple[str, ...]) -> None:
    """Move the zaak by a system overgang, if it is where that overgang starts."""
    zaak = w.session.get(Zaak, zaak_id)
    if zaak is None or zaak.status not in van:
        return
    try:
        pas_toe(w.session, SYSTEEM, zaak, code, nu=w.nu, diensten=w.diensten,
                toelichting=f"{w.ontvangen.naam} {w.bericht.bericht_identificatie} van {w.naam_aanbieder()}")
    except (OvergangFout, KeyError) as exc:  # a zaaktype without this overgang: the voorziening still moved
        w.verwerking.meldingen.append(f"Zaak {zaak.identificatie} niet verplaatst: {getattr(exc, 'melding', exc)}")


# The behandelaar's notification of an actie is titled by what kind of actie it is; the actie's description (which
# names the zorgaanbieder, the message and what to do) is the notification's text.
TITELS = {
    "verzoek_om_toewijzing": "Verzoek om toewijzing",
    "verzoek_om_wijziging": "Verzoek om wijziging van de toewijzing",
    "toewijzing_afgewezen": "Toewijzing afgekeurd door de zorgaanbieder",
}


def _actie(w: _Werk, zaak: Zaak | None, soort: str, omschrijving: str, team_code: str | None = None) -> None:
    """An Actie for `team_code`, or else the zaak's team (the consulent's), or else the domain's team."""
    team = None
    if team_code:
        team = w.session.scalar(select(Team).where(Team.code == team_code))
    elif zaak is not None:
        team = zaak.team
    if team is None:
        team = team_voor_standaard(w.session, w.ontvangen.standaard)
    if team is None:
        w.verwerking.meldingen.append("Geen team gevonden om een actie voor te maken.")
        return
    if zaak is None:
        w.verwerking.meldingen.append("Geen zaak van deze inwoner gevonden: de actie staat zonder zaak klaar.")
    w.session.add(Actie(team_id=team.id, zaak_id=zaak.id if zaak else None, soort=soort, omschrijving=omschrijving,
                        aangemaakt=w.nu, bericht=w.bericht))
    if zaak is not None and zaak.behandelaar_id:
        w.session.add(Notificatie(medewerker_id=zaak.behandelaar_id, zaak_id=zaak.id,
                                  onderwerp=titel(TITELS.get(soort, "Nieuwe actie"), zaak.identificatie),
                                  tekst=omschrijving, link=f"/backoffice/zaken/{zaak.id}",
                                  aangemaakt=w.nu))


def _zaak_van_inwoner(w: _Werk, bsn: str) -> tuple[Inwoner | None, Zaak | None]:
    inwoner = w.session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    if inwoner is None or w.gemeente is None or inwoner.gemeente_id != w.gemeente.id:
        return None, None
    zaaktypen = [z.code for z in zaaktypen_met_standaard(w.ontvangen.standaard)]
    zaak = w.session.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id, Zaak.zaaktype.in_(zaaktypen))
                            .order_by(Zaak.afgesloten, Zaak.startdatum.desc(), Zaak.id.desc()).limit(1))
    return inwoner, zaak
