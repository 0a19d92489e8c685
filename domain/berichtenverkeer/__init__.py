"""Berichtenverkeer iWmo/iJw 3.2 between gemeente and zorgaanbieder (PROCESSES.md, step 7: levering).

Outgoing: when administratie orders (the `Bestel` effect calls ``Diensten.berichten(ctx, "toewijzing")``),
`maak_toewijzing` makes a `Toewijzing` per ordered voorziening and queues a WMO301/JW301 in the *same*
transaction: the bestelling and its message commit together or not at all. A sweep
(``integrations.istandaarden.transport.verstuur_berichten``) delivers queued messages later.

Incoming: `verwerk_inkomend` handles one received message inside the caller's transaction:

* not valid against the XSD: stored as ``afgekeurd`` and, when the header can be read, answered with a technical
  retourbericht (0001). Nothing is dropped;
* idempotent: a message whose (afzender, berichtsoort, BerichtIdentificatie) was seen before is not processed
  again (the standard makes an identification unique per berichtsoort per sender);
* 302: the outgoing 301 is marked accepted (``verwerkt``) or rejected (``afgekeurd``), per toewijzing too;
* 305: the voorziening is ``geleverd`` and the zaak moves to ``geleverd`` (the inwoner's portal shows it);
  a second start for the same toewijzing is refused with 9074 and never starts the care twice. Answer: 306;
* 307: the voorziening is ``beeindigd``; when nothing is delivered any more the zaak moves to ``beeindigd``.
  Answer: 308;
* 315/317: an Actie for the consulent's team (on the zaak when one is known). Answer: 316/318;
* 323: every prestatie is checked against its toewijzing (client, product, period, unit, volume, amount).
  Answer: 325.

Nothing here commits; the caller (a sweep, a CLI command, the engine) owns the transaction.

Where what lives (each module imports only the ones above it in this list):

* `basis`: statuses, retourcodes and their texts, `zet_klaar` (queue one outgoing message);
* `berichtinhoud`: the Client and ToegewezenProducten of a 301 from our data;
* `standaard`: which standard (iWmo, iJw) a zaak uses, as its zaaktype declares, and which team gets the
  work of a received message without a zaak;
* `standin`: the iEb (CAK) and iPgb (SVB) stand-in records;
* `toewijzen`: toewijzingen and the 301 (bestelling, withdrawn besluit), `berichten_dienst`;
* `verzoek_antwoord`: answering a 315/317 from the screen (301 or 319);
* `opvolging`: resending, and what waits for an answer (the berichten page);
* `werk`: what the handler of one incoming message works with, and what the handlers share;
* `levering` (302, 305, 307), `verzoek_ontvangen` (315, 317), `declaratie` (323): one handler per code;
* `ontvangen`: the inbox side, `verwerk_inkomend` and `verwerk_groep` with its `Voorraad`.

This package re-exports the public names, so ``from domain.berichtenverkeer import X`` keeps working. Code that
replaces a function for a test (monkeypatch) patches it in the module that defines and calls it.
"""
from __future__ import annotations

from .basis import (
    AFGEKEURD,
    AFGEWEZEN,
    BERICHTSTATUSSEN,
    DUBBELE_REFERENTIE,
    GEACCEPTEERD,
    GEEN_OPMERKING,
    GESTART,
    GESTOPT,
    KLAAR,
    LOPEND,
    MISLUKT,
    ONTVANGEN,
    PRESTATIE_AL_AANGELEVERD,
    TOEGEWEZEN,
    VERWERKT,
    VERZOEK_ONDERHANDEN,
    VERZONDEN,
    leg_uit,
    nieuwe_identificatie,
    retourcode_tekst,
    zet_klaar,
)
from .berichtinhoud import GESLACHT_ISTANDAARD, client_301, toegewezen_product
from .declaratie import toegestaan_volume
from .ontvangen import Verwerking, Voorraad, verwerk_groep, verwerk_inkomend
from .opvolging import (
    ANTWOORD_BINNEN_DAGEN,
    kan_opnieuw_verstuurd,
    open_verzoeken,
    zet_opnieuw_klaar,
    zonder_antwoord,
)
from .standaard import standaard_van, team_voor_standaard, zaaktypen_met_standaard
from .standin import STANDIN, STANDIN_SOORTEN, STANDIN_STANDAARDEN, is_standin, maak_standin, maak_standins
from .toewijzen import (
    DEMO_ZORGAANBIEDERS,
    REDEN_VERKORTING,
    REDEN_VERWIJDERD,
    berichten_dienst,
    kies_aanbieder,
    laad_demo_zorgaanbieders,
    maak_toewijzing,
    stuur_301,
    toewijzing_voor,
    trek_toewijzingen_in,
    volgend_toewijzingnummer,
)
from .verzoek_antwoord import (
    AFGEWEZEN_ANTWOORD,
    IN_ONDERZOEK_ANTWOORD,
    REDEN_DOOR_AANBIEDER,
    TOEGEWEZEN_ANTWOORD,
    VERZOEK_AFGEWEZEN,
    VERZOEK_IN_ONDERZOEK,
    VerzoekFout,
    antwoorden_op,
    beantwoord_verzoek,
    is_in_onderzoek,
    kan_beantwoord_worden,
    mogelijke_antwoorden,
    redenen_afwijzing,
)
from .verzoek_ontvangen import AUTOMATISCH_BINNEN_BESCHIKKING

__all__ = [
    "AFGEKEURD",
    "AFGEWEZEN",
    "AFGEWEZEN_ANTWOORD",
    "ANTWOORD_BINNEN_DAGEN",
    "AUTOMATISCH_BINNEN_BESCHIKKING",
    "BERICHTSTATUSSEN",
    "DEMO_ZORGAANBIEDERS",
    "DUBBELE_REFERENTIE",
    "GEACCEPTEERD",
    "GEEN_OPMERKING",
    "GESLACHT_ISTANDAARD",
    "GESTART",
    "GESTOPT",
    "IN_ONDERZOEK_ANTWOORD",
    "KLAAR",
    "LOPEND",
    "MISLUKT",
    "ONTVANGEN",
    "PRESTATIE_AL_AANGELEVERD",
    "REDEN_DOOR_AANBIEDER",
    "REDEN_VERKORTING",
    "REDEN_VERWIJDERD",
    "STANDIN",
    "STANDIN_SOORTEN",
    "STANDIN_STANDAARDEN",
    "TOEGEWEZEN",
    "TOEGEWEZEN_ANTWOORD",
    "VERWERKT",
    "VERZOEK_AFGEWEZEN",
    "VERZOEK_IN_ONDERZOEK",
    "VERZOEK_ONDERHANDEN",
    "VERZONDEN",
    "Verwerking",
    "VerzoekFout",
    "Voorraad",
    "antwoorden_op",
    "beantwoord_verzoek",
    "berichten_dienst",
    "client_301",
    "is_in_onderzoek",
    "is_standin",
    "kan_beantwoord_worden",
    "kan_opnieuw_verstuurd",
    "kies_aanbieder",
    "laad_demo_zorgaanbieders",
    "leg_uit",
    "maak_standin",
    "maak_standins",
    "maak_toewijzing",
    "mogelijke_antwoorden",
    "nieuwe_identificatie",
    "open_verzoeken",
    "redenen_afwijzing",
    "retourcode_tekst",
    "standaard_van",
    "stuur_301",
    "team_voor_standaard",
    "toegestaan_volume",
    "toegewezen_product",
    "toewijzing_voor",
    "trek_toewijzingen_in",
    "verwerk_groep",
    "verwerk_inkomend",
    "volgend_toewijzingnummer",
    "zaaktypen_met_standaard",
    "zet_klaar",
    "zet_opnieuw_klaar",
    "zonder_antwoord",
]
