"""Due work for every sweep the scheduler runs, set-based, and the counts afterwards (bench/sweeps_bench.py and
tests/test_sweeps_processen.py).

`bereid_voor` needs a migrated database with the demo (its jeugd team, consulent, gemeenten and products). Per
prepared zaak i (Jeugd, status verslag_ter_reactie, its own inwoner who wants e-mail) it adds, as far as the
counts asked reach:

* a reactietermijn that ended two days ago with its ``bij_einde`` (domain/tijdgestuurd.py fires the overgang
  reactietermijn_verstreken: a status change, a notification and a mail for the inwoner);
* a beslistermijn ending in three days, not yet warned (domain/termijnbewaking.py: a notification for the
  behandelaar and each teamleider);
* a voorziening ending in 30 days, not yet reminded (the inwoner gets a notification and a mail, the
  behandelaar a notification);

and, apart from the zaken, mails waiting in the outbox and outgoing iJw messages waiting for the folder
transport. Everything carries the mark `merk`, which is how `tel` finds it again. Ids come from the tables' own
sequences, so what the sweeps add later never collides.

`tel` says per kind of item how many were expected, handled exactly once, more than once, or not at all; for mail
and messages it reads what arrived (the .eml files of the local mail outbox, the files in the folders' ``uit/``)
as well as the rows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

REACTIETERMIJN = "reactietermijn-7-dagen"  # domain/processes/jeugd.py
BESLISTERMIJN = "awb-beschikking"
DOMEIN = "sweepbench.example"


def _verbind(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def bereid_voor(url: str, merk: str, *, termijnen: int, waarschuwingen: int, voorzieningen: int, mails: int,
                berichten: int) -> None:
    zaken = max(termijnen, waarschuwingen, voorzieningen)
    with _verbind(url) as conn, conn.transaction():
        cur = conn.cursor()
        team = cur.execute("SELECT id FROM team WHERE code = 'jeugd'").fetchone()[0]
        behandelaar = cur.execute("SELECT id FROM medewerker WHERE gebruikersnaam = 'jeugd'").fetchone()[0]
        gemeenten = [r[0] for r in cur.execute(
            "SELECT gemeente_id FROM team_gemeente WHERE team_id = %s ORDER BY gemeente_id", (team,))]
        product = cur.execute("SELECT min(id) FROM product WHERE naam LIKE 'Jeugd%%'").fetchone()[0]
        gem = "ARRAY[" + ",".join(map(str, gemeenten)) + "]"
        cur.execute("DROP TABLE IF EXISTS _sb")
        cur.execute("""CREATE TEMP TABLE _sb AS SELECT i, nextval('inwoner_id_seq') AS inwoner_id,
                       nextval('zaak_id_seq') AS zaak_id FROM generate_series(1, %s) AS i""", (zaken,))
        cur.execute(f"""
            INSERT INTO inwoner (id, bsn, voornamen, geslachtsnaam, geboortedatum, straat, huisnummer, postcode,
                                 woonplaats, gemeente_id, email, contactvoorkeur, aangemaakt, geslacht)
            SELECT inwoner_id, '8' || lpad(inwoner_id::text, 8, '0'), 'Sam', 'Sweep', date '2012-05-01',
                   'Dorpsstraat', (1 + i %% 300)::text, '2991AB', 'Barendrecht', ({gem})[1 + i %% {len(gemeenten)}],
                   %(merk)s || '-' || i || '@{DOMEIN}', 'email', now(), 'O'
            FROM _sb""", {"merk": merk})
        cur.execute("""
            INSERT INTO zaak (id, identificatie, zaaktype, gemeente_id, inwoner_id, team_id, behandelaar_id, status,
                              omschrijving, startdatum, afgesloten, aangemaakt, versie)
            SELECT zaak_id, %(merk)s || '-' || i, 'jeugd', i.gemeente_id, inwoner_id, %(team)s, %(beh)s,
                   'verslag_ter_reactie', 'Sweepbench ' || %(merk)s, current_date - 20, false, now(), 1
            FROM _sb JOIN inwoner i ON i.id = _sb.inwoner_id""", {"merk": merk, "team": team, "beh": behandelaar})
        cur.execute("""
            INSERT INTO termijn (zaak_id, soort, bron, startdatum, einddatum, gewaarschuwd, bij_einde)
            SELECT zaak_id, %s, 'Reactie op het verslag', current_date - 9, current_date - 2, false,
                   'reactietermijn_verstreken' FROM _sb WHERE i <= %s""", (REACTIETERMIJN, termijnen))
        cur.execute("""
            INSERT INTO termijn (zaak_id, soort, bron, startdatum, einddatum, gewaarschuwd)
            SELECT zaak_id, %s, 'Jeugdwet, artikel 4:13 Awb', current_date - 53, current_date + 3, false
            FROM _sb WHERE i <= %s""", (BESLISTERMIJN, waarschuwingen))
        cur.execute("""
            INSERT INTO besluit (zaak_id, besluittype, onderbouwing, wettelijke_grondslag, status, toetsing_vereist,
                                 auteur_id, vastgesteld_op, verzenddatum, aangemaakt)
            SELECT zaak_id, 'toekenning', 'Onderbouwing.', 'Jeugdwet', 'verzonden', false, %s, now() - interval
                   '300 days', current_date - 300, now() - interval '300 days' FROM _sb WHERE i <= %s""",
                    (behandelaar, voorzieningen))
        cur.execute("""
            INSERT INTO voorziening (besluit_id, zaak_id, inwoner_id, product_id, volume, eenheid, frequentie,
                                     ingangsdatum, einddatum, leveringsvorm, status)
            SELECT b.id, b.zaak_id, _sb.inwoner_id, %s, 3, '04', '2', current_date - 300, current_date + 30, 'ZIN',
                   'geleverd' FROM besluit b JOIN _sb ON _sb.zaak_id = b.zaak_id""", (product,))
        cur.execute("""
            INSERT INTO mail_bericht (aan, onderwerp, tekst, status, pogingen, volgende_poging, aangemaakt)
            SELECT %(merk)s || '-mail-' || i || '@' || %(domein)s, 'Sweepbench ' || %(merk)s || ' ' || i,
                   'Een bericht uit de outbox.', 'klaar', 0, now(), now() FROM generate_series(1, %(n)s) AS i""",
                    {"merk": merk, "domein": DOMEIN, "n": mails})
        cur.execute("""
            INSERT INTO bericht (richting, standaard, code, bericht_identificatie, afzender, ontvanger, xml, sha256,
                                 status, pogingen, volgende_poging, gemeente_id, aangemaakt)
            SELECT 'uit', 'ijw', '301', %(merk)s || lpad(i::text, 8, '0'), g.code, '98001234',
                   convert_to('<bericht>' || i || '</bericht>', 'UTF8'), repeat('0', 64), 'klaar', 0, now(), g.id, now()
            FROM generate_series(1, %(n)s) AS i JOIN gemeente g ON g.id = (%(gem)s)[1 + i %% %(ng)s]""".replace(
            "%(gem)s", gem), {"merk": merk, "n": berichten, "ng": len(gemeenten)})
        cur.execute("ANALYZE")


@dataclass
class Regel:
    wat: str
    verwacht: int
    eenmaal: int
    dubbel: int
    gemist: int

    @property
    def goed(self) -> bool:
        return self.eenmaal == self.verwacht and not self.dubbel and not self.gemist


def _regel(cur, wat: str, per_item_sql: str, params: dict) -> Regel:
    """`per_item_sql` gives one row per expected item: (n handled, n distinct): once means n = 1 (or, for an item
    that goes to several people, n = distinct > 0), twice means n > distinct or n > 1 for a single one."""
    rijen = cur.execute(per_item_sql, params).fetchall()
    eenmaal = sum(1 for n, d in rijen if n > 0 and n == d)
    return Regel(wat, len(rijen), eenmaal, sum(1 for n, d in rijen if n > d), sum(1 for n, _ in rijen if n == 0))


def _bestanden(mappen: list[Path], patroon: str, sleutel: re.Pattern, kop: int = 4096) -> Counter:
    telling: Counter = Counter()
    for m in mappen:
        for pad in m.glob(patroon):
            gevonden = sleutel.search(pad.name) or sleutel.search(pad.read_bytes()[:kop].decode("utf-8", "replace"))
            if gevonden:
                telling[gevonden.group(1)] += 1
    return telling


def tel(url: str, merk: str, instanties: list[Path]) -> list[Regel]:
    """Count what happened to everything `bereid_voor(url, merk, …)` prepared; `instanties`: the scheduler processes'
    KEUKENTAFEL_INSTANCE folders (their mail/ and berichten/uit/)."""
    p = {"merk": merk, "zaak": f"Sweepbench {merk}", "mail": f"Sweepbench {merk} %", "adres": f"{merk}-%@{DOMEIN}"}
    zaken = "SELECT z.id, z.inwoner_id FROM zaak z WHERE z.omschrijving = %(zaak)s"
    with _verbind(url) as conn:
        cur = conn.cursor()
        regels = [
            _regel(cur, "Termijn verstreken: overgang", f"""
                SELECT count(h.id), least(count(h.id), 1) FROM ({zaken}) z JOIN termijn t ON t.zaak_id = z.id
                AND t.soort = '{REACTIETERMIJN}' LEFT JOIN status_historie h ON h.zaak_id = z.id
                AND h.overgang = 'reactietermijn_verstreken' GROUP BY z.id""", p),
            _regel(cur, "  notificatie voor de inwoner", f"""
                SELECT count(n.id), least(count(n.id), 1) FROM ({zaken}) z JOIN termijn t ON t.zaak_id = z.id
                AND t.soort = '{REACTIETERMIJN}' LEFT JOIN notificatie n ON n.zaak_id = z.id
                AND n.inwoner_id = z.inwoner_id AND n.onderwerp = 'Vul het aanvraagformulier in' GROUP BY z.id""", p),
            _regel(cur, "Termijn loopt af: waarschuwing", f"""
                SELECT count(n.id), count(DISTINCT n.medewerker_id) FROM ({zaken}) z JOIN termijn t
                ON t.zaak_id = z.id AND t.soort = '{BESLISTERMIJN}' LEFT JOIN notificatie n ON n.zaak_id = z.id
                AND n.onderwerp LIKE 'Termijn loopt bijna af%%' GROUP BY z.id""", p),
            _regel(cur, "Einde voorziening: herinnering", f"""
                SELECT count(n.id), least(count(n.id), 1) FROM ({zaken}) z JOIN voorziening v ON v.zaak_id = z.id
                LEFT JOIN notificatie n ON n.zaak_id = z.id AND n.inwoner_id = z.inwoner_id
                AND n.onderwerp = 'Uw ondersteuning stopt binnenkort' GROUP BY z.id""", p),
            _regel(cur, "Mail (outbox-rij)", """
                SELECT CASE WHEN status = 'klaar' THEN 0 ELSE pogingen END, 1 FROM mail_bericht
                WHERE aan LIKE %(adres)s""", p),
            _regel(cur, "iJw-bericht (outbox-rij)", """
                SELECT CASE WHEN status = 'klaar' THEN 0 ELSE pogingen END, 1 FROM bericht
                WHERE richting = 'uit' AND bericht_identificatie LIKE %(merk)s || '%%'""", p),
        ]
        mails = [str(r[0]) for r in cur.execute("SELECT id FROM mail_bericht WHERE aan LIKE %(adres)s", p)]
        eml = _bestanden([i / "mail" for i in instanties], "*.eml", re.compile(r"\.mail-(\d+)@"))  # the Message-ID, not an address
        regels.append(_uit_bestanden("Mail aangekomen (.eml)", mails, eml))
        idents = [r[0] for r in cur.execute(
            "SELECT bericht_identificatie FROM bericht WHERE richting = 'uit' AND bericht_identificatie LIKE %s",
            (merk + "%",))]
        xml = _bestanden([i / "berichten" / "uit" for i in instanties], "*.xml",
                         re.compile(rf"-({re.escape(merk)}\d+)\.xml$"))
        regels.append(_uit_bestanden("iJw-bericht aangekomen (uit/)", idents, xml))
        dubbele_stand = cur.execute("""SELECT count(*) - count(DISTINCT (datum, team_id, gemeente_id))
                                       FROM termijn_stand""").fetchone()[0]
        regels.append(Regel("Termijnstand per dag (uniek)", 1, int(dubbele_stand == 0), dubbele_stand, 0))
    return regels


def _uit_bestanden(wat: str, sleutels: list[str], aangekomen: Counter) -> Regel:
    n = [aangekomen.get(s, 0) for s in sleutels]
    return Regel(wat, len(n), sum(1 for x in n if x == 1), sum(1 for x in n if x > 1), sum(1 for x in n if x == 0))


def tabel(regels: list[Regel]) -> str:
    kop = f"{'':34} {'verwacht':>9} {'eenmaal':>9} {'dubbel':>7} {'gemist':>7}"
    return "\n".join([kop] + [f"{r.wat:34} {r.verwacht:>9} {r.eenmaal:>9} {r.dubbel:>7} {r.gemist:>7}"
                              for r in regels])
