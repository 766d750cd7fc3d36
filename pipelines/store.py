"""Storage: upsert each article into SQLite or PostgreSQL, keyed by canonical URL.

The schema is created at open by ``init_schema``, which serializes concurrent workers. An
article fetched again (a recrawl, or the same page processed twice after a worker died)
updates its row instead of adding one.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.storage import create_db_engine, init_schema, upsert


class StorePipeline:
    """Upsert articles into the configured database."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.engine = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(database_url=crawler.settings.get("NEWS_DATABASE_URL"))

    def open_spider(self) -> None:
        self.engine = create_db_engine(self.database_url)
        init_schema(self.engine)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: Any) -> Any:
        upsert(self.engine, item)
        return item
