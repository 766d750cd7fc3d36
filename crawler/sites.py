"""Site declarations, the one registry of them, and the one answer to "whose URL is this?".

A declared site is a small file in ``spiders/``: a ``NewsSpider`` subclass whose ``site``
attribute is a ``Site`` (name, origins, entry points, article URL patterns, politeness,
extraction overrides, re-seeding interval, and optional hooks for the few things the
generic path gets wrong on that site). Scrapy's spider loader finds them, so ``scrapy
list``, ``newscrawl sites list`` and every worker read the same list. A site file holds a
declaration and nothing else: its spider class's own methods and ``custom_settings`` would
run only under ``scrapy crawl``, never in a shared worker, so a site file that has them is
refused (``SiteRegistry.load`` logs one line naming the file).

Which site a URL belongs to is decided by ``SiteRegistry.for_url`` alone: the declared
site whose origins (scheme, host, port) include it, else an ad-hoc site named after the
URL's registrable domain (and its port, when not the scheme's default), crawled by the
generic rules.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList
from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.extraction import Overrides
from crawler.items import Article
from crawler.ticks import Schedule
from crawler.urls import (
    InvalidUrl,
    canonical_url,
    host_of,
    is_ip_address,
    origin_of,
    registrable_domain,
)

logger = logging.getLogger(__name__)

# Where sites without a declaration usually publish feeds and sitemaps. Sources: the
# defaults of WordPress (/feed/), Drupal (/rss.xml), Ghost and Hugo (/rss/, /index.xml),
# Blogger/Atom (/atom.xml), and the sitemap names of the major SEO plugins.
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/rss/", "/atom.xml", "/index.xml", "/feeds/all.xml")
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")

# Declared names are short words; ad-hoc sites are named after domain[:port], IPv6 included.
_NAME = re.compile(r"^[a-z0-9\[][a-z0-9_.:\[\]-]*$")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What a site file's spider class may define besides Python's own attributes.
_DECLARATION_ATTRIBUTES = frozenset({"name", "site"})


class UnknownSite(LookupError):
    """A target that is neither a declared site's name nor a URL; one-line message."""


@dataclass(frozen=True)
class EntryPoint:
    """A URL a site is seeded from, and what kind of page it is."""

    url: str
    kind: str  # "home", "section", "feed", "sitemap", "robots"


class SitePage:
    """What a site's hooks see of one page: its URL, its HTML, and selectors over it."""

    def __init__(self, url: str, html: str) -> None:
        self.url = url
        self.html = html

    @cached_property
    def selector(self) -> Selector:
        return Selector(text=self.html or "<html></html>")

    def css(self, query: str) -> SelectorList[Selector]:
        return self.selector.css(query)

    def xpath(self, query: str) -> SelectorList[Selector]:
        return self.selector.xpath(query)


# fix_article(article, page): the article with a field or two corrected, or None to refuse
# the page as an article. extra_links(page): more URLs to follow from the page.
FixArticle = Callable[[Article, SitePage], Article | None]
ExtraLinks = Callable[[SitePage], Iterable[str]]


@dataclass(frozen=True)
class Origin:
    """A scheme, a host (``*.`` for its subdomains too) and a port a site's URLs live on."""

    scheme: str
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Origin:
        """``scheme://host[:port]``, the host possibly ``*.example.com`` (ValueError if not)."""
        wildcard = "://*." in text
        parts = urlsplit(text.replace("://*.", "://", 1))
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"origin {text!r}: expected scheme://host[:port]")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"origin {text!r}: an origin has no path or query")
        host = parts.hostname.rstrip(".")
        return cls(scheme, ("*." if wildcard else "") + host, parts.port or _DEFAULT_PORTS[scheme])

    def includes(self, scheme: str, host: str, port: int) -> bool:
        if scheme != self.scheme or port != self.port:
            return False
        if self.host.startswith("*."):
            base = self.host[2:]
            return host == base or host.endswith("." + base)
        return host == self.host

    def overlaps(self, other: Origin) -> bool:
        """Whether some URL would belong to both origins."""
        bare = other.host.removeprefix("*.")
        mine = self.host.removeprefix("*.")
        return self.includes(other.scheme, bare, other.port) or other.includes(
            self.scheme, mine, self.port
        )

    def __str__(self) -> str:
        default = _DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{self.host}" + ("" if default else f":{self.port}")


def _url_parts(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host or port is None:
        return None
    return scheme, host, port


@dataclass(frozen=True)
class Site:
    """Everything newscrawl needs to know about one news site."""

    name: str
    home: str
    # scheme://host[:port] (host may be *.domain): the URLs the site owns. Default: the
    # home's origin, and, on the default ports, both http and https of the home's host
    # (publishers redirect between them).
    origins: tuple[str, ...] = ()
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
    # Hooks: code for what the generic path gets wrong on this site (see FixArticle and
    # ExtraLinks). They run wherever the site's pages are read: workers, `scrapy crawl`,
    # `newscrawl extract --site`.
    fix_article: FixArticle | None = None
    extra_links: ExtraLinks | None = None
    # How often `newscrawl schedule` re-seeds the site...
    every_minutes: float = 60.0
    # ...or when a cron expression says (UTC; five fields or an alias like @hourly; read by
    # croniter): "*/15 6-23 * * *" re-seeds every 15 minutes from 6:00 to 23:45. It wins over
    # every_minutes.
    cron: str | None = None
    # Probe the usual feed and sitemap locations besides the declared ones.
    discover: bool = True
    declared: bool = True

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"site name {self.name!r}: use lower-case letters, digits, - _ . :")
        home = canonical_url(self.home)  # raises InvalidUrl for a bad home URL
        if not self.origins:
            object.__setattr__(self, "origins", _default_origins(home))
        for pattern in (*self.article_allow, *self.article_deny):
            re.compile(pattern)  # re.error (a ValueError) names the broken pattern
        self.schedule()  # BadSchedule (a ValueError) names a broken cron or interval

    def schedule(self) -> Schedule:
        """When `newscrawl schedule` re-seeds the site."""
        return Schedule(every_s=self.every_minutes * 60, cron=self.cron)

    @classmethod
    def adhoc(cls, url: str, home: str | None = None) -> Site:
        """The site of a URL no declaration claims: named after its registrable domain (and
        non-default port), owning that domain's hosts on that port, generic rules throughout.
        ``home`` is where a crawl of it starts (default: the URL's origin)."""
        url = canonical_url(url)
        parts = _url_parts(url)
        assert parts is not None  # canonical_url accepted it
        _scheme, host, port = parts
        domain = registrable_domain(host)
        default_port = port in _DEFAULT_PORTS.values()
        return cls(
            name=domain if default_port else f"{domain}:{port}",
            home=canonical_url(home) if home else origin_of(url) + "/",
            origins=_adhoc_origins(domain, port),
            declared=False,
        )

    @cached_property
    def _allow(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.article_allow]

    @cached_property
    def _deny(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.article_deny]

    @cached_property
    def _origins(self) -> tuple[Origin, ...]:
        return tuple(Origin.parse(o) for o in self.origins)

    def allows_article_url(self, url: str) -> bool | None:
        """False if the URL is denied, True if allowed by a pattern, None if undeclared."""
        if any(p.search(url) for p in self._deny):
            return False
        if self._allow:
            return any(p.search(url) for p in self._allow)
        return None

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's origins (scheme, host and port)."""
        parts = _url_parts(url)
        if parts is None:
            return False
        scheme, host, port = parts
        host = host.lower()
        return any(origin.includes(scheme, host, port) for origin in self._origins)

    def shared_origin(self, other: Site) -> str | None:
        """An origin both sites claim (some URL would belong to both), or None."""
        for mine in self._origins:
            for theirs in other._origins:
                if mine.overlaps(theirs):
                    return str(mine)
        return None

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


def _default_origins(home: str) -> tuple[str, ...]:
    origin = origin_of(home)
    parts = _url_parts(home)
    assert parts is not None
    scheme, host, port = parts
    if port != _DEFAULT_PORTS[scheme]:
        return (origin,)
    return (f"http://{host}", f"https://{host}")


def _adhoc_origins(domain: str, port: int) -> tuple[str, ...]:
    host = domain if is_ip_address(domain) else f"*.{domain}"
    if port in _DEFAULT_PORTS.values():
        return (f"http://{host}", f"https://{host}")
    return (f"http://{host}:{port}", f"https://{host}:{port}")


class SiteDeclarationError(ValueError):
    """A site file that cannot be used; the message is one line naming the file."""


def _file_of(spider_cls: type) -> str:
    return inspect.getsourcefile(spider_cls) or spider_cls.__module__


def _check_declaration(spider_cls: type) -> Site:
    """The ``Site`` of a site file's spider class, or ``SiteDeclarationError``."""
    where = _file_of(spider_cls)
    extra = sorted(
        name
        for name in vars(spider_cls)
        if not (name.startswith("__") and name.endswith("__"))
        and name not in _DECLARATION_ATTRIBUTES
    )
    if extra:
        raise SiteDeclarationError(
            f"{where}: {spider_cls.__name__} defines {', '.join(extra)}; a site file holds a "
            "Site declaration only (code goes in its hooks fix_article / extra_links, "
            "settings in its fields), because workers run the generic spider"
        )
    site = getattr(spider_cls, "site", None)
    if not isinstance(site, Site):
        raise SiteDeclarationError(f"{where}: {spider_cls.__name__}.site is not a Site")
    return site


class SiteRegistry:
    """The declared sites, and which site any URL belongs to."""

    def __init__(self, declared: Iterable[Site] = ()) -> None:
        self.declared: dict[str, Site] = {site.name: site for site in declared}
        self._by_origin: dict[tuple[str, str, int], Site] = {}

    @classmethod
    def load(cls, settings: BaseSettings) -> SiteRegistry:
        """Every site declared in the spider modules (the spider loader is the registry);
        a broken declaration is logged in one line and left out."""
        loader = SpiderLoader.from_settings(settings)
        found: list[tuple[Site, str]] = []
        for name in loader.list():
            spider_cls = loader.load(name)
            if getattr(spider_cls, "site", None) is None:
                continue  # the generic spider itself
            try:
                found.append((_check_declaration(spider_cls), _file_of(spider_cls)))
            except SiteDeclarationError as exc:
                logger.error("%s", exc)
        refused: set[int] = set()
        for i, (site, where) in enumerate(found):
            for j, (other, other_where) in enumerate(found[:i]):
                shared = site.shared_origin(other)
                if shared:
                    logger.error(
                        "%s and %s both claim %s: neither site %r nor %r is loaded until one "
                        "of them gives it up",
                        other_where, where, shared, other.name, site.name,
                    )  # fmt: skip
                    refused.update((i, j))
        return cls(site for i, (site, _) in enumerate(found) if i not in refused)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.declared.values())

    def named(self, name: str) -> Site | None:
        return self.declared.get(name)

    def for_url(self, url: str) -> Site:
        """The site ``url`` belongs to (``InvalidUrl`` if it is not an http(s) URL)."""
        parts = _url_parts(url)
        if parts is None:
            raise InvalidUrl(f"not an http(s) URL: {url!r}")
        scheme, host, port = parts[0], parts[1].lower(), parts[2]
        key = (scheme, host, port)
        site = self._by_origin.get(key)
        if site is None:
            owner = next((s for s in self.declared.values() if s.owns(url)), None)
            site = owner or Site.adhoc(url)
            if len(self._by_origin) < 10_000:  # a worker meets a bounded number of hosts
                self._by_origin[key] = site
        return site

    def same_site(self, url: str, site: Site) -> bool:
        """Whether ``url`` belongs to ``site`` (False for anything that is not a URL)."""
        try:
            return self.for_url(url).name == site.name
        except InvalidUrl:
            return False

    def resolve(self, targets: Iterable[str]) -> list[Site]:
        """Sites for command-line targets: declared names or home-page URLs."""
        sites = []
        for target in targets:
            if target in self.declared:
                sites.append(self.declared[target])
                continue
            if "://" not in target:
                names = ", ".join(sorted(self.declared)) or "none"
                raise UnknownSite(
                    f"unknown site {target!r} (declared sites: {names}; or give a URL)"
                )
            try:
                url = canonical_url(target)
                owner = self.for_url(url)
                if not owner.declared:
                    sites.append(Site.adhoc(url, home=url))
                elif url == canonical_url(owner.home):
                    sites.append(owner)
                else:
                    # A page of a declared site (a section, say): that site's rules, from there.
                    sites.append(replace(owner, home=url))
            except ValueError as exc:  # InvalidUrl, or a host no site name can be made of
                raise UnknownSite(str(exc)) from None
        return sites
