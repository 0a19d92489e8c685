"""`keukentafel termijn SOORT DATUM [--adviescommissie]`: the last day of a legal term, as an ISO date.

Wiring in app/cli.py: ``cli_termijn.add_parser(sub)`` next to the other subcommands; ``add_parser`` sets
``func`` itself. Only the date goes to stdout (exit code 0), so the command can be used in scripts; an unknown
SOORT, a bad date or a wrong option gives a Dutch message on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from domain.deadlines import REGELS, TermijnRegel, Vanaf, bereken


def _beschrijving(r: TermijnRegel) -> str:
    duur = f"{r.duur}" + (f" of {r.duur_adviescommissie}" if r.duur_adviescommissie else "")
    na = "het einde van de bezwaartermijn; DATUM is de " if r.vanaf is Vanaf.EINDE_BEZWAARTERMIJN else ""
    return f"{duur} {r.eenheid} na {na}{r.gebeurtenis} ({r.bron})"


def soorten() -> dict[str, str]:
    """Every term with a fixed duration that the term service knows: the Awb's and those the zaaktypen register
    (their definitions are loaded first). A term whose duration the organ sets (hersteltermijn) is not offered."""
    from domain.processes import zaaktypen

    zaaktypen()
    return {s: _beschrijving(r) for s, r in REGELS.items() if r.duur is not None}


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``termijn`` subcommand to the ``keukentafel`` parser."""
    keuzes = soorten()
    p = subparsers.add_parser(
        "termijn",
        help="laatste dag van een wettelijke termijn berekenen (met de Algemene termijnenwet)",
        description="Berekent de laatste dag van een termijn, na toepassing van de Algemene termijnenwet. "
                    "Soorten: " + "; ".join(f"{k}: {v}" for k, v in keuzes.items()) + ".",
    )
    p.add_argument("soort", metavar="SOORT", help="soort termijn: " + ", ".join(keuzes))
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
    keuzes = soorten()
    if args.soort not in keuzes:
        return _fout(f"onbekende soort '{args.soort}'. Kies uit: {', '.join(keuzes)}.")
    try:
        datum = dt.date.fromisoformat(args.datum)
    except ValueError:
        return _fout(f"ongeldige datum '{args.datum}'. Gebruik JJJJ-MM-DD, bijvoorbeeld 2026-03-02.")
    if args.adviescommissie and REGELS[args.soort].duur_adviescommissie is None:
        met = ", ".join(s for s, r in REGELS.items() if r.duur_adviescommissie is not None)
        return _fout(f"--adviescommissie hoort alleen bij de soort {met}.")
    try:
        uitkomst = bereken(args.soort, datum, adviescommissie=args.adviescommissie)
    except ValueError as exc:  # e.g. a year outside the Atw calendar
        return _fout(str(exc))
    print(uitkomst.einddatum.isoformat())
    return 0
