"""Benchmark iWmo-berichten: bouwen + XSD-valideren van WMO301, en parsen + valideren, op één core.

    .venv/bin/python bench/istandaarden_bench.py [-n 5000] [--standaard iwmo] [--code 301]

Doel: >= 2.000 WMO301's per seconde bouwen + valideren. Het schema wordt vooraf (één keer) gecompileerd en
buiten de meting gehouden, zoals in een lopend proces.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from integrations.istandaarden import berichten, schemas, voorbeelden


def _meet(naam: str, n: int, functie) -> float:
    functie(0)  # opwarmen
    start = time.perf_counter()
    for i in range(n):
        functie(i)
    duur = time.perf_counter() - start
    per_seconde = n / duur
    print(f"{naam:<44} {n:>6} berichten in {duur:6.2f} s = {per_seconde:>7.0f} berichten/s")
    return per_seconde


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="aantal berichten (standaard 5000)")
    parser.add_argument("--standaard", default="iwmo", choices=schemas.STANDAARDEN)
    parser.add_argument("--code", default="301", choices=schemas.CODES)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):  # één core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    std, code, n = args.standaard, args.code, args.n
    voorbeeld = voorbeelden.voorbeeld(code, std)
    schemas.schema(std, code)  # compileren buiten de meting
    # Elk bericht een eigen identificatie, zoals in het echt.
    headers = [dataclasses.replace(voorbeeld.header, identificatie=f"B{i:011d}") for i in range(n)]
    inhoud = voorbeeld.inhoud

    print(f"{schemas.berichtnaam(std, code)}, {n} berichten, één core, lxml {'.'.join(map(str, _lxml()))}")
    bouw_val = _meet("bouwen + valideren", n, lambda i: berichten.bouw(code, std, headers[i], inhoud))
    _meet("alleen bouwen", n, lambda i: berichten.bouw(code, std, headers[i], inhoud, valideren=False))

    xmls = [berichten.bouw(code, std, headers[i], inhoud) for i in range(n)]
    print(f"(berichtgrootte {len(xmls[0])} bytes)")
    _meet("parsen + valideren (schemas.valideer)", n, lambda i: schemas.valideer(xmls[i]))
    _meet("parsen + valideren + lezen (berichten.lees)", n, lambda i: berichten.lees(xmls[i]))

    voorbeeld_xml = Path(__file__).resolve().parent.parent / "tests" / "data" / "istandaarden" / "WMO301.xml"
    if std == "iwmo" and code == "301" and voorbeeld_xml.is_file():
        data = voorbeeld_xml.read_bytes()
        _meet("parsen + valideren, voorbeeld WMO301.xml", n, lambda i: schemas.valideer(data))

    doel = 2000
    print(f"doel bouwen + valideren >= {doel}/s: {'gehaald' if bouw_val >= doel else 'NIET gehaald'}")
    return 0 if bouw_val >= doel else 1


def _lxml() -> tuple:
    from lxml import etree

    return etree.LXML_VERSION[:3]


if __name__ == "__main__":
    raise SystemExit(main())
