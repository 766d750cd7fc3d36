"""A declared site with hooks, for tests: the demo news site on 127.0.0.31:8471.

``fix_article`` corrects one field (the title gets the section name the page shows in its
breadcrumb, as a site file would fix a headline the generic path reads wrong), and
``extra_links`` adds a URL no page links to, the way a site file adds what only a script
would load. tests/test_site_hooks.py runs it in real worker processes.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.items import Article
from crawler.sites import Site, SitePage
from spiders.news import NewsSpider

HOOKED_HOME = "http://127.0.0.31:8471/"
# A page of the demo site that no page links to.
UNLINKED_PATH = "/world/?edition=hooked"
TITLE_MARK = " [hooked]"


def mark_title(article: Article, page: SitePage) -> Article:
    article.title = article.title + TITLE_MARK
    return article


def unlinked_page(page: SitePage) -> Iterable[str]:
    return [UNLINKED_PATH] if page.url == HOOKED_HOME else []


class HookedSpider(NewsSpider):
    name = "hooked"
    site = Site(
        name="hooked",
        home=HOOKED_HOME,
        sections=("/world/",),
        discover=False,
        delay=0.0,
        concurrency=3,
        fix_article=mark_title,
        extra_links=unlinked_page,
    )
