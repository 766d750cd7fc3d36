"""Deduplication across URLs: one article reachable under two URLs is stored once.

Canonicalization and rel=canonical already collapse tracking, print and AMP variants before
fetching; this catches what they cannot see, such as a syndicated copy under another path
without a canonical link: an item whose body is identical (whitespace and case aside) to an
article already stored under another URL is dropped, naming that URL. A re-fetch of the same
URL is not a duplicate: storage updates it in place. The lookup runs in a thread; while the
database is away the check is skipped, so that the article still reaches the spool.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet.threads import deferToThread

from crawler.storage import create_db_engine, stored_url_with_text, text_hash

logger = logging.getLogger(__name__)


class DedupePipeline:
    """Drop an article whose body is already stored under another URL."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.engine = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(database_url=crawler.settings.get("NEWS_DATABASE_URL"))

    def open_spider(self) -> None:
        self.engine = create_db_engine(self.database_url)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        try:
            other = await maybe_deferred_to_future(
                deferToThread(
                    stored_url_with_text, self.engine, text_hash(adapter["text"]), adapter["url"]
                )
            )
        except SQLAlchemyError as exc:
            # The database is away: storing (and spooling) the article is what matters; a
            # duplicate body under a second URL is the lesser harm.
            logger.debug("Dedupe check skipped for %s: %s", adapter["url"], exc)
            return item
        if other:
            raise DropItem(f"same body as the stored {other}: {adapter['url']}")
        return item
