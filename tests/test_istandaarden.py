"""iWmo 3.2 / iJw 3.2: XSD-validatie, bouwen, lezen en retourberichten (integrations.istandaarden).

Pure Python + lxml: geen database, geen Flask-app nodig."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from pathlib import Path

import pytest
from lxml import etree

from integrations.istandaarden import berichten as b
from integrations.istandaarden import berichtmodel, schemas, voorbeelden
from integrations.istandaarden.berichten import (
    BERICHTSOORTEN,
    RETOURCODES,
    RETOURCODES_IJW,
    Bericht,
    Header,
    OngeldigBericht,
)
from integrations.istandaarden.schemas import BERICHTCODES, CODES, STANDAARDEN, XSD_VERSIES, XsdVersie

DATA = Path(__file__).parent / "data" / "istandaarden"
PAKKET = Path(schemas.__file__).parent

ALLE = [(std, code) for std in STANDAARDEN for code in CODES]
ALLE_IDS = [f"{std}-{code}" for std, code in ALLE]
HEEN = [(std, code) for std, code in ALLE if BERICHTSOORTEN[code].retour]
HEEN_IDS = [f"{std}-{code}" for std, code in HEEN]
VOORBEELDEN = sorted(DATA.glob("*.xml"))

# README van de bron: BerichtCode (COD002-VEKT) per bericht.
README_BERICHTCODES = {
    "iwmo": dict(zip(CODES, "414 415 418 419 420 421 444 445 480 481 482 483 484 485".split(), strict=True)),  # noqa: SIM905
    "ijw": dict(zip(CODES, "436 437 438 439 440 441 446 447 486 487 488 489 490 491".split(), strict=True)),  # noqa: SIM905
}


def _volledige_header(h: Header, std: str, code: str) -> Header:
    """De header zoals lees() hem teruggeeft: XSD-versies ingevuld zoals bouw() dat doet."""
    soort = BERICHTSOORTEN[code]
    velden = {}
    if h.xsd_versie is None:
        heen = soort.retour_op if soort.is_retour and code != "325" else code
        velden["xsd_versie"] = XSD_VERSIES[std, heen]
    if soort.is_retour and code != "325" and h.xsd_versie_retour is None:
        velden["xsd_versie_retour"] = XSD_VERSIES[std, code]
    if code == "325" and h.xsd_versie_declaratie is None:
        velden["xsd_versie_declaratie"] = XSD_VERSIES[std, "323"]
    return dataclasses.replace(h, **velden)


def _retourcodes(xml: bytes) -> dict[str, list[str]]:
    """Pad (zonder namespaces, met 0-index bij elk element) -> RetourCodes in een retourbericht."""
    root = etree.fromstring(xml)
    uit = {}
    for rc in root.iter("{*}RetourCodes"):
        ouder = rc.getparent()
        uit[etree.QName(ouder).localname + "@" + str(ouder.sourceline)] = [c.text for c in rc]
    return uit


# ------------------------------------------------------------------------------------------------------------
# Schema's, versies, model


def test_xsds_zitten_in_de_repo_en_compileren():
    for std in STANDAARDEN:
        assert (PAKKET / "xsd" / std / "basisschema.xsd").is_file()
        for code in CODES:
            assert schemas.xsd_pad(std, code).is_file()
            assert isinstance(schemas.schema(std, code), etree.XMLSchema)
    assert "Provenance" in (PAKKET / "xsd" / "README.md").read_text(encoding="utf-8")
    assert schemas.schema("iwmo", "301") is schemas.schema("iwmo", 301)  # één keer per proces


def test_xsd_versies_en_berichtcodes():
    assert len(XSD_VERSIES) == 28
    for code in CODES:
        assert XSD_VERSIES["iwmo", code] == XsdVersie("1.0.0", "1.0.0")
        assert XSD_VERSIES["ijw", code] == XsdVersie("0.1.0", "0.1.0")  # iJw-set is versie 0.1.0 (zie README)
        for std in STANDAARDEN:
            assert BERICHTCODES[std, code] == README_BERICHTCODES[std][code]


def _structuur(std: str) -> dict[str, str]:
    tekst = (DATA / f"STRUCTURE-{std}.md").read_text(encoding="utf-8")
    return dict(re.findall(r"## (\w+)\n```\n(.*?)```", tekst, re.DOTALL))


@pytest.mark.parametrize(("std", "code"), ALLE, ids=ALLE_IDS)
def test_model_uit_xsd_gelijk_aan_structure(std, code):
    verwacht = _structuur(std)[schemas.berichtnaam(std, code)]
    assert "\n".join(berichtmodel.model(std, code).regels()) + "\n" == verwacht


def test_verschillen_ijw_iwmo():
    def namen(std, code, *pad):
        veld = berichtmodel.model(std, code)
        for p in pad:
            veld = veld.kind(p)
        return list(veld.per_naam)

    for code in ("315", "316"):
        assert "GezagsdragerBekend" in namen("ijw", code, "Client")
        assert "GezagsdragerBekend" not in namen("iwmo", code, "Client")
    for code in ("319", "320"):
        assert "Woonplaatsbeginsel" in namen("ijw", code, "Antwoord")
        assert "Woonplaatsbeginsel" not in namen("iwmo", code, "Antwoord")
    # geen aparte JeugdhulpVerwijzing: JW315 gebruikt dezelfde Verwijzer als WMO315
    product = ("Client", "AangevraagdeProducten", "AangevraagdProduct")
    assert namen("ijw", "315", *product) == namen("iwmo", "315", *product)


@pytest.mark.parametrize("code", CODES)
def test_richting_volgt_uit_de_header(code):
    """De richtingstabel klopt met de XSD: bij heenberichten bepaalt het type van Afzender de verzender; een
    retourbericht (behalve 325) kopieert de header van het heenbericht en gaat de andere kant op."""
    soort = BERICHTSOORTEN[code]
    for std in STANDAARDEN:
        header = berichtmodel.model(std, code).kind("Header")
        afzender, ontvanger = header.kind("Afzender").type, header.kind("Ontvanger").type
        if soort.is_retour and code != "325":
            heen = BERICHTSOORTEN[soort.retour_op]
            heen_header = berichtmodel.model(std, heen.code).kind("Header")
            assert (afzender, ontvanger) == (
                heen_header.kind("Afzender").type,
                heen_header.kind("Ontvanger").type,
            )
            assert (soort.verzender, soort.ontvanger) == (heen.ontvanger, heen.verzender)
            assert "IdentificatieRetour" in header.per_naam
        else:
            verwacht = "LDT_Gemeente" if soort.verzender == "gemeente" else "LDT_AgbCode"
            assert afzender == verwacht
            assert ontvanger != afzender


def test_retourcodes_tabel():
    assert RETOURCODES["0001"] == "Bericht is afgekeurd om technische redenen."
    assert RETOURCODES["0200"] == "Geen opmerking over deze berichtklasse."
    assert RETOURCODES["8001"] == "Declaratie is volledig toegewezen."
    assert set(RETOURCODES) == set(RETOURCODES_IJW) == set(schemas.enumeratie("iwmo", "LDT_RetourCode"))
    assert len(RETOURCODES) >= 50
    assert "8002" not in RETOURCODES  # niet in de XSD-enumeratie; zie RETOURCODES_NIET_IN_XSD
    assert "controleer" in b.RETOURCODES_NIET_IN_XSD["8002"]


# ------------------------------------------------------------------------------------------------------------
# Bouwen, valideren, lezen: elk bericht in beide standaarden


@pytest.mark.parametrize(("std", "code"), ALLE, ids=ALLE_IDS)
def test_bouw_valideer_lees_round_trip(std, code):
    bericht = voorbeelden.voorbeeld(code, std)
    xml = b.bouw(code, std, bericht.header, bericht.inhoud)

    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert schemas.valideer(xml) == []
    root = etree.fromstring(xml)
    assert root.tag == f"{{{schemas.namespace(std, code)}}}Bericht"
    assert (
        root.findtext(f"{{{schemas.namespace(std, code)}}}Header/{{*}}BerichtCode") == BERICHTCODES[std, code]
    )

    gelezen = b.lees(xml)
    assert (gelezen.standaard, gelezen.code) == (std, code)
    assert gelezen.berichtcode == BERICHTCODES[std, code]
    assert gelezen.inhoud == bericht.inhoud
    assert gelezen.header == _volledige_header(bericht.header, std, code)
    assert b.schrijf(gelezen) == xml  # opnieuw schrijven geeft exact dezelfde bytes


@pytest.mark.parametrize(("std", "code"), ALLE, ids=ALLE_IDS)
def test_bouw_zonder_pretty_print(std, code):
    bericht = voorbeelden.voorbeeld(code, std)
    compact = b.bouw(code, std, bericht.header, bericht.inhoud, pretty_print=False)
    assert b"\n  " not in compact
    assert b.lees(compact).inhoud == bericht.inhoud


def test_waardetypen_na_lezen():
    gelezen = b.lees(b.schrijf(voorbeelden.voorbeeld("301", "iwmo")))
    client = gelezen.inhoud["Client"]
    product = client["ToegewezenProducten"]["ToegewezenProduct"][0]
    assert client["Bsn"] == "999990019"
    assert client["Geboortedatum"]["Datum"] == dt.date(1951, 4, 17)
    assert product["ToewijzingNummer"] == 20250001
    assert product["Toewijzingstijd"] == dt.time(10, 31, 5)
    assert product["Product"] == {"Categorie": "02", "Code": "02A01"}
    assert isinstance(client["Contactgegevens"]["Contact"], list)
    assert gelezen.header.afzender == voorbeelden.GEMEENTE
    assert gelezen.soort.verzender == "gemeente"


def test_inhoud_als_dataclass_en_escaping():
    @dataclasses.dataclass
    class Inhoud319:
        Antwoord: dict

    header = Header(
        afzender="0489", ontvanger="98001234", identificatie="A&B<1>", dagtekening=dt.date(2025, 5, 1)
    )
    inhoud = Inhoud319({"ReferentieAanbieder": "ref & <co>", "VerzoekAntwoord": "2"})
    xml = b.bouw("319", "iwmo", header, inhoud)
    assert b"ref &amp; &lt;co&gt;" in xml
    gelezen = b.lees(xml)
    assert gelezen.inhoud == {"Antwoord": {"ReferentieAanbieder": "ref & <co>", "VerzoekAntwoord": "2"}}
    assert gelezen.header.identificatie == "A&B<1>"


def test_code_varianten():
    bericht = voorbeelden.voorbeeld("319", "ijw")
    xml = b.bouw("319", "ijw", bericht.header, bericht.inhoud)
    assert b.bouw(319, "ijw", bericht.header, bericht.inhoud) == xml
    assert b.bouw("JW319", "ijw", bericht.header, bericht.inhoud) == xml
    with pytest.raises(ValueError, match="onbekend bericht"):
        b.bouw("303", "iwmo", bericht.header, bericht.inhoud)
    with pytest.raises(ValueError, match="onbekende standaard"):
        b.bouw("319", "iwlz", bericht.header, bericht.inhoud)


# ------------------------------------------------------------------------------------------------------------
# Ongeldige berichten: leesbare fouten


@pytest.mark.parametrize(("std", "code"), ALLE, ids=ALLE_IDS)
def test_verkeerde_berichtcode_geeft_leesbare_fout(std, code):
    bericht = voorbeelden.voorbeeld(code, std)
    xml = b.schrijf(bericht)
    goed = BERICHTCODES[std, code]
    fout = xml.replace(f"BerichtCode>{goed}<".encode(), b"BerichtCode>999<")

    fouten = schemas.valideer(fout)
    assert len(fouten) == 1
    f = fouten[0]
    assert f.regel == 4 and f.pad == "/Bericht/Header/BerichtCode"
    assert f.melding == (
        f"Element 'BerichtCode': [facet 'pattern'] The value '999' is not accepted by the pattern '{goed}'."
    )
    assert str(f).startswith("regel 4: Element 'BerichtCode'")
    assert "{http" not in str(f)
    with pytest.raises(OngeldigBericht) as exc:
        b.lees(fout)
    assert exc.value.fouten == fouten
    assert "regel 4" in str(exc.value)
    assert b.lees(fout, valideren=False).inhoud == bericht.inhoud


def test_ontbrekend_element_geeft_leesbare_fout():
    bericht = voorbeelden.voorbeeld("301", "iwmo")
    client = {k: v for k, v in bericht.inhoud["Client"].items() if k != "Bsn"}
    with pytest.raises(OngeldigBericht) as exc:
        b.bouw("301", "iwmo", bericht.header, {"Client": client})
    (f,) = exc.value.fouten
    assert f.melding == "Element 'Geboortedatum': This element is not expected. Expected is ( Bsn )."
    assert f.pad == "/Bericht/Client/Geboortedatum"
    assert f.regel is not None  # regelnummer in het gebouwde bericht

    xml = b.bouw("301", "iwmo", bericht.header, {"Client": client}, valideren=False)
    assert [str(x) for x in schemas.valideer(xml)] == [f"regel {f.regel}: {f.melding}"]


def test_ongeldige_waarden_geven_leesbare_fouten():
    bericht = voorbeelden.voorbeeld("305", "iwmo")
    header = dataclasses.replace(bericht.header, afzender="1234567", ontvanger="363")
    with pytest.raises(OngeldigBericht) as exc:
        b.bouw("305", "iwmo", header, bericht.inhoud)
    meldingen = [f.melding for f in exc.value.fouten]
    assert (
        "Element 'Afzender': [facet 'pattern'] The value '1234567' is not accepted by the pattern '[0-9]{8}'."
        in (meldingen)
    )
    assert any(m.startswith("Element 'Ontvanger'") and "'[0-9]{4}'" in m for m in meldingen)


def test_fouten_in_de_inhoud_worden_vroeg_gemeld():
    bericht = voorbeelden.voorbeeld("305", "iwmo")
    with pytest.raises(ValueError, match=r"/Client: onbekend\(e\) element\(en\) Bsnn"):
        b.bouw("305", "iwmo", bericht.header, {"Client": {**bericht.inhoud["Client"], "Bsnn": "1"}})
    with pytest.raises(TypeError, match="herhaalbaar element, verwacht een lijst"):
        start = bericht.inhoud["Client"]["StartProducten"]["StartProduct"][0]
        b.bouw(
            "305",
            "iwmo",
            bericht.header,
            {"Client": {**bericht.inhoud["Client"], "StartProducten": {"StartProduct": start}}},
        )
    with pytest.raises(TypeError, match="ToewijzingNummer: ongeldige waarde"):
        start = {**bericht.inhoud["Client"]["StartProducten"]["StartProduct"][0], "ToewijzingNummer": 1.5}
        b.bouw(
            "305",
            "iwmo",
            bericht.header,
            {"Client": {**bericht.inhoud["Client"], "StartProducten": {"StartProduct": [start]}}},
        )
    with pytest.raises(ValueError, match="horen niet in de header"):
        b.bouw("305", "iwmo", dataclasses.replace(bericht.header, retourcodes=["0200"]), bericht.inhoud)


def test_valideer_niet_welgevormd_en_onbekend():
    (f,) = schemas.valideer(b"<wmo301:Bericht")
    assert f.regel == 1 and f.melding.startswith("XML is niet welgevormd")
    (f,) = schemas.valideer(b'<Bericht xmlns="http://www.istandaarden.nl/iwlz/2_5/iwlz301/schema"/>')
    assert "onbekend bericht" in f.melding
    with pytest.raises(OngeldigBericht, match="niet welgevormd"):
        b.lees(b"<kapot")


def test_geen_entiteiten_of_netwerk():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo319/schema">&e;</Bericht>'
    )
    fouten = schemas.valideer(xml)
    assert [f.melding for f in fouten] == [
        "een DOCTYPE (DTD/entiteiten) is niet toegestaan in een iWmo/iJw-bericht"
    ]
    with pytest.raises(OngeldigBericht, match="DOCTYPE"):
        b.lees(xml)


# ------------------------------------------------------------------------------------------------------------
# Voorbeeldberichten uit de standaard


def test_alle_zeven_voorbeelden_aanwezig():
    assert [p.stem for p in VOORBEELDEN] == [
        "WMO301",
        "WMO305",
        "WMO307",
        "WMO315",
        "WMO317",
        "WMO319",
        "WMO323",
    ]


@pytest.mark.parametrize("pad", VOORBEELDEN, ids=[p.stem for p in VOORBEELDEN])
def test_voorbeeld_valideert_en_wordt_gelezen(pad):
    xml = pad.read_bytes()
    assert schemas.valideer(xml) == []  # alle 7 voorbeelden zijn geldig tegen hun XSD
    bericht = b.lees(xml)
    assert bericht.standaard == "iwmo"
    assert bericht.naam == pad.stem
    assert bericht.header.xsd_versie == XsdVersie("1.0.0", "1.0.0")
    opnieuw = b.lees(b.schrijf(bericht))
    assert opnieuw.inhoud == bericht.inhoud and opnieuw.header == bericht.header


def test_voorbeeld_323_totaal_klopt():
    decl = b.lees((DATA / "WMO323.xml").read_bytes()).inhoud["Declaratie"]
    prestaties = [p for c in decl["Clienten"]["Client"] for p in c["Prestaties"]["Prestatie"]]
    assert (
        sum(p["IngediendBedrag"]["Bedrag"] for p in prestaties)
        == decl["TotaalIngediendBedrag"]["TotaalBedrag"]
    )


# ------------------------------------------------------------------------------------------------------------
# Retourberichten


@pytest.mark.parametrize(("std", "code"), HEEN, ids=HEEN_IDS)
def test_retourbericht_zonder_fouten_is_geldig_en_alles_0200(std, code):
    heen = b.lees(b.schrijf(voorbeelden.heenbericht(code, std)))
    xml = b.retourbericht(heen, identificatie="RET000000001", dagtekening=dt.date(2025, 6, 1))
    rcode = BERICHTSOORTEN[code].retour

    assert schemas.valideer(xml) == []
    r = b.lees(xml)
    assert (r.standaard, r.code) == (std, rcode)
    codes = _retourcodes(xml)
    assert codes and all(c == ["0200"] for c in codes.values())
    if rcode == "325":
        assert (r.header.afzender, r.header.ontvanger) == (heen.header.ontvanger, heen.header.afzender)
        assert r.header.identificatie == "RET000000001"
        assert r.header.declaratie_identificatie == heen.header.identificatie
        assert r.header.xsd_versie_declaratie == heen.header.xsd_versie
        antwoord = r.inhoud["DeclaratieAntwoord"]
        assert "Clienten" not in antwoord  # alles toegekend: geen afgewezen prestaties
        assert antwoord["TotaalToegekendBedrag"] == heen.inhoud["Declaratie"]["TotaalIngediendBedrag"]
    else:
        # de header van het heenbericht wordt gekopieerd
        h = r.header
        assert (h.afzender, h.ontvanger, h.identificatie, h.dagtekening, h.xsd_versie) == (
            heen.header.afzender,
            heen.header.ontvanger,
            heen.header.identificatie,
            heen.header.dagtekening,
            heen.header.xsd_versie,
        )
        assert (h.identificatie_retour, h.dagtekening_retour) == ("RET000000001", dt.date(2025, 6, 1))
        assert h.xsd_versie_retour == XSD_VERSIES[std, rcode]
        assert h.retourcodes == []
        assert _zonder_retourcodes(r.inhoud) == heen.inhoud  # de volledige inhoud gaat mee terug


def _zonder_retourcodes(d):
    if isinstance(d, dict):
        return {k: _zonder_retourcodes(v) for k, v in d.items() if k != "RetourCodes"}
    if isinstance(d, list):
        return [_zonder_retourcodes(v) for v in d]
    return d


@pytest.mark.parametrize(("std", "code"), HEEN, ids=HEEN_IDS)
def test_retourbericht_met_fouten(std, code):
    heen = b.lees(b.schrijf(voorbeelden.heenbericht(code, std)))
    paden = b.retourpaden(heen)
    assert paden[0] == "Header"
    # Zet op elk pad een andere code en controleer dat ze allemaal op de goede plek landen.
    codes = sorted(c for c in RETOURCODES if c not in ("0200", "0001"))
    fouten = {p: [codes[i]] for i, p in enumerate(paden[1:])}
    xml = b.retourbericht(heen, fouten, identificatie="R1")
    assert schemas.valideer(xml) == []
    gevonden = sorted(c for lijst in _retourcodes(xml).values() for c in lijst)
    if BERICHTSOORTEN[code].retour == "325":
        # declaratieniveau afgekeurd: toegekend 0, geen Clienten; header 0200
        antwoord = b.lees(xml).inhoud["DeclaratieAntwoord"]
        assert antwoord["TotaalToegekendBedrag"]["TotaalBedrag"] == 0
        assert antwoord["RetourCodes"]["RetourCode"] == fouten["Declaratie"]
    else:
        assert gevonden == sorted(c for lijst in fouten.values() for c in lijst)


def test_retour_302_per_product():
    heen = voorbeelden.heenbericht("301", "iwmo")
    r = b.retour(heen, {"Client/ToegewezenProducten/ToegewezenProduct[1]": ["9332", "9385"]})
    producten = r.inhoud["Client"]["ToegewezenProducten"]["ToegewezenProduct"]
    assert producten[0]["RetourCodes"] == {"RetourCode": ["0200"]}
    assert producten[1]["RetourCodes"] == {"RetourCode": ["9332", "9385"]}
    assert r.inhoud["Client"]["RetourCodes"] == {"RetourCode": ["0200"]}
    relatie = r.inhoud["Client"]["Relaties"]["Relatie"][0]
    assert relatie["RetourCodes"] == relatie["Contact"]["RetourCodes"] == {"RetourCode": ["0200"]}
    assert r.soort.verzender == "aanbieder"
    assert schemas.valideer(b.schrijf(r)) == []


def test_retour_325_alleen_afgewezen_prestaties():
    heen = voorbeelden.heenbericht("323", "ijw")
    r = b.retour(heen, {"Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]": ["8017"]})
    antwoord = r.inhoud["DeclaratieAntwoord"]
    (client,) = antwoord["Clienten"]["Client"]
    assert client["Bsn"] == "999990032"
    (prestatie,) = client["Prestaties"]["Prestatie"]
    assert prestatie["ProductReferentie"]["ReferentieNummer"] == "P2025-04-0004"
    assert prestatie["RetourCodes"] == {"RetourCode": ["8017"]}
    # ingediend 1750,00 waarvan een creditprestatie van 125,00 wordt afgewezen: toegekend 1875,00
    assert antwoord["TotaalIngediendBedrag"] == {"TotaalBedrag": 175000, "DebetCredit": "D"}
    assert antwoord["TotaalToegekendBedrag"] == {"TotaalBedrag": 187500, "DebetCredit": "D"}
    assert r.header.retourcodes == ["0200"]
    assert schemas.valideer(b.schrijf(r)) == []

    # afkeur op clientniveau wijst alle prestaties van die client af
    r = b.retour(heen, {"Declaratie/Clienten/Client[0]": ["8187"]})
    (client,) = r.inhoud["DeclaratieAntwoord"]["Clienten"]["Client"]
    assert client["RetourCodes"] == {"RetourCode": ["8187"]}
    assert len(client["Prestaties"]["Prestatie"]) == 2
    assert r.inhoud["DeclaratieAntwoord"]["TotaalToegekendBedrag"]["TotaalBedrag"] == 175000 - 137500
    assert schemas.valideer(b.schrijf(r)) == []


@pytest.mark.parametrize(("std", "code"), HEEN, ids=HEEN_IDS)
def test_afkeur_in_header_stuurt_alleen_header_terug(std, code):
    heen = voorbeelden.heenbericht(code, std)
    r = b.retour(heen, {"Header": ["8848"]}, identificatie="R2")
    assert r.inhoud == {}
    assert r.header.retourcodes == ["8848"]
    assert schemas.valideer(b.schrijf(r)) == []


@pytest.mark.parametrize(("std", "code"), HEEN, ids=HEEN_IDS)
def test_technische_afkeur_van_ongeldig_bericht(std, code):
    heen = voorbeelden.heenbericht(code, std)
    kapot = b.bouw(code, std, heen.header, {}, valideren=False)  # header klopt, inhoud ontbreekt
    with pytest.raises(OngeldigBericht):
        b.lees(kapot)
    xml = b.retourbericht_technisch(kapot, identificatie="R3", dagtekening=dt.date(2025, 6, 2))
    assert schemas.valideer(xml) == []
    r = b.lees(xml)
    assert r.code == BERICHTSOORTEN[code].retour
    assert r.header.retourcodes == ["0001"]
    assert r.inhoud == {}


def test_retour_controleert_paden_en_codes():
    heen = voorbeelden.heenbericht("305", "iwmo")
    with pytest.raises(ValueError, match="onbekend\\(e\\) pad\\(en\\) in fouten: Client/StartProduct\\[0\\]"):
        b.retour(heen, {"Client/StartProduct[0]": ["9019"]})
    with pytest.raises(ValueError, match="8002 staan niet in LDT_RetourCode"):
        b.retour(heen, {"Client": ["8002"]})
    with pytest.raises(ValueError, match="zelf een retourbericht"):
        b.retour(voorbeelden.voorbeeld("306", "iwmo"))
    with pytest.raises(ValueError):
        b.retourbericht_technisch(b"geen xml")


def test_bericht_is_dataclass():
    bericht = voorbeelden.voorbeeld("319", "iwmo")
    assert isinstance(bericht, Bericht)
    assert bericht.naam == "WMO319" and bericht.soort.retour == "320"


def test_valideren_vanuit_meerdere_threads():
    """Eén gecompileerd schema per proces, veilig gedeeld: elke thread krijgt zijn eigen, juiste fouten."""
    goed = b.schrijf(voorbeelden.voorbeeld("301", "iwmo"))
    fout = goed.replace(b">414<", b">999<")
    afwijkingen = []

    def werk(xml, verwacht):
        for _ in range(200):
            if len(schemas.valideer(xml)) != verwacht:
                afwijkingen.append(xml)

    threads = [threading.Thread(target=werk, args=((goed, 0) if i % 2 else (fout, 1))) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert afwijkingen == []


# ------------------------------------------------------------------------------------------------------------
# Hygiëne van het pakket


def test_pakket_zonder_flask_en_zonder_absolute_paden():
    for pad in PAKKET.rglob("*"):
        if pad.suffix not in (".py", ".md"):
            continue
        tekst = pad.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+flask", tekst, re.MULTILINE | re.IGNORECASE), pad
        assert "/work/" not in tekst and "/home/" not in tekst, pad
