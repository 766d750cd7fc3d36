"""Storage: store each article into SQLite or PostgreSQL, keyed by canonical URL, losing none.

Storing decides the article's row in one transaction (crawler/storing.py): a new row, an
update, or a variant of the same site's article with the same body (dropped from the item
flow with an INFO line, kept in the variants table); a page whose URL another site's row
holds is refused with a warning.

The schema is created at open by ``init_schema``, which serializes concurrent workers. An
article fetched again updates its row instead of adding one. Writes run in a thread, so a
slow or unreachable database never freezes the worker. When the database fails, the write
is retried with backoff; if it keeps failing the article goes to the worker's local spool
file (crawler/spool.py) before its page is acknowledged, and everything spooled is
replayed once the database answers again (checked every few seconds), including spool
files that stopped workers left on this machine. A worker in crawl mode does not finish
while it still holds spooled articles.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from crawler.identity import worker_id
from crawler.masking import mask_url
from crawler.spool import Spool
from crawler.storage import create_db_engine, init_schema
from crawler.storing import Stored, store_article

logger = logging.getLogger(__name__)

# Retries of one write before spooling: 0.5 + 1 + 2 s rides out a database restart or a
# failover without filling the spool; longer outages go to disk at once.
RETRY_DELAYS = (0.5, 1.0, 2.0)
# How often a worker with spooled articles tries the database again.
REPLAY_SECONDS = 5.0


async def _sleep(seconds: float) -> None:
    deferred: Deferred[None] = Deferred()
    call_later(seconds, deferred.callback, None)
    await maybe_deferred_to_future(deferred)


def _outcome(item: Any, stored: Stored) -> Any:
    """The item for the rest of the crawl, or DropItem when it did not become a new row."""
    if stored.outcome == "variant":
        # Kept as a variant of the stored article, counted as a drop, not as an article.
        raise DropItem(f"variant of {stored.url}: {ItemAdapter(item)['url']}", log_level="INFO")
    if stored.outcome == "renamed":
        # The article was stored already (from a copy): not a new one, now at its own URL.
        raise DropItem(f"stored under its own URL {stored.url}, {stored.reason}", log_level="INFO")
    if stored.outcome == "refused":
        raise DropItem(stored.reason)
    ItemAdapter(item)["duplicate_of"] = stored.duplicate_of
    return item


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class StorePipeline:
    """Upsert articles into the configured database; spool them while it is away."""

    def __init__(self, database_url: str, spool_folder: Path, worker: str) -> None:
        self.database_url = database_url
        self.spool = Spool(spool_folder, worker)
        self.engine = None
        self.database_down_since: float | None = None
        self._replayer = None
        self._replaying = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        pipeline = cls(
            database_url=settings.get("NEWS_DATABASE_URL"),
            spool_folder=Path(settings.get("NEWS_DATA_DIR")) / "spool",
            worker=worker_id(),
        )
        crawler.signals.connect(pipeline._keep_open_while_spooled, signal=signals.spider_idle)
        return pipeline

    # --- lifecycle -----------------------------------------------------------------------------
    def open_spider(self) -> None:
        self.engine = create_db_engine(self.database_url)
        init_schema(self.engine)
        for orphan in self.spool.claim_orphans():
            try:
                stored = Spool.replay_file(orphan, self._store_record)
                logger.info("Stored %d articles a stopped worker had spooled (%s)", stored, orphan)
            except SQLAlchemyError as exc:
                # Adopt them: this worker's spool is replayed as soon as the database is back.
                adopted = self.spool.adopt(orphan)
                self.database_down_since = self.database_down_since or time.monotonic()
                logger.warning("Database unreachable (%s); %d spooled articles of a stopped "
                               "worker adopted", _reason(exc), adopted)  # fmt: skip
        self._replayer = create_looping_call(self._replay_tick)
        self._replayer.start(REPLAY_SECONDS, now=False)

    async def close_spider(self) -> None:
        if self._replayer is not None and self._replayer.running:
            self._replayer.stop()
        while self._replaying:  # a replay of the tick is still running: let it finish
            await _sleep(0.1)
        if self.spool.pending():
            await self._replay()
        if self.spool.pending():
            logger.error(
                "Articles remain spooled in %s: the database at %s is still unreachable; "
                "the next worker started on this machine stores them",
                self.spool.folder,
                mask_url(self.database_url),
            )
        if self.engine is not None:
            self.engine.dispose()

    # --- writing -------------------------------------------------------------------------------
    async def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item).asdict()
        if self.database_down_since is None:
            for delay in (*RETRY_DELAYS, None):
                try:
                    stored = await maybe_deferred_to_future(
                        deferToThread(self._store_record, record)
                    )
                except SQLAlchemyError as exc:
                    if self.database_down_since is None:
                        self.database_down_since = time.monotonic()
                        logger.error(
                            "Database at %s failed (%s); retrying, then keeping articles in %s",
                            mask_url(self.database_url),
                            _reason(exc),
                            self.spool.path,
                        )
                    if delay is None:
                        break
                    await _sleep(delay)
                    if self.database_down_since is not None and self.spool.pending():
                        break  # the outage is known and others are spooling: join them
                else:
                    return _outcome(item, stored)
        self.spool.append(record)
        return item

    def _store_record(self, record: dict[str, Any]) -> Stored:
        stored = store_article(self.engine, record)
        if stored.outcome == "refused":
            logger.warning("Not stored: %s (page %s)", stored.reason, record.get("url"))
        return stored

    # --- replay --------------------------------------------------------------------------------
    def _replay_tick(self) -> None:
        if self.spool.pending() and not self._replaying:
            deferred = deferred_from_coro(self._replay())
            deferred.addErrback(lambda f: logger.error("Spool replay failed: %s", f.value))

    async def _replay(self) -> None:
        replaying = self.spool.start_replay()
        if replaying is None:
            return
        self._replaying = True
        try:
            stored = await maybe_deferred_to_future(
                deferToThread(self.spool.finish_replay, replaying, self._store_record)
            )
        except SQLAlchemyError as exc:
            logger.debug("Database still unreachable: %s", _reason(exc))
            return
        finally:
            self._replaying = False
        if self.database_down_since is not None:
            logger.warning(
                "Database is back after %.0f s; storing the spooled articles",
                time.monotonic() - self.database_down_since,
            )
            self.database_down_since = None
        logger.info("Stored %d spooled articles", stored)

    def _keep_open_while_spooled(self) -> None:
        """A worker about to finish (crawl mode) waits until its spool is stored."""
        if self.spool.pending():
            raise DontCloseSpider
