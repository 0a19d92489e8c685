"""Termijnbewaking around a zaak: which of our terms passed, the ingebrekestelling and the dwangsom, and the
overview for teamleiders. The computing itself lives in deadlines.py; this is about zaken."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .actor import Actor
from .dwangsom import Dwangsom, dwangsom
from .effects import MeldInwoner, MeldMedewerkers
from .models import Termijn, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .teksten import aantal
from .tijd import datum_van
from .workflow import Diensten, OvergangFout, handeling_context


def beslistermijnen() -> tuple[str, ...]:
    """The soorten of the terms within which the gemeente must decide (a dwangsom can follow, Awb 4:17): the
    rules with ``beslistermijn=True``, the Awb's and those the zaaktypen register. The bezwaartermijn binds the
    inwoner instead."""
    return tuple(s for s, r in _regels().items() if r.beslistermijn)


def termijnen_gemeente() -> tuple[str, ...]:
    """The soorten of every term the gemeente must meet (``voor_gemeente``): the beslistermijnen and e.g. the
    onderzoek after a melding. The warning sweep and the teamleider's overview watch these."""
    return tuple(s for s, r in _regels().items() if r.voor_gemeente or r.beslistermijn)


def _regels():
    from .deadlines import REGELS
    from .processes import zaaktypen

    zaaktypen()  # importing the definitions registers their rules
    return REGELS


def verstreken_beslistermijn(session: Session, zaak: Zaak, vandaag: dt.date) -> Termijn | None:
    return session.scalar(select(Termijn).where(
        Termijn.zaak_id == zaak.id, Termijn.soort.in_(beslistermijnen()), Termijn.gestopt_op.is_(None),
        Termijn.opgeschort_tot.is_(None), Termijn.einddatum < vandaag).order_by(Termijn.einddatum).limit(1))


def laatste_beslistermijn(session: Session, zaak: Zaak) -> Termijn | None:
    return session.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort.in_(beslistermijnen()))
                          .order_by(Termijn.id.desc()).limit(1))


def dwangsom_van(session: Session, zaak: Zaak, vandaag: dt.date) -> Dwangsom | None:
    """The dwangsom as it stands today, or None without an ingebrekestelling."""
    if zaak.ingebreke_gesteld_op is None:
        return None
    termijn = laatste_beslistermijn(session, zaak)
    return dwangsom(zaak.ingebreke_gesteld_op, vandaag, termijn.gestopt_op if termijn else None,
                    termijn_einde=termijn.einddatum if termijn else None)


def stel_in_gebreke(session: Session, actor: Actor, zaak: Zaak, *, diensten: Diensten, nu: dt.datetime | None = None) -> Dwangsom:
    """The inwoner tells us in one step that we are too late (Awb 4:17). From two weeks later a dwangsom runs."""
    nu = nu or utcnow()
    vandaag = datum_van(nu)
    if not actor.mag_handelen_voor(zaak.inwoner_id):
        raise OvergangFout("U kunt alleen uw eigen zaak in gebreke stellen.")
    if zaak.ingebreke_gesteld_op is not None:
        raise OvergangFout("U heeft ons al in gebreke gesteld.")
    termijn = verstreken_beslistermijn(session, zaak, vandaag)
    if termijn is None:
        raise OvergangFout("De termijn om te beslissen is nog niet voorbij. Een ingebrekestelling kan pas daarna.")
    zaak.ingebreke_gesteld_op = vandaag
    ctx = handeling_context(session, actor, zaak, "ingebrekestelling", "Ingebrekestelling", diensten=diensten,
                            nu=nu, vandaag=vandaag)
    MeldInwoner("nieuwe_notificatie", "We hebben uw ingebrekestelling ontvangen",
                "We hebben uw ingebrekestelling ontvangen. Beslissen we niet binnen 2 weken, dan krijgt u een "
                "dwangsom voor elke dag dat we te laat zijn.").toepassen(ctx)
    MeldMedewerkers("behandelaar", "Ingebrekestelling ontvangen",
                    "De inwoner heeft de gemeente in gebreke gesteld. Beslis binnen 2 weken, anders loopt er een dwangsom.").toepassen(ctx)
    MeldMedewerkers("teamleiders", "Ingebrekestelling ontvangen",
                    "Een inwoner heeft de gemeente in gebreke gesteld wegens een verlopen beslistermijn.").toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"Ingebrekestelling ontvangen ({zaak.identificatie})", doel="Termijnbewaking",
                 inwoner_id=zaak.inwoner_id)
    session.commit()
    return dwangsom_van(session, zaak, vandaag)


def pas_termijn_aan(session: Session, actor: Actor, zaak: Zaak, termijn: Termijn, *, soort: str, reden: str,
                    diensten: Diensten, weken: int | None = None, van: dt.date | None = None,
                    tot: dt.date | None = None, tot_gebeurtenis: str | None = None, met_instemming: bool = False,
                    nu: dt.datetime | None = None) -> Termijn:
    """Verlenging (Awb 4:14, 7:10 lid 3) or opschorting (Awb 4:15) of one of our terms, with the reason in a
    letter to the inwoner. The term service decides what the law allows; this records it.

    Opschorting: from ``van`` until ``tot`` (a known period), or, with ``tot_gebeurtenis`` instead of ``tot``,
    without an end date until that event happens (e.g. ``domain.vragen.ANTWOORD_INWONER``): the term then
    resumes with the days it had left (``domain.effects.hervat_termijnen``)."""
    from . import authz
    from .deadlines import schort_op, verleng
    from .effects import bereken_voor_zaak, schort_op_tot_gebeurtenis, zet_uiterlijke_einddatum
    from .feestdagen import gelijkgestelde_dagen_van
    from .processes import zaaktype_van
    from .roles import Rol
    from .stappen import Brief, letterlijk

    nu = nu or utcnow()
    vandaag = datum_van(nu)
    zaaktype = zaaktype_van(zaak.zaaktype)
    if not actor.is_medewerker or not actor.heeft_rol(*zaaktype.behandelaar_rollen, Rol.TEAMLEIDER):
        raise authz.Geweigerd("termijn aanpassen")
    if termijn.zaak_id != zaak.id or termijn.gestopt_op is not None:
        raise OvergangFout("Deze termijn loopt niet (meer).")
    if termijn.opgeschort_tot is not None:
        raise OvergangFout("Deze termijn staat stil tot de inwoner reageert. Dan loopt hij vanzelf weer.")
    if not reden.strip():
        raise OvergangFout("Schrijf de reden op. De inwoner krijgt die in een brief.")
    oud = termijn.einddatum
    nieuw: dt.date | None = oud
    try:
        if soort == "verlengen":
            if not weken:
                raise OvergangFout("Vul het aantal weken in.")
            if termijn.toelichting and termijn.toelichting.startswith("Verlengd"):
                raise OvergangFout("Deze termijn is al verlengd.")
            uitkomst = bereken_voor_zaak(zaak, termijn.soort, termijn.startdatum)
            nieuw = verleng(uitkomst, weken, met_instemming=met_instemming, meegedeeld_op=vandaag).einddatum
            termijn.toelichting = f"Verlengd met {aantal(weken, 'week', 'weken')}: {reden.strip()}"
        elif soort == "opschorten" and tot_gebeurtenis and not tot:
            if not van:
                raise OvergangFout("Vul in vanaf wanneer de termijn stilstaat.")
            schort_op_tot_gebeurtenis(session, zaak, termijn, van=van, gebeurtenis=tot_gebeurtenis)
            nieuw = None
            termijn.toelichting = f"Opgeschort vanaf {van.isoformat()} tot de inwoner reageert: {reden.strip()}"
        elif soort == "opschorten":
            if not van or not tot or tot < van:
                raise OvergangFout("Vul een geldige periode in (van en tot).")
            nieuw = schort_op(termijn.einddatum, van, tot, extra_feestdagen=gelijkgestelde_dagen_van(zaak.gemeente))
            termijn.opgeschort_sinds = van
            termijn.toelichting = f"Opgeschort van {van.isoformat()} tot {tot.isoformat()}: {reden.strip()}"
        else:
            raise OvergangFout("Kies verlengen of opschorten.")
    except ValueError as exc:
        raise OvergangFout(str(exc)) from None
    if nieuw is not None:
        termijn.zet_einddatum(nieuw)
    zet_uiterlijke_einddatum(session, zaak)
    ctx = handeling_context(session, actor, zaak, "termijn", "Termijn aanpassen", diensten=diensten, nu=nu,
                            vandaag=vandaag)
    from .teksten import datum_nl

    woord = "verlengd" if soort == "verlengen" else "opgeschort"
    if nieuw is None:
        datum_zin = ("De termijn staat stil tot u heeft gereageerd. Daarna loopt hij verder met de dagen die nog "
                     f"over waren. Zonder dit uitstel beslisten we uiterlijk op {datum_nl(oud)}.")
        melding = "We hebben de termijn stilgezet tot u heeft gereageerd. De brief staat in het portaal."
    else:
        datum_zin = f"We beslissen nu uiterlijk op {datum_nl(nieuw)}. Eerst was dat {datum_nl(oud)}."
        melding = f"We hebben de termijn {woord}. We beslissen nu uiterlijk op {datum_nl(nieuw)}. De brief staat in het portaal."
    Brief("brief", f"Brief: termijn {woord}", "We hebben meer tijd nodig voor uw zaak",
          (f"We hebben de termijn voor uw zaak {{zaaknummer}} {woord}. {datum_zin}",
           f"De reden: {letterlijk(reden.strip())}",
           f"Dit mag volgens de wet: {termijn.bron}." if soort == "verlengen" else
           "Zolang wij wachten op uw gegevens, staat de termijn stil (Algemene wet bestuursrecht, artikel 4:15).",
           "Heeft u vragen? Bel ons gerust.")).toepassen(ctx)
    MeldInwoner("nieuwe_notificatie", "Nieuwe datum voor uw zaak", melding).toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="termijn", object_id=termijn.id,
                 omschrijving=(f"Termijn {termijn.soort} {woord} tot {nieuw.isoformat()} ({zaak.identificatie})"
                               if nieuw else f"Termijn {termijn.soort} opgeschort tot reactie ({zaak.identificatie})"),
                 doel="Termijnbewaking", inwoner_id=zaak.inwoner_id)
    session.commit()
    return termijn


def waarschuw_termijnen(session: Session, vandaag: dt.date, dagen_vooraf: int = 5) -> int:
    """Sweep: a term about to pass warns the behandelaar and the teamleiders, once."""

    grens = vandaag + dt.timedelta(days=dagen_vooraf)
    termijnen = session.scalars(select(Termijn).where(
        Termijn.gestopt_op.is_(None), Termijn.opgeschort_tot.is_(None), Termijn.gewaarschuwd.is_(False),
        Termijn.einddatum <= grens,
        Termijn.soort.in_(termijnen_gemeente())).with_for_update(skip_locked=True)).all()
    for termijn in termijnen:
        zaak = session.get(Zaak, termijn.zaak_id)
        from .actor import SYSTEEM

        ctx = handeling_context(session, SYSTEEM, zaak, "waarschuwing", "Termijnwaarschuwing", vandaag=vandaag)
        tekst = (f"De termijn ({termijn.bron}) loopt af op {termijn.einddatum.isoformat()}."
                 if termijn.einddatum >= vandaag else f"De termijn ({termijn.bron}) is verlopen op {termijn.einddatum.isoformat()}.")
        MeldMedewerkers("behandelaar", "Termijn loopt bijna af", tekst).toepassen(ctx)
        MeldMedewerkers("teamleiders", "Termijn loopt bijna af", tekst).toepassen(ctx)
        termijn.gewaarschuwd = True
    session.commit()
    return len(termijnen)


def herinner_einde_voorzieningen(session: Session, vandaag: dt.date, diensten: Diensten, weken: int = 8) -> int:
    """Sweep: before a voorziening's einddatum, remind the consulent and the inwoner that verlenging or
    herindicatie needs a new aanvraag (PROCESSES.md: einde voorziening). Once per voorziening."""
    from .actor import SYSTEEM
    from .models import Voorziening

    grens = vandaag + dt.timedelta(weeks=weken)
    voorzieningen = session.scalars(select(Voorziening).where(
        Voorziening.herinnerd_op.is_(None), Voorziening.einddatum.is_not(None), Voorziening.einddatum >= vandaag,
        Voorziening.einddatum <= grens, Voorziening.status.in_(("gereserveerd", "besteld", "geleverd")))
        .with_for_update(skip_locked=True)).all()
    for v in voorzieningen:
        zaak = session.get(Zaak, v.zaak_id)
        ctx = handeling_context(session, SYSTEEM, zaak, "herinnering", "Einde voorziening", diensten=diensten,
                                vandaag=vandaag)
        from .teksten import datum_nl

        MeldInwoner("nieuwe_notificatie", "Uw ondersteuning stopt binnenkort",
                    f"Uw {v.product.naam.lower()} stopt op {datum_nl(v.einddatum)}. Heeft u daarna nog hulp nodig? "
                    "Neem dan contact met ons op. U moet dan opnieuw een aanvraag doen.").toepassen(ctx)
        MeldMedewerkers("behandelaar", "Einde voorziening nadert",
                        f"{v.product.naam} stopt op {datum_nl(v.einddatum)}. Herindicatie of verlenging vraagt een nieuwe aanvraag.").toepassen(ctx)
        v.herinnerd_op = vandaag
    session.commit()
    return len(voorzieningen)
