"""Site declarations and the one registry of them: Scrapy's spider loader.

A declared site is a small file in ``spiders/``: a ``NewsSpider`` subclass whose ``site``
attribute is a ``Site`` (name, domains, entry points, article URL patterns, politeness,
extraction overrides, re-seeding interval). Scrapy's spider loader finds them, so
``scrapy list``, ``newscrawl sites list``, the per-site tests and the coverage table all
read the same list. A URL that no declaration claims becomes an ad-hoc ``Site`` named
after its host, crawled by the generic rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.extraction import Overrides
from crawler.urls import canonical_url, host_of

# Where sites without a declaration usually publish feeds and sitemaps. Sources: the
# defaults of WordPress (/feed/), Drupal (/rss.xml), Ghost and Hugo (/rss/, /index.xml),
# Blogger/Atom (/atom.xml), and the sitemap names of the major SEO plugins.
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/rss/", "/atom.xml", "/index.xml", "/feeds/all.xml")
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")

# Declared names are short words; ad-hoc sites are named after host[:port], IPv6 included.
_NAME = re.compile(r"^[a-z0-9\[][a-z0-9_.:\[\]-]*$")


class UnknownSite(LookupError):
    """A target that is neither a declared site's name nor a URL; one-line message."""


@dataclass(frozen=True)
class EntryPoint:
    """A URL a site is seeded from, and what kind of page it is."""

    url: str
    kind: str  # "home", "section", "feed", "sitemap", "robots"


@dataclass(frozen=True)
class Site:
    """Everything newscrawl needs to know about one news site."""

    name: str
    home: str
    allowed_domains: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    # Regular expressions on the canonical URL: when given, only matching URLs can be
    # articles (allow) and matching URLs never are (deny).
    article_allow: tuple[str, ...] = ()
    article_deny: tuple[str, ...] = ()
    # Per-site politeness; None means the crawl-wide DOWNLOAD_DELAY and
    # CONCURRENT_REQUESTS_PER_DOMAIN. robots.txt Crawl-delay can only make it slower.
    delay: float | None = None
    concurrency: int | None = None
    overrides: Overrides = field(default_factory=Overrides)
    # How often `newscrawl schedule` re-seeds the site.
    every_minutes: float = 60.0
    # Probe the usual feed and sitemap locations besides the declared ones.
    discover: bool = True
    declared: bool = True

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"site name {self.name!r}: use lower-case letters, digits, - _ . :")
        canonical_url(self.home)  # raises InvalidUrl for a bad home URL
        if not self.allowed_domains:
            object.__setattr__(self, "allowed_domains", (urlsplit(self.home).hostname or "",))

    @classmethod
    def adhoc(cls, home: str) -> Site:
        """A site reached by URL only: named after its host, generic rules throughout."""
        home = canonical_url(home)
        return cls(name=host_of(home), home=home, declared=False)

    @cached_property
    def _allow(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.article_allow]

    @cached_property
    def _deny(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.article_deny]

    def allows_article_url(self, url: str) -> bool | None:
        """False if the URL is denied, True if allowed by a pattern, None if undeclared."""
        if any(p.search(url) for p in self._deny):
            return False
        if self._allow:
            return any(p.search(url) for p in self._allow)
        return None

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's domains (or their subdomains)."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        for domain in self.allowed_domains:
            domain = domain.lower().lstrip(".")
            if host == domain or host.endswith("." + domain):
                return True
        return False

    def entry_points(self) -> list[EntryPoint]:
        """Home, sections, feeds, sitemaps and robots.txt (for its Sitemap lines)."""
        points = [EntryPoint(self.home, "home")]
        points += [EntryPoint(urljoin(self.home, s), "section") for s in self.sections]
        feeds = list(self.feeds)
        sitemaps = list(self.sitemaps)
        if self.discover:
            feeds += [p for p in COMMON_FEED_PATHS if p not in feeds]
            sitemaps += [p for p in COMMON_SITEMAP_PATHS if p not in sitemaps]
        points += [EntryPoint(urljoin(self.home, f), "feed") for f in feeds]
        points += [EntryPoint(urljoin(self.home, s), "sitemap") for s in sitemaps]
        points.append(EntryPoint(urljoin(self.home, "/robots.txt"), "robots"))
        seen: set[str] = set()
        unique = []
        for point in points:
            url = canonical_url(point.url)
            if url not in seen:
                seen.add(url)
                unique.append(EntryPoint(url, point.kind))
        return unique

    def hosts(self) -> list[str]:
        """The politeness keys of the site's entry points."""
        return sorted({host_of(p.url) for p in self.entry_points()})


def declared_sites(settings: BaseSettings) -> dict[str, Site]:
    """Every site declared in the spider modules, by name (the spider loader is the registry)."""
    loader = SpiderLoader.from_settings(settings)
    sites: dict[str, Site] = {}
    for name in loader.list():
        site = getattr(loader.load(name), "site", None)
        if isinstance(site, Site):
            sites[site.name] = site
    return sites


def resolve_targets(targets: Iterable[str], settings: BaseSettings) -> list[Site]:
    """Sites for command-line targets: declared names or home-page URLs."""
    declared = declared_sites(settings)
    sites = []
    for target in targets:
        if target in declared:
            sites.append(declared[target])
            continue
        if "://" not in target:
            names = ", ".join(sorted(declared)) or "none"
            raise UnknownSite(f"unknown site {target!r} (declared sites: {names}; or give a URL)")
        try:
            url = canonical_url(target)
            owner = next((s for s in declared.values() if s.owns(url)), None)
            if owner is None:
                sites.append(Site.adhoc(url))
            else:
                # A page of a declared site (a section, say): that site's rules, from there.
                sites.append(
                    owner if url == canonical_url(owner.home) else replace(owner, home=url)
                )
        except ValueError as exc:  # InvalidUrl, or a host no site name can be made of
            raise UnknownSite(str(exc)) from None
    return sites


def site_for(name: str, declared: dict[str, Site]) -> Site:
    """The site a request belongs to: its declaration, or the ad-hoc site of that host."""
    if name in declared:
        return declared[name]
    return Site.adhoc(f"http://{name}/")
