"""XSD-laag voor iWmo 3.2 en iJw 3.2: schema's laden, berichten valideren en het berichtmodel afleiden.

De 28 bericht-XSD's (14 per standaard) staan in ``xsd/iwmo`` en ``xsd/ijw`` naast hun ``basisschema.xsd``
(zie ``xsd/README.md`` voor de herkomst). Een gecompileerd ``lxml.etree.XMLSchema`` wordt één keer per proces
gemaakt, pas wanneer het voor het eerst nodig is; de ``xs:import`` van ``basisschema.xsd`` wordt door libxml2
relatief aan het XSD-bestand opgelost.

Publiek:

* ``valideer(xml) -> list[Fout]``: herkent standaard en bericht aan de namespace van het root-element en
  valideert tegen de juiste XSD. Een lege lijst betekent geldig.
* ``schema(standaard, code)``: het gecompileerde ``XMLSchema`` (gecachet).
* ``XSD_VERSIES[(standaard, code)]``: ``XsdVersie(basisschema, bericht)`` uit de ``xs:appinfo`` van elke XSD.
* ``BERICHTCODES[(standaard, code)]``: de BerichtCode (COD002-VEKT) uit het ``xs:pattern`` in de header.
* ``enumeratie(standaard, type_naam)``: de waarden en omschrijvingen van een codelijst uit het basisschema.
* ``herken(root)``: ``(standaard, code)`` uit de namespace van een root-element.

De elementboom van elk bericht (``model``, ``Veld``), afgeleid uit deze XSD's, staat in ``berichtmodel``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree

XSD_MAP = Path(__file__).with_name("xsd")

STANDAARDEN = ("iwmo", "ijw")
CODES = ("301", "302", "305", "306", "307", "308", "315", "316", "317", "318", "319", "320", "323", "325")

# De XML Schema-namespace, en als voorvoegsel voor element-tags (Clark-notatie); ook voor berichtmodel.
XS = "http://www.w3.org/2001/XMLSchema"
XS_ = f"{{{XS}}}"
_BESTANDSPREFIX = {"iwmo": "WMO", "ijw": "JW"}
_BERICHTPREFIX = {"iwmo": "wmo", "ijw": "jw"}
_NS_RE = re.compile(r"^http://www\.istandaarden\.nl/(iwmo|ijw)/3_2/(wmo|jw)(\d{3})/schema$")


def namespace(standaard: str, code: str) -> str:
    """Namespace van een bericht, bijv. ``http://www.istandaarden.nl/iwmo/3_2/wmo301/schema``."""
    return f"http://www.istandaarden.nl/{standaard}/3_2/{_BERICHTPREFIX[standaard]}{code}/schema"


def basis_namespace(standaard: str) -> str:
    return f"http://www.istandaarden.nl/{standaard}/3_2/basisschema/schema"


def prefix(standaard: str, code: str) -> str:
    """Gebruikelijke namespace-prefix: ``wmo301`` / ``jw301``."""
    return f"{_BERICHTPREFIX[standaard]}{code}"


def berichtnaam(standaard: str, code: str) -> str:
    """``WMO301`` / ``JW301``."""
    return f"{_BESTANDSPREFIX[standaard]}{code}"


def xsd_pad(standaard: str, code: str) -> Path:
    return XSD_MAP / standaard / f"{berichtnaam(standaard, code)}.xsd"


def normaliseer(standaard: str, code: str | int) -> tuple[str, str]:
    """Controleer en normaliseer (standaard, code); accepteert ook ``301``, ``"WMO301"`` en ``"JW301"``."""
    if standaard not in STANDAARDEN:
        raise ValueError(f"onbekende standaard {standaard!r}; kies uit {', '.join(STANDAARDEN)}")
    c = str(code).upper().removeprefix("WMO").removeprefix("JW")
    if c not in CODES:
        raise ValueError(f"onbekend bericht {code!r}; kies uit {', '.join(CODES)}")
    return standaard, c


def herken(root: etree._Element) -> tuple[str, str] | None:
    """(standaard, code) uit de namespace van het root-element; None als het geen iWmo/iJw 3.2-bericht is."""
    tag = root.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    m = _NS_RE.match(tag[1 : tag.index("}")])
    if not m or (m.group(1) == "iwmo") != (m.group(2) == "wmo") or m.group(3) not in CODES:
        return None
    return m.group(1), m.group(3)


# ------------------------------------------------------------------------------------------------------------
# Veilig parsen (geen DTD's, geen entiteiten, geen netwerk). Parsers per thread: lxml-parsers zijn niet
# bedoeld om gelijktijdig vanuit meerdere threads gebruikt te worden.

_lokaal = threading.local()


def _parser() -> etree.XMLParser:
    p = getattr(_lokaal, "parser", None)
    if p is None:
        p = _lokaal.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False
        )
    return p


def parse(xml: bytes | str) -> etree._Element:
    """Parse XML-bytes veilig naar een root-element (gooit ``etree.XMLSyntaxError``)."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    return etree.fromstring(xml, _parser())


# ------------------------------------------------------------------------------------------------------------
# XSD-metadata: versies en BerichtCodes


class XsdVersie(NamedTuple):
    basisschema: str
    bericht: str


def lees_xsd(pad: Path) -> etree._ElementTree:
    """Een XSD-bestand inlezen (zonder netwerk en zonder entiteiten)."""
    return etree.parse(str(pad), etree.XMLParser(no_network=True, resolve_entities=False))


def _appinfo(doc: etree._ElementTree) -> dict[str, str]:
    info = doc.getroot().find(f"{XS_}annotation/{XS_}appinfo")
    return {etree.QName(e).localname: (e.text or "").strip() for e in info if isinstance(e.tag, str)}


def _berichtcode(doc: etree._ElementTree) -> str:
    for el in doc.getroot().iter(f"{XS_}element"):
        if el.get("name") == "BerichtCode":
            return el.find(f".//{XS_}pattern").get("value")
    raise ValueError("geen BerichtCode in XSD")


def _metadata() -> tuple[dict[tuple[str, str], XsdVersie], dict[tuple[str, str], str]]:
    versies, codes = {}, {}
    for std in STANDAARDEN:
        for code in CODES:
            doc = lees_xsd(xsd_pad(std, code))
            info = _appinfo(doc)
            versies[std, code] = XsdVersie(info["BasisschemaXsdVersie"], info["BerichtXsdVersie"])
            codes[std, code] = _berichtcode(doc)
    return versies, codes


XSD_VERSIES, BERICHTCODES = _metadata()
"""``XSD_VERSIES[("iwmo", "301")] == XsdVersie(basisschema="1.0.0", bericht="1.0.0")``;
``BERICHTCODES[("iwmo", "301")] == "414"``."""


# ------------------------------------------------------------------------------------------------------------
# Gecompileerde schema's


_schema_lock = threading.Lock()
_validatie_locks: dict[tuple[str, str], threading.Lock] = {}


@cache
def _schema(standaard: str, code: str) -> etree.XMLSchema:
    return etree.XMLSchema(lees_xsd(xsd_pad(standaard, code)))


def schema(standaard: str, code: str | int) -> etree.XMLSchema:
    """Het gecompileerde XMLSchema van een bericht; één keer per proces geparset."""
    standaard, code = normaliseer(standaard, code)
    with (
        _schema_lock
    ):  # lru_cache zou bij gelijktijdige eerste aanroep dubbel compileren; dat is alleen zonde
        s = _schema(standaard, code)
        if (standaard, code) not in _validatie_locks:
            _validatie_locks[standaard, code] = threading.Lock()
    return s


@dataclass(frozen=True)
class Fout:
    """Een validatiefout: regel/kolom in het document (None bij een in het geheugen gebouwde boom), een
    leesbare melding zonder namespaces en het pad van het element (``/Bericht/Header/Afzender``)."""

    regel: int | None
    kolom: int | None
    melding: str
    pad: str | None = None

    def __str__(self) -> str:
        plek = f"regel {self.regel}" if self.regel else (self.pad or "bericht")
        return f"{plek}: {self.melding}"


_NS_IN_MELDING = re.compile(r"\{https?://[^}]*\}")
_PAD_STAP = re.compile(r"(?:\*\[local-name\(\)\s*=\s*'|[A-Za-z0-9_]+:)?([A-Za-z0-9_]+)'?\]?")


def _leesbaar_pad(pad: str | None) -> str | None:
    if not pad:
        return None
    stappen = []
    for stap in pad.strip("/").split("/"):
        index = ""
        if stap.endswith("]") and "[" in stap and not stap.startswith("*["):
            stap, index = stap[: stap.rindex("[")], stap[stap.rindex("[") :]
        m = _PAD_STAP.fullmatch(stap) or _PAD_STAP.match(stap)
        stappen.append((m.group(1) if m else stap) + index)
    return "/" + "/".join(stappen)


def _fouten(log) -> list[Fout]:
    fouten = []
    for e in log:
        regel = e.line or None
        fouten.append(
            Fout(
                regel=regel,
                kolom=e.column if regel else None,
                melding=_NS_IN_MELDING.sub("", e.message).strip(),
                pad=_leesbaar_pad(e.path),
            )
        )
    return fouten


def valideer_boom(root: etree._Element, standaard: str, code: str) -> list[Fout]:
    """Valideer een (gebouwde of geparste) boom tegen de XSD van (standaard, code)."""
    s = schema(standaard, code)
    # Een XMLSchema-object bewaart zijn error_log op zichzelf: niet gelijktijdig vanuit threads gebruiken.
    with _validatie_locks[standaard, code]:
        try:
            if s.validate(root):
                return []
        except etree.XMLSchemaValidateError as exc:  # bijv. onopgeloste entiteiten in de boom
            return [Fout(None, None, f"bericht kan niet gevalideerd worden: {exc}")]
        return _fouten(s.error_log)


def valideer(xml: bytes | str | etree._Element) -> list[Fout]:
    """Valideer een iWmo/iJw 3.2-bericht. Standaard en berichtsoort volgen uit de namespace van de root.

    Geeft een lege lijst als het bericht geldig is, anders de fouten (regel, melding)."""
    if isinstance(xml, etree._Element):
        root = xml
    else:
        try:
            root = parse(xml)
        except etree.XMLSyntaxError as exc:
            regel, kolom = exc.position if exc.position else (None, None)
            return [Fout(regel, kolom, f"XML is niet welgevormd: {exc.msg}")]
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return [Fout(1, None, "een DOCTYPE (DTD/entiteiten) is niet toegestaan in een iWmo/iJw-bericht")]
    herkend = herken(root)
    if herkend is None:
        ns = etree.QName(root).namespace if isinstance(root.tag, str) else None
        return [
            Fout(
                root.sourceline,
                None,
                f"onbekend bericht: namespace {ns!r} is geen iWmo/iJw 3.2-bericht "
                "(verwacht http://www.istandaarden.nl/{iwmo|ijw}/3_2/{wmo|jw}3xx/schema)",
            )
        ]
    return valideer_boom(root, *herkend)


# ------------------------------------------------------------------------------------------------------------
# Codelijsten uit het basisschema


@cache
def enumeratie(standaard: str, type_naam: str) -> dict[str, str]:
    """Waarden en omschrijvingen van een codelijst uit het basisschema, bijv. ``enumeratie("iwmo",
    "LDT_RetourCode")``."""
    root = lees_xsd(XSD_MAP / standaard / "basisschema.xsd").getroot()
    for st in root.findall(f"{XS_}simpleType"):
        if st.get("name") == type_naam:
            uit = {}
            for e in st.iter(f"{XS_}enumeration"):
                doc = e.find(f"{XS_}annotation/{XS_}documentation")
                uit[e.get("value")] = " ".join((doc.text or "").split()) if doc is not None else ""
            return uit
    raise KeyError(type_naam)
