"""`keukentafel zorgaanbieder ...`: the simulated zorgaanbieder as its own process, and orders to it.

    keukentafel zorgaanbieder draai [--interval 5] [--vertraging 30] [--looptijd S] [--agb CODE ...]
    keukentafel zorgaanbieder toewijzingen                     what it knows (from the 301s it picked up)
    keukentafel zorgaanbieder stuur-start NUMMER [--begindatum D]
    keukentafel zorgaanbieder stuur-stop NUMMER [--einddatum D] [--reden CODE]
    keukentafel zorgaanbieder stuur-wijziging NUMMER [--volume N] [--nieuw-product 02/02A01:3] [--ingangsdatum D]
    keukentafel zorgaanbieder stuur-declaratie NUMMER --van D --tot D --volume N --tarief CENT   (323)
    keukentafel zorgaanbieder stuur-verzoek --gemeente CODE --agb CODE --bsn BSN --categorie CC [--code CCCCC]
                                            [--ingangsdatum D]                               (315)

It works on the same folder as the gemeente's folder transport (``$KEUKENTAFEL_BERICHTEN_MAP`` or
``instance/berichten``) and needs no database, like a real zorgaanbieder. ``make run`` starts ``draai`` as a
process of its own next to the web server (``keukentafel serve --with-standins``); the ``stuur-*`` orders may
run from another shell at the same time: the simulator's file lock makes them take turns.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import threading


def _niet_in_productie(func):
    """A simulated zorgaanbieder answers real 301s with made-up 302s and 305s: never in production (like the DigiD
    stand-in). KEUKENTAFEL_ENV must be development or test."""
    def uitvoeren(args: argparse.Namespace) -> int:
        if os.environ.get("KEUKENTAFEL_ENV", "production").strip().lower() not in ("development", "test"):
            print("De gesimuleerde zorgaanbieder is een testvoorziening en draait niet in productie "
                  "(zet KEUKENTAFEL_ENV=development).", file=sys.stderr)
            return 2
        return func(args)

    return uitvoeren


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("zorgaanbieder", help="gesimuleerde zorgaanbieder (ontwikkeling en demo)",
                              description="Een gesimuleerde zorgaanbieder op de map-transport van het "
                                          "berichtenverkeer (iWmo/iJw).")
    acties = p.add_subparsers(dest="actie", required=True)

    d = acties.add_parser("draai", help="blijven draaien: 301 beantwoorden met 302 en 305, 307 aan het eind")
    d.add_argument("--interval", type=float, default=5.0, help="seconden tussen twee rondes (standaard 5)")
    d.add_argument("--vertraging", type=float, default=30.0,
                   help="seconden tussen de 302 en de 305 (standaard 30)")
    d.add_argument("--looptijd", type=float, default=None,
                   help="seconden van start tot stop (307); standaard: op de einddatum van de toewijzing")
    d.add_argument("--agb", action="append", help="alleen voor deze AGB-code(s) spelen (standaard: allemaal)")
    d.add_argument("--ouder", type=int, help=argparse.SUPPRESS)  # stop when this process (keukentafel serve) is gone
    d.set_defaults(func=draai_command)

    t = acties.add_parser("toewijzingen", help="de toewijzingen die de zorgaanbieder kent")
    t.set_defaults(func=toewijzingen_command)

    s = acties.add_parser("stuur-start", help="een 305 (start zorg) sturen")
    s.add_argument("nummer", type=int, metavar="NUMMER", help="ToewijzingNummer")
    s.add_argument("--begindatum", type=dt.date.fromisoformat)
    s.set_defaults(func=lambda a: _stuur(lambda sim: sim.stuur_start(a.nummer, begindatum=a.begindatum)))

    s = acties.add_parser("stuur-stop", help="een 307 (stop zorg) sturen")
    s.add_argument("nummer", type=int, metavar="NUMMER")
    s.add_argument("--einddatum", type=dt.date.fromisoformat)
    s.add_argument("--reden", help="RedenBeeindiging (standaard 19, levering volgens plan beeindigd)")
    s.set_defaults(func=lambda a: _stuur(lambda sim: sim.stuur_stop(a.nummer, einddatum=a.einddatum,
                                                                    reden=a.reden)))

    s = acties.add_parser("stuur-wijziging", help="een 317 (verzoek om wijziging) sturen")
    s.add_argument("nummer", type=int, metavar="NUMMER")
    s.add_argument("--volume", type=int, help="de nieuwe omvang van deze toewijzing (weglaten: ongewijzigd)")
    s.add_argument("--nieuw-product", action="append", metavar="CAT/CODE:VOLUME", type=_nieuw_product,
                   help="ook een nieuw product vragen, bijvoorbeeld 02/02A01:3 (uren per week)")
    s.add_argument("--ingangsdatum", type=dt.date.fromisoformat)
    s.set_defaults(func=wijziging_command)

    s = acties.add_parser("stuur-declaratie", help="een 323 (declaratie) sturen")
    s.add_argument("nummer", type=int, metavar="NUMMER")
    s.add_argument("--van", type=dt.date.fromisoformat, required=True)
    s.add_argument("--tot", type=dt.date.fromisoformat, required=True)
    s.add_argument("--volume", type=int, required=True)
    s.add_argument("--tarief", type=int, required=True, help="in centen per eenheid")
    s.set_defaults(func=lambda a: _stuur(lambda sim: sim.stuur_declaratie(
        a.nummer, begin=a.van, eind=a.tot, volume=a.volume, tarief=a.tarief)))

    s = acties.add_parser("stuur-verzoek", help="een 315 (verzoek om toewijzing) sturen")
    s.add_argument("--gemeente", required=True, help="gemeentecode, bijvoorbeeld 0489")
    s.add_argument("--agb", required=True, help="AGB-code van de zorgaanbieder")
    s.add_argument("--bsn", required=True)
    s.add_argument("--categorie", required=True, help="productcategorie, bijvoorbeeld 02")
    s.add_argument("--code", help="productcode, bijvoorbeeld 02A01")
    s.add_argument("--ingangsdatum", type=dt.date.fromisoformat)
    s.set_defaults(func=verzoek_command)
    for actie in acties.choices.values():
        actie.set_defaults(func=_niet_in_productie(actie.get_default("func")))
    return p


def _simulator(**kw):
    from integrations.istandaarden.simulator import Simulator

    from .cli_berichten import berichten_map

    return Simulator(berichten_map(), **kw)


def _stuur(maak) -> int:
    from integrations.istandaarden import lees

    try:
        xml = maak(_simulator())
    except KeyError as exc:
        print(f"Niet verstuurd: {exc.args[0] if exc.args else exc}. Zie 'keukentafel zorgaanbieder toewijzingen'.",
              file=sys.stderr)
        return 1
    b = lees(xml, valideren=False)
    print(f"{b.naam} {b.header.identificatie} in de map gezet; de gemeente verwerkt het bij de volgende ronde.")
    return 0


def _nieuw_product(waarde: str) -> dict:
    """CAT/CODE:VOLUME (per week, in uren) as a NieuwProduct of a 317."""
    try:
        product, volume = waarde.split(":")
        categorie, code = product.split("/")
        return {"Product": {"Categorie": categorie, "Code": code},
                "Omvang": {"Volume": int(volume), "Eenheid": "04", "Frequentie": "2"}}
    except ValueError:
        raise argparse.ArgumentTypeError("gebruik CATEGORIE/CODE:VOLUME, bijvoorbeeld 02/02A01:3") from None


def wijziging_command(args: argparse.Namespace) -> int:
    if args.volume is None and not args.nieuw_product:
        print("Geef --volume en/of --nieuw-product op: anders vraagt de 317 niets.", file=sys.stderr)
        return 1
    return _stuur(lambda sim: sim.stuur_verzoek_wijziging(args.nummer, volume=args.volume,
                                                          ingangsdatum=args.ingangsdatum,
                                                          nieuwe_producten=args.nieuw_product))


def verzoek_command(args: argparse.Namespace) -> int:
    from integrations.brp.local import LocalBrp

    persoon = LocalBrp().zoek_bsn(args.bsn)
    if persoon is None:
        print("Onbekend BSN in het lokale BRP-register.", file=sys.stderr)
        return 1
    achternaam = {"Achternaam": persoon.geslachtsnaam}
    if persoon.voorvoegsel:
        achternaam["Voorvoegsel"] = persoon.voorvoegsel
    client = {"Bsn": persoon.bsn, "Geboortedatum": {"Datum": persoon.geboortedatum}, "Geslacht": "0",
              "Naam": {"Geslachtsnaam": achternaam, "Voornamen": persoon.voornamen}}
    product = {"Categorie": args.categorie, **({"Code": args.code} if args.code else {})}
    return _stuur(lambda sim: sim.stuur_verzoek_toewijzing(
        gemeente=args.gemeente, agb=args.agb, client=client, product=product,
        ingangsdatum=args.ingangsdatum or dt.date.today()))


def toewijzingen_command(args: argparse.Namespace) -> int:
    sim = _simulator()
    if not sim.toewijzingen:
        print("De zorgaanbieder kent nog geen toewijzingen (er is nog geen 301 opgehaald).")
    for t in sorted(sim.toewijzingen.values(), key=lambda t: (t.gemeente, t.nummer)):
        stand = "gestopt" if t.gestopt else f"gestart {t.gestart:%d-%m-%Y}" if t.gestart else "nog niet gestart"
        product = t.product.get("Code") or t.product.get("Categorie", "")
        print(f"{t.gemeente} {t.nummer:>9} {t.standaard} {product:<6} AGB {t.agb} vanaf {t.ingangsdatum:%d-%m-%Y}"
              f" tot {t.einddatum:%d-%m-%Y}: {stand}" if t.einddatum else
              f"{t.gemeente} {t.nummer:>9} {t.standaard} {product:<6} AGB {t.agb} vanaf {t.ingangsdatum:%d-%m-%Y}:"
              f" {stand}")
    return 0


def draai_command(args: argparse.Namespace) -> int:
    import logging

    from .cli_berichten import berichten_map

    logging.basicConfig(level=logging.INFO, format="%(asctime)s zorgaanbieder %(levelname)s %(message)s")
    sim = _simulator(vertraging=args.vertraging, looptijd=args.looptijd,
                     agb_codes=frozenset(args.agb) if args.agb else None)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(f"Gesimuleerde zorgaanbieder draait op {berichten_map()} (elke {args.interval:g} s; 305 na "
          f"{args.vertraging:g} s). Stoppen: Ctrl+C", flush=True)
    if args.ouder:
        def bewaak_ouder():
            while not stop.wait(1.0):
                if os.getppid() != args.ouder:
                    stop.set()

        threading.Thread(target=bewaak_ouder, daemon=True).start()
    sim.draai(stop, args.interval)
    return 0
