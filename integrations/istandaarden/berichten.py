"""iWmo 3.2 / iJw 3.2-berichten bouwen, lezen en beantwoorden (pure Python + lxml).

Het ontwerp is generiek: de elementboom van elk bericht (de "tabel" per berichtcode) wordt uit de XSD
afgeleid (``berichtmodel.model``). iWmo en iJw hebben dezelfde vorm; de verschillen (zie onder) volgen vanzelf
uit de XSD's. De inhoud van een bericht is een gewone ``dict`` die de XML-boom volgt: sleutels zijn
elementnamen, herhaalbare elementen (``maxOccurs > 1``) zijn lijsten, datums ``datetime.date``, tijden
``datetime.time``, gehele getallen (``xs:integer``: bedragen in centen, volumes, ToewijzingNummer,
Huisnummer) ``int`` en al het andere ``str`` (codes blijven strings: ``"01"``, BSN ``"999990019"``).

Publieke API::

    bouw(code, standaard, header, inhoud, *, valideren=True) -> bytes  # XSD-geldig of OngeldigBericht
    bouw_boom(code, standaard, header, inhoud) -> lxml-element        # idem, als lxml-boom
    schrijf(bericht) -> bytes                                         # bouw(...) voor een Bericht
    lees(xml, *, valideren=True) -> Bericht                           # header + inhoud
    retour(ontvangen, fouten=None, ...) -> Bericht                    # het retourbericht als Bericht
    retourbericht(ontvangen, fouten=None, ...) -> bytes               # idem, als XSD-geldige XML
    retourbericht_technisch(xml, ...) -> bytes                        # alleen header + 0001, voor een
                                                                      # bericht dat niet door de XSD komt
    retourpaden(ontvangen) -> list[str]                               # waar RetourCodes kunnen staan
    Header, Bericht, BerichtSoort, BERICHTSOORTEN, RETOURCODES, RETOURCODES_IJW, OngeldigBericht

Berichten en richting (``BERICHTSOORTEN``). Bij heenberichten volgt de richting uit de header: Afzender
is ``LDT_Gemeente`` (4 cijfers, CBS-gemeentecode) of ``LDT_AgbCode`` (8 cijfers). LET OP: de header van
een retourbericht (302/306/308/316/318/320) is een kopie van de header van het heenbericht (Afzender,
Ontvanger, BerichtIdentificatie en XsdVersie van het *heen*bericht) plus IdentificatieRetour,
DagtekeningRetour, XsdVersieRetour en RetourCodes. De elementnamen zeggen daar dus niets over de
verzender: de WMO302-header heeft Afzender = gemeente, maar de 302 wordt door de aanbieder verstuurd.
325 is anders: een eigen bericht van de gemeente met een eigen BerichtIdentificatie, en de 323 in
DeclaratieIdentificatie/XsdVersieDeclaratie.

====  =====================================  =========  =========  ================================
Code  Bericht                                Verzender  Ontvanger  Header Afzender/Ontvanger (XSD)
====  =====================================  =========  =========  ================================
301   Toewijzing                             gemeente   aanbieder  Gemeente / AgbCode
302   Retour toewijzing (op 301)             aanbieder  gemeente   Gemeente / AgbCode (kopie 301)
305   Start zorg / ondersteuning             aanbieder  gemeente   AgbCode / Gemeente
306   Retour start (op 305)                  gemeente   aanbieder  AgbCode / Gemeente (kopie 305)
307   Stop zorg / ondersteuning              aanbieder  gemeente   AgbCode / Gemeente
308   Retour stop (op 307)                   gemeente   aanbieder  AgbCode / Gemeente (kopie 307)
315   Verzoek om toewijzing                  aanbieder  gemeente   AgbCode / Gemeente
316   Retour verzoek om toewijzing (op 315)  gemeente   aanbieder  AgbCode / Gemeente (kopie 315)
317   Verzoek om wijziging                   aanbieder  gemeente   AgbCode / Gemeente
318   Retour verzoek om wijziging (op 317)   gemeente   aanbieder  AgbCode / Gemeente (kopie 317)
319   Antwoord op verzoek (315/317)          gemeente   aanbieder  Gemeente / AgbCode
320   Retour antwoord (op 319)               aanbieder  gemeente   Gemeente / AgbCode (kopie 319)
323   Declaratie                             aanbieder  gemeente   AgbCode / Gemeente
325   Declaratie-antwoord (op 323)           gemeente   aanbieder  Gemeente / AgbCode (eigen header)
====  =====================================  =========  =========  ================================

Voor de gemeente (Keukentafel) betekent dat: zij *verstuurt* 301, 319 en de retourberichten 306, 308,
316, 318 en 325, en *ontvangt* 302, 305, 307, 315, 317, 320 en 323.

Verschillen iJw t.o.v. iWmo (uit de XSD's): JW315/JW316 ``Client/GezagsdragerBekend`` (JaNee,
optioneel); JW319/JW320 ``Antwoord/Woonplaatsbeginsel/Gemeente`` (optioneel); andere codelijsten in het
basisschema (ProductCategorie 31-55, RedenBeeindiging); XSD-versie 0.1.0 in plaats van 1.0.0. Er is geen
aparte JeugdhulpVerwijzing: JW315 gebruikt dezelfde ``Verwijzer`` (CDT_Verwijzer) als WMO315.

Retourberichten: ``fouten`` is een dict ``pad -> [retourcode, ...]``. Paden gaan over het *ontvangen*
bericht, met elementnamen gescheiden door ``/`` en een 0-gebaseerde index bij herhaalbare elementen,
bijv. ``"Client"``, ``"Client/ToegewezenProducten/ToegewezenProduct[1]"``,
``"Client/Relaties/Relatie[0]/Contact"``, ``"Declaratie/Clienten/Client[0]/Prestaties/Prestatie[2]"``;
``"Header"`` voor de header. Elk element dat in het retourbericht RetourCodes heeft en niet in ``fouten``
staat krijgt ``0200`` (geen opmerking). Een afkeurende code op ``"Header"`` (alles behalve 0200) keurt het
hele bericht af: dan gaat alleen de header terug (zoals in de voorbeelden van de standaard), tenzij
``inhoud_meesturen=True``. Voor 325 zie ``retour``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from . import schemas
from .berichtmodel import Veld, model
from .schemas import BERICHTCODES, XSD_VERSIES, Fout, XsdVersie

# ------------------------------------------------------------------------------------------------------------
# Berichtsoorten en richting


@dataclass(frozen=True)
class BerichtSoort:
    code: str
    naam: str
    verzender: str  # "gemeente" of "aanbieder"
    ontvanger: str
    retour_op: str | None = None  # retourbericht: code van het heenbericht
    retour: str | None = None  # heenbericht: code van het bijbehorende retourbericht

    @property
    def is_retour(self) -> bool:
        return self.retour_op is not None


_G, _A = "gemeente", "aanbieder"
BERICHTSOORTEN: dict[str, BerichtSoort] = {
    s.code: s
    for s in (
        BerichtSoort("301", "Toewijzing", _G, _A, retour="302"),
        BerichtSoort("302", "Retour toewijzing", _A, _G, retour_op="301"),
        BerichtSoort("305", "Start zorg", _A, _G, retour="306"),
        BerichtSoort("306", "Retour start zorg", _G, _A, retour_op="305"),
        BerichtSoort("307", "Stop zorg", _A, _G, retour="308"),
        BerichtSoort("308", "Retour stop zorg", _G, _A, retour_op="307"),
        BerichtSoort("315", "Verzoek om toewijzing", _A, _G, retour="316"),
        BerichtSoort("316", "Retour verzoek om toewijzing", _G, _A, retour_op="315"),
        BerichtSoort("317", "Verzoek om wijziging", _A, _G, retour="318"),
        BerichtSoort("318", "Retour verzoek om wijziging", _G, _A, retour_op="317"),
        BerichtSoort("319", "Antwoord op verzoek", _G, _A, retour="320"),
        BerichtSoort("320", "Retour antwoord", _A, _G, retour_op="319"),
        BerichtSoort("323", "Declaratie", _A, _G, retour="325"),
        BerichtSoort("325", "Declaratie-antwoord", _G, _A, retour_op="323"),
    )
}

RETOURCODES: dict[str, str] = schemas.enumeratie("iwmo", "LDT_RetourCode")
"""Retourcodes (WJ001) met hun omschrijving, zoals in de ``LDT_RetourCode``-enumeratie van het iWmo
3.2-basisschema (bijv. ``0001`` "Bericht is afgekeurd om technische redenen.", ``0200`` "Geen opmerking over
deze berichtklasse.", ``0233`` "Berichtklasse is niet beoordeeld.", ``8001`` "Declaratie is volledig
toegewezen."). Alleen deze codes zijn XSD-geldig in een retourbericht."""

RETOURCODES_IJW: dict[str, str] = schemas.enumeratie("ijw", "LDT_RetourCode")
"""Idem voor iJw 3.2 (zelfde codes; enkele omschrijvingen wijken iets af, bijv. 9360, 9365, 9413, 9415)."""

RETOURCODES_NIET_IN_XSD: dict[str, str] = {
    "8002": "Niet in de LDT_RetourCode-enumeratie van iWmo/iJw 3.2; kan niet in deze berichten "
    "worden gebruikt (controleer in de iStandaarden-tabel).",
}

GEEN_OPMERKING = "0200"
TECHNISCH_AFGEKEURD = "0001"


def retourcodes(standaard: str) -> dict[str, str]:
    return RETOURCODES if standaard == "iwmo" else RETOURCODES_IJW


# ------------------------------------------------------------------------------------------------------------
# Header en Bericht


@dataclass
class Header:
    """De header van een bericht, zonder de vaste velden (BerichtCode/Versie/Subversie volgen uit de XSD).

    ``afzender``/``ontvanger`` zijn een gemeentecode (4 cijfers) of AGB-code (8 cijfers), zoals de XSD van het
    bericht voorschrijft (bij retourberichten die van het heenbericht). ``xsd_versie`` None betekent: uit de
    XSD-appinfo (bij retourberichten de versie van het heenbericht).

    Alleen retourberichten 302/306/308/316/318/320: ``identificatie_retour``, ``dagtekening_retour``,
    ``xsd_versie_retour`` (None: uit de XSD), ``xslt_versie`` en ``retourcodes`` (header-RetourCodes,
    optioneel). Alleen 325: ``declaratie_identificatie``/``declaratie_dagtekening`` (de BerichtIdentificatie
    van de 323), ``xsd_versie_declaratie`` (None: uit de XSD van 323), ``xslt_versie`` en ``retourcodes``
    (verplicht).
    """

    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: dt.date
    xsd_versie: XsdVersie | None = None
    identificatie_retour: str | None = None
    dagtekening_retour: dt.date | None = None
    xsd_versie_retour: XsdVersie | None = None
    declaratie_identificatie: str | None = None
    declaratie_dagtekening: dt.date | None = None
    xsd_versie_declaratie: XsdVersie | None = None
    xslt_versie: str | None = None
    retourcodes: list[str] = field(default_factory=list)


@dataclass
class Bericht:
    standaard: str  # "iwmo" of "ijw"
    code: str  # "301" ... "325"
    header: Header
    inhoud: dict[str, Any]  # alle kinderen van Bericht behalve Header, bijv. {"Client": {...}}

    @property
    def soort(self) -> BerichtSoort:
        return BERICHTSOORTEN[self.code]

    @property
    def berichtcode(self) -> str:
        return BERICHTCODES[self.standaard, self.code]

    @property
    def naam(self) -> str:
        return schemas.berichtnaam(self.standaard, self.code)


class OngeldigBericht(ValueError):
    """Het bericht voldoet niet aan de XSD; ``fouten`` bevat de validatiefouten."""

    def __init__(self, naam: str, fouten: list[Fout]):
        self.fouten = fouten
        regels = "\n".join(f"  {f}" for f in fouten[:10])
        meer = f"\n  ... en nog {len(fouten) - 10}" if len(fouten) > 10 else ""
        super().__init__(f"{naam} is ongeldig volgens de XSD ({len(fouten)} fout(en)):\n{regels}{meer}")


# ------------------------------------------------------------------------------------------------------------
# Waarden <-> tekst


def _datum_tekst(w) -> str:
    if isinstance(w, dt.datetime):
        w = w.date()
    return w.isoformat()


def _tijd_tekst(w) -> str:
    if isinstance(w, dt.datetime):
        w = w.time()
    return w.isoformat(timespec="seconds" if not w.microsecond else "auto")


def _int_tekst(w) -> str:
    if isinstance(w, bool) or not isinstance(w, int):
        raise TypeError(f"verwacht een geheel getal, kreeg {w!r}")
    return str(w)


_NAAR_TEKST = {"str": str, "int": _int_tekst, "date": _datum_tekst, "time": _tijd_tekst}


def _tekst_str(t: str | None) -> str:
    return t if t is not None else ""


def _tekst_int(t: str | None) -> int:
    return int(t)


def _tekst_datum(t: str | None) -> dt.date:
    return dt.date.fromisoformat(t.strip())


def _tekst_tijd(t: str | None) -> dt.time:
    return dt.time.fromisoformat(t.strip())


_VAN_TEKST = {"str": _tekst_str, "int": _tekst_int, "date": _tekst_datum, "time": _tekst_tijd}

# ------------------------------------------------------------------------------------------------------------
# Bouwen

_GEEN = object()
_XML_DECLARATIE = '<?xml version="1.0" encoding="UTF-8"?>'
_INSPRINGING = tuple("\n" + "  " * i for i in range(64))
# Tekens die in tekst-inhoud een bewerking nodig hebben (escapen) of niet in XML 1.0 mogen.
_SPECIAAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ONGELDIG = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _escape(s: str) -> str:
    if _ONGELDIG.search(s):
        raise ValueError(f"bevat een teken dat niet in XML 1.0 mag: {s!r}")
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _als_dict(data) -> Mapping:
    if isinstance(data, Mapping):
        return data
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {k: v for k, v in dataclasses.asdict(data).items() if v is not None}
    raise TypeError(f"verwacht een dict of dataclass, kreeg {type(data).__name__}")


def _schrijf(uit: list[str], veld: Veld, data, pad: str, diepte: int, ins: tuple[str, ...]) -> None:
    """Schrijf de kinderen van ``veld`` met waarden uit ``data`` als XML-tekst in ``uit`` (in XSD-volgorde).

    Tekst schrijven en daarna in C parsen is ruim 2x sneller dan de boom met lxml.SubElement opbouwen."""
    if type(data) is not dict:
        data = _als_dict(data)
    get = data.get
    gezien = 0
    inspring = ins[diepte]
    for k in veld.kinderen:
        w = get(k.naam, _GEEN)
        if w is _GEEN:
            continue
        gezien += 1
        if w is None:
            continue
        if k.herhaald:
            if not isinstance(w, (list, tuple)):
                raise TypeError(f"{pad}/{k.naam}: herhaalbaar element, verwacht een lijst")
            items = w
        else:
            items = (w,)
        if k.kinderen:
            for item in items:
                uit.append(inspring + k.open)
                _schrijf(uit, k, item, f"{pad}/{k.naam}", diepte + 1, ins)
                uit.append(inspring + k.sluit)
        else:
            naar = _NAAR_TEKST[k.soort]
            for item in items:
                try:
                    if type(item) is str:
                        tekst = _escape(item) if _SPECIAAL.search(item) else item
                    else:
                        tekst = naar(item)
                        if k.soort == "str" and _SPECIAAL.search(tekst):
                            tekst = _escape(tekst)
                except (TypeError, AttributeError, ValueError) as exc:
                    raise TypeError(f"{pad}/{k.naam}: ongeldige waarde {item!r} ({exc})") from None
                uit.append(f"{inspring}{k.open}{tekst}{k.sluit}")
    if gezien != len(data):
        onbekend = sorted(set(data) - set(veld.per_naam))
        raise ValueError(
            f"{pad or '/'}: onbekend(e) element(en) {', '.join(onbekend)}; "
            f"toegestaan: {', '.join(veld.per_naam)}"
        )


def _xsd_dict(v: XsdVersie) -> dict:
    return {"BasisschemaXsdVersie": v[0], "BerichtXsdVersie": v[1]}


def _header_dict(standaard: str, code: str, h: Header) -> dict:
    soort = BERICHTSOORTEN[code]
    eigen = XSD_VERSIES[standaard, code]
    d: dict[str, Any] = {
        "BerichtCode": BERICHTCODES[standaard, code],
        "BerichtVersie": 3,
        "BerichtSubversie": 2,
        "Afzender": h.afzender,
        "Ontvanger": h.ontvanger,
        "BerichtIdentificatie": {"Identificatie": h.identificatie, "Dagtekening": h.dagtekening},
    }
    if soort.is_retour and code != "325":
        d["XsdVersie"] = _xsd_dict(h.xsd_versie or XSD_VERSIES[standaard, soort.retour_op])
        d["IdentificatieRetour"] = h.identificatie_retour
        d["DagtekeningRetour"] = h.dagtekening_retour
        d["XsltVersie"] = h.xslt_versie
        d["XsdVersieRetour"] = _xsd_dict(h.xsd_versie_retour or eigen)
        if h.retourcodes:
            d["RetourCodes"] = {"RetourCode": list(h.retourcodes)}
        verboden = ("declaratie_identificatie", "declaratie_dagtekening", "xsd_versie_declaratie")
    elif code == "325":
        d["XsdVersie"] = _xsd_dict(h.xsd_versie or eigen)
        d["DeclaratieIdentificatie"] = {
            "Identificatie": h.declaratie_identificatie,
            "Dagtekening": h.declaratie_dagtekening,
        }
        d["XsltVersie"] = h.xslt_versie
        d["XsdVersieDeclaratie"] = _xsd_dict(h.xsd_versie_declaratie or XSD_VERSIES[standaard, "323"])
        d["RetourCodes"] = {"RetourCode": list(h.retourcodes)}
        verboden = ("identificatie_retour", "dagtekening_retour", "xsd_versie_retour")
    else:
        d["XsdVersie"] = _xsd_dict(h.xsd_versie or eigen)
        verboden = (
            "identificatie_retour",
            "dagtekening_retour",
            "xsd_versie_retour",
            "declaratie_identificatie",
            "declaratie_dagtekening",
            "xsd_versie_declaratie",
            "xslt_versie",
            "retourcodes",
        )
    gezet = [n for n in verboden if getattr(h, n)]
    if gezet:
        raise ValueError(f"Header-veld(en) {', '.join(gezet)} horen niet in de header van bericht {code}")
    return d


def _bouw_tekst(standaard: str, code: str, header: Header, inhoud, pretty_print: bool) -> str:
    m = model(standaard, code)
    inhoud = _als_dict(inhoud)
    if "Header" in inhoud:
        raise ValueError("de header hoort in het header-argument, niet in inhoud")
    ins = _INSPRINGING if pretty_print else ("",) * len(_INSPRINGING)
    hveld = m.per_naam["Header"]
    uit = [
        _XML_DECLARATIE,
        (
            f'\n<{m.qnaam} xmlns:{schemas.prefix(standaard, code)}="{m.ns}" '
            f'xmlns:{standaard}="{schemas.basis_namespace(standaard)}">'
        ),
        ins[1] + hveld.open,
    ]
    _schrijf(uit, hveld, _header_dict(standaard, code, header), "/Header", 2, ins)
    uit.append(ins[1] + hveld.sluit)
    _schrijf(uit, m, inhoud, "", 1, ins)
    uit.append(f"\n{m.sluit}\n")
    return "".join(uit)


def bouw(
    code: str | int,
    standaard: str,
    header: Header,
    inhoud,
    *,
    valideren: bool = True,
    pretty_print: bool = True,
) -> bytes:
    """Bouw een iWmo/iJw 3.2-bericht als UTF-8 XML-bytes.

    ``code``: ``"301"`` (ook ``301``/``"WMO301"``/``"JW301"``); ``standaard``: ``"iwmo"`` of ``"ijw"``;
    ``inhoud``: dict (of dataclass) met de kinderen van ``Bericht`` behalve ``Header``, bijv. ``{"Client":
    {...}}``. Elementen worden in XSD-volgorde geschreven, onbekende sleutels geven ``ValueError``. Met
    ``valideren=True`` (standaard) wordt het resultaat tegen de (gecachete) XSD gevalideerd; bij fouten volgt
    ``OngeldigBericht`` met regelnummers in het gebouwde bericht."""
    standaard, code = schemas.normaliseer(standaard, code)
    xml = _bouw_tekst(standaard, code, header, inhoud, pretty_print).encode("utf-8")
    if valideren:
        fouten = schemas.valideer_boom(schemas.parse(xml), standaard, code)
        if fouten:
            raise OngeldigBericht(schemas.berichtnaam(standaard, code), fouten)
    return xml


def bouw_boom(
    code: str | int, standaard: str, header: Header, inhoud, *, valideren: bool = True
) -> etree._Element:
    """Als ``bouw``, maar geeft het lxml-root-element terug."""
    standaard, code = schemas.normaliseer(standaard, code)
    root = schemas.parse(_bouw_tekst(standaard, code, header, inhoud, True).encode("utf-8"))
    if valideren:
        fouten = schemas.valideer_boom(root, standaard, code)
        if fouten:
            raise OngeldigBericht(schemas.berichtnaam(standaard, code), fouten)
    return root


def schrijf(bericht: Bericht, **kwargs) -> bytes:
    """``bouw`` voor een ``Bericht`` (bijv. uit ``lees`` of ``retour``)."""
    return bouw(bericht.code, bericht.standaard, bericht.header, bericht.inhoud, **kwargs)


# ------------------------------------------------------------------------------------------------------------
# Lezen


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


# ------------------------------------------------------------------------------------------------------------
# Retourberichten


def _kindpad(pad: str, naam: str) -> str:
    return f"{pad}/{naam}" if pad else naam


def _met_retourcodes(
    data: Mapping, veld: Veld, codes: Mapping[str, list[str]], pad: str, gebruikt: dict[str, None]
) -> dict:
    """Kopieer ``data`` volgens het retourmodel ``veld`` en zet RetourCodes waar het retourmodel ze heeft.
    ``gebruikt`` verzamelt (in documentvolgorde) de paden die RetourCodes kregen."""
    uit: dict[str, Any] = {}
    if "RetourCodes" in veld.per_naam:
        gebruikt[pad] = None
        uit["RetourCodes"] = {"RetourCode": list(codes.get(pad) or [GEEN_OPMERKING])}
    for k in veld.kinderen:
        if k.naam == "RetourCodes" or k.naam not in data:
            continue
        w = data[k.naam]
        if k.kinderen and w is not None:
            if k.herhaald:
                uit[k.naam] = [
                    _met_retourcodes(item, k, codes, f"{_kindpad(pad, k.naam)}[{i}]", gebruikt)
                    for i, item in enumerate(w)
                ]
            else:
                uit[k.naam] = _met_retourcodes(w, k, codes, _kindpad(pad, k.naam), gebruikt)
        else:
            uit[k.naam] = w
    return uit


def _controleer_codes(standaard: str, fouten: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    geldig = retourcodes(standaard)
    uit = {}
    for pad, codes in fouten.items():
        codes = [codes] if isinstance(codes, str) else list(codes)
        onbekend = [c for c in codes if c not in geldig]
        if onbekend:
            raise ValueError(
                f"{pad}: retourcode(s) {', '.join(onbekend)} staan niet in LDT_RetourCode ({standaard})"
            )
        uit[pad] = codes
    return uit


def _afkeurend(codes: list[str] | None) -> bool:
    return bool(codes) and any(c != GEEN_OPMERKING for c in codes)


def _met_teken(bedrag: Mapping, veld_bedrag: str) -> int:
    return bedrag[veld_bedrag] if bedrag["DebetCredit"] == "D" else -bedrag[veld_bedrag]


def _declaratie_antwoord(
    decl: Mapping, veld: Veld, codes: dict[str, list[str]], gebruikt: dict[str, None]
) -> dict:
    """DeclaratieAntwoord (325) bij een Declaratie (323): alleen de afgewezen prestaties, met hun RetourCodes;
    TotaalToegekendBedrag = som van de niet-afgewezen prestaties (debet positief, credit negatief)."""
    client_veld = veld.kind("Clienten").kind("Client")
    prestatie_veld = client_veld.kind("Prestaties").kind("Prestatie")
    gebruikt["Declaratie"] = None
    decl_af = _afkeurend(codes.get("Declaratie"))
    toegekend = 0
    clienten = []
    for i, client in enumerate(decl["Clienten"]["Client"]):
        cpad = f"Declaratie/Clienten/Client[{i}]"
        gebruikt[cpad] = None
        client_af = decl_af or _afkeurend(codes.get(cpad))
        afgewezen = []
        for j, prestatie in enumerate(client["Prestaties"]["Prestatie"]):
            ppad = f"{cpad}/Prestaties/Prestatie[{j}]"
            if client_af or _afkeurend(codes.get(ppad)):
                afgewezen.append(_met_retourcodes(prestatie, prestatie_veld, codes, ppad, gebruikt))
            else:
                gebruikt[ppad] = None
                toegekend += _met_teken(prestatie["IngediendBedrag"], "Bedrag")
        if afgewezen:
            clienten.append(
                {
                    "Bsn": client["Bsn"],
                    "Prestaties": {"Prestatie": afgewezen},
                    "RetourCodes": {"RetourCode": list(codes.get(cpad) or [GEEN_OPMERKING])},
                }
            )
    antwoord: dict[str, Any] = {
        "DeclaratieNummer": decl["DeclaratieNummer"],
        "TotaalIngediendBedrag": dict(decl["TotaalIngediendBedrag"]),
        "TotaalToegekendBedrag": {
            "TotaalBedrag": 0 if decl_af else abs(toegekend),
            "DebetCredit": "C" if toegekend < 0 and not decl_af else "D",
        },
        "RetourCodes": {"RetourCode": list(codes.get("Declaratie") or [GEEN_OPMERKING])},
    }
    if clienten and not decl_af:
        antwoord["Clienten"] = {"Client": clienten}
    return antwoord


def _retourpaden_325(ontvangen: Bericht) -> list[str]:
    paden = ["Header", "Declaratie"]
    for i, client in enumerate(ontvangen.inhoud["Declaratie"]["Clienten"]["Client"]):
        paden.append(f"Declaratie/Clienten/Client[{i}]")
        paden.extend(
            f"Declaratie/Clienten/Client[{i}]/Prestaties/Prestatie[{j}]"
            for j in range(len(client["Prestaties"]["Prestatie"]))
        )
    return paden


def retourpaden(ontvangen: Bericht) -> list[str]:
    """Alle paden in ``ontvangen`` waarvoor ``retour``/``retourbericht`` RetourCodes accepteert."""
    soort = ontvangen.soort
    if soort.retour is None:
        raise ValueError(f"bericht {ontvangen.code} heeft geen retourbericht")
    if soort.retour == "325":
        return _retourpaden_325(ontvangen)
    gebruikt: dict[str, None] = {"Header": None}  # dict als geordende set
    _met_retourcodes(ontvangen.inhoud, model(ontvangen.standaard, soort.retour), {}, "", gebruikt)
    return list(gebruikt)


def retour(
    ontvangen: Bericht,
    fouten: Mapping[str, Iterable[str]] | None = None,
    *,
    identificatie: str | None = None,
    dagtekening: dt.date | None = None,
    xslt_versie: str | None = None,
    inhoud_meesturen: bool | None = None,
) -> Bericht:
    """Maak het retourbericht bij een ontvangen heenbericht (301→302, 305→306, 307→308, 315→316, 317→318,
    319→320, 323→325) als ``Bericht``.

    ``fouten``: ``{pad: [retourcode, ...]}`` (zie de moduledocumentatie; ``retourpaden`` geeft alle paden).
    Zonder fouten krijgt alles ``0200``. ``identificatie`` (max. 12 tekens) is die van het retourbericht: bij
    302-320 de IdentificatieRetour, bij 325 de BerichtIdentificatie; standaard een willekeurige hex-string.
    ``dagtekening`` is standaard vandaag.

    302-320: de header van het heenbericht wordt gekopieerd
    (Afzender/Ontvanger/BerichtIdentificatie/XsdVersie) en de inhoud wordt volledig herhaald met RetourCodes
    op elke berichtklasse. Header-RetourCodes alleen als ``fouten["Header"]`` is gegeven; een afkeurende
    headercode laat de inhoud weg (``inhoud_meesturen`` overschrijft).

    325: Afzender/Ontvanger omgedraaid t.o.v. de 323, DeclaratieIdentificatie/XsdVersieDeclaratie = die van de
    323, header-RetourCodes verplicht (standaard 0200). DeclaratieAntwoord bevat DeclaratieNummer,
    TotaalIngediendBedrag, TotaalToegekendBedrag en alleen de *afgewezen* prestaties (een prestatie met een
    code anders dan 0200; een afkeurende code op ``Declaratie/Clienten/Client[i]`` wijst alle prestaties van
    die client af). Een afkeurende code op ``"Declaratie"`` wijst de hele declaratie af (toegekend 0, geen
    Clienten); op ``"Header"`` gaat alleen de header terug. 8001 ("Declaratie is volledig toegewezen") wordt
    niet automatisch gezet; geef die zo nodig zelf mee op ``"Declaratie"``.
    """
    soort = ontvangen.soort
    if soort.retour is None:
        raise ValueError(
            f"bericht {ontvangen.code} ({soort.naam}) is zelf een retourbericht; er is geen retour op"
        )
    standaard, rcode = ontvangen.standaard, soort.retour
    codes = _controleer_codes(standaard, fouten or {})
    identificatie = identificatie or uuid.uuid4().hex[:12]
    dagtekening = dagtekening or dt.date.today()
    h = ontvangen.header
    headercodes = codes.get("Header", [])
    meesturen = (not _afkeurend(headercodes)) if inhoud_meesturen is None else inhoud_meesturen
    m = model(standaard, rcode)
    gebruikt: dict[str, None] = {"Header": None}

    if rcode == "325":
        header = Header(
            afzender=h.ontvanger,
            ontvanger=h.afzender,
            identificatie=identificatie,
            dagtekening=dagtekening,
            declaratie_identificatie=h.identificatie,
            declaratie_dagtekening=h.dagtekening,
            xsd_versie_declaratie=h.xsd_versie,
            xslt_versie=xslt_versie,
            retourcodes=list(headercodes or [GEEN_OPMERKING]),
        )
        inhoud = {}
        if meesturen:
            inhoud["DeclaratieAntwoord"] = _declaratie_antwoord(
                ontvangen.inhoud["Declaratie"], m.kind("DeclaratieAntwoord"), codes, gebruikt
            )
        else:
            gebruikt.update(codes)
    else:
        header = Header(
            afzender=h.afzender,
            ontvanger=h.ontvanger,
            identificatie=h.identificatie,
            dagtekening=h.dagtekening,
            xsd_versie=h.xsd_versie,
            identificatie_retour=identificatie,
            dagtekening_retour=dagtekening,
            xslt_versie=xslt_versie,
            retourcodes=list(headercodes),
        )
        inhoud = _met_retourcodes(ontvangen.inhoud, m, codes, "", gebruikt)
        if not meesturen:
            inhoud = {}
    onbekend = set(codes) - gebruikt.keys()
    if onbekend:
        raise ValueError(
            f"onbekend(e) pad(en) in fouten: {', '.join(sorted(onbekend))}; "
            f"geldige paden: {', '.join(retourpaden(ontvangen))}"
        )
    return Bericht(standaard, rcode, header, inhoud)


def retourbericht(
    ontvangen: Bericht,
    fouten: Mapping[str, Iterable[str]] | None = None,
    **kwargs,
) -> bytes:
    """``retour(...)`` als XSD-gevalideerde XML-bytes. Zie ``retour`` voor de argumenten."""
    return schrijf(retour(ontvangen, fouten, **kwargs))


def retourbericht_technisch(
    xml: bytes,
    *,
    retourcode: str = TECHNISCH_AFGEKEURD,
    identificatie: str | None = None,
    dagtekening: dt.date | None = None,
) -> bytes:
    """Retourbericht met alleen een header en ``retourcode`` (standaard 0001, technisch afgekeurd) voor een
    ontvangen heenbericht dat niet door de XSD komt. De header wordt zonder validatie uit ``xml`` gelezen; is
    die onbruikbaar (geen XML, onbekende namespace, ontbrekende Afzender/Ontvanger/BerichtIdentificatie), dan
    volgt ``ValueError``: zo'n bericht kan alleen op transportniveau worden afgewezen."""
    try:
        root = schemas.parse(xml)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"geen XML, geen retourbericht mogelijk: {exc}") from None
    herkend = schemas.herken(root)
    if herkend is None:
        raise ValueError("onbekende namespace, geen retourbericht mogelijk")
    standaard, code = herkend
    if BERICHTSOORTEN[code].retour is None:
        raise ValueError(f"bericht {code} is zelf een retourbericht")

    def tekst(*namen: str) -> str | None:
        el = root
        for naam in namen:
            el = next((c for c in el if isinstance(c.tag, str) and etree.QName(c).localname == naam), None)
            if el is None:
                return None
        return (el.text or "").strip() or None

    try:
        xsd = XsdVersie(
            tekst("Header", "XsdVersie", "BasisschemaXsdVersie"),
            tekst("Header", "XsdVersie", "BerichtXsdVersie"),
        )
        dag = tekst("Header", "BerichtIdentificatie", "Dagtekening")
        header = Header(
            afzender=tekst("Header", "Afzender"),
            ontvanger=tekst("Header", "Ontvanger"),
            identificatie=tekst("Header", "BerichtIdentificatie", "Identificatie"),
            dagtekening=dt.date.fromisoformat(dag) if dag else None,
            xsd_versie=xsd if all(xsd) else None,
        )
    except ValueError as exc:
        raise ValueError(f"header onleesbaar, geen retourbericht mogelijk: {exc}") from None
    if not (header.afzender and header.ontvanger and header.identificatie and header.dagtekening):
        raise ValueError("header onvolledig, geen retourbericht mogelijk")
    ontvangen = Bericht(standaard, code, header, {})
    r = retour(
        ontvangen,
        {"Header": [retourcode]},
        identificatie=identificatie,
        dagtekening=dagtekening,
        inhoud_meesturen=False,
    )
    return schrijf(r)
