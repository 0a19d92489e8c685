"""The `keukentafel` command: db upgrade, demo, serve (and more as the system grows)."""
from __future__ import annotations

import argparse
import logging
import sys
import threading

from .config import INSTANCE, ConfigError, Settings

log = logging.getLogger("keukentafel")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        print(f"Configuratiefout: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_db(args: argparse.Namespace) -> int:
    from . import migrate

    settings = _settings()
    if args.actie == "upgrade":
        migrate.upgrade(settings.database_url, args.revisie or "head")
        print(f"Database bijgewerkt tot {args.revisie or 'head'}.")
    elif args.actie == "downgrade":
        migrate.downgrade(settings.database_url, args.revisie or "-1")
        print("Database teruggezet.")
    elif args.actie == "revision":
        migrate.revision(settings.database_url, args.bericht or "wijziging")
    return 0


# The demo's counts are keyed by their plural; one of each reads "1 briefcampagne", not "1 briefcampagnes".
_ENKELVOUD = {"gemeenten": "gemeente", "teams": "team", "medewerkers": "medewerker", "inwoners": "inwoner",
              "zaken": "zaak", "producten": "product", "zorgaanbieders": "zorgaanbieder", "berichten": "bericht",
              "briefcampagnes": "briefcampagne"}


def demo_telling(telling: dict[str, int]) -> str:
    """'3 gemeenten, 1 briefcampagne' for what the demo added."""
    from domain.teksten import aantal

    return (", ".join(aantal(v, _ENKELVOUD.get(k, k), k) for k, v in telling.items() if v)
            or "niets nieuws (alles stond er al)")


def cmd_demo(args: argparse.Namespace) -> int:
    from domain.demo import laad_demo

    from . import create_app
    from .db import get_session

    from .diensten import diensten_uit

    settings = _settings()
    if settings.env == "production":
        # The demo makes staff accounts (beheer among them) with a published password: never in production.
        print("De demo laadt niet in productie (KEUKENTAFEL_ENV=production): die maakt accounts met een bekend "
              "wachtwoord. Gebruik KEUKENTAFEL_ENV=development of test.", file=sys.stderr)
        return 2
    app = create_app(settings)
    with app.app_context():
        telling = laad_demo(get_session(), diensten=diensten_uit(settings))
    print(f"Demodata geladen: {demo_telling(telling)}.")
    return 0


def _standin_clients(settings: Settings) -> dict[str, dict]:
    base = settings.base_url
    return {
        settings.digid["client_id"]: {
            "client_secret": settings.digid["client_secret"],
            "redirect_uris": [f"{base}/inloggen/digid", f"{base}/uitgelogd"],
        }
    }


def start_standin(settings: Settings):
    """The local DigiD stand-in on its own port, in a background thread of this process."""
    from werkzeug.serving import make_server

    from integrations.brp.local import LocalBrp
    from integrations.digid.standin import create_standin_app

    standin = create_standin_app(
        settings.digid["issuer"], _standin_clients(settings), INSTANCE / "digid-standin-key.pem", LocalBrp().alle
    )
    server = make_server("127.0.0.1", settings.digid_standin_port, standin, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="digid-standin", daemon=True)
    thread.start()
    return server


def start_zorgaanbieder():
    """Development: the simulated zorgaanbieder as a process of its own (``keukentafel zorgaanbieder draai``) on
    the folder transport, stopped when this process ends."""
    import atexit
    import os
    import signal
    import subprocess
    import sys

    kind = subprocess.Popen([sys.executable, "-m", "app.cli", "zorgaanbieder", "draai", "--ouder", str(os.getpid())])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that atexit runs on a plain kill too

    def stop():
        if kind.poll() is None:
            kind.terminate()
            try:
                kind.wait(timeout=5)
            except subprocess.TimeoutExpired:
                kind.kill()

    atexit.register(stop)
    return kind


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    if args.with_standins:
        os.environ.setdefault("KEUKENTAFEL_ENV", "development")
        os.environ.setdefault("DIGID_STANDIN", "1")
    settings = _settings()
    from werkzeug.serving import run_simple

    from domain.demo import DEMO_WACHTWOORD, MEDEWERKERS

    from . import create_app

    app = create_app(settings)
    if settings.digid_standin:
        start_standin(settings)
    from . import cli_campagne
    from .scheduler import start_scheduler

    scheduler = start_scheduler(settings, app.extensions["db_sessionmaker"])
    cli_campagne.plan_job(scheduler, settings, app.extensions["db_sessionmaker"])
    if settings.development and not args.zonder_zorgaanbieder:
        start_zorgaanbieder()
    base = settings.base_url
    print("\nKeukentafel draait:")
    if "portal" in settings.faces:
        print(f"  Portaal (inwoners):      {base}/")
    if "backoffice" in settings.faces:
        print(f"  Backoffice (medewerkers): {base}/backoffice/")
    if settings.digid_standin:
        print(f"  DigiD-testomgeving:       {settings.digid['issuer']}/  (kies een testpersoon)")
        print("\nDemo-log-ins backoffice (wachtwoord voor allemaal: " + DEMO_WACHTWOORD + "):")
        for gebruikersnaam, naam, rollen, _teams, _gm in MEDEWERKERS:
            print(f"  {gebruikersnaam:<14} {naam:<28} {', '.join(r.label for r in rollen)}")
    if not settings.smtp["host"]:
        print(f"\nE-mail gaat naar de lokale outbox: {INSTANCE / 'mail'} (een .eml-bestand per bericht)")
    print("\nStoppen: Ctrl+C\n", flush=True)
    run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Production: the periodic sweeps (mail outbox, later terms and messages) next to gunicorn."""
    import time

    from .db import make_engine
    from .scheduler import start_scheduler

    settings = _settings()
    from sqlalchemy.orm import sessionmaker

    maker = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)
    from . import cli_campagne

    cli_campagne.plan_job(start_scheduler(settings, maker), settings, maker)  # briefcampagnes planned in the backoffice
    print("Keukentafel-worker draait. Stoppen: Ctrl+C", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


def cmd_mail(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import sessionmaker

    from integrations.mail import transport_uit_instellingen, verstuur_klaarstaande

    from .db import make_engine

    settings = _settings()
    maker = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)
    telling = verstuur_klaarstaande(maker, transport_uit_instellingen(settings.smtp, INSTANCE / "mail"))
    print(f"Verzonden: {telling['verzonden']}, uitgesteld: {telling['uitgesteld']}, mislukt: {telling['mislukt']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from .requestlog import install_handler

    install_handler()
    parser = argparse.ArgumentParser(prog="keukentafel", description="Keukentafel: portaal en backoffice sociaal domein")
    sub = parser.add_subparsers(dest="commando", required=True)

    p_db = sub.add_parser("db", help="database-migraties (Alembic)")
    p_db.add_argument("actie", choices=["upgrade", "downgrade", "revision"])
    p_db.add_argument("revisie", nargs="?")
    p_db.add_argument("-m", "--bericht")
    p_db.set_defaults(func=cmd_db)

    p_demo = sub.add_parser("demo", help="demodata laden (idempotent)")
    p_demo.set_defaults(func=cmd_demo)

    p_serve = sub.add_parser("serve", help="portaal en backoffice serveren")
    p_serve.add_argument("--with-standins", action="store_true",
                         help="ontwikkelomgeving: lokale DigiD-testomgeving erbij")
    p_serve.add_argument("--zonder-zorgaanbieder", action="store_true",
                         help="ontwikkelomgeving: de gesimuleerde zorgaanbieder niet starten")
    p_serve.set_defaults(func=cmd_serve)

    p_worker = sub.add_parser("worker", help="periodieke taken (mail-outbox) naast gunicorn")
    p_worker.set_defaults(func=cmd_worker)

    p_mail = sub.add_parser("mail", help="mail-outbox")
    p_mail.add_argument("actie", choices=["versturen"])
    p_mail.set_defaults(func=cmd_mail)

    from . import cli_termijn

    cli_termijn.add_parser(sub)

    from . import cli_backup, cli_berichten, cli_zorgaanbieder

    cli_berichten.add_parser(sub)
    cli_zorgaanbieder.add_parser(sub)
    cli_backup.add_parser(sub)

    from . import cli_campagne, cli_medewerker

    cli_medewerker.add_parser(sub)
    cli_campagne.add_parser(sub)

    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    raise SystemExit(main())
