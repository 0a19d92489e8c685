"""Demo Jeugd zaken, one standing in every status of domain/processes/jeugd.py, for children whose parents hold
gezag in the BRP test register. Made only through the production paths: the melding by team toegang, the
consulent's overgangen, the parent's portal forms (domain.inzendingen) and buttons, acting for the child with the
gezag the BRP gives at log-in, the toetser, the term's own sweep (domain.tijdgestuurd) and the berichtenverkeer.
So every zaak is exactly what users would have made, dated back as if it happened over the past weeks."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Inwoner, Zaak
from .basis import medewerker_actor

# The child whose zaak goes through the whole iJw exchange (demo_berichten, from domain.demo): it ends beeindigd.
BERICHTEN_BSN = "999990433"  # Ayoub Bouzid (13), Poortugaal
PRODUCT_315 = {"Categorie": "45", "Code": "45A05"}  # the zorgaanbieder asks for jeugd-ggz as well

# child's bsn, where the zaak ends, days ago the melding came in. A child's zaken are made in this order.
ZAKEN = [
    ("999990299", "afgesloten", 80),  # Daan Meijer (10): not the Jeugdwet; his mother agreed with the intrekking,
    ("999990299", "melding", 2),  # ... and called again: a new melding, not assigned yet
    ("999990305", "in_onderzoek", 6),  # Lieke Meijer (4): huisbezoek planned
    ("999990317", "verslag_ter_reactie", 10),  # Mees Meijer (15): verslag in the portal, the 7 days running
    ("999990330", "aanvraagformulier", 30),  # Finn Brouwer (12): nobody reacted in 7 days, the term moved it on
    ("999990342", "intrekking_voorgelegd", 20),  # Emma Brouwer (6): the parent is to agree or not
    ("999990354", "besluit", 45),  # Noah Brouwer (14): granted, the call recorded; administratie can order
    ("999990408", "aanvraag", 40),  # Bram de Wit (8): changes to the verslag first, then the aanvraagformulier
    ("999990391", "geleverd", 120),  # Julia de Wit (15): jeugd-ggz, toetser approved, ordered and started
    ("999990391", "ter_toetsing", 30),  # ... and now verblijf: above the cost level, with the toetser
    ("999990445", "afwijzing", 50),  # Yara Bouzid (9): disagreed with the intrekking; afwijzing, toetst, besluit
    ("999990457", "in_levering", 60),  # Sami Bouzid (6): ordered, the aanbieder accepted (302), not started yet
    (BERICHTEN_BSN, "besluit", 90),  # then through the whole iJw exchange: beeindigd
]

# Every child whose zaak the demo orders: their messages are in the demo's berichtenverkeer.
MET_BERICHTEN = (*(bsn for bsn, doel, _ in ZAKEN if doel in ("in_levering", "geleverd")), BERICHTEN_BSN)

_TOT_AANVRAAG = ("huisbezoek", "verslag", "van_toepassing", "aanvraagformulier")
_TOEGEKEND = (*_TOT_AANVRAAG, "beschikking", "besproken")
# The steps to each end, in order; each step is a method of _Zaak below.
ROUTES = {
    "melding": (),
    "in_onderzoek": ("huisbezoek",),
    "verslag_ter_reactie": ("huisbezoek", "verslag", "van_toepassing"),
    "aanvraagformulier": ("huisbezoek", "verslag", "van_toepassing"),  # the sweep does the rest
    "intrekking_voorgelegd": ("huisbezoek", "verslag", "niet_van_toepassing"),
    "afgesloten": ("huisbezoek", "verslag", "niet_van_toepassing", "akkoord"),
    "aanvraag": ("huisbezoek", "verslag", "van_toepassing", "wijzigingen", "verslag", "van_toepassing",
                 "aanvraagformulier"),
    "ter_toetsing": (*_TOT_AANVRAAG, "beschikking"),
    "besluit": _TOEGEKEND,
    "afwijzing": ("huisbezoek", "verslag", "niet_van_toepassing", "niet_akkoord", "beschikking", "goedkeuren",
                  "besproken"),
    "in_levering": (*_TOEGEKEND, "bestellen"),
    "geleverd": (*_TOT_AANVRAAG, "beschikking", "goedkeuren", "besproken", "bestellen"),
}
# What is granted, per end: product, volume, frequentie. Above 5,000 euro a year goes to the toetser.
TOEKENNING = {"ter_toetsing": ("JW-VRB", 8, "4"), "geleverd": ("JW-GGZ", 1, "2")}
STANDAARD_TOEKENNING = ("JW-AMB", 1, "2")  # 1 hour a week ambulant: the consulent signs it


class _Zaak:
    """One demo zaak on its way: who acts, and the moment each step happens (days apart, never in the future).
    A zaaktype with the same steps (the Regieteam's, domain/demo/regie.py) subclasses it with its own codes."""

    ZAAKTYPE = "jeugd"
    CONSULENT = "jeugd"  # the demo user who handles the zaak

    def __init__(self, session: Session, diensten, kind: Inwoner, doel: str, start: dt.date):
        from integrations.brp.local import LocalBrp

        self.session, self.diensten, self.kind, self.doel = session, diensten, kind, doel
        self.moment = dt.datetime.combine(start, dt.time(10, 0), dt.UTC)
        self.jeugd = medewerker_actor(session, self.CONSULENT)
        self.ouders = _gezaghouders(LocalBrp(), kind.bsn)
        self.zaak: Zaak | None = None

    def later(self, dagen: int) -> dt.datetime:
        self.moment = min(self.moment + dt.timedelta(days=dagen), dt.datetime.now(dt.UTC))
        return self.moment

    def vuur(self, actor, code: str, dagen: int, **gegevens) -> None:
        from ..workflow import voer_uit

        voer_uit(self.session, actor, self.zaak, code, verwachte_versie=self.zaak.versie, diensten=self.diensten,
                 nu=self.later(dagen), gegevens=gegevens or None)

    def ouder(self, wie: int = 0):
        """The parent as the portal makes them at log-in: the children they act for are what the BRP says."""
        from integrations.brp.local import LocalBrp

        from ..actor import Actor
        from ..inwoners import kinderen_onder_gezag

        ouder = self.session.scalar(select(Inwoner).where(Inwoner.bsn == self.ouders[wie % len(self.ouders)]))
        kinderen = kinderen_onder_gezag(self.session, ouder.bsn, LocalBrp(), self.moment.date())
        return Actor(soort="inwoner", id=ouder.id, naam=ouder.naam, inwoner_id=ouder.id,
                     gemeente_ids=frozenset({ouder.gemeente_id}), betrouwbaarheidsniveau="midden",
                     namens_ids=frozenset(k.id for k in kinderen))

    def formulier(self, code: str, invoer: dict[str, str], dagen: int, wie: int = 0) -> None:
        from ..formulieren import formulier_van
        from ..inzendingen import verstuur
        from ..processes import zaaktype_van

        verstuur(self.session, self.ouder(wie), self.zaak, formulier_van(zaaktype_van(self.ZAAKTYPE), code),
                 invoer=invoer, diensten=self.diensten, nu=self.later(dagen))

    # --- the steps ---------------------------------------------------------------------------------------------

    def melding(self) -> None:
        from ..zaken import registreer_melding

        self.zaak = registreer_melding(
            self.session, medewerker_actor(self.session, "toegang"), inwoner=self.kind, zaaktype_code=self.ZAAKTYPE,
            hulpvraag=(f"De ouder van {self.kind.voornamen} belt: thuis en op school loopt het vast, er zijn veel "
                       "ruzies en de school maakt zich zorgen."),
            kanaal="telefoon", diensten=self.diensten, vandaag=self.moment.date(), nu=self.moment)

    def huisbezoek(self) -> None:
        nu = self.later(1)
        bezoek = nu + dt.timedelta(days=5)
        if self.doel == "in_onderzoek":  # still to come
            bezoek = max(bezoek, dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
                         + dt.timedelta(days=3))
        self.vuur(self.jeugd, "plan_gesprek", 0, start=bezoek, locatie="Bij het gezin thuis", duur_minuten=90,
                  voorbereiding="Wilt u het verslag van school klaarleggen? Uw kind mag erbij zijn.")

    def verslag(self) -> None:
        from ..zaken import VerslagInvoer, sla_verslag_op

        naam = self.kind.voornamen
        self.later(6)
        from ..afspraken import gehouden

        if gehouden(self.session, self.zaak.id, "huisbezoek") is None:  # a second version after changes: done
            self.vuur(self.jeugd, "huisbezoek_vastleggen", 0, gehouden_op=self.moment.date(),
                      aanwezig=f"{'De ouders' if len(self.ouders) > 1 else 'De moeder'}, {naam} en de consulent.",
                      verslag="Besproken hoe het thuis en op school gaat, en wat het gezin zelf al heeft geprobeerd.")
        sla_verslag_op(self.session, self.jeugd, self.zaak, VerslagInvoer(
            hulpvraag=self.zaak.hulpvraag or "",
            situatie=f"{naam} woont bij {'de ouders' if len(self.ouders) > 1 else 'de moeder'}. Op school en thuis "
                     "lopen de spanningen op.",
            leefgebieden=[{"leefgebied": "Opvoeding", "bevinding": "De ouder weet niet meer hoe de ruzies te sussen."},
                          {"leefgebied": "School", "bevinding": "De mentor ziet dat het slechter gaat."}],
            eigen_kracht="De ouder zoekt zelf hulp en de opa en oma helpen in het weekend.",
            afweging="Het netwerk en de school kunnen dit niet alleen opvangen.",
            advies="Ambulante jeugdhulp voor het gezin, een uur per week, voor een jaar."))

    def oordeel(self, waarde: str) -> None:
        """The consulent records "Jeugdwet van toepassing?" on the zaak: only that branch is then offered."""
        from ..eigenschappen import leg_vast
        from ..processes.jeugd import VAN_TOEPASSING

        leg_vast(self.session, self.jeugd, self.zaak, {VAN_TOEPASSING: waarde}, verwachte_versie=self.zaak.versie)

    def van_toepassing(self) -> None:
        self.oordeel("ja")
        self.vuur(self.jeugd, "jeugdwet_van_toepassing", 1)

    def niet_van_toepassing(self) -> None:
        self.oordeel("nee")
        self.vuur(self.jeugd, "jeugdwet_niet_van_toepassing", 1)

    def wijzigingen(self) -> None:  # the last parent: in the de Wit family the other one than who signs
        self.formulier("wijzigingen_verslag", {"wijzigingen": "Ook bij de sportclub gaat het mis. Dat staat er "
                                                              "nog niet in."}, 2, wie=-1)

    def aanvraagformulier(self) -> None:
        ouder = self.ouder()
        self.formulier("aanvraagformulier", {
            "naam_ouder": ouder.naam, "telefoon": "0612345678", "verslag_gelezen": "ja", "ondertekend": "ja",
            "hulp": f"Hulp voor {self.kind.voornamen} en voor ons als ouders, zoals in het gesprek besproken."}, 2)

    def akkoord(self) -> None:
        self.vuur(self.ouder(-1), "akkoord_intrekking", 3)

    def niet_akkoord(self) -> None:
        self.vuur(self.ouder(-1), "niet_akkoord_intrekking", 3)

    def beschikking(self) -> None:
        from ..models import Product
        from ..zaken import VoorzieningInvoer, sla_besluit_op

        self.later(5)
        if self.doel == "afwijzing":
            sla_besluit_op(self.session, self.jeugd, self.zaak, besluittype="afwijzing", wettelijke_grondslag="",
                           voorzieningen=[], onderbouwing=("De hulp die nodig is valt niet onder de Jeugdwet. Het "
                                                           "Sociaal Team kan het gezin helpen."))
        else:
            code, volume, frequentie = TOEKENNING.get(self.doel, STANDAARD_TOEKENNING)
            product = self.session.scalar(select(Product).where(Product.code == code))
            ingang = self.moment.date()
            sla_besluit_op(self.session, self.jeugd, self.zaak, besluittype="toekenning", wettelijke_grondslag="",
                           onderbouwing="Het gezin heeft hulp nodig die het netwerk en de school niet kunnen bieden.",
                           voorzieningen=[VoorzieningInvoer(product_id=product.id, volume=volume, frequentie=frequentie,
                                                            ingangsdatum=ingang,
                                                            einddatum=ingang + dt.timedelta(days=364))],
                           vandaag=ingang)  # the demo's clock, which may lie weeks back
        self.vuur(self.jeugd, "beschikking_indienen", 0)

    def goedkeuren(self) -> None:
        self.vuur(medewerker_actor(self.session, "toetser"), "goedkeuren", 2)

    def besproken(self) -> None:
        self.vuur(self.jeugd, "besluit_besproken", 1,
                  reden="Besluit uitgelegd aan de ouder; aanbieders Begeleiding Oostwaard en De Hoeksteen genoemd.")

    def bestellen(self) -> None:
        """Administratie orders (the iJw 301); the zorgaanbieder accepts (302) and, for geleverd, starts (305)."""
        from .berichten import bestel, uitwisseling

        bestel(self.session, self.diensten, self.zaak)
        with uitwisseling(self.session, self.zaak.id, self.diensten,
                          automatisch_starten=self.doel == "geleverd") as u:
            u.rondje()  # 301 out; 302 (and 305) in
            u.bezorg()  # the 306 reaches the zorgaanbieder too


def _gezaghouders(brp, bsn: str) -> list[str]:
    persoon = brp.zoek_bsn(bsn)
    return [houder for relatie in persoon.gezag for houder in relatie.gezaghouders]


def demo_zaken(session: Session, vandaag: dt.date, diensten) -> int:
    """Make the Jeugd zaken of ZAKEN that are not there yet (a child with a zaak is left alone: idempotent), then
    run the term sweep as the worker does, which moves the zaak whose 7 days have passed on. Returns how many
    zaken were made."""
    from ..tijdgestuurd import verwerk_termijnen

    kinderen = {bsn: session.scalar(select(Inwoner).where(Inwoner.bsn == bsn)) for bsn, _, _ in ZAKEN}
    al = {bsn for bsn, kind in kinderen.items()
          if session.scalar(select(Zaak.id).where(Zaak.inwoner_id == kind.id).limit(1))}
    gemaakt = 0
    for bsn, doel, dagen in ZAKEN:
        if bsn in al:
            continue
        z = _Zaak(session, diensten, kinderen[bsn], doel, vandaag - dt.timedelta(days=dagen))
        z.melding()
        for stap in ROUTES[doel]:
            getattr(z, stap)()
        gemaakt += 1
    verwerk_termijnen(session, vandaag, diensten=diensten)  # Finn's 7 days are over: reactietermijn_verstreken
    return gemaakt
