"""`keukentafel medewerker koppel|ontkoppel`: change the link between a medewerker account and an account at the
organisation's identity provider (MEDEWERKER_OIDC_*).

    keukentafel medewerker koppel GEBRUIKERSNAAM --subject SUB --reden TEKST
    keukentafel medewerker ontkoppel GEBRUIKERSNAAM --reden TEKST

A linked account accepts only its own subject; the first link is made at the first log-in of an account without
one. Changing a link is only possible here, and is protocolled with the reason and the person at the command line
(docs/security.md). Wiring in app/cli.py: ``cli_medewerker.add_parser(sub)``; ``add_parser`` sets ``func``.
Errors give a Dutch message on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import getpass
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("medewerker", help="medewerker-accounts: koppeling met de identity provider",
                              description="De koppeling tussen een medewerker-account en het account bij de "
                                          "identity provider van de organisatie wijzigen (geprotocolleerd).")
    acties = p.add_subparsers(dest="actie", required=True)
    koppel = acties.add_parser("koppel", help="het account koppelen aan een subject van de identity provider")
    koppel.add_argument("gebruikersnaam", metavar="GEBRUIKERSNAAM")
    koppel.add_argument("--subject", required=True, help="de waarde van `sub` die de identity provider stuurt")
    koppel.add_argument("--reden", required=True, help="waarom (komt in de protocollering)")
    koppel.set_defaults(func=koppeling_command, opheffen=False)
    ontkoppel = acties.add_parser("ontkoppel", help="de koppeling opheffen; de volgende inlog koppelt opnieuw")
    ontkoppel.add_argument("gebruikersnaam", metavar="GEBRUIKERSNAAM")
    ontkoppel.add_argument("--reden", required=True, help="waarom (komt in de protocollering)")
    ontkoppel.set_defaults(func=koppeling_command, opheffen=True, subject=None)
    return p


def _wie() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment (a container without passwd entry)
        return "onbekend"


def koppeling_command(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import sessionmaker

    from domain.actor import Actor
    from domain.medewerkers import KoppelingFout, wijzig_koppeling

    from .cli import _settings
    from .db import make_engine

    settings = _settings()
    engine = make_engine(settings.database_url)
    actor = Actor(soort="systeem", id=None, naam=f"Opdrachtregel (keukentafel medewerker, {_wie()})"[:200])
    try:
        with sessionmaker(bind=engine)() as session:
            try:
                m = wijzig_koppeling(session, actor, args.gebruikersnaam, None if args.opheffen else args.subject,
                                     args.reden)
            except KoppelingFout as fout:
                print(f"keukentafel medewerker: {fout.melding}", file=sys.stderr)
                return 2
            session.commit()
            if args.opheffen:
                print(f"Koppeling van {m.gebruikersnaam} opgeheven. De volgende inlog via de identity provider met "
                      "deze gebruikersnaam koppelt opnieuw.")
            else:
                print(f"{m.gebruikersnaam} is gekoppeld aan het opgegeven subject.")
    finally:
        engine.dispose()
    return 0
