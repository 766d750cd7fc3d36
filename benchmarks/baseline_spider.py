"""Baseline for the frontier benchmark: a plain scrapy-redis + trafilatura news spider.

What a team would write first with the usual tools: scrapy-redis's scheduler, priority
queue and dupefilter (its defaults: pickle, SHA1 set), start URLs from a Redis list,
in-domain link following, trafilatura on every HTML page, and a SQLite pipeline. Its only
change from the textbook is an ``async def start()`` that reads the start-URL list at once
(Scrapy >= 2.16 never calls ``start_requests``, so without it seeds wait for the first
5-second idle tick, which would measure Scrapy's heartbeat rather than throughput).
Run by benchmarks/frontier_throughput.py with ``scrapy runspider`` outside the project.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from scrapy.linkextractors import LinkExtractor
from scrapy_redis.spiders import RedisSpider


class BaselineSpider(RedisSpider):
    name = "baseline"

    async def start(self):  # noqa: ANN201
        for request in self.next_requests():
            yield request

    def parse(self, response: Any) -> Any:
        host = urlsplit(response.url).hostname
        if b"html" not in response.headers.get(b"Content-Type", b""):
            return
        text = trafilatura.extract(response.text, url=response.url, include_comments=False)
        if text and len(text) >= 250:
            yield {"url": response.url, "text": text}
        # (LinkExtractor's allow_domains compares host:port with the domain, so it would
        # reject every link of a site on a non-default port: filter by host name instead.)
        for link in LinkExtractor().extract_links(response):
            if urlsplit(link.url).hostname == host:
                yield response.follow(link.url, callback=self.parse)


class SqlitePipeline:
    """INSERT OR REPLACE by URL, one connection per worker."""

    def open_spider(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, text TEXT)")

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqlitePipeline:
        pipeline = cls()
        pipeline.path = crawler.settings.get("BASELINE_DB")
        return pipeline

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?)", (item["url"], item["text"])
        )
        self.db.commit()
        return item

    def close_spider(self) -> None:
        self.db.close()
