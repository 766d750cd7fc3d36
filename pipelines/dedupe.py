"""Deduplication across URLs: one article reachable under two URLs is stored once.

Canonicalization and rel=canonical already collapse tracking, print and AMP variants before
fetching; this catches what they cannot see, such as a syndicated copy under another path
without a canonical link: an item whose body is identical (whitespace and case aside) to an
article already stored under another URL is dropped, naming that URL. A re-fetch of the same
URL is not a duplicate: storage updates it in place.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.storage import create_db_engine, stored_url_with_text, text_hash


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

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        other = stored_url_with_text(self.engine, text_hash(adapter["text"]), adapter["url"])
        if other:
            raise DropItem(f"same body as the stored {other}: {adapter['url']}")
        return item
