"""Demo Regieteam zaken, one standing in every step of domain/processes/regie.py. Made only through the production
paths, as domain/demo/jeugd.py does (whose steps these share): the Veilig Thuis referral or team toegang's
melding, the consulent's overgangen, the inwoner's answers through the secure e-mail's forms, the toetser, the
term's own sweep and the berichtenverkeer. Everything the inwoner receives goes by secure e-mail (its mails are
in the outbox)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Inwoner, Zaak
from .basis import medewerker_actor
from .jeugd import _Zaak

# child's bsn, where the zaak ends, days ago the referral or melding came in.
ZAKEN = [
    ("999990032", "melding", 1),  # Sem Bakker (12): Veilig Thuis referred him yesterday, with the adult he lives with
    ("999990408", "in_onderzoek", 5),  # Bram de Wit (8): huisbezoek planned, the confirmation sent securely
    ("999990330", "verslag_ter_reactie", 9),  # Finn Brouwer (12): verslag sent, the 7 days running, Meldcode begun
    ("999990342", "aanvraagformulier", 30),  # Emma Brouwer (6): nobody reacted in 7 days
    ("999990354", "aanvraag", 35),  # Noah Brouwer (14): changes first, then the signed form as upload
    ("999990445", "ter_toetsing", 40),  # Yara Bouzid (9): verblijf, above the cost level: with the toetser
    ("999990317", "besluit", 50),  # Mees Meijer (15): granted; the Verwijsindex match, ARIJ, the Meldcode
    # The orders go to children without a Jeugd order of their own: a second 301 for the same child would change
    # that toewijzing (a 306) outside this demo's exchange.
    ("999990111", "in_levering", 60),  # Lotte Mulder (17): ordered, the aanbieder accepted (302)
    ("999990299", "geleverd", 90),  # Daan Meijer (10): toetser approved, ordered and started (305)
    ("999990391", "afgesloten", 70),  # Julia de Wit (15): the safety concerns were not confirmed; closed
]
# Every child whose Regieteam zaak the demo orders: their messages are in the demo's berichtenverkeer.
MET_BERICHTEN = tuple(bsn for bsn, doel, _ in ZAKEN if doel in ("in_levering", "geleverd"))
VEILIG_THUIS = {"999990032": ("999990020", "verzorger")}  # the referral names the adult Sem lives with too

_TOT_AANVRAAG = ("huisbezoek", "verslag", "versturen", "aanvraagformulier")
_TOEGEKEND = (*_TOT_AANVRAAG, "beschikking", "besproken")
# Mees's zaak has the safety work done in full: the Verwijsindex (the school signalled him too: a match), both
# ARIJ taxaties (an earlier and a later veiligheidstaxatie: the history) and the Meldcode up to melden. Finn's
# Meldcode is under way (steps 1 and 2).
ROUTES = {
    "melding": (),
    "in_onderzoek": ("huisbezoek",),
    "verslag_ter_reactie": ("huisbezoek", "meldcode_begin", "verslag", "versturen"),
    "aanvraagformulier": ("huisbezoek", "verslag", "versturen"),  # the sweep does the rest
    "aanvraag": ("huisbezoek", "verslag", "versturen", "wijzigingen", "verslag", "versturen", "aanvraagformulier"),
    "ter_toetsing": (*_TOT_AANVRAAG, "beschikking"),
    "besluit": ("huisbezoek", "meldcode_begin", "taxaties", "verwijsindex", "verslag", "versturen", "meldcode_af",
                "aanvraagformulier", "beschikking", "besproken"),
    "in_levering": (*_TOEGEKEND, "bestellen"),
    "geleverd": (*_TOT_AANVRAAG, "beschikking", "goedkeuren", "besproken", "bestellen"),
    "afgesloten": ("huisbezoek", "afsluiten"),
}


class _RegieZaak(_Zaak):
    ZAAKTYPE = "regie_team"
    CONSULENT = "regieteam"

    def zending(self):
        """The last secure e-mail to the family: they answer through its page."""
        from ..models import BeveiligdeZending

        return self.session.scalar(select(BeveiligdeZending).where(BeveiligdeZending.zaak_id == self.zaak.id)
                                   .order_by(BeveiligdeZending.id.desc()).limit(1))

    def formulier(self, code: str, invoer: dict[str, str], dagen: int, wie: int = 0, uploads=None) -> None:
        from ..beveiligde_mail import ontvanger, reactie_verstuurd
        from ..formulieren import formulier_van
        from ..inzendingen import verstuur
        from ..processes import zaaktype_van

        zending, formulier = self.zending(), formulier_van(zaaktype_van(self.ZAAKTYPE), code)
        verstuur(self.session, ontvanger(zending), self.zaak, formulier, invoer=invoer, uploads=uploads,
                 diensten=self.diensten, nu=self.later(dagen))
        reactie_verstuurd(self.session, zending, formulier, self.moment)

    def melding(self) -> None:
        if self.kind.bsn not in VEILIG_THUIS:
            # Team toegang takes the parents' mobile number with the melding: the secure e-mail's code goes there.
            self.kind.telefoon = self.kind.telefoon or "06 98765432"
            return super().melding()
        from integrations.brp.local import LocalBrp

        from ..verwijzingen import Betrokkene, VerwijzingInvoer, registreer_verwijzing

        ander, rol = VEILIG_THUIS[self.kind.bsn]
        self.zaak = registreer_verwijzing(self.session, medewerker_actor(self.session, "toegang"), VerwijzingInvoer(
            zaaktype=self.ZAAKTYPE, organisatie="Veilig Thuis", contactpersoon="Marieke Smit", telefoon="0800 2000",
            verwezen_op=self.moment.date(), betrokkenen=[Betrokkene(self.kind.bsn, "kind"), Betrokkene(ander, rol)],
            zorgen=(f"De school meldt dat {self.kind.voornamen} de laatste weken met blauwe plekken komt en bang is "
                    "om naar huis te gaan. Bij een huisbezoek van Veilig Thuis was er veel spanning tussen de "
                    "volwassenen. Veilig Thuis vraagt het Regieteam de hulp te regelen en te volgen."),
            email=self.kind.email or "", mobiel="06 11223344"), brp=LocalBrp(), diensten=self.diensten,
            vandaag=self.moment.date())

    def versturen(self) -> None:
        self.vuur(self.jeugd, "verslag_versturen", 1)

    def wijzigingen(self) -> None:
        self.formulier("wijzigingen_verslag", {"wijzigingen": "De opa en oma helpen ook doordeweeks. Dat staat er "
                                                              "nog niet in."}, 2)

    def aanvraagformulier(self) -> None:
        from ..uploads import controleer

        pdf = self.session.info.get("demo_getekend_pdf")
        if pdf is None:
            pdf = self.diensten.render_pdf("brief.html", {"onderwerp": "Aanvraagformulier (ondertekend)", "alineas": [
                "Ik vraag hulp aan voor mijn kind, zoals in het gesprek besproken.", "Handtekening: (getekend)"],
                "gemeente": self.zaak.gemeente, "inwoner": {"naam": self.zaak.inwoner.naam, "adres": []},
                "aanhef": "", "zaak": self.zaak, "datum": self.moment.date(), "ondertekening": {"naam": "", "functie": ""}})
            self.session.info["demo_getekend_pdf"] = pdf
        upload = controleer("aanvraagformulier-getekend.pdf", pdf, max_bytes=10 * 1024 * 1024)
        self.formulier("aanvraagformulier", {"opmerking": ""}, 2, uploads={"getekend_formulier": [upload]})

    def meldcode_begin(self) -> None:
        from ..meldcode import leg_stap_vast

        self.later(1)
        leg_stap_vast(self.session, self.jeugd, self.zaak, 1, datum=self.moment.date(), toelichting=(
            "Blauwe plekken op de armen (gezien door de mentor), bang om naar huis te gaan, vaak ruzie thuis."))
        self.later(1)
        leg_stap_vast(self.session, self.jeugd, self.zaak, 2, datum=self.moment.date(), antwoorden={
            "veilig_thuis_geraadpleegd": True}, toelichting="Besproken met de aandachtsfunctionaris en met Veilig "
                                                             "Thuis (anoniem advies).")
        self.session.commit()

    def meldcode_af(self) -> None:
        from ..meldcode import leg_stap_vast

        self.later(1)
        leg_stap_vast(self.session, self.jeugd, self.zaak, 3, datum=self.moment.date(), toelichting=(
            "Met moeder en Mees gesproken over de zorgen. Moeder erkent de spanningen thuis."))
        leg_stap_vast(self.session, self.jeugd, self.zaak, 4, datum=self.moment.date(), antwoorden={
            "vermoeden": "ja", "onveilig": "ja"}, toelichting="Structurele onveiligheid door het partnergeweld.")
        leg_stap_vast(self.session, self.jeugd, self.zaak, 5, datum=self.moment.date(), besluit="beide",
                      veilig_thuis_datum=self.moment.date(), veilig_thuis_contact="Marieke Smit",
                      toelichting="Gemeld bij Veilig Thuis; het Regieteam regelt de hulp.", diensten=self.diensten)
        self.session.commit()

    def taxaties(self) -> None:
        from ..arij import RISICOTAXATIE, VEILIGHEIDSTAXATIE, leg_taxatie_vast

        nee = {v.code: v.antwoorden[0].code for v in VEILIGHEIDSTAXATIE.vragen}
        leg_taxatie_vast(self.session, self.jeugd, self.zaak, "veiligheid",
                         {**nee, "huiselijk_geweld": "ja", "letsel": "vermoeden"}, nu=self.later(0),
                         toelichting="Bij het huisbezoek: veel spanning; veiligheidsafspraken gemaakt met moeder.")
        risico = {v.code: v.antwoorden[0].code for v in RISICOTAXATIE.vragen}
        leg_taxatie_vast(self.session, self.jeugd, self.zaak, "risico",
                         {**risico, "partnergeweld": "nu", "geldzorgen": "ja", "eerdere_meldingen": "een"},
                         nu=self.later(1))
        leg_taxatie_vast(self.session, self.jeugd, self.zaak, "veiligheid", {**nee, "huiselijk_geweld": "vermoeden"},
                         nu=self.later(5), toelichting="Na de afspraken: geen nieuw geweld gezien.")
        self.session.commit()

    def verwijsindex(self) -> None:
        from integrations.verwijsindex import get_verwijsindex

        from ..verwijsindex import aanmelden

        aanmelden(self.session, self.jeugd, self.zaak, contactpersoon="Rachid Regie", telefoon="14 0180",
                  client=get_verwijsindex(), nu=self.later(0))

    def afsluiten(self) -> None:
        self.vuur(self.jeugd, "afsluiten", 8, reden="Na het huisbezoek en overleg met Veilig Thuis en school is de "
                                                      "zorg over de veiligheid niet bevestigd. Het gezin krijgt geen hulp "
                                                      "van het Regieteam.")


def demo_zaken(session: Session, vandaag: dt.date, diensten) -> int:
    """Make the Regieteam zaken of ZAKEN whose child has none yet (idempotent), then run the term sweep as the
    worker does (Emma's 7 days are over). Returns how many zaken were made."""
    from ..tijdgestuurd import verwerk_termijnen

    gemaakt = 0
    for bsn, doel, dagen in ZAKEN:
        kind = session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        if session.scalar(select(Zaak.id).where(Zaak.inwoner_id == kind.id, Zaak.zaaktype == "regie_team").limit(1)):
            continue
        z = _RegieZaak(session, diensten, kind, doel, vandaag - dt.timedelta(days=dagen))
        z.melding()
        for stap in ROUTES[doel]:
            getattr(z, stap)()
        gemaakt += 1
    verwerk_termijnen(session, vandaag, diensten=diensten)
    return gemaakt
