"""Test sites as sources of labelled pages: each is served on loopback and says which of
its URLs are articles and which are listings.

A source is a context manager that, once entered, has ``page_types()`` returning
``(url, "article" | "listing")`` pairs; its pages are fetched over HTTP like a crawler
would. ``tests.unseen_site.UnseenSite`` has that interface already; the demo site and the
hostile site get a small adapter each. Plugging in another site is one entry in
``SITE_SOURCES``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol
from urllib.parse import urlsplit

from tests.demo_site.server import DemoSite
from tests.hostile_site import ARTICLES, CALENDAR_START, HostileSite
from tests.page_types.model import ARTICLE, LISTING, TypedPage
from tests.unseen_site.server import UnseenSite


class LabelledSite(Protocol):
    """A running test site that labels its own pages."""

    def page_types(self) -> list[tuple[str, str]]: ...


@contextmanager
def demo_site() -> Iterator[LabelledSite]:
    """The demo site: its articles, and its home, section, tag, author, archive and static
    pages, from its own manifest."""
    with DemoSite(host="127.0.0.5", port=0) as site:
        manifest = site.manifest()

        class Labels:
            def page_types(self) -> list[tuple[str, str]]:
                pairs = [(a["url"], ARTICLE) for a in manifest["articles"]]
                return pairs + [(site.site.url(p), LISTING) for p in manifest["non_article_paths"]]

        yield Labels()


# The hostile site's pages that are HTML and answer at once; none of its other routes is a
# page anyone would classify (bombs, redirects, downloads, silent servers).
_HOSTILE_NON_ARTICLES = (
    "/",
    "/many/",
    "/many/item-1",
    f"/trap/calendar/{CALENDAR_START.replace('-', '/')}/",
    "/trap/grow?f1=1&f2=2&f3=3&f4=4",
    "/trap/s/8f14e45fceea167a/page",
    "/trap/loop/a/b/",
    "/odd/nested",
    "/odd/scripts-only",
    "/odd/broken",
    "/odd/missing",
)


@contextmanager
def hostile_site() -> Iterator[LabelledSite]:
    """The hostile site: its articles in every charset, and its pages that are not."""
    with HostileSite(host="127.0.0.7", port=0) as site:

        class Labels:
            def page_types(self) -> list[tuple[str, str]]:
                pairs = [(site.url(a.path), ARTICLE) for a in ARTICLES]
                return pairs + [(site.url(p), LISTING) for p in _HOSTILE_NON_ARTICLES]

        yield Labels()


# name -> a context manager giving a running, self-labelling site.
SITE_SOURCES: dict[str, Callable[[], AbstractContextManager[LabelledSite]]] = {
    "demo": demo_site,
    "hostile": hostile_site,
    # the second test site, built unlike the demo (four publishers, 417 labelled pages)
    "unseen": lambda: UnseenSite(port=0),
}


def _fetch(url: str) -> bytes:
    """The page body; one retry on a server error (the demo site has a deliberately flaky
    article), and the body of an error page is what a crawler would see."""
    for attempt in range(2):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if attempt or error.code < 500:
                return error.read()
    return b""


def site_pages(name: str, site: LabelledSite) -> list[TypedPage]:
    """Every labelled page of a running site, fetched over loopback."""
    pages = []
    for url, label in site.page_types():
        parts = urlsplit(url)
        page_id = parts.path + (f"?{parts.query}" if parts.query else "")
        pages.append(TypedPage(name, page_id, url, _fetch(url), label))
    return pages
