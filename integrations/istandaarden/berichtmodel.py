"""Het berichtmodel: de elementboom van elk iWmo/iJw 3.2-bericht als tabel van ``Veld``-objecten, afgeleid uit de
XSD (naam, namespace, min/max, waardetype, kinderen, in XSD-volgorde). ``berichten`` bouwt en leest berichten met
deze tabel; ``schemas`` laadt de XSD's zelf.

Publiek: ``model(standaard, code) -> Veld`` (gecachet per bericht) en ``Veld``.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from .schemas import XS, XS_, XSD_MAP, basis_namespace, lees_xsd, namespace, normaliseer, prefix, xsd_pad

__all__ = ["Veld", "model"]


class Veld:
    """Eén elementdeclaratie uit de XSD.

    ``soort`` is ``"str"``, ``"int"``, ``"date"``, ``"time"`` of ``"complex"`` (dan staan de kinderen in
    ``kinderen``, in XSD-volgorde). ``max`` is None voor ``unbounded``; ``herhaald`` is True als ``max != 1``
    (in een dict is de waarde dan een lijst)."""

    __slots__ = (
        "herhaald",
        "kinderen",
        "max",
        "min",
        "naam",
        "ns",
        "open",
        "per_naam",
        "per_tag",
        "qnaam",
        "sluit",
        "soort",
        "tag",
        "type",
    )

    def __init__(self, naam, ns, pre, min_, max_, soort, type_, kinderen):
        self.naam: str = naam
        self.ns: str = ns
        self.tag: str = f"{{{ns}}}{naam}"  # Clark-notatie, voor lxml
        self.qnaam: str = f"{pre}:{naam}"  # met de vaste prefix (wmo301:, iwmo:, jw301:, ijw:)
        self.open: str = f"<{self.qnaam}>"
        self.sluit: str = f"</{self.qnaam}>"
        self.min: int = min_
        self.max: int | None = max_
        self.soort: str = soort
        self.type: str = type_
        self.kinderen: tuple[Veld, ...] = kinderen
        self.per_tag: dict[str, Veld] = {k.tag: k for k in kinderen}
        self.per_naam: dict[str, Veld] = {k.naam: k for k in kinderen}
        self.herhaald: bool = max_ != 1

    @property
    def verplicht(self) -> bool:
        return self.min > 0

    def kind(self, naam: str) -> Veld:
        return self.per_naam[naam]

    def regels(self, diepte: int = 0) -> list[str]:
        """De boom als ``naam [min..max] : type``-regels (het formaat van STRUCTURE-*.md)."""
        mx = "n" if self.max is None else str(self.max)
        uit = [f"{'  ' * diepte}{self.naam} [{self.min}..{mx}] : {self.type}"]
        for k in self.kinderen:
            uit.extend(k.regels(diepte + 1))
        return uit

    def __repr__(self) -> str:
        return f"Veld({self.naam!r}, {self.soort}, [{self.min}..{self.max if self.max is not None else 'n'}])"


_BUILTIN = {"string": "str", "integer": "int", "date": "date", "time": "time"}


class _Xsd:
    """Minimale XSD-lezer voor deze schema's: alleen xs:sequence, xs:element en simpleType-restricties."""

    def __init__(self, standaard: str, code: str):
        self.prefixen = {
            namespace(standaard, code): prefix(standaard, code),
            basis_namespace(standaard): standaard,
        }
        self.docs = {}
        for pad in (XSD_MAP / standaard / "basisschema.xsd", xsd_pad(standaard, code)):
            root = lees_xsd(pad).getroot()
            self.docs[root.get("targetNamespace")] = root
        self.complex = {}
        self.simple = {}
        for tns, root in self.docs.items():
            for ct in root.findall(f"{XS_}complexType"):
                self.complex[tns, ct.get("name")] = (ct, root)
            for st in root.findall(f"{XS_}simpleType"):
                self.simple[tns, st.get("name")] = (st, root)

    @staticmethod
    def _qname(waarde: str, context: etree._Element) -> tuple[str, str]:
        pre, _, naam = waarde.rpartition(":")
        return context.nsmap.get(pre or None), naam

    def _simpel(self, restrictie: etree._Element) -> str:
        """Het ingebouwde XSD-type (string/integer/date/time) onder een keten van restricties."""
        ns, naam = self._qname(restrictie.get("base"), restrictie)
        while ns != XS:
            st, _ = self.simple[ns, naam]
            r = st.find(f"{XS_}restriction")
            ns, naam = self._qname(r.get("base"), r)
        return _BUILTIN[naam]

    def veld(self, el: etree._Element, root: etree._Element) -> Veld:
        tns = root.get("targetNamespace")
        pre = self.prefixen[tns]
        naam = el.get("name")
        min_ = int(el.get("minOccurs", "1"))
        mx = el.get("maxOccurs", "1")
        max_ = None if mx == "unbounded" else int(mx)
        if el.get("type"):
            ns, tnaam = self._qname(el.get("type"), el)
            if ns == XS:
                return Veld(naam, tns, pre, min_, max_, _BUILTIN[tnaam], tnaam, ())
            if (ns, tnaam) in self.complex:
                ct, ctroot = self.complex[ns, tnaam]
                kinderen = tuple(self.veld(k, ctroot) for k in ct.findall(f"{XS_}sequence/{XS_}element"))
                return Veld(naam, tns, pre, min_, max_, "complex", tnaam, kinderen)
            st, _ = self.simple[ns, tnaam]
            return Veld(naam, tns, pre, min_, max_, self._simpel(st.find(f"{XS_}restriction")), tnaam, ())
        st = el.find(f"{XS_}simpleType")
        restrictie = st.find(f"{XS_}restriction")
        basis = restrictie.get("base").rpartition(":")[2]
        return Veld(naam, tns, pre, min_, max_, self._simpel(restrictie), f"(anon {basis})", ())


@cache
def _model(standaard: str, code: str) -> Veld:
    xsd = _Xsd(standaard, code)
    root = xsd.docs[namespace(standaard, code)]
    bericht = next(e for e in root.findall(f"{XS_}element") if e.get("name") == "Bericht")
    return xsd.veld(bericht, root)


def model(standaard: str, code: str | int) -> Veld:
    """De elementboom van een bericht (root ``Bericht`` met kinderen ``Header`` en de inhoud)."""
    return _model(*normaliseer(standaard, code))

