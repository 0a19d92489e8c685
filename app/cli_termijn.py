"""`keukentafel termijn SOORT DATUM [--adviescommissie]`: the last day of a legal term, as an ISO date.

Wiring in app/cli.py: ``cli_termijn.add_parser(sub)`` next to the other subcommands; ``add_parser`` sets
``func`` itself. Only the date goes to stdout (exit code 0), so the command can be used in scripts; an unknown
SOORT, a bad date or a wrong option gives a Dutch message on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from domain.deadlines import bereken

SOORTEN: dict[str, str] = {
    "wmo-onderzoek": "6 weken na ontvangst van de melding (Wmo 2015, art. 2.3.2 lid 1)",
    "wmo-beschikking": "2 weken na ontvangst van de aanvraag (Wmo 2015, art. 2.3.5 lid 1)",
    "awb-beschikking": "8 weken na ontvangst van de aanvraag (Awb, art. 4:13 lid 2)",
    "bezwaartermijn": "6 weken na de bekendmaking van het besluit (Awb, art. 6:7 en 6:8)",
    "bezwaar-beslistermijn": "6 of 12 weken na het einde van de bezwaartermijn; DATUM is de bekendmaking "
                             "van het besluit waartegen bezwaar is gemaakt (Awb, art. 7:10 lid 1)",
}


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``termijn`` subcommand to the ``keukentafel`` parser."""
    p = subparsers.add_parser(
        "termijn",
        help="laatste dag van een wettelijke termijn berekenen (met de Algemene termijnenwet)",
        description="Berekent de laatste dag van een termijn, na toepassing van de Algemene termijnenwet. "
                    "Soorten: " + "; ".join(f"{k}: {v}" for k, v in SOORTEN.items()) + ".",
    )
    p.add_argument("soort", metavar="SOORT", help="soort termijn: " + ", ".join(SOORTEN))
    p.add_argument("datum", metavar="DATUM", help="datum van de gebeurtenis, JJJJ-MM-DD")
    p.add_argument("--adviescommissie", action="store_true",
                   help="bezwaar-beslistermijn: er is een adviescommissie (12 in plaats van 6 weken)")
    p.set_defaults(func=termijn_command)
    return p


def _fout(tekst: str) -> int:
    print(f"keukentafel termijn: {tekst}", file=sys.stderr)
    return 2


def termijn_command(args: argparse.Namespace) -> int:
    """Print the last day of the term as an ISO date. Returns the exit code (0, or 2 on bad input)."""
    if args.soort not in SOORTEN:
        return _fout(f"onbekende soort '{args.soort}'. Kies uit: {', '.join(SOORTEN)}.")
    try:
        datum = dt.date.fromisoformat(args.datum)
    except ValueError:
        return _fout(f"ongeldige datum '{args.datum}'. Gebruik JJJJ-MM-DD, bijvoorbeeld 2026-03-02.")
    if args.adviescommissie and args.soort != "bezwaar-beslistermijn":
        return _fout("--adviescommissie hoort alleen bij de soort bezwaar-beslistermijn.")
    try:
        uitkomst = bereken(args.soort, datum, adviescommissie=args.adviescommissie)
    except ValueError as exc:  # e.g. a year outside the Atw calendar
        return _fout(str(exc))
    print(uitkomst.einddatum.isoformat())
    return 0
