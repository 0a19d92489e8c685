"""The simulated zorgaanbieder (integrations/istandaarden/simulator.py) on its own: no database, only the folder
transport. What it did is kept on disk, so the process `make run` starts and a one-off `keukentafel
zorgaanbieder stuur-*` command agree, also after a restart."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from domain.berichtenverkeer import client_301
from domain.models import Inwoner
from integrations.istandaarden import Header, bouw, lees, valideer
from integrations.istandaarden.simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
GEMEENTE, AGB = "0489", "98001234"


def _301(map_: Path, nummer: int, *, ingang: dt.date, einde: dt.date | None, ident: str = "T301A") -> None:
    product = {"ToewijzingNummer": nummer, "Product": {"Categorie": "02", "Code": "02A01"},
               "Toewijzingsdatum": ingang, "Toewijzingstijd": dt.time(9, 0), "Ingangsdatum": ingang}
    if einde:
        product["Einddatum"] = einde
    product["Omvang"] = {"Volume": 2, "Eenheid": "04", "Frequentie": "2"}
    anna = Inwoner(bsn="999990056", voornamen="Anna", geslachtsnaam="Visser", geboortedatum=dt.date(1950, 3, 1),
                   straat="Dorpsstraat", huisnummer="12", postcode="2991 AB", woonplaats="Barendrecht")
    client = {**client_301(anna), "ToegewezenProducten": {"ToegewezenProduct": [product]}}
    header = Header(afzender=GEMEENTE, ontvanger=AGB, identificatie=ident, dagtekening=ingang)
    (map_ / "uit").mkdir(parents=True, exist_ok=True)
    (map_ / "uit" / f"WMO301-{ident}.xml").write_bytes(bouw("301", "iwmo", header, {"Client": client}))


def _in(map_: Path) -> list[str]:
    return sorted(lees(p.read_bytes()).code for p in (map_ / "in").glob("*.xml"))


def test_the_305_waits_for_its_delay_and_the_state_survives_a_restart(tmp_path):
    vandaag = dt.date.today()
    _301(tmp_path, 4711, ingang=vandaag, einde=vandaag + dt.timedelta(days=90))
    t0 = time.time()
    sim = Simulator(tmp_path, vertraging=30)
    assert sim.stap(nu=t0) == 1 and _in(tmp_path) == ["302"]
    assert list((tmp_path / "zorgaanbieder" / "wachtrij").glob("*.xml"))  # the 305 waits on disk

    opnieuw = Simulator(tmp_path, vertraging=30)  # a restart: it knows the toewijzing from uit/opgehaald/
    assert opnieuw.toewijzing(4711).gestart is None
    assert opnieuw.stap(nu=t0 + 10) == 0
    assert opnieuw.stap(nu=t0 + 31) == 1 and _in(tmp_path) == ["302", "305"]
    assert all(valideer(p.read_bytes()) == [] for p in (tmp_path / "in").glob("*.xml"))

    derde = Simulator(tmp_path)
    assert derde.toewijzing(4711).gestart == vandaag  # started, also for a new process
    stop = lees(derde.stuur_stop(4711))
    assert stop.inhoud["Client"]["StopProducten"]["StopProduct"][0]["Begindatum"] == vandaag
    assert Simulator(tmp_path).toewijzing(4711).gestopt


def test_a_307_goes_out_when_the_einddatum_has_come(tmp_path):
    vandaag = dt.date.today()
    _301(tmp_path, 4712, ingang=vandaag - dt.timedelta(days=30), einde=vandaag)
    sim = Simulator(tmp_path)  # vertraging 0: 302 and 305 at once, then the end of the toewijzing has come
    sim.stap()
    assert _in(tmp_path) == ["302", "305", "307"]
    [stop] = [lees(p.read_bytes()) for p in (tmp_path / "in").glob("WMO307-*.xml")]
    regel = stop.inhoud["Client"]["StopProducten"]["StopProduct"][0]
    assert regel["Einddatum"] == vandaag and regel["RedenBeeindiging"] == "19"
    sim.stap()
    assert _in(tmp_path) == ["302", "305", "307"]  # never twice


def test_with_a_looptijd_the_care_stops_after_that_many_seconds(tmp_path):
    vandaag = dt.date.today()
    _301(tmp_path, 4713, ingang=vandaag, einde=vandaag + dt.timedelta(days=365))
    t0 = time.time()
    sim = Simulator(tmp_path, looptijd=60)
    sim.stap(nu=t0)
    assert _in(tmp_path) == ["302", "305"]
    sim.stap(nu=t0 + 30)
    assert _in(tmp_path) == ["302", "305"]
    sim.stap(nu=t0 + 61)
    assert _in(tmp_path) == ["302", "305", "307"]


def _kt(*args, map_: Path, **kw) -> subprocess.Popen | subprocess.CompletedProcess:
    env = dict(os.environ, KEUKENTAFEL_BERICHTEN_MAP=str(map_), KEUKENTAFEL_ENV="development")
    return subprocess.run([sys.executable, "-m", "app.cli", "zorgaanbieder", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False, **kw)


def test_it_runs_as_its_own_process_and_takes_orders_from_another(tmp_path):
    vandaag = dt.date.today()
    env = dict(os.environ, KEUKENTAFEL_BERICHTEN_MAP=str(tmp_path), KEUKENTAFEL_ENV="development")
    proces = subprocess.Popen([sys.executable, "-m", "app.cli", "zorgaanbieder", "draai", "--interval", "0.2",
                               "--vertraging", "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        _301(tmp_path, 4714, ingang=vandaag, einde=vandaag + dt.timedelta(days=90))
        for _ in range(100):
            if _in(tmp_path) == ["302", "305"]:
                break
            time.sleep(0.1)
        assert _in(tmp_path) == ["302", "305"]

        lijst = _kt("toewijzingen", map_=tmp_path)
        assert lijst.returncode == 0 and "4714" in lijst.stdout and "gestart" in lijst.stdout
        wijziging = _kt("stuur-wijziging", "4714", "--volume", "3", map_=tmp_path)
        assert wijziging.returncode == 0 and "WMO317" in wijziging.stdout
        leeg = _kt("stuur-wijziging", "4714", map_=tmp_path)
        assert leeg.returncode == 1 and "vraagt de 317 niets" in leeg.stderr
        fout = _kt("stuur-wijziging", "4714", "--nieuw-product", "02A01", map_=tmp_path)
        assert fout.returncode == 2 and "CATEGORIE/CODE:VOLUME" in fout.stderr
        stop = _kt("stuur-stop", "4714", map_=tmp_path)
        assert stop.returncode == 0 and "WMO307" in stop.stdout
        assert _in(tmp_path) == ["302", "305", "307", "317"]
        nieuw = _kt("stuur-wijziging", "4714", "--nieuw-product", "02/02A01:3", map_=tmp_path)
        assert nieuw.returncode == 0
        [extra] = [lees(p.read_bytes()) for p in (tmp_path / "in").glob("WMO317-*.xml")
                   if "NieuweProducten" in lees(p.read_bytes()).inhoud["Client"]["Verzoek"]]
        verzoek = extra.inhoud["Client"]["Verzoek"]
        assert verzoek["NieuweProducten"]["NieuwProduct"][0]["Omvang"]["Volume"] == 3
        assert verzoek["OngewijzigdeProducten"]["OngewijzigdProduct"][0]["ToewijzingNummer"] == 4714
        onbekend = _kt("stuur-stop", "999", map_=tmp_path)
        assert onbekend.returncode == 1 and "Niet verstuurd" in onbekend.stderr
    finally:
        proces.terminate()
        uitvoer, _ = proces.communicate(timeout=10)
    assert proces.returncode == 0, uitvoer  # SIGTERM: a clean stop


def test_the_simulator_refuses_to_run_in_production(tmp_path):
    env = dict(os.environ, KEUKENTAFEL_BERICHTEN_MAP=str(tmp_path), KEUKENTAFEL_ENV="production")
    for args in (["draai"], ["stuur-stop", "1"], ["toewijzingen"]):
        uit = subprocess.run([sys.executable, "-m", "app.cli", "zorgaanbieder", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60, check=False)
        assert uit.returncode == 2 and "niet in productie" in uit.stderr
    assert not (tmp_path / "zorgaanbieder").exists()  # it touched nothing
