"""iEb (CAK) and iPgb (SVB): STAND-INS

When a voorziening is ordered, the CAK must learn of it to levy the eigen bijdrage (iEb, zorg in natura) and the
SVB of a pgb toekenning (iPgb). The iEb and iPgb XSDs are not in this repository yet, so these records are
stand-ins: a simple XML body marked as such, kept as rows in the same `bericht` table with standaard "ieb" /
"ipgb". They are NOT validated against an XSD (there is none here to validate against) and NOT sent: there is no
transport to the CAK or the SVB, and the outbox sweep only sends status "klaar", so they get status "standin".
When the schemas and a transport are added, build real messages here and queue them with `zet_klaar`."""
from __future__ import annotations

import datetime as dt
import hashlib

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Bericht, Inwoner, Toewijzing, Voorziening, Zaak, Zorgaanbieder
from ..tijd import datum_van
from ..workflow import Context
from .basis import BERICHTSTATUSSEN, nieuwe_identificatie

STANDIN = "standin"
BERICHTSTATUSSEN[STANDIN] = "Stand-in: niet verstuurd (iEb/iPgb nog niet aangesloten)"
STANDIN_STANDAARDEN = ("ieb", "ipgb")
# code -> (standaard, ontvanger, Dutch description)
STANDIN_SOORTEN = {
    "eb": ("ieb", "CAK", "Eigen bijdrage: overdracht aan het CAK (iEb)"),
    "pgb": ("ipgb", "SVB", "Pgb-toekenning aan de SVB (iPgb)"),
}
_STANDIN_NS = "urn:keukentafel:stand-in"


def is_standin(bericht: Bericht) -> bool:
    return bericht.standaard in STANDIN_STANDAARDEN


def maak_standin(session: Session, voorziening: Voorziening, zaak: Zaak, nu: dt.datetime,
                 toewijzing: Toewijzing | None = None) -> Bericht | None:
    """The iEb (zorg in natura, when the zaaktype has an eigen bijdrage) or iPgb (pgb) stand-in record for one
    ordered voorziening; None when neither applies (jeugdhulp in natura has no eigen bijdrage). No commit."""
    from ..processes import zaaktype_van

    if voorziening.leveringsvorm != "pgb" and not zaaktype_van(zaak.zaaktype).eigen_bijdrage:
        return None
    code = "pgb" if voorziening.leveringsvorm == "pgb" else "eb"
    standaard, ontvanger, omschrijving = STANDIN_SOORTEN[code]
    inwoner = session.get(Inwoner, zaak.inwoner_id)
    identificatie = nieuwe_identificatie()
    root = etree.Element(f"{{{_STANDIN_NS}}}StandIn", nsmap={None: _STANDIN_NS},
                         standaard=standaard, status="stand-in")
    root.append(etree.Comment(" STAND-IN: geen echt iEb/iPgb-bericht. Wordt vervangen zodra de schema's zijn "
                              "toegevoegd; niet tegen een XSD gevalideerd en niet verstuurd. "))

    def sub(ouder, naam, waarde=None):
        el = etree.SubElement(ouder, f"{{{_STANDIN_NS}}}{naam}")
        if waarde is not None:
            el.text = str(waarde)
        return el

    sub(root, "Toelichting", f"Stand-in voor {omschrijving}, tot het schema is toegevoegd.")
    sub(root, "Identificatie", identificatie)
    sub(root, "Dagtekening", datum_van(nu).isoformat())
    sub(root, "Gemeente", zaak.gemeente.code)
    sub(root, "Ontvanger", ontvanger)
    c = sub(root, "Client")
    sub(c, "Bsn", inwoner.bsn)
    sub(c, "Naam", inwoner.naam)
    v = sub(root, "Voorziening")
    sub(v, "Zaak", zaak.identificatie)
    sub(v, "Leveringsvorm", voorziening.leveringsvorm)
    sub(v, "ProductCategorie", voorziening.product.categorie)
    if voorziening.product.productcode:
        sub(v, "ProductCode", voorziening.product.productcode)
    sub(v, "Ingangsdatum", voorziening.ingangsdatum.isoformat())
    if voorziening.einddatum:
        sub(v, "Einddatum", voorziening.einddatum.isoformat())
    sub(v, "Volume", voorziening.volume)
    sub(v, "Eenheid", voorziening.eenheid)
    sub(v, "Frequentie", voorziening.frequentie)
    if toewijzing is not None:
        sub(v, "ToewijzingNummer", toewijzing.toewijzingnummer)
        sub(v, "Zorgaanbieder", session.get(Zorgaanbieder, toewijzing.aanbieder_id).agb_code)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    bericht = Bericht(
        richting="uit", standaard=standaard, code=code, bericht_identificatie=identificatie,
        afzender=zaak.gemeente.code, ontvanger=ontvanger, xml=xml, sha256=hashlib.sha256(xml).hexdigest(),
        status=STANDIN, pogingen=0, volgende_poging=None, aangemaakt=nu, gemeente_id=zaak.gemeente_id,
        aanbieder_id=toewijzing.aanbieder_id if toewijzing else None, zaak_id=zaak.id,
        toewijzing_id=toewijzing.id if toewijzing else None,
        laatste_fout=f"Stand-in: {omschrijving} wordt nog niet echt verstuurd.",
    )
    session.add(bericht)
    return bericht


def maak_standins(ctx: Context) -> list[Bericht]:
    """After a bestelling: an iEb stand-in per ordered zorg in natura voorziening, an iPgb one per pgb."""
    from ..stappen import lopend_besluit

    besluit = lopend_besluit(ctx, ctx.zaak.id)
    if besluit is None:
        return []
    uit = []
    for v in besluit.voorzieningen:
        if v.status != "besteld":
            continue
        toewijzing = ctx.session.scalar(select(Toewijzing).where(Toewijzing.voorziening_id == v.id)
                                        .order_by(Toewijzing.id).limit(1))
        bericht = maak_standin(ctx.session, v, ctx.zaak, ctx.nu, toewijzing)
        if bericht is not None:
            uit.append(bericht)
    return uit
