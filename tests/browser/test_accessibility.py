"""axe-core on every page, for every kind of visitor: zero violations allowed (any impact).

A new page? Add its URL to the right list below (PORTAAL_*, BACKOFFICE, DIGID_STANDIN). A page that needs
a state first (a form sent with errors, a cancelled log-in) is a `Stap`: a name and a function that brings
the browser there. URLs starting with "/" are the app's; "{standin}" is the DigiD stand-in's origin;
"{zaak_eigen}", "{zaak_ander}", "{zaak_wmo}" and "{inwoner_eigen}" are ids from the demo data (see Ctx below).
Each visitor's pages run in one test, so one log-in serves all its pages; the failure lists every page.

axe-core comes from npm (node_modules/axe-core). It is evaluated through Playwright's page.evaluate, which
the page's Content-Security-Policy (script-src 'self') does not apply to, so the pages are checked as a user
gets them, under their real CSP: no bypass_csp needed (page.add_script_tag would be blocked by that CSP).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from domain.models import Zaak

from .conftest import ROOT, login_inwoner, login_medewerker

AXE_SOURCE = (ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8")
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


@dataclass(frozen=True)
class Stap:
    """A page state that a plain GET cannot reach: `doe(page, ctx)` brings the browser there."""

    naam: str
    doe: Callable[..., None]


@dataclass
class Ctx:
    base: str
    standin: str
    ids: dict[str, int]

    def url(self, pad: str) -> str:
        pad = pad.format(standin=self.standin, **self.ids)
        return self.base + pad if pad.startswith("/") else pad


# --- steps --------------------------------------------------------------------------------------------------


def _digid_standin(page, ctx):
    page.goto(ctx.url("/"))
    page.get_by_role("button", name="Inloggen met DigiD").click()
    page.wait_for_url(re.compile(r".*/authorize\?.*"))


def _digid_standin_fout(page, ctx):
    _digid_standin(page, ctx)
    page.get_by_role("button", name="Inloggen", exact=True).click()  # no test person chosen
    page.get_by_role("alert").wait_for()


def _digid_geannuleerd(page, ctx):
    login_inwoner(page, ctx.base, "999990093", actie="annuleren")


def _backoffice_leeg_verstuurd(page, ctx):
    page.goto(ctx.url("/backoffice/inloggen"))
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


def _backoffice_fout_wachtwoord(page, ctx):
    login_medewerker(page, ctx.base, "wmo", "geen-goed-wachtwoord", expect_ok=False)


def _als_inwoner(page, ctx):
    login_inwoner(page, ctx.base, "999990093")


def _als_medewerker(username: str) -> Stap:
    return Stap(f"ingelogd als {username} (eerste pagina, met welkomstmelding)",
                lambda page, ctx: login_medewerker(page, ctx.base, username))


def _sessie_waarschuwing(page, ctx):
    """The 'Bent u er nog?' dialog that keukentafel.js shows before the idle time-out."""
    page.goto(ctx.url("/mijn-zaken"))
    page.evaluate("document.getElementById('kt-sessie-dialog').hidden = false")


def _protocol_gezocht(page, ctx):
    page.goto(ctx.url("/backoffice/protocollering"))
    if page.get_by_role("heading", name="Protocollering").count() == 0:
        return  # no access: the 403 page is checked as it is
    page.get_by_label("Naam medewerker").fill("Wim")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()


def _protocol_fout(page, ctx):
    page.goto(ctx.url("/backoffice/protocollering"))
    if page.get_by_role("heading", name="Protocollering").count() == 0:
        return
    page.get_by_label("BSN van de inwoner").fill("12")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()


# --- the pages ----------------------------------------------------------------------------------------------

DIGID_STANDIN = [
    "{standin}/",
    "{standin}/logout",
    Stap("DigiD stand-in: inlogpagina", _digid_standin),
    Stap("DigiD stand-in: inlogpagina met fouten", _digid_standin_fout),
]
PORTAAL_ANONIEM = [
    "/",
    "/uitgelogd",
    "/bestaat-niet",  # 404
    Stap("portaal: DigiD-inloggen geannuleerd", _digid_geannuleerd),
]
BACKOFFICE_ANONIEM = [
    "/backoffice/inloggen",
    "/backoffice/bestaat-niet",  # 404 in the backoffice layout
    Stap("backoffice: inloggen leeg verstuurd", _backoffice_leeg_verstuurd),
    Stap("backoffice: inloggen met fout wachtwoord", _backoffice_fout_wachtwoord),
]
PORTAAL_INWONER = [
    "/mijn-zaken",
    "/zaken/{zaak_eigen}",
    "/zaken/{zaak_ander}",  # someone else's zaak: 404
    "/bestaat-niet",
    Stap("portaal: sessiewaarschuwing open", _sessie_waarschuwing),
]
BACKOFFICE = [
    "/backoffice/",
    "/backoffice/werkvoorraad",
    "/backoffice/werkvoorraad?weergave=mijn",
    "/backoffice/acties",
    "/backoffice/meldingen",
    "/backoffice/inwoners/zoeken",
    "/backoffice/inwoners/{inwoner_eigen}",
    "/backoffice/zaken/{zaak_wmo}",
    "/backoffice/zaken/{zaak_eigen}",
    "/backoffice/protocollering",  # 403 page for most roles
    "/backoffice/berichten",  # administratie and beheer
    "/backoffice/zaken/{zaak_wmo}/vraag",  # a question to the inwoner: the consulent (403 for others)
    "/backoffice/post",  # administratie: the demo has a letter for Willem Bos (contactvoorkeur post)
    "/backoffice/campagnes",  # administratie and teamleider: the demo's finished campaign in the list
    "/backoffice/campagnes?soort=herindicatie&van=2020-01-01&tot=2040-12-31",  # the count before starting
    "/backoffice/campagnes?soort=herindicatie&van=2040-12-31&tot=2020-01-01",  # a period the wrong way round
    "/backoffice/bestaat-niet",
    "/mijn-zaken",  # a medewerker on the portal: redirected, never a portal session
    Stap("backoffice: protocollering gezocht", _protocol_gezocht),
    Stap("backoffice: protocollering met fout BSN", _protocol_fout),
]
MEDEWERKERS = ["wmo", "wmo2", "jeugd", "toegang", "toetser", "administratie", "teamleider", "beheer"]

PAGINAS: dict[str, list] = {
    "anoniem": [*PORTAAL_ANONIEM, *BACKOFFICE_ANONIEM, *DIGID_STANDIN],
    "inwoner": [Stap("ingelogd als inwoner", _als_inwoner), *PORTAAL_INWONER],
    **{f"medewerker-{u}": [_als_medewerker(u), *BACKOFFICE] for u in MEDEWERKERS},
}


# --- axe ----------------------------------------------------------------------------------------------------


# axe does not count text with a 1:1 contrast (same colour as its background) as a violation but as
# "incomplete", because such text is sometimes hidden on purpose. Here it never is: nobody can read it.
_AXE_RUN = """opts => axe.run(document, opts).then(r => {
  const onzichtbaar = r.incomplete.filter(v => v.id === 'color-contrast').map(v => ({...v,
    id: 'color-contrast (1:1, onzichtbaar)',
    nodes: v.nodes.filter(n => n.any.some(c => c.data && c.data.messageKey === 'equalRatio'))}))
    .filter(v => v.nodes.length);
  return [...r.violations, ...onzichtbaar];
})"""


def axe(page) -> list[dict]:
    """axe-core's violations on the current page (plus invisible 1:1 text, see above)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_AXE_RUN, AXE_OPTIONS)


def beschrijf(naam: str, url: str, violations: list[dict]) -> str:
    regels = [f"{naam}  ({url})"]
    for v in violations:
        regels.append(f"  [{v['impact']}] {v['id']}: {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            html = re.sub(r"\s+", " ", node["html"])[:160]
            regels.append(f"      at {' '.join(map(str, node['target']))}: {html}")
            for line in (node.get("failureSummary") or "").splitlines()[1:3]:
                regels.append(f"         {line.strip()}")
        if len(v["nodes"]) > 8:
            regels.append(f"      ... and {len(v['nodes']) - 8} more")
    return "\n".join(regels)


@pytest.mark.parametrize("wie", list(PAGINAS))
def test_no_axe_violations(wie, page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    zaken = {z.identificatie: z for z in demo.scalars(select(Zaak))}
    ctx = Ctx(server.url, standin.url, {
        "zaak_eigen": zaken["0597-2026-000002"].id,  # Jan Smit's (minima)
        "zaak_ander": zaken["0489-2026-000001"].id,  # someone else's (wmo, Barendrecht)
        "zaak_wmo": zaken["0597-2026-000001"].id,  # wmo, in onderzoek, behandelaar wmo
        "inwoner_eigen": zaken["0597-2026-000002"].inwoner_id,  # Jan Smit
    })

    gevonden, bezocht, fouten = [], [], []
    for item in PAGINAS[wie]:
        if isinstance(item, Stap):
            naam = item.naam
            item.doe(page, ctx)
        else:
            naam = item
            response = page.goto(ctx.url(item))
            if response is None or response.status >= 500:
                fouten.append(f"{item} ({page.url}): HTTP {response.status if response else '?'}")
        page.wait_for_load_state()
        bezocht.append(f"{naam} -> {page.url}")
        shot(page, naam)
        violations = axe(page)
        if violations:
            gevonden.append(beschrijf(naam, page.url, violations))
    csp = [e for e in page.console_errors if "Content Security Policy" in e]

    problemen = []
    if fouten:
        problemen.append("server errors:\n" + "\n".join(fouten))
    if gevonden:
        problemen.append(f"axe found violations for {wie}:\n\n" + "\n\n".join(gevonden))
    if csp:
        problemen.append("blocked by the Content-Security-Policy:\n" + "\n".join(csp))
    assert not problemen, "\n\n".join(problemen)
    assert bezocht  # the list is not empty


# --- WCAG 2.4.11 Focus Not Obscured: what has keyboard focus must not be hidden behind other content ----

_BEDEKT = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const b = e.getBoundingClientRect();
  const t = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
  const ok = t && (e === t || e.contains(t) || (e.labels && [...e.labels].some(l => l.contains(t))));
  return {el: e.outerHTML.slice(0, 100), ok: !!ok, onder: t ? t.outerHTML.slice(0, 80) : 'buiten beeld'};
}"""


def bedekte_focus(page, max_tabs: int = 60) -> list[str]:
    """Tab through the page; every focused element whose centre is covered by another element."""
    gevonden, eerste = [], None
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        info = page.evaluate(_BEDEKT)
        if info is None or info["el"] == eerste:
            break  # round the page and back at the start (a date field takes several Tabs: no dedup on that)
        eerste = eerste or info["el"]
        melding = f"{info['el']}\n    covered by {info['onder']}"
        if not info["ok"] and melding not in gevonden:
            gevonden.append(melding)
    return gevonden


FOCUS_PAGINAS = [
    pytest.param("anoniem", "/", id="portaal-home"),
    pytest.param("anoniem", "/backoffice/inloggen", id="backoffice-inloggen"),
    pytest.param("wmo", "/backoffice/werkvoorraad", id="werkvoorraad"),
    pytest.param("teamleider", "/backoffice/protocollering", id="protocollering"),
]


@pytest.mark.parametrize("wie,pad", FOCUS_PAGINAS)
def test_keyboard_focus_is_never_hidden(wie, pad, page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    if wie != "anoniem":
        login_medewerker(page, server.url, wie)
    page.goto(server.url + pad)
    bedekt = bedekte_focus(page)
    shot(page, pad)
    assert not bedekt, f"focused but hidden on {pad}:\n" + "\n".join(bedekt)
