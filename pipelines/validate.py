"""Validation: only complete articles go on to storage.

An item without a URL, a title or a body of at least ``NEWS_MIN_BODY_CHARS`` characters is
dropped with its reason logged (Scrapy logs every ``DropItem``). Dates that are not ISO 8601
with an offset are cleared rather than stored wrong, with a warning.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)


def _aware_iso(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


class ValidatePipeline:
    """Drop incomplete articles; clear malformed dates."""

    def __init__(self, min_body_chars: int) -> None:
        self.min_body_chars = min_body_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(min_body_chars=crawler.settings.getint("NEWS_MIN_BODY_CHARS"))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if not url:
            raise DropItem("article without a URL")
        if not (adapter.get("title") or "").strip():
            raise DropItem(f"no title: {url}")
        body = adapter.get("text") or ""
        if len(body) < self.min_body_chars:
            raise DropItem(
                f"body of {len(body)} characters, under NEWS_MIN_BODY_CHARS={self.min_body_chars}: {url}"
            )
        for name in ("published", "modified"):
            value = adapter.get(name)
            if value is not None and not _aware_iso(value):
                logger.warning(
                    "Clearing %s=%r of %s: not ISO 8601 with an offset", name, value, url
                )
                adapter[name] = None
        return item
