"""The house rules of the code base (docs/opbouw.md), checked on the source itself. No app, no database.

(a) No module passes 400 lines: every ``.py`` file under domain/, portal/, backoffice/, integrations/ and app/.
(b) No import cycles between the modules of domain/. The graph is built with ``ast`` from the imports that run
    when a module is imported: the module body, including ``if``/``try``/``with`` blocks and class bodies at
    the top level, but not the bodies of functions (a function-level import runs on the first call, after
    both modules are loaded; domain.processes uses that on purpose to reach the engine that imports it) and
    not ``if TYPE_CHECKING:`` blocks (they never run). ``from package import name`` counts as an import of
    the submodule when ``name`` is one, else of the package. Python's own import of a module's parent
    packages is not counted: every submodule would otherwise form a cycle with its package's ``__init__``.
(c) Shared code names no zaaktype and no specific law: string literals and comments in domain/ (without
    domain/processes/ and domain/demo/, where the zaaktypen and the demo data live), portal/ and backoffice/,
    and the whole text of templates/. A zaaktype code from the catalogue (``domain.processes.zaaktypen()``)
    counts as a whole quoted string (``"wmo"``, ``'jeugd'``; the word in prose does not); the law names
    "Wmo 2015", "Wmo", "Jeugdwet", "Participatiewet" (and the long names) count as words, written as the law writes them, so
    the message standards iWmo and iJw and the message names WMO301/JW301 do not. The Awb is allowed: every
    zaaktype follows it.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- (a) module length ---------------------------------------------------------------------------------------

MAX_REGELS = 400
GEBIEDEN = ("domain", "portal", "backoffice", "integrations", "app")

# Modules another engineer is working on right now; each entry is to be removed as soon as its module is under
# the limit. Nothing else belongs here: split a module instead of listing it. (domain/workflow.py and
# backoffice/zaken.py were listed here until main split them.)
TE_LANG_TOEGESTAAN = {
}


def _python_modules(*gebieden: str) -> list[Path]:
    return sorted(p for g in gebieden for p in (ROOT / g).rglob("*.py") if "__pycache__" not in p.parts)


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def test_no_module_passes_400_lines():
    lengtes = {_rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _python_modules(*GEBIEDEN)}
    te_lang = {m: n for m, n in lengtes.items() if n > MAX_REGELS and m not in TE_LANG_TOEGESTAAN}
    assert not te_lang, (f"Modules over {MAX_REGELS} lines; split them by what the parts do "
                         f"(docs/opbouw.md): {te_lang}")
    klaar = {m for m in TE_LANG_TOEGESTAAN if lengtes.get(m, 0) <= MAX_REGELS}
    assert not klaar, f"Under {MAX_REGELS} lines (or gone) now: remove from TE_LANG_TOEGESTAAN: {sorted(klaar)}"


# --- (b) import cycles in domain/ ----------------------------------------------------------------------------


def _modulenaam(p: Path) -> str:
    delen = list(p.relative_to(ROOT).with_suffix("").parts)
    if delen[-1] == "__init__":
        delen.pop()
    return ".".join(delen)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_bij_laden(body: list[ast.stmt]):
    """The import statements that run when the module is imported (see the module docstring)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _imports_bij_laden(node.body)
            yield from _imports_bij_laden(node.orelse)
        elif isinstance(node, ast.Try):
            for blok in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _imports_bij_laden(blok)
        elif isinstance(node, (ast.With, ast.ClassDef)):
            yield from _imports_bij_laden(node.body)
        # FunctionDef / AsyncFunctionDef: runs later, not counted.


def _importgraaf(gebied: str) -> dict[str, set[str]]:
    paden = {_modulenaam(p): p for p in _python_modules(gebied)}
    graaf: dict[str, set[str]] = {}
    for naam, pad in paden.items():
        pakket = naam if pad.name == "__init__.py" else naam.rpartition(".")[0]
        doelen: set[str] = set()
        for node in _imports_bij_laden(ast.parse(pad.read_text(encoding="utf-8"), filename=str(pad)).body):
            if isinstance(node, ast.Import):
                kandidaten = [a.name for a in node.names]
            else:
                if node.level:
                    basis = pakket.split(".")[: len(pakket.split(".")) - (node.level - 1)]
                    module = ".".join([*basis, node.module] if node.module else basis)
                else:
                    module = node.module or ""
                kandidaten = [f"{module}.{a.name}" if f"{module}.{a.name}" in paden else module for a in node.names]
            doelen.update(k for k in kandidaten if k in paden and k != naam)
        graaf[naam] = doelen
    return graaf


def _cycli(graaf: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) per strongly connected component of more than one module."""
    index: dict[str, int] = {}
    laag: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    componenten: list[set[str]] = []

    def bezoek(v: str) -> None:  # Tarjan; the graph of domain/ is small enough for recursion
        index[v] = laag[v] = len(index)
        stapel.append(v)
        op_stapel.add(v)
        for w in sorted(graaf[v]):
            if w not in index:
                bezoek(w)
                laag[v] = min(laag[v], laag[w])
            elif w in op_stapel:
                laag[v] = min(laag[v], index[w])
        if laag[v] == index[v]:
            component = set()
            while True:
                w = stapel.pop()
                op_stapel.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                componenten.append(component)

    for v in sorted(graaf):
        if v not in index:
            bezoek(v)

    cycli = []
    for component in componenten:
        start = min(component)
        pad, gezien = [start], {start}
        while True:  # walk inside the component until a module repeats, then cut the path there
            volgende = min(w for w in graaf[pad[-1]] if w in component)
            if volgende in gezien:
                cycli.append([*pad[pad.index(volgende):], volgende])
                break
            pad.append(volgende)
            gezien.add(volgende)
    return cycli


def test_the_cycle_finder_finds_a_cycle():
    graaf = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycli(graaf) == [["a", "b", "c", "a"]]
    assert _cycli({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_domain():
    graaf = _importgraaf("domain")
    # The graph is really built: a module-level import and a package's submodule are found.
    assert "domain.deadlines" in graaf["domain.bezwaren"]
    assert "domain.deadlines.register" in graaf["domain.deadlines"]
    cycli = _cycli(graaf)
    assert not cycli, "Import cycles between modules of domain/ (module-level imports): " + "; ".join(
        " -> ".join(c) for c in cycli)


# --- (c) shared code names no zaaktype and no law ------------------------------------------------------------

WETTEN = re.compile(r"\b(?:Wmo 2015|Wmo|Jeugdwet|Participatiewet|Wet maatschappelijke ondersteuning|Wet werk en bijstand)\b")
GEDEELD_PYTHON = ("domain", "portal", "backoffice")
NIET_GEDEELD = ("domain/processes/", "domain/demo/")  # the zaaktype definitions and the demo data

# Findings that are accepted, as (file, what was found, the source line it is on). Each entry must still match:
# when its line changes or goes, remove the entry.
GEEN_ZAAKTYPE = {
    # "bezwaar" is also the Awb's rechtsmiddel (Awb 6:4, next to "beroep"), and that is what these lines mean:
    # the kind of remedy an inwoner has against a besluit, not the zaaktype that handles it.
    ("domain/leesmodel.py", '"bezwaar"', 'BEZWAAR, BEROEP = "bezwaar", "beroep"'),
    ("templates/portal/zaak.html", "'bezwaar'", "{% if middel and middel.soort == 'bezwaar' %}"),
}
TE_HERSTELLEN: set = set()  # shared code that still names a zaaktype, to be fixed; empty now


def _zaaktypecodes() -> set[str]:
    from domain.processes import zaaktypen

    codes = set(zaaktypen())
    assert codes, "the catalogue is empty: nothing to look for"
    return codes


def _vondsten_python(pad: Path, codes: set[str]) -> list[tuple[int, str]]:
    """(line, what) for every zaaktype code as a whole string literal or quoted in a comment, and every law name
    in a string literal or comment. Lines are those of the source, also inside a multi-line docstring."""
    gequoot = re.compile("([\"'])(" + "|".join(map(re.escape, sorted(codes))) + r")\1")
    vondsten = []
    bron = pad.read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(bron).readline):
        soort = tokenize.tok_name[tok.type]
        if soort == "STRING":
            try:
                waarde = ast.literal_eval(tok.string)
            except (ValueError, SyntaxError):  # an f-string: only its text is searched for law names
                waarde = None
            if isinstance(waarde, str) and waarde in codes:
                vondsten.append((tok.start[0], tok.string))
        elif soort == "COMMENT":
            vondsten.extend((tok.start[0], m.group(0)) for m in gequoot.finditer(tok.string))
        if soort in ("STRING", "COMMENT", "FSTRING_MIDDLE"):
            for m in WETTEN.finditer(tok.string):
                vondsten.append((tok.start[0] + tok.string.count("\n", 0, m.start()), m.group(0)))
    return vondsten


def _vondsten_tekst(pad: Path, codes: set[str]) -> list[tuple[int, str]]:
    gequoot = re.compile("([\"'])(" + "|".join(map(re.escape, sorted(codes))) + r")\1")
    vondsten = []
    for nr, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1):
        vondsten.extend((nr, m.group(0)) for m in gequoot.finditer(regel))
        vondsten.extend((nr, m.group(0)) for m in WETTEN.finditer(regel))
    return vondsten


def _alle_vondsten() -> set[tuple[str, str, str]]:
    codes = _zaaktypecodes()
    uit = set()
    bestanden = [(p, _vondsten_python) for p in _python_modules(*GEDEELD_PYTHON)
                 if not _rel(p).startswith(NIET_GEDEELD)]
    bestanden += [(p, _vondsten_tekst) for p in sorted((ROOT / "templates").rglob("*")) if p.is_file()]
    for pad, zoek in bestanden:
        regels = pad.read_text(encoding="utf-8").splitlines()
        uit.update((_rel(pad), wat, regels[nr - 1].strip()) for nr, wat in zoek(pad, codes))
    return uit


def test_shared_code_names_no_zaaktype_and_no_law():
    vondsten = _alle_vondsten()
    nieuw = sorted(vondsten - GEEN_ZAAKTYPE - TE_HERSTELLEN)
    assert not nieuw, ("Shared code names a zaaktype code or a law (docs/opbouw.md); say what is meant without "
                       "it, or move it into the zaaktype's module:\n" + "\n".join(map(str, nieuw)))
    verouderd = sorted((GEEN_ZAAKTYPE | TE_HERSTELLEN) - vondsten)
    assert not verouderd, "No longer found: remove from the allowlist:\n" + "\n".join(map(str, verouderd))


def test_the_naming_check_sees_what_it_should(tmp_path):
    """The scanner finds codes and law names where they count, and leaves alone what is allowed."""
    pad = tmp_path / "voorbeeld.py"
    pad.write_text(
        '"""Zie Jeugdwet artikel 2.3 en de Awb."""\n'
        'A = "wmo"  # niet: \'jeugd\'\n'
        'B = "wmo-onderzoek"  # a term soort, not the code; iWmo and WMO301 are standards\n'
        'C = f"{A} volgens de Wmo 2015"\n'
        "# the wmo team, unquoted: prose\n",
        encoding="utf-8")
    gevonden = sorted(_vondsten_python(pad, {"wmo", "jeugd"}))
    assert gevonden == [(1, "Jeugdwet"), (2, '"wmo"'), (2, "'jeugd'"), (4, "Wmo 2015")]
