"""Een iWmo/iJw 3.2-bericht lezen: XML (na XSD-validatie) naar een ``Bericht`` met de inhoud als dict, met
de waarden in hun Python-type (``schemas``/``berichtmodel`` zeggen welk)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from .. import schemas
from ..berichtmodel import Veld, model
from ..schemas import XsdVersie
from .bericht import Bericht, Header, OngeldigBericht

__all__ = ["lees", "lees_boom"]


def _tekst_str(t: str | None) -> str:
    return t if t is not None else ""


def _tekst_int(t: str | None) -> int:
    return int(t)


def _tekst_datum(t: str | None) -> dt.date:
    return dt.date.fromisoformat(t.strip())


def _tekst_tijd(t: str | None) -> dt.time:
    return dt.time.fromisoformat(t.strip())


_VAN_TEKST = {"str": _tekst_str, "int": _tekst_int, "date": _tekst_datum, "time": _tekst_tijd}


def _lees_el(el: etree._Element, veld: Veld) -> dict:
    d: dict[str, Any] = {}
    per_tag = veld.per_tag
    for c in el:
        k = per_tag.get(c.tag)
        if k is None:
            if not isinstance(c.tag, str):  # commentaar / processing instruction
                continue
            raise ValueError(
                f"onverwacht element {etree.QName(c).localname} in {veld.naam} (regel {c.sourceline})"
            )
        w = _lees_el(c, k) if k.kinderen else _VAN_TEKST[k.soort](c.text)
        if k.herhaald:
            lijst = d.get(k.naam)
            if lijst is None:
                d[k.naam] = [w]
            else:
                lijst.append(w)
        else:
            d[k.naam] = w
    return d


def _xsd_versie(d: dict | None) -> XsdVersie | None:
    return XsdVersie(d["BasisschemaXsdVersie"], d["BerichtXsdVersie"]) if d else None


def _header_van_dict(d: dict) -> Header:
    bi = d.get("BerichtIdentificatie", {})
    di = d.get("DeclaratieIdentificatie") or {}
    return Header(
        afzender=d.get("Afzender"),
        ontvanger=d.get("Ontvanger"),
        identificatie=bi.get("Identificatie"),
        dagtekening=bi.get("Dagtekening"),
        xsd_versie=_xsd_versie(d.get("XsdVersie")),
        identificatie_retour=d.get("IdentificatieRetour"),
        dagtekening_retour=d.get("DagtekeningRetour"),
        xsd_versie_retour=_xsd_versie(d.get("XsdVersieRetour")),
        declaratie_identificatie=di.get("Identificatie"),
        declaratie_dagtekening=di.get("Dagtekening"),
        xsd_versie_declaratie=_xsd_versie(d.get("XsdVersieDeclaratie")),
        xslt_versie=d.get("XsltVersie"),
        retourcodes=list((d.get("RetourCodes") or {}).get("RetourCode", [])),
    )


def lees_boom(root: etree._Element, *, valideren: bool = True) -> Bericht:
    herkend = schemas.herken(root)
    if herkend is None:
        raise OngeldigBericht("bericht", schemas.valideer(root))
    standaard, code = herkend
    if valideren:
        fouten = schemas.valideer(root)
        if fouten:
            raise OngeldigBericht(schemas.berichtnaam(standaard, code), fouten)
    d = _lees_el(root, model(standaard, code))
    header = _header_van_dict(d.pop("Header", {}))
    return Bericht(standaard, code, header, d)


def lees(xml: bytes | str, *, valideren: bool = True) -> Bericht:
    """Parse een iWmo/iJw 3.2-bericht (standaard en code uit de namespace). Valideert eerst tegen de XSD
    (``OngeldigBericht`` met regelnummers bij fouten), tenzij ``valideren=False``."""
    try:
        root = schemas.parse(xml)
    except etree.XMLSyntaxError:
        raise OngeldigBericht("bericht", schemas.valideer(xml)) from None
    return lees_boom(root, valideren=valideren)
