"""PDF rendering of beschikkingen, onderzoeksverslagen and letters (integrations/documents).

Every document is read back from the PDF bytes (pypdf), not from the HTML: what matters is what the inwoner gets
on paper, including the margin boxes (page numbers) that only exist after layout. pdftoppm proves a second,
independent PDF reader (poppler) accepts the file.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from jinja2 import UndefinedError

from integrations.documents import TEMPLATES_DIR, render_html, render_pdf, sha256_hex
from integrations.documents.render import (
    REPO_ROOT,
    _url_fetcher_klasse,
    alineas,
    bedrag,
    datum,
    logo_url,
    regels,
)

GEMEENTE = {
    "naam": "Barendrecht",
    "code": "0489",
    "kleur_primair": "#00543c",
    "briefhoofd": {
        "adres": "Postbus 206, 2990 AE Barendrecht",
        "telefoon": "14 0180",
        "website": "https://www.barendrecht.nl",
        "email": "sociaaldomein@barendrecht.example",
    },
}

BASIS = {
    "gemeente": GEMEENTE,
    "inwoner": {"naam": "Johanna de Vries", "adres": "Dorpsstraat 12, 2991 AB Barendrecht"},
    "zaak": {"identificatie": "ZAAK-2026-000123"},
    "datum": dt.date(2026, 3, 2),
}

BESCHIKKING_WMO = BASIS | {
    "regeling": "Wmo",
    "besluit": "toekenning",
    "onderbouwing": (
        "Uit het onderzoek blijkt dat u door uw heupklachten uw huis niet meer zelf schoon kunt houden.\n\n"
        "Uw partner werkt fulltime en kan dit niet overnemen. Een algemene voorziening is niet voldoende."
    ),
    "voorzieningen": [
        {
            "omschrijving": "Hulp bij het huishouden", "productcategorie": "01", "productcode": "01A01",
            "volume": 3, "eenheid": "uur", "frequentie": "per week",
            "ingangsdatum": dt.date(2026, 3, 9), "einddatum": dt.date(2027, 3, 8), "leveringsvorm": "zin",
        },
        {
            "omschrijving": "Begeleiding individueel", "productcategorie": "02", "productcode": "02A03",
            "volume": 2, "eenheid": "uur", "frequentie": "per week", "bedrag": 512040, "bedrag_periode": "per jaar",
            "ingangsdatum": "2026-03-09", "einddatum": None, "leveringsvorm": "pgb",
        },
    ],
    "wettelijke_grondslag": [
        "artikel 2.3.5 Wet maatschappelijke ondersteuning 2015",
        "artikel 7 Verordening maatschappelijke ondersteuning Barendrecht 2026",
    ],
    "ondertekening": {"naam": "T. Toetser", "functie": "Kwaliteitsmedewerker Wmo", "namens_college": True},
    "bezwaar_uiterlijk": "13 april 2026",
    "aanvullende_informatie": [
        "De zorgaanbieder neemt binnen 5 werkdagen contact met u op.",
        "Voor hulp bij het huishouden betaalt u een eigen bijdrage. Het CAK stuurt u hierover een brief.",
    ],
}

BESCHIKKING_JEUGD_AFWIJZING = BASIS | {
    "regeling": "Jeugdwet",
    "besluit": "afwijzing",
    "onderbouwing": "Uw zoon krijgt al dezelfde hulp via de huisarts (POH-GGZ). Dubbele hulp is niet nodig.",
    "voorzieningen": [
        {"omschrijving": "Jeugdhulp ambulant, individueel", "productcategorie": "45", "productcode": "45A48",
         "volume": 2, "eenheid": "uur", "frequentie": "per week"},
    ],
    "wettelijke_grondslag": "artikel 2.3 Jeugdwet",
    "ondertekening": {"naam": "J. Jeugd", "functie": "Consulent Jeugd"},
    "bezwaar_uiterlijk": dt.date(2026, 4, 14),
}

BESCHIKKING_MINIMA = BASIS | {
    "regeling": "individuele inkomenstoeslag",
    "besluit": "toekenning",
    "onderbouwing": "U heeft al drie jaar een laag inkomen en geen uitzicht op een hoger inkomen.",
    "voorzieningen": [
        {"omschrijving": "Individuele inkomenstoeslag 2026", "bedrag": 123456, "bedrag_periode": "eenmalig",
         "ingangsdatum": dt.date(2026, 3, 2), "einddatum": dt.date(2026, 3, 2)},
    ],
    "wettelijke_grondslag": ["artikel 36 Participatiewet"],
    "ondertekening": {"naam": "M. Minima", "functie": "Consulent Minima"},
    "bezwaar_uiterlijk": "14 april 2026",
}

VERSLAG = BASIS | {
    "gesprek": {"datum": dt.date(2026, 2, 20), "locatie": "bij u thuis",
                "aanwezigen": ["Johanna de Vries", "Piet de Vries (partner)", "Wim van Wmo (consulent)"]},
    "hulpvraag": "U wilt graag zelfstandig thuis blijven wonen. Het schoonhouden van uw huis lukt niet meer.",
    "situatie": "U woont met uw partner in een eengezinswoning. U heeft sinds een jaar heupklachten.",
    "leefgebieden": [
        {"leefgebied": "Huishouden", "bevinding": "Zwaar huishoudelijk werk (stofzuigen, bedden verschonen) lukt niet."},
        {"leefgebied": "Mobiliteit", "bevinding": "Binnenshuis loopt u met een rollator."},
        {"leefgebied": "Sociaal netwerk", "bevinding": "Uw dochter woont in Groningen en komt eens per maand."},
    ],
    "eigen_kracht": "Uw partner doet de boodschappen en kookt. Hij kan het schoonmaken er niet bij doen.",
    "afweging": "Een algemene voorziening (de was- en strijkservice) lost uw probleem niet op.",
    "advies": "Wij adviseren 3 uur hulp bij het huishouden per week, in natura.",
    "opsteller": {"naam": "Wim van Wmo", "functie": "Consulent Wmo"},
}

BRIEF = BASIS | {
    "onderwerp": "Bevestiging van uw afspraak",
    "alineas": [
        "Wij hebben uw melding goed ontvangen. Wij komen graag bij u langs voor een gesprek:",
        "Wilt u bij het gesprek uw medicijnlijst klaarleggen? Neem gerust iemand mee die u goed kent.",
    ],
    "afspraak": {"datum": dt.date(2026, 3, 10), "tijd": "10.00 uur", "locatie": "bij u thuis"},
    "ondertekening": {"naam": "Tessa de Toegang", "functie": "Medewerker Toegang"},
}

RECHTSMIDDELEN = (
    "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat moet binnen 6 weken na de dag "
    "waarop dit besluit is verzonden (bekendgemaakt)."
)


def pdf_tekst(pdf: bytes) -> str:
    """All text of the PDF with whitespace collapsed, so line breaks chosen by the layout do not matter."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def beschikking_pdf() -> bytes:
    return render_pdf("beschikking.html", BESCHIKKING_WMO)


# --- beschikking --------------------------------------------------------------------------------------------

def test_beschikking_toekenning_bevat_besluit_voorzieningen_en_rechtsmiddelen(beschikking_pdf):
    tekst = pdf_tekst(beschikking_pdf)

    assert "Uw aanvraag is toegekend." in tekst
    assert "afgewezen" not in tekst
    # Letterhead, addressee, kenmerk.
    assert "Barendrecht" in tekst and "Postbus 206" in tekst and "Telefoon 14 0180" in tekst
    assert "Johanna de Vries Dorpsstraat 12 2991 AB Barendrecht" in tekst
    assert "Datum 2 maart 2026" in tekst
    assert "Ons kenmerk ZAAK-2026-000123" in tekst
    assert "Onderwerp Besluit op uw aanvraag Wmo" in tekst
    # Voorzieningen: product, categorie + code, omvang, dates, leveringsvorm.
    assert "Hulp bij het huishouden" in tekst
    assert "Productcategorie 01" in tekst and "Productcode 01A01" in tekst
    assert "3 uur per week" in tekst
    assert "9 maart 2026" in tekst and "8 maart 2027" in tekst
    assert "Zorg in natura" in tekst
    assert "Productcode 02A03" in tekst and "€ 5.120,40 per jaar" in tekst
    assert "onbepaalde tijd" in tekst and "Persoonsgebonden budget (pgb)" in tekst
    # Grounds, onderbouwing, signature under mandaat.
    assert "artikel 2.3.5 Wet maatschappelijke ondersteuning 2015" in tekst
    assert "heupklachten" in tekst
    assert "namens het college van burgemeester en wethouders van Barendrecht" in tekst
    assert "T. Toetser Kwaliteitsmedewerker Wmo" in tekst
    # Rechtsmiddelenclausule.
    assert RECHTSMIDDELEN in tekst
    assert "uiterlijk op 13 april 2026 bij ons binnen" in tekst
    assert "via het portaal" in tekst.lower()
    assert "college van burgemeester en wethouders van Barendrecht, Postbus 206, 2990 AE Barendrecht" in tekst
    for onderdeel in ("uw naam en adres", "de datum", "over welk besluit het gaat",
                      "waarom u het niet eens bent met het besluit", "uw handtekening"):
        assert onderdeel in tekst
    assert "Een bezwaar houdt het besluit niet tegen." in tekst
    assert "voorlopige voorziening" in tekst and "voorzieningenrechter van de rechtbank" in tekst
    # Page numbers come from CSS counters in the footer margin box.
    assert "Pagina 1 van 2" in tekst and "Pagina 2 van 2" in tekst
    assert "Gemeente Barendrecht" in tekst


def test_beschikking_afwijzing_jeugd():
    tekst = pdf_tekst(render_pdf("beschikking.html", BESCHIKKING_JEUGD_AFWIJZING))

    assert "Uw aanvraag is afgewezen." in tekst
    assert "toegekend" not in tekst
    assert "Waar ging uw aanvraag over?" in tekst
    assert "Ingangsdatum" not in tekst and "Leveringsvorm" not in tekst  # nothing was granted, so no period
    assert "Jeugdhulp ambulant, individueel" in tekst and "Productcode 45A48" in tekst
    assert "artikel 2.3 Jeugdwet" in tekst
    # A date object for bezwaar_uiterlijk is formatted like a pre-formatted string would be.
    assert "uiterlijk op 14 april 2026" in tekst
    assert RECHTSMIDDELEN in tekst
    # Not under mandaat: no "namens het college" line in the signature (the bezwaar section names the college).
    assert "namens het college" not in tekst


def test_beschikking_minima_met_bedrag_zonder_productcode():
    tekst = pdf_tekst(render_pdf("beschikking.html", BESCHIKKING_MINIMA))

    assert "Individuele inkomenstoeslag 2026" in tekst
    assert "€ 1.234,56 eenmalig" in tekst
    assert "Productcode" not in tekst
    assert "Leveringsvorm" not in tekst  # no voorziening has one, so the column is left out
    assert "artikel 36 Participatiewet" in tekst


# --- PDF/A, determinism, readers ----------------------------------------------------------------------------

def test_pdf_is_pdfa_3b_met_ingebedde_fonts(beschikking_pdf):
    assert beschikking_pdf.startswith(b"%PDF-1.7")
    reader = pypdf.PdfReader(io.BytesIO(beschikking_pdf))
    root = reader.trailer["/Root"]

    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged, for screen readers
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]

    info = reader.metadata
    assert info.title == "Besluit op uw aanvraag Wmo"
    assert info.author == "Gemeente Barendrecht"
    assert info["/CreationDate"].startswith("D:20260302")  # the letter's date, not the clock

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"font not embedded: {font['/BaseFont']}"
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}, fonts
    assert len(reader.pages) == 2


def test_zelfde_invoer_geeft_zelfde_tekst_en_hash(beschikking_pdf):
    nog_eens = render_pdf("beschikking.html", BESCHIKKING_WMO)
    assert pdf_tekst(nog_eens) == pdf_tekst(beschikking_pdf)
    # Not a requirement (the creation date may differ), but with the letter's date as creation date and no
    # random ids in PDF/A-3b the bytes are identical too; a change here means re-rendering alters the hash.
    assert sha256_hex(nog_eens) == sha256_hex(beschikking_pdf)
    assert re.fullmatch(r"[0-9a-f]{64}", sha256_hex(beschikking_pdf))


def test_pdftoppm_leest_pagina_1(beschikking_pdf, tmp_path):
    pdf = tmp_path / "beschikking.pdf"
    pdf.write_bytes(beschikking_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "pagina")],
        check=True, capture_output=True, timeout=60,
    )
    png = (tmp_path / "pagina.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    breedte, hoogte = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    # A4 (210 x 297 mm) at 60 dpi is 496 x 702 px, give or take poppler's rounding: the page size survived.
    assert abs(breedte - 496) <= 1 and abs(hoogte - 702) <= 1, (breedte, hoogte)


# --- onderzoeksverslag and brief ----------------------------------------------------------------------------

def test_onderzoeksverslag_ongetekend():
    tekst = pdf_tekst(render_pdf("onderzoeksverslag.html", VERSLAG))

    for kop in ("Uw hulpvraag", "Uw situatie", "Onderzochte leefgebieden", "Eigen kracht en netwerk",
                "Afweging", "Advies"):
        assert kop in tekst
    assert "Op 20 februari 2026 hebben wij met u gesproken (bij u thuis)" in tekst
    assert "Mobiliteit" in tekst and "rollator" in tekst
    assert "Dit verslag wordt digitaal ondertekend in het portaal." in tekst
    assert tekst.count("Nog niet ondertekend.") == 2
    assert "Ons kenmerk ZAAK-2026-000123" in tekst and "Pagina 1 van" in tekst


def test_onderzoeksverslag_getekend_toont_naam_en_datum():
    context = VERSLAG | {
        "ondertekening_inwoner": {"naam": "Johanna de Vries", "datum": dt.date(2026, 2, 24)},
        "ondertekening_medewerker": {"naam": "Wim van Wmo", "datum": dt.datetime(2026, 2, 23, 14, 5)},
    }
    tekst = pdf_tekst(render_pdf("onderzoeksverslag.html", context))

    assert "Naam Johanna de Vries Datum 24 februari 2026" in tekst
    assert "Naam Wim van Wmo Datum 23 februari 2026" in tekst
    assert "Nog niet ondertekend." not in tekst
    assert tekst.count("Digitaal ondertekend in het portaal.") == 2


def test_brief_afspraakbevestiging_met_objecten_als_context():
    """ORM rows are objects, not dicts: the same templates must read both."""
    gemeente = SimpleNamespace(naam="Ridderkerk", code="0597", logo="0597.svg", kleur_primair="#a6192e",
                               briefhoofd={"adres": "Postbus 271, 2980 AG Ridderkerk", "telefoon": "14 0180"})
    inwoner = SimpleNamespace(naam="Ahmed El Amrani", adres="Kerkweg 5, 2981 AA Ridderkerk")
    context = BRIEF | {"gemeente": gemeente, "inwoner": inwoner,
                       "zaak": SimpleNamespace(identificatie="ZAAK-2026-000777")}
    tekst = pdf_tekst(render_pdf("brief.html", context))

    assert "Bevestiging van uw afspraak" in tekst
    assert "Geachte Ahmed El Amrani," in tekst
    assert "Datum 10 maart 2026 Tijd 10.00 uur Waar bij u thuis" in tekst
    assert "medicijnlijst" in tekst
    assert "Tessa de Toegang Medewerker Toegang" in tekst
    assert "Gemeente Ridderkerk" in tekst and "Ons kenmerk ZAAK-2026-000777" in tekst
    assert "Pagina 1 van 1" in tekst


# --- safety and errors --------------------------------------------------------------------------------------

def test_context_wordt_ge_escaped():
    context = BRIEF | {"inwoner": {"naam": "<b>Jan</b> & Co", "adres": ["Straat 1", "1234 AB Plaats"]},
                       "alineas": ['<img src="file:///etc/passwd">']}
    html = render_html("brief.html", context)
    assert "<b>Jan</b>" not in html and "&lt;b&gt;Jan&lt;/b&gt; &amp; Co" in html
    assert '<img src="file' not in html
    assert '<img src="file:///etc/passwd">' in pdf_tekst(render_pdf("brief.html", context))


def test_ontbrekende_sleutel_geeft_duidelijke_fout():
    context = {k: v for k, v in BESCHIKKING_WMO.items() if k != "bezwaar_uiterlijk"}
    with pytest.raises(ValueError, match="bezwaar_uiterlijk"):
        render_pdf("beschikking.html", context)
    with pytest.raises(ValueError, match="besluit"):
        render_pdf("beschikking.html", BESCHIKKING_WMO | {"besluit": "misschien"})
    # A nested field that is missing is caught by StrictUndefined instead of printing an empty cell.
    kapot = BESCHIKKING_WMO | {"voorzieningen": [{"productcode": "01A01"}]}
    with pytest.raises(UndefinedError):
        render_html("beschikking.html", kapot)


def test_logo_en_bestanden_buiten_de_templates_worden_geweigerd():
    assert logo_url(GEMEENTE) == "../../static/img/gemeenten/0489.svg"
    assert (TEMPLATES_DIR / logo_url(GEMEENTE)).resolve().is_file()
    assert logo_url({"code": "0489", "logo": "../../../etc/passwd"}) is None
    assert logo_url({"code": "9999"}) is None  # no such file: no broken image

    fetcher = _url_fetcher_klasse()()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/tracker.png")
    antwoord = fetcher.fetch((REPO_ROOT / "static/img/gemeenten/0489.svg").as_uri())
    assert b"<svg" in antwoord.read()
    antwoord.close()


def test_documents_importeert_geen_flask():
    code = "import sys, integrations.documents; assert 'flask' not in sys.modules, 'flask imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT, timeout=60)


# --- filters ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("waarde", "verwacht"), [
    (dt.date(2026, 3, 2), "2 maart 2026"),
    (dt.datetime(2026, 12, 31, 23, 59), "31 december 2026"),
    ("2026-01-05", "5 januari 2026"),
    ("13 april 2026", "13 april 2026"),  # already formatted: unchanged
    (None, ""),
])
def test_datum(waarde, verwacht):
    assert datum(waarde) == verwacht


@pytest.mark.parametrize(("centen", "verwacht"), [
    (123456, "€ 1.234,56"),
    (0, "€ 0,00"),
    (5, "€ 0,05"),
    (100, "€ 1,00"),
    (123456789, "€ 1.234.567,89"),
    (-2550, "€ -25,50"),
])
def test_bedrag(centen, verwacht):
    assert bedrag(centen) == verwacht


def test_bedrag_weigert_floats():
    with pytest.raises(TypeError):
        bedrag(12.34)
    with pytest.raises(TypeError):
        bedrag(True)


def test_alineas_en_regels():
    assert alineas("Een.\n\n  \nTwee\nregels.") == ["Een.", "Twee\nregels."]
    assert regels("Dorpsstraat 12, 2991 AB Barendrecht") == ["Dorpsstraat 12", "2991 AB Barendrecht"]
    assert regels(["Dorpsstraat 12", "2991 AB Barendrecht"]) == ["Dorpsstraat 12", "2991 AB Barendrecht"]


def test_pdftoppm_is_er():
    """The Makefile installs poppler-utils; a missing binary must fail here, not skip silently."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) ontbreekt"


def test_templates_liggen_naast_de_code():
    assert TEMPLATES_DIR == Path(REPO_ROOT) / "templates" / "documents"
    assert {"_brief.html", "beschikking.html", "onderzoeksverslag.html", "brief.html", "document.css"} <= {
        p.name for p in TEMPLATES_DIR.iterdir()
    }
