"""`keukentafel berichten ...`: the iWmo/iJw berichtenverkeer from the command line.

    keukentafel berichten export DIR        every outgoing message as DIR/<code>-<identificatie>.xml
    keukentafel berichten import FILE...    process files as if they were received (each in its own transaction)
    keukentafel berichten versturen         run the outbox and inbox sweeps once (folder transport)

Wiring in app/cli.py: ``cli_berichten.add_parser(sub)``; ``add_parser`` sets ``func`` itself. The folder of the
folder transport is ``$KEUKENTAFEL_BERICHTEN_MAP`` or ``instance/berichten`` (see `berichten_map`).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from domain import teksten

from .config import INSTANCE


def berichten_map() -> Path:
    """Where the folder transport keeps uit/, in/ and verwerkt/."""
    return Path(os.environ.get("KEUKENTAFEL_BERICHTEN_MAP") or INSTANCE / "berichten")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("berichten", help="iWmo/iJw-berichtenverkeer: exporteren, importeren, versturen",
                              description="Berichtenverkeer met zorgaanbieders (iWmo/iJw 3.2).")
    acties = p.add_subparsers(dest="actie", required=True)
    p_export = acties.add_parser("export", help="alle uitgaande berichten als XML-bestanden in een map zetten")
    p_export.add_argument("map", metavar="DIR", help="doelmap (wordt aangemaakt)")
    p_export.set_defaults(func=export_command)
    p_import = acties.add_parser("import", help="berichten verwerken alsof ze ontvangen zijn")
    p_import.add_argument("bestanden", metavar="FILE", nargs="+", help="XML-bestand(en)")
    p_import.set_defaults(func=import_command)
    p_versturen = acties.add_parser("versturen", help="uitgaande berichten versturen en ontvangen berichten verwerken")
    p_versturen.set_defaults(func=versturen_command)
    return p


def _maker():
    from sqlalchemy.orm import sessionmaker

    from .cli import _settings
    from .db import make_engine

    settings = _settings()
    return settings, sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)


def export_command(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from domain.models import Bericht

    _, maker = _maker()
    doel = Path(args.map)
    doel.mkdir(parents=True, exist_ok=True)
    aantal = 0
    with maker() as session:
        laatste = 0
        while True:  # in batches, so a large archive does not sit in memory at once
            rijen = session.scalars(select(Bericht).where(Bericht.richting == "uit", Bericht.id > laatste)
                                    .order_by(Bericht.id).limit(200)).all()
            if not rijen:
                break
            for b in rijen:
                naam = f"{b.code}-{b.bericht_identificatie or b.id}.xml"
                (doel / naam).write_bytes(b.xml)
                aantal += 1
            laatste = rijen[-1].id
            session.expunge_all()
    print(f"{teksten.aantal(aantal, 'uitgaand bericht', 'uitgaande berichten')} geschreven naar {doel}.")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from integrations.istandaarden.transport import verwerk_een

    from .diensten import diensten_uit

    settings, maker = _maker()
    diensten = diensten_uit(settings)
    fouten = 0
    for naam in args.bestanden:
        pad = Path(naam)
        try:
            inhoud = pad.read_bytes()
        except OSError as exc:
            print(f"{naam}: niet te lezen ({exc.strerror})", file=sys.stderr)
            fouten += 1
            continue
        verwerking = verwerk_een(maker, inhoud, naam=pad.name, diensten=diensten)
        b = verwerking.bericht
        regel = f"{pad.name}: {b.naam if b.code else 'onbekend bericht'} {verwerking.uitkomst}"
        if verwerking.antwoord is not None:
            regel += f", antwoord {verwerking.antwoord.naam} {verwerking.antwoord.bericht_identificatie} klaargezet"
        if b.laatste_fout and not verwerking.dubbel:
            regel += f" ({b.laatste_fout[:200]})"
        print(regel)
    return 1 if fouten else 0


def versturen_command(args: argparse.Namespace) -> int:
    from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_inbox

    from .diensten import diensten_uit

    settings, maker = _maker()
    transport = MapTransport(berichten_map())
    binnen = verwerk_inbox(maker, transport, diensten=diensten_uit(settings))
    uit = verstuur_berichten(maker, transport)
    print(f"Ontvangen: {binnen}. Verzonden: {uit}.")
    return 0
