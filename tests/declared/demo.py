"""The declaration of the demo news site (tests/demo_site), served on 127.0.0.2:8461.

A declared site in its smallest form: where it lives, where its articles are announced,
what its article URLs look like, and how politely to treat it. It lives with the demo, not
in spiders/ (the registry every production crawl and worker loads): ``make demo`` and the
tests add it with ``-s SPIDER_MODULES='["spiders", "tests.declared.demo"]'``.
"""

from crawler.sites import Site
from spiders.news import NewsSpider

DEMO_HOME = "http://127.0.0.2:8461/"


class DemoSpider(NewsSpider):
    name = "demo"
    site = Site(
        name="demo",
        home=DEMO_HOME,
        sections=("/world/", "/politics/", "/business/", "/technology/", "/sport/"),
        feeds=("/feeds/all.xml",),
        sitemaps=("/sitemap.xml",),
        # /<section>/<yyyy>/<mm>/<dd>/<slug>: everything else is a listing or a variant.
        article_allow=(r"^http://[^/]+/[a-z]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+$",),
        # Our own loopback server: no need to wait between requests.
        delay=0.0,
        concurrency=4,
        every_minutes=15,
        discover=False,
    )
