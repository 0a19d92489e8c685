"""Data generator for the load benchmark: a municipal database of any size on PostgreSQL, set-based.

    .venv/bin/python bench/datagen.py postgresql+psycopg://postgres@127.0.0.1:5432/bench --zaken 5000000

Needs a migrated database with the demo loaded (`keukentafel db upgrade && keukentafel demo` with DATABASE_URL set);
the demo's teams, medewerkers and gemeenten are who the generated zaken belong to, so the demo log-ins see them.
Everything is INSERT … SELECT over generate_series, one transaction per block of zaken: no ORM, no row by row.
Growing is incremental: `--zaken 500000` on a database with 10.000 generated zaken adds the next 490.000, so one
database goes through every size the benchmark measures.

Per generated zaak g (ids are 20.000.000 + a multiple of g, so each table's rows can be derived from g):
zaaktype 60% Wmo, 30% Jeugd, 10% bezwaar (on the besluit of the zaak before it); 15% open, spread over the
zaaktype's statuses, one in five of them unassigned; 2–4 status changes; a legal term; a verslag and, when
decided, a beschikking as documents (one in 50 a real-sized PDF, the rest 2 kB); a besluit with a voorziening;
a notification for the inwoner and one for the behandelaar (read unless the zaak is open); two protocol rows;
a klantcontact; an iWmo/iJw message for one in ten; an action for the toetser while ter toetsing.
Inwoners: one per 25 zaken, at least 2.000 and at most 200.000, spread over the demo's gemeenten.
"""
from __future__ import annotations

import argparse
import sys
import time

import psycopg

BASIS = 20_000_000  # generated ids start here; the demo's own rows stay far below
BLOK = 200_000
SEQUENTIE_START = 1_000_000_000
OPEN_STATUSSEN = {
    "wmo": ["melding", "in_onderzoek", "verslag_ter_ondertekening", "aanvraag", "ter_toetsing", "besluit",
            "in_levering", "geleverd"],
    "jeugd": ["melding", "in_onderzoek", "verslag_ter_reactie", "aanvraagformulier", "aanvraag", "ter_toetsing",
              "besluit", "in_levering"],
    "bezwaar": ["ontvangen", "in_behandeling", "hoorzitting", "advies"],
}
EINDSTATUS = {"wmo": "afgesloten", "jeugd": "afgesloten", "bezwaar": "beslist"}
TEAM = {"wmo": "wmo", "jeugd": "jeugd", "bezwaar": "juridisch"}


def _nl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def inwoners_voor(zaken: int) -> int:
    return min(200_000, max(2_000, zaken // 25))


def _sql_array(waarden) -> str:
    return "ARRAY[" + ",".join(f"'{w}'" if isinstance(w, str) else str(w) for w in waarden) + "]"


def _case_zaaktype(per_type: dict[str, str], zt: str = "zt") -> str:
    return "CASE " + " ".join(f"WHEN {zt} = '{c}' THEN {v}" for c, v in per_type.items()) + " END"


class Generator:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        cur = conn.cursor()
        teams = dict(cur.execute("SELECT code, id FROM team").fetchall())
        self.team = {zt: teams[code] for zt, code in TEAM.items()}
        self.consulenten = {}
        for zt, team_id in self.team.items():
            ids = [r[0] for r in cur.execute(
                "SELECT m.id FROM medewerker m JOIN medewerker_team mt ON mt.medewerker_id = m.id "
                "WHERE mt.team_id = %s ORDER BY m.id", (team_id,))]
            self.consulenten[zt] = ids
        self.gemeenten = [r[0] for r in cur.execute("SELECT id FROM gemeente ORDER BY id")]
        self.toetsteam = teams.get("kwaliteit", teams[TEAM["wmo"]])
        self.product = cur.execute("SELECT min(id) FROM product").fetchone()[0]
        self.auteur = self.consulenten["wmo"][0]

    def aantal(self) -> tuple[int, int]:
        cur = self.conn.cursor()
        zaken = cur.execute("SELECT count(*) FROM zaak WHERE id > %s", (BASIS,)).fetchone()[0]
        inwoners = cur.execute("SELECT count(*) FROM inwoner WHERE id > %s", (BASIS,)).fetchone()[0]
        return zaken, inwoners

    def inwoners(self, van: int, tot: int) -> None:
        gem = _sql_array(self.gemeenten)
        self.conn.execute(f"""
            INSERT INTO inwoner (id, bsn, voornamen, geslachtsnaam, geboortedatum, straat, huisnummer, postcode,
                                 woonplaats, gemeente_id, email, contactvoorkeur, aangemaakt, geslacht)
            SELECT {BASIS} + i, lpad((600000000 + i)::text, 9, '0'),
                   (ARRAY['Anna','Bram','Chantal','Daan','Esra','Fleur','Gijs','Hanna'])[1 + i % 8],
                   (ARRAY['Jansen','de Vries','Bakker','Visser','Smit','Meijer','Yilmaz','Mulder'])[1 + i / 8 % 8],
                   date '1940-01-01' + (i * 37 % 29000), 'Dorpsstraat', (1 + i % 300)::text,
                   (3000 + i % 900)::text || 'AB', 'Barendrecht', ({gem})[1 + i % {len(self.gemeenten)}],
                   'inwoner' || i || '@example.nl', 'email', now() - interval '3 years', 'O'
            FROM generate_series({van}, {tot - 1}) AS i""")

    def zaken(self, van: int, tot: int, n_inwoners: int) -> None:
        c = self.conn
        zt = "(CASE WHEN g % 10 < 6 THEN 'wmo' WHEN g % 10 < 9 THEN 'jeugd' ELSE 'bezwaar' END)"
        open_ = "(g % 20 < 3)"
        teams = _case_zaaktype({k: str(v) for k, v in self.team.items()})
        cons = _case_zaaktype({k: _sql_array(v) for k, v in self.consulenten.items()})
        ncons = _case_zaaktype({k: str(len(v)) for k, v in self.consulenten.items()})
        open_status = _case_zaaktype({k: _sql_array(v) for k, v in OPEN_STATUSSEN.items()})
        n_open = _case_zaaktype({k: str(len(v)) for k, v in OPEN_STATUSSEN.items()})
        eind = _case_zaaktype({k: f"'{v}'" for k, v in EINDSTATUS.items()})
        # One row per g with everything derived; the zaken, then what hangs off them.
        c.execute("DROP TABLE IF EXISTS _g")
        c.execute(f"""
            CREATE TEMP TABLE _g AS
            SELECT g, zt, is_open, {BASIS} + g AS zaak_id, {BASIS} + 1 + (g::bigint * 7919) % {n_inwoners} AS inwoner_id,
                   {teams} AS team_id,
                   CASE WHEN is_open AND g / 20 % 5 = 0 THEN NULL ELSE ({cons})[1 + g / 7 % {ncons}] END AS behandelaar,
                   CASE WHEN is_open THEN ({open_status})[1 + g / 20 % {n_open}] ELSE {eind} END AS status,
                   CASE WHEN is_open THEN current_date - (g % 90) ELSE current_date - 100 - (g::bigint * 13 % 3000)::int END AS start
            FROM (SELECT g, {zt} AS zt, {open_} AS is_open FROM generate_series({van}, {tot - 1}) AS g) s""")
        c.execute("""
            INSERT INTO zaak (id, identificatie, zaaktype, gemeente_id, inwoner_id, team_id, behandelaar_id, status,
                              omschrijving, startdatum, aanvraagdatum, uiterlijke_einddatum, afgesloten, aangemaakt,
                              versie, hoofdzaak_id, besluit_id)
            SELECT _g.zaak_id, 'G-' || lpad(g::text, 8, '0'), zt, i.gemeente_id, _g.inwoner_id, team_id, behandelaar,
                   status, 'Gegenereerde zaak', start, start + 7,
                   CASE WHEN status IN ('melding', 'ontvangen') AND g % 3 = 0 THEN NULL ELSE start + 56 END,
                   NOT is_open, start::timestamptz, 1,
                   CASE WHEN zt = 'bezwaar' THEN _g.zaak_id - 1 END, NULL
            FROM _g JOIN inwoner i ON i.id = _g.inwoner_id""")
        # Besluiten for the decided zaken (wmo, jeugd closed), and the bezwaar zaken point at the one before.
        c.execute(f"""
            INSERT INTO besluit (id, zaak_id, besluittype, onderbouwing, wettelijke_grondslag, status,
                                 toetsing_vereist, auteur_id, vastgesteld_op, verzenddatum, aangemaakt)
            SELECT zaak_id, zaak_id, CASE WHEN g % 7 = 0 THEN 'afwijzing' ELSE 'toekenning' END,
                   'Onderbouwing van het besluit.', 'Artikel van de verordening', 'verzonden', g % 2 = 0,
                   {self.auteur}, start + 40, start + 41, start + 40
            FROM _g WHERE NOT is_open AND zt <> 'bezwaar'""")
        c.execute("""
            UPDATE zaak z SET besluit_id = b.id FROM _g, besluit b
            WHERE z.id = _g.zaak_id AND _g.zt = 'bezwaar' AND b.id = _g.zaak_id - 1""")
        c.execute(f"""
            INSERT INTO voorziening (id, besluit_id, zaak_id, inwoner_id, product_id, volume, eenheid, frequentie,
                                     ingangsdatum, einddatum, leveringsvorm, status)
            SELECT b.id, b.id, b.zaak_id, _g.inwoner_id, {self.product}, 3, '04', '2', _g.start + 42,
                   _g.start + 42 + 365, 'ZIN', CASE WHEN _g.start + 407 < current_date THEN 'beeindigd' ELSE 'geleverd' END
            FROM besluit b JOIN _g ON _g.zaak_id = b.zaak_id WHERE b.besluittype = 'toekenning'""")
        # 2–4 status changes per zaak.
        c.execute("""
            INSERT INTO status_historie (id, zaak_id, van_status, status, overgang, tijdstip, medewerker_id,
                                         door_inwoner)
            SELECT zaak_id * 4 + k, zaak_id, CASE WHEN k > 0 THEN 'stap' || k END,
                   CASE WHEN k = 1 + g % 3 THEN status ELSE 'stap' || (k + 1) END, 'overgang', start + k * 10,
                   behandelaar, false
            FROM _g, generate_series(0, 3) AS k WHERE k <= 1 + g % 3""")
        c.execute("""
            INSERT INTO termijn (id, zaak_id, soort, bron, startdatum, einddatum, gewaarschuwd, gestopt_op)
            SELECT zaak_id, zaak_id, 'beslistermijn', 'Algemene wet bestuursrecht, artikel 4:13', start, start + 56,
                   NOT is_open, CASE WHEN NOT is_open THEN start + 40 END
            FROM _g""")
        c.execute(f"""
            INSERT INTO document (id, zaak_id, inwoner_id, documenttype, titel, vertrouwelijkheid,
                                  zichtbaar_voor_inwoner, aangemaakt)
            SELECT zaak_id * 2 + k, zaak_id, inwoner_id, CASE k WHEN 0 THEN 'onderzoeksverslag' ELSE 'beschikking' END,
                   CASE k WHEN 0 THEN 'Verslag van het gesprek' ELSE 'Beschikking' END, 'vertrouwelijk', true, start + 20 * (k + 1)
            FROM _g, generate_series(0, 1) AS k WHERE k = 0 OR NOT is_open""")
        c.execute(f"""
            INSERT INTO document_versie (id, document_id, versie, bestandsnaam, mediatype, inhoud, sha256, grootte,
                                         auteur_id, aangemaakt)
            SELECT d.id, d.id, 1, d.documenttype || '.pdf', 'application/pdf', blob.inhoud, blob.sha256,
                   length(blob.inhoud), {self.auteur}, d.aangemaakt
            FROM document d JOIN _g ON d.zaak_id = _g.zaak_id
            CROSS JOIN LATERAL (SELECT CASE WHEN _g.g % 50 = 0 THEN t.inhoud ELSE substring(t.inhoud FROM 1 FOR 2048) END
                                       AS inhoud, t.sha256 FROM _bench_pdf t) blob""")
        c.execute(f"""
            INSERT INTO notificatie (id, inwoner_id, medewerker_id, zaak_id, onderwerp, tekst, link, aangemaakt, gelezen)
            SELECT zaak_id * 2, inwoner_id, NULL, zaak_id, 'Er is nieuws over uw zaak', 'Bekijk uw zaak.', NULL,
                   start + 1, CASE WHEN NOT is_open THEN start + 2 END FROM _g
            UNION ALL
            SELECT zaak_id * 2 + 1, NULL, behandelaar, zaak_id, 'Nieuwe zaak toegewezen', 'Een zaak is aan u toegewezen.',
                   '/backoffice/zaken/' || zaak_id, start + 1, CASE WHEN NOT is_open OR g % 4 > 0 THEN start + 3 END
            FROM _g WHERE behandelaar IS NOT NULL""")
        c.execute("""
            INSERT INTO audit_log (id, tijdstip, actor_type, actor_id, actor_naam, inwoner_id, handeling, object_type,
                                   object_id, omschrijving, doel)
            SELECT zaak_id * 2 + k, start + k, CASE k WHEN 0 THEN 'medewerker' ELSE 'inwoner' END,
                   CASE k WHEN 0 THEN behandelaar ELSE inwoner_id END, 'Gegenereerd', inwoner_id,
                   CASE k WHEN 0 THEN 'aanmaken' ELSE 'lezen' END, 'zaak', zaak_id::text, 'Zaak bekeken', 'Uitvoering'
            FROM _g, generate_series(0, 1) AS k""")
        c.execute("""
            INSERT INTO klantcontact (id, inwoner_id, zaak_id, medewerker_id, kanaal, onderwerp, tekst, alleen_advies,
                                      zichtbaar_voor_inwoner, tijdstip)
            SELECT zaak_id, inwoner_id, zaak_id, behandelaar, 'telefoon', 'Melding', 'Telefonisch contact.', false,
                   true, start FROM _g""")
        c.execute("""
            INSERT INTO bericht (id, richting, standaard, code, bericht_identificatie, xml, sha256, status, pogingen,
                                 gemeente_id, zaak_id, aangemaakt, verzonden)
            SELECT _g.zaak_id, 'uit', CASE zt WHEN 'wmo' THEN 'iWmo' ELSE 'iJw' END, '301', 'G' || g, convert_to('<x/>', 'UTF8'),
                   repeat('0', 64), CASE WHEN g % 1000 = 3 THEN 'verzonden' ELSE 'verwerkt' END, 1, z.gemeente_id,
                   _g.zaak_id, start + 45, start + 45
            FROM _g JOIN zaak z ON z.id = _g.zaak_id WHERE g % 10 = 3""")
        c.execute(f"""
            INSERT INTO actie (id, team_id, zaak_id, soort, omschrijving, aangemaakt, afgerond)
            SELECT zaak_id, {self.toetsteam}, zaak_id, 'toetsing', 'Beschikking toetsen', start + 30,
                   CASE WHEN NOT is_open THEN start + 35 END
            FROM _g WHERE NOT is_open AND g % 2 = 0 OR status = 'ter_toetsing'""")

    def sequenties(self) -> None:
        cur = self.conn.cursor()
        for (tabel,) in cur.execute("""
                SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'
                AND column_name = 'id' AND column_default LIKE 'nextval%%'""").fetchall():
            # Far above every generated id (at most 4 × the largest zaak id): what the application adds while
            # the benchmark runs may never take an id a later growth step generates.
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), "
                        f"GREATEST((SELECT coalesce(max(id), 0) FROM {tabel}), {SEQUENTIE_START}))")


def groei(url: str, doel: int, *, uitvoer=print) -> None:
    """Grow the generated part of the database at `url` to `doel` zaken (and the inwoners that go with it)."""
    url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        # Generated rows are consistent by construction: skip the per-row foreign-key triggers (as a restore does)
        # and do not wait for the WAL flush of each block.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET work_mem = '256MB'")
        gen = Generator(conn)
        conn.execute("""CREATE TABLE IF NOT EXISTS _bench_pdf AS
                        SELECT inhoud, sha256 FROM document_versie WHERE mediatype = 'application/pdf'
                        ORDER BY grootte DESC LIMIT 1""")
        zaken, inwoners = gen.aantal()
        start = time.perf_counter()
        nodig = inwoners_voor(doel)
        if nodig > inwoners:
            with conn.transaction():
                gen.inwoners(inwoners + 1, nodig + 1)
        n_inw = max(nodig, inwoners)
        g = zaken + 1
        while g <= doel:
            tot = min(doel + 1, g + BLOK)
            with conn.transaction():
                gen.zaken(g, tot, n_inw)
            uitvoer(f"  {_nl(tot - 1):>9} zaken ({time.perf_counter() - start:6.1f} s)")
            g = tot
        with conn.transaction():
            gen.sequenties()
        conn.execute("VACUUM ANALYZE")
        uitvoer(f"klaar: {_nl(doel)} zaken, {_nl(n_inw)} inwoners in {time.perf_counter() - start:.0f} s")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--zaken", type=int, required=True)
    args = parser.parse_args(argv)
    groei(args.url, args.zaken)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
