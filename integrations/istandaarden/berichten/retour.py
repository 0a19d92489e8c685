"""Retourberichten: het antwoord van de ontvanger op een heenbericht (301→302, 305→306, 307→308, 315→316,
317→318, 319→320, 323→325), met RetourCodes per berichtklasse.

``fouten`` is een dict ``pad -> [retourcode, ...]``. Paden gaan over het *ontvangen*
bericht, met elementnamen gescheiden door ``/`` en een 0-gebaseerde index bij herhaalbare elementen,
bijv. ``"Client"``, ``"Client/ToegewezenProducten/ToegewezenProduct[1]"``,
``"Client/Relaties/Relatie[0]/Contact"``, ``"Declaratie/Clienten/Client[0]/Prestaties/Prestatie[2]"``;
``"Header"`` voor de header. Elk element dat in het retourbericht RetourCodes heeft en niet in ``fouten``
staat krijgt ``0200`` (geen opmerking). Een afkeurende code op ``"Header"`` (alles behalve 0200) keurt het
hele bericht af: dan gaat alleen de header terug (zoals in de voorbeelden van de standaard), tenzij
``inhoud_meesturen=True``. Voor 325 zie ``retour``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from .. import schemas
from ..berichtmodel import Veld, model
from ..schemas import XsdVersie
from .bericht import Bericht, Header
from .bouwen import schrijf
from .soorten import BERICHTSOORTEN, GEEN_OPMERKING, TECHNISCH_AFGEKEURD, retourcodes

__all__ = ["retour", "retourbericht", "retourbericht_technisch", "retourpaden"]


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
