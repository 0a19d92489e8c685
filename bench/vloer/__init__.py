"""The floor of the load benchmark: a bare Flask + Jinja + SQLAlchemy page of the same layout as the application's
pages (head with the same style sheets, header, menu, a table of 25 rows, footer), doing one `SELECT 1` on the same
database. Served by the same gunicorn as the application (`bench/vloer/wsgi.py`), so every page's latency can be
divided by what a page costs at the least on this machine, in the same run."""
from __future__ import annotations

import datetime as dt

from flask import Flask, render_template
from sqlalchemy import create_engine, text


def maak_vloer(database_url: str) -> Flask:
    app = Flask(__name__)
    engine = create_engine(database_url, pool_pre_ping=True)
    menu = ["Start", "Werkvoorraad", "Mijn werkvoorraad", "Acties", "Termijnen", "Meldingen", "Berichten", "Post"]
    rijen = [{"id": 20_000_000 + i, "identificatie": f"G-{i:08d}", "type": "Wmo", "status": "In onderzoek",
              "naam": "Anna de Vries", "gemeente": "Barendrecht", "deadline": dt.date(2027, 1, 1) + dt.timedelta(i)}
             for i in range(25)]

    @app.get("/")
    def vloer():
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar()
        return render_template("vloer.html", menu=menu, rijen=rijen)

    return app
