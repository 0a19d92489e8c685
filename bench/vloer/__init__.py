"""The floor of the load benchmark: a bare Flask + Jinja + SQLAlchemy page of the same layout as the application's
pages (head with the same style sheets, header, menu, a table of 25 rows, footer), doing one `SELECT 1` on the same
database. Served by the same gunicorn as the application (`bench/vloer/wsgi.py`), so every page's latency can be
divided by what a page costs at the least on this machine, in the same run."""
from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import create_engine, text


def maak_vloer(database_url: str) -> Flask:
    app = Flask(__name__)
    engine = create_engine(database_url, pool_pre_ping=True)
    menu = ["Start", "Werkvoorraad", "Mijn werkvoorraad", "Acties", "Termijnen", "Meldingen", "Berichten", "Post"]
    rijen = [{"id": 20_000_000 + i, "identificatie": f"G-{i:08d}", "type": "Wmo", "status": "In onderzoek",
              "naam": "Anna de Vries", "gemeente": "Barendrecht", "deadline": dt.date(2027, 1, 1) + dt.timedelta(i)}
             for i in range(25)]

    def pagina() -> str:
        # Through the floor's own Jinja environment, so another app (bench/vloer/wsgi.py) can serve the same page.
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar()
        return app.jinja_env.get_template("vloer.html").render(menu=menu, rijen=rijen)

    app.extensions["vloer_pagina"] = pagina
    app.add_url_rule("/", "vloer", pagina)

    return app
