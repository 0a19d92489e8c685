"""Making a briefcampagne's letters in the background, on every core.

Rendering a letter is almost all WeasyPrint (a quarter of a second of CPU); building its HTML and storing it are a
few milliseconds. So this process (the parent) builds the HTML of a batch from the database, a process pool turns
it into PDFs (`Diensten.html_naar_pdf`, one worker per core), and the parent stores the batch in one transaction:
the documents, the notifications, the protocol, one `Campagnebrief` per voorziening and the campaign's counters.
While the pool renders a batch, the parent builds the next one, so the workers never wait for the database.

Idempotent: a batch that is not committed leaves no trace, and the next run starts after the last committed one
(`nog_te_maken` skips every voorziening with a Campagnebrief of this campaign). A batch stored twice (two workers
that both think they own the campaign) fails on the unique key instead of sending a second letter.
"""
from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from .actor import Actor
from .briefcampagne import AFGEROND, BEZIG, GEPLAND, nog_te_maken, soort_van
from .documenten import Brief, bewaar_document, brief_context
from .effects import MeldInwoner
from .models import Briefcampagne, Campagnebrief, Medewerker, Voorziening, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .teksten import aantal
from .tijd import datum_van
from .workflow import Context, Diensten, handeling_context

log = logging.getLogger(__name__)

BATCH = 50
# A campaign "bezig" whose heartbeat (written with every batch, a few seconds apart) is older than this was cut off:
# its process died. The next worker resumes it.
STIL_NA = dt.timedelta(minutes=10)


@dataclass
class _Brief:
    voorziening: Voorziening
    ctx: Context
    brief: Brief
    html: str


class _Direct:
    """The pool's interface without processes (workers=0): for the demo and tests that need no second core."""

    def __init__(self, functie: Callable[[str], bytes]):
        self.functie = functie

    def submit(self, functie, html: str) -> Future:
        toekomst: Future = Future()
        try:
            toekomst.set_result(functie(html))
        except Exception as exc:  # noqa: BLE001  (a letter that fails is recorded as mislukt, as from the pool)
            toekomst.set_exception(exc)
        return toekomst

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def actor_van(session: Session, medewerker_id: int) -> Actor:
    """The medewerker who started a campaign, as the actor its letters are made and protocolled by."""
    m = session.get(Medewerker, medewerker_id)
    return Actor(soort="medewerker", id=m.id, naam=m.naam, rollen=m.rollen,
                 gemeente_ids=frozenset(g.id for g in m.gemeenten), team_ids=frozenset(t.id for t in m.teams))


def claim_volgende(session: Session, *, nu: dt.datetime | None = None) -> Briefcampagne | None:
    """Take the oldest planned campaign, or one whose process died, and mark it bezig. Each candidate is taken
    with `claim`'s conditional UPDATE, so several workers (or a worker and the CLI) never take the same one."""
    nu = nu or utcnow()
    kandidaten = list(session.scalars(select(Briefcampagne.id).where(or_(
        Briefcampagne.status == GEPLAND,
        (Briefcampagne.status == BEZIG) & (Briefcampagne.bijgewerkt < nu - STIL_NA))).order_by(Briefcampagne.id)))
    session.rollback()
    for campagne_id in kandidaten:
        if (campagne := claim(session, campagne_id, nu=nu)) is not None:
            return campagne
    return None


def claim(session: Session, campagne_id: int, *, ook_bezig: bool = False,
          nu: dt.datetime | None = None) -> Briefcampagne | None:
    """Take this campaign if it is planned (or cut off; `ook_bezig`: bezig at all, for a restart by hand after a
    crash), in one conditional UPDATE so that a worker and the CLI cannot both take it. Commits."""
    nu = nu or utcnow()
    mag = Briefcampagne.status == GEPLAND
    if ook_bezig:
        mag = or_(mag, Briefcampagne.status == BEZIG)
    else:
        mag = or_(mag, (Briefcampagne.status == BEZIG) & (Briefcampagne.bijgewerkt < nu - STIL_NA))
    genomen = session.execute(update(Briefcampagne).where(Briefcampagne.id == campagne_id, mag)
                              .values(status=BEZIG, bijgewerkt=nu).execution_options(synchronize_session=False))
    session.commit()
    if genomen.rowcount != 1:
        return None
    campagne = session.get(Briefcampagne, campagne_id)
    session.refresh(campagne)
    if campagne.gestart is None:
        campagne.gestart = nu
        session.commit()
    return campagne


def _batches(session: Session, campagne: Briefcampagne, grootte: int) -> Iterator[list[Voorziening]]:
    """The voorzieningen still to write to, in batches by id. The cursor (`na`) skips the batches in flight, whose
    Campagnebrief rows are not committed yet."""
    na = 0
    while True:
        ids = list(session.scalars(nog_te_maken(session, campagne).where(Voorziening.id > na).limit(grootte)))
        if not ids:
            return
        na = ids[-1]
        rijen = {v.id: v for v in session.scalars(select(Voorziening).where(Voorziening.id.in_(ids)))}
        yield [rijen[i] for i in ids]


def _bouw(session: Session, campagne: Briefcampagne, actor: Actor, v: Voorziening, diensten: Diensten,
          nu: dt.datetime) -> _Brief:
    zaak = session.get(Zaak, v.zaak_id)
    ctx = handeling_context(session, actor, zaak, "briefcampagne", "Briefcampagne", diensten=diensten, nu=nu,
                            vandaag=datum_van(nu))
    brief = soort_van(campagne.soort).brief(ctx, v)
    return _Brief(v, ctx, brief, diensten.render_html("brief.html", brief_context(ctx, brief.inhoud(ctx))))


def _bewaar(session: Session, campagne: Briefcampagne, actor: Actor, item: _Brief, toekomst: Future) -> None:
    v, ctx = item.voorziening, item.ctx
    try:
        pdf = toekomst.result()
    except BrokenProcessPool:
        raise  # the pool itself died: a crash, not this letter's fault; the batch is not committed
    except Exception as exc:
        log.exception("Brief van campagne %s voor voorziening %s mislukt", campagne.id, v.id)
        session.add(Campagnebrief(campagne_id=campagne.id, voorziening_id=v.id, zaak_id=v.zaak_id, status="mislukt",
                                  fout=f"{type(exc).__name__}: {exc}"[:500], aangemaakt=ctx.nu))
        campagne.mislukt += 1
        return
    versie = bewaar_document(ctx, item.brief.documenttype, item.brief.titel, pdf, zichtbaar=True)
    onderwerp, tekst = soort_van(campagne.soort).melding(v)
    MeldInwoner("nieuwe_notificatie", onderwerp, tekst).toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="document", object_id=versie.id,
                 omschrijving=f"Brief van briefcampagne {campagne.id} ({campagne.soort}) bij zaak "
                              f"{ctx.zaak.identificatie}", doel="Briefcampagne", inwoner_id=ctx.zaak.inwoner_id)
    session.add(Campagnebrief(campagne_id=campagne.id, voorziening_id=v.id, zaak_id=v.zaak_id, status="klaar",
                              document_versie_id=versie.id, aangemaakt=ctx.nu))
    campagne.klaar += 1


def _pool(diensten: Diensten, workers: int | None):
    if workers == 0:
        return _Direct(diensten.html_naar_pdf)
    # spawn, not fork: the web process and the worker run threads (the scheduler, requests), and a forked child of a
    # threaded process can inherit a lock held by another thread. Each worker loads WeasyPrint once.
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1,
                               mp_context=multiprocessing.get_context("spawn"))


def voer_uit(session: Session, campagne: Briefcampagne, diensten: Diensten, *, workers: int | None = None,
             batch: int = BATCH, klok: Callable[[], dt.datetime] = utcnow,
             bij_batch: Callable[[Briefcampagne], None] | None = None) -> Briefcampagne:
    """Make the campaign's remaining letters and mark it afgerond. `workers`: processes in the pool (None: one per
    core; 0: render here, without a pool). Commits per batch; an exception leaves the campaign bezig, to resume."""
    if diensten.render_html is None or diensten.html_naar_pdf is None:
        raise RuntimeError("geen PDF-renderer ingesteld")
    actor = actor_van(session, campagne.aangemaakt_door_id)
    if campagne.status != BEZIG:
        campagne.status, campagne.gestart = BEZIG, campagne.gestart or klok()
    # The letters still to make may differ from the count at planning (a voorziening stopped since): the total
    # is what is done plus what is left, so the progress ends at 100 %.
    over = session.scalar(select(func.count()).select_from(nog_te_maken(session, campagne).subquery()))
    campagne.totaal = campagne.klaar + campagne.mislukt + over
    campagne.bijgewerkt = klok()
    session.commit()

    pool = _pool(diensten, workers)
    try:
        def verstuur(voorzieningen: list[Voorziening]) -> list[tuple[_Brief, Future]]:
            nu = klok()
            items = [_bouw(session, campagne, actor, v, diensten, nu) for v in voorzieningen]
            return [(item, pool.submit(diensten.html_naar_pdf, item.html)) for item in items]

        batches = _batches(session, campagne, batch)
        lopend = verstuur(next(batches, []))
        while lopend:
            volgende = verstuur(next(batches, []))  # the pool renders this one while we store the last
            for item, toekomst in lopend:
                _bewaar(session, campagne, actor, item, toekomst)
            campagne.bijgewerkt = klok()
            session.commit()
            if bij_batch:
                bij_batch(campagne)
            lopend = volgende
    except BaseException:
        session.rollback()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()

    campagne.status, campagne.afgerond = AFGEROND, klok()
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="briefcampagne", object_id=campagne.id,
                 omschrijving=f"Briefcampagne {campagne.soort} afgerond: {aantal(campagne.klaar, 'brief', 'brieven')}"
                              f", {campagne.mislukt} mislukt", doel="Briefcampagne")
    session.commit()
    return campagne


def verwerk_geplande(session: Session, diensten: Diensten, *, workers: int | None = None,
                     batch: int = BATCH) -> int:
    """The worker's job: every planned (or cut-off) campaign, one after the other. Returns how many it finished."""
    gedaan = 0
    while (campagne := claim_volgende(session)) is not None:
        voer_uit(session, campagne, diensten, workers=workers, batch=batch)
        log.info("Briefcampagne %s afgerond: %s brieven, %s mislukt", campagne.id, campagne.klaar, campagne.mislukt)
        gedaan += 1
    return gedaan
