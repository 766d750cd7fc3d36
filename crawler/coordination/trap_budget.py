"""The trap budget's worker side: what each link and each finished page tell the frontier.

A host's URL template (crawler/urls.py ``url_template``: the path and query shape with
numbers, dates, ids and slugs abstracted) that keeps being fetched without leading to a
new article is a trap: a calendar with no end, sorted and faceted listings, search results,
session ids in links, pagination past the end. The frontier's sync script counts, per host
and template, the fetches in a row that gave no new article, and cuts the template after
``NEWS_TEMPLATE_BUDGET`` of them (docs/crawling.md); a template with a query also counts
for its family, the same path with any query (``/{w}/?*``), so that the sorted, filtered
and paged variants of one listing share a budget too. A page gives a new article when it is
stored as one, or when a link on it is an article candidate nobody had found yet; a stored
article also credits the template of the page that linked to it. Entry points are never
cut, and seeding a site starts a new round.

``TrapBudgetMiddleware`` stamps every link with the page it was found on and marks a page
whose article was stored; the leased queue sends both with its pushes and
acknowledgements (``budget_fields``, ``outcome_fields``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawler.urls import host_of, url_template

LEASE_META = "_lease"
# Where a link was found: [lease id of that page, its host, its URL template].
VIA_META = "_via"
# Set on a page's request once its article was stored as a new one.
STORED_META = "_stored"


def budget_fields(request: Request) -> dict[str, Any]:
    """The trap-budget fields of a push entry: the link's template and who found it."""
    fields: dict[str, Any] = {"tpl": url_template(request.url)}
    via = request.meta.get(VIA_META)
    if via:
        fields["via"] = via[0]
        fields["art"] = (request.meta.get("news") or {}).get("kind") == "article"
    return fields


def outcome_fields(request: Request) -> dict[str, Any]:
    """The trap-budget fields of an acknowledgement: the page's template, whether it stored
    a new article, and the page that linked to it (credited when it did)."""
    fields: dict[str, Any] = {"tpl": url_template(request.url)}
    if request.meta.get(STORED_META):
        fields["new"] = True
        via = request.meta.get(VIA_META)
        if via:
            fields["via_host"], fields["via_tpl"] = via[1], via[2]
    return fields


class TrapBudgetMiddleware:
    """Spider middleware: stamps links with their page, marks pages that stored an article."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapBudgetMiddleware:
        middleware = cls()
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        return middleware

    def item_scraped(self, item: Any, response: Response | None) -> None:
        # Sent once the item passed every pipeline: stored as a new row or an update (a
        # variant or a refusal is dropped, and gives no such signal).
        if response is not None and response.request is not None:
            response.request.meta[STORED_META] = True

    def _stamp(self, response: Response, output: Any) -> Any:
        if isinstance(output, Request):
            lease = response.meta.get(LEASE_META)
            if lease:
                output.meta[VIA_META] = [
                    lease[0],
                    host_of(response.url),
                    url_template(response.url),
                ]
        return output

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            yield self._stamp(response, output)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            yield self._stamp(response, output)
