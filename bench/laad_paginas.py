"""The pages the load benchmark measures, and the log-ins it needs (the demo's users, over real HTTP)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import psycopg
import requests

from tests.helpers import DEMO_WACHTWOORD, digid_bij_provider

INWONER_BSN = "999990068"  # Mohammed in the demo: a Wmo zaak through to its end (beschikking, levering, messages)
MEDEWERKERS = ("wmo", "toetser", "administratie", "teamleider", "juridisch")


def _csrf(sessie: requests.Session, url: str) -> str:
    html = sessie.get(url, timeout=30).text
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, f"geen CSRF-token op {url}"
    return m.group(1)


def _cookie(sessie: requests.Session) -> str:
    return f"kt_session={sessie.cookies['kt_session']}"


def inloggen(poort: int) -> dict[str, str]:
    """Cookies per user: the staff through the backoffice's password log-in, the inwoner through DigiD (the
    stand-in, over OIDC, as in production)."""
    basis = f"http://127.0.0.1:{poort}"
    cookies = {}
    for naam in MEDEWERKERS:
        s = requests.Session()
        token = _csrf(s, f"{basis}/backoffice/inloggen")
        r = s.post(f"{basis}/backoffice/inloggen", data={"csrf_token": token, "gebruikersnaam": naam,
                                                          "wachtwoord": DEMO_WACHTWOORD}, allow_redirects=False)
        assert r.status_code == 302, (naam, r.status_code)
        cookies[naam] = _cookie(s)
    s = requests.Session()
    token = _csrf(s, f"{basis}/")
    start = s.post(f"{basis}/inloggen", data={"csrf_token": token}, allow_redirects=False)
    terug = digid_bij_provider(start.headers["Location"], INWONER_BSN)
    deel = urlsplit(terug)
    r = s.get(f"{basis}{deel.path}?{deel.query}", allow_redirects=False)
    assert r.status_code == 302, r.status_code
    cookies["inwoner"] = _cookie(s)
    return cookies


def pagina_urls(database_url: str, cookies: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, who, path) for every page measured. The zaken are the demo's, so every size shows the same ones."""
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        def een(sql: str, *args):
            rij = conn.execute(sql, args).fetchone()
            assert rij, sql
            return rij[0]

        inwoner = een("SELECT id FROM inwoner WHERE bsn = %s", INWONER_BSN)
        zaak = een("SELECT z.id FROM zaak z JOIN besluit b ON b.zaak_id = z.id WHERE z.inwoner_id = %s "
                   "AND z.besluit_id IS NULL ORDER BY z.id LIMIT 1", inwoner)
        bericht = een("SELECT id FROM bericht ORDER BY id LIMIT 1")
    return paginas(inwoner=inwoner, zaak=zaak, bericht=bericht)


# The floor with what every page with personal data must do (bench/vloer/wsgi.py): the second yardstick.
PLICHTEN = "Vloer met plichten (sessie en protocol)"


def paginas(*, inwoner: int, zaak: int, bericht: int) -> list[tuple[str, str, str]]:
    return [
        (PLICHTEN, "inwoner", "/bench/plichten"),
        ("Portaal Mijn zaken", "inwoner", "/mijn-zaken"),
        ("Portaal zaak (met besluit)", "inwoner", f"/zaken/{zaak}"),
        ("Portaal berichten", "inwoner", "/berichten"),
        ("Portaal hulpvragen", "inwoner", "/hulpvragen"),
        ("Werkvoorraad team", "wmo", "/backoffice/werkvoorraad?weergave=team"),
        ("Werkvoorraad team, onverdeeld", "wmo", "/backoffice/werkvoorraad?weergave=team&onverdeeld=1"),
        ("Mijn werkvoorraad", "wmo", "/backoffice/werkvoorraad?weergave=mijn"),
        ("Backoffice zaak (met besluit)", "wmo", f"/backoffice/zaken/{zaak}"),
        ("Inwoner (alle zaken)", "wmo", f"/backoffice/inwoners/{inwoner}"),
        ("Inwoner zoeken", "wmo", "/backoffice/inwoners/zoeken"),
        ("Meldingen", "wmo", "/backoffice/meldingen"),
        ("Acties toetser", "toetser", "/backoffice/acties"),
        ("Acties administratie", "administratie", "/backoffice/acties"),
        ("Berichtenverkeer", "administratie", "/backoffice/berichten"),
        ("Bericht", "administratie", f"/backoffice/berichten/{bericht}"),
        ("Post", "administratie", "/backoffice/post"),
        ("Termijnen (teamleider)", "teamleider", "/backoffice/termijnen"),
        ("Protocollering", "teamleider", "/backoffice/protocollering"),
        ("Werkvoorraad juridisch", "juridisch", "/backoffice/werkvoorraad?weergave=team"),
    ]
