"""Site declarations, the one registry of them, and the one answer to "whose URL is this?".

A declared site is a small file in ``spiders/``: a ``NewsSpider`` subclass whose ``site``
attribute is a ``Site`` (name, origins, entry points, article URL patterns, politeness,
extraction overrides, re-seeding interval, and optional hooks for the few things the
generic path gets wrong on that site). Scrapy's spider loader finds them, so ``scrapy
list``, ``newscrawl sites list`` and every worker read the same list. A site file holds a
declaration and nothing else: its spider class's own methods and ``custom_settings`` would
run only under ``scrapy crawl``, never in a shared worker, so a site file that has them is
refused (``SiteRegistry.load`` logs one line naming the file). A ``Site`` checks its fields
when it is made (crawler/site_validation.py), that is when its file is imported; the spider
loader (crawler/siteloader.py) imports each file on its own, so a file that fails, a
declaration that breaks a rule, and two files that claim one name or origin are each left
out with one line naming the file and the field (``SiteRegistry.broken``), and every other
site loads.

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
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList
from scrapy.settings import BaseSettings

from crawler.extraction import Overrides
from crawler.items import Article
from crawler.site_validation import InvalidDeclaration, field_problems
from crawler.siteloader import (
    LoadFailure,
    SiteSpiderLoader,
    declared_names,
    failure_reason,
    shown_path,
)
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
        """Every rule the fields break, all at once (``InvalidDeclaration``): a declaration
        is made at import, so a broken one never reaches a worker."""
        problems = field_problems(self)
        home = None
        if not isinstance(self.home, str):
            problems.insert(1, ("home", f"expected a URL, not {type(self.home).__name__}"))
        else:
            try:
                home = canonical_url(self.home)
            except InvalidUrl as exc:
                problems.insert(1, ("home", str(exc)))
        if not self.origins and home is not None:
            object.__setattr__(self, "origins", _default_origins(home))
        elif isinstance(self.origins, (tuple, list)):
            for i, origin in enumerate(self.origins):
                if not isinstance(origin, str):
                    continue  # said by the shape check
                try:
                    Origin.parse(origin)
                except ValueError as exc:
                    problems.append((f"origins[{i}]", str(exc)))
        if not problems:
            try:
                self.schedule()
            except ValueError as exc:  # BadSchedule names a broken cron or interval
                problems.append(("cron" if self.cron else "every_minutes", str(exc)))
        if problems:
            raise InvalidDeclaration(problems)

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


class BrokenSite(UnknownSite):
    """A target naming a site whose declaration is broken; the message is its one line."""


@dataclass(frozen=True)
class BrokenDeclaration:
    """A site file that is not loaded, and the one line that says why (file and field)."""

    line: str
    # The site names it declares (for a file that did not import: read from its source,
    # and the file's own name), so that a command naming one can say what is wrong.
    names: tuple[str, ...]


def _file_of(spider_cls: type) -> str:
    return shown_path(inspect.getsourcefile(spider_cls) or spider_cls.__module__)


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
        raise SiteDeclarationError(f"{where}: site: {spider_cls.__name__}.site is not a Site")
    spider_name = getattr(spider_cls, "name", None)
    if spider_name != site.name:
        raise SiteDeclarationError(
            f"{where}: name: the spider is named {spider_name!r} and its Site {site.name!r}; "
            "give both the one name"
        )
    return site


# The fields of the declaration classes, for the line that names a misspelled one.
_FIELDS = {
    "Site": tuple(f.name for f in fields(Site) if f.name != "declared"),
    "Overrides": tuple(f.name for f in fields(Overrides)),
}


def _import_failure(failure: LoadFailure) -> BrokenDeclaration:
    where = shown_path(failure.file or failure.module)
    error = failure.error
    reason = (
        str(error) if isinstance(error, InvalidDeclaration) else failure_reason(failure, _FIELDS)
    )
    return BrokenDeclaration(f"{where}: {reason}", declared_names(failure))


def _clashes(found: list[tuple[Site, str]]) -> tuple[set[int], list[BrokenDeclaration]]:
    """Declarations that claim one origin: both are refused, since which one would own its
    URLs is an accident of import order. (Two files cannot declare one name: a site's name
    is its spider's, and the loader refuses a spider name claimed twice.)"""
    refused: set[int] = set()
    broken: list[BrokenDeclaration] = []
    for i, (site, where) in enumerate(found):
        for j, (other, other_where) in enumerate(found[:i]):
            shared = site.shared_origin(other)
            if shared:
                line = (f"{other_where} and {where}: origins: both claim {shared}: neither site "
                        f"{other.name!r} nor {site.name!r} is loaded until one of them gives "
                        "it up")  # fmt: skip
                refused.update((i, j))
                broken.append(BrokenDeclaration(line, (other.name, site.name)))
    return refused, broken


class SiteRegistry:
    """The declared sites, those whose declaration is broken, and which site a URL belongs to."""

    def __init__(
        self, declared: Iterable[Site] = (), broken: Iterable[BrokenDeclaration] = ()
    ) -> None:
        self.declared: dict[str, Site] = {site.name: site for site in declared}
        self.broken: list[BrokenDeclaration] = list(broken)
        self._by_origin: dict[tuple[str, str, int], Site] = {}

    @classmethod
    def load(cls, settings: BaseSettings, *, log: bool = True) -> SiteRegistry:
        """Every site declared in the spider modules (the spider loader is the registry).

        A broken declaration (a file that does not import, a field that breaks the rules, a
        name or an origin another file claims too) is left out and kept in ``broken`` with
        its one line, which is logged unless ``log`` is False (for a command that reports
        it itself); the other sites load."""
        loader = SiteSpiderLoader.from_settings(settings)
        broken = [_import_failure(failure) for failure in loader.failures]
        for dup in loader.duplicates:
            files = " and ".join(shown_path(file or module) for module, file in dup.claimants)
            broken.append(BrokenDeclaration(
                f"{files}: name: all declare the spider {dup.name!r}: none is loaded until "
                "each has a name of its own", (dup.name,),
            ))  # fmt: skip
        found: list[tuple[Site, str]] = []
        for name in loader.list():
            spider_cls = loader.load(name)
            if getattr(spider_cls, "site", None) is None:
                continue  # the generic spider itself
            try:
                found.append((_check_declaration(spider_cls), _file_of(spider_cls)))
            except SiteDeclarationError as exc:
                site = getattr(spider_cls, "site", None)
                names = (name, site.name) if isinstance(site, Site) else (name,)
                broken.append(BrokenDeclaration(str(exc), tuple(dict.fromkeys(names))))
        refused, clashes = _clashes(found)
        broken += clashes
        if log:
            for entry in broken:
                logger.error("%s", entry.line)
        return cls((site for i, (site, _) in enumerate(found) if i not in refused), broken)

    def broken_named(self, name: str) -> BrokenDeclaration | None:
        """The broken declaration that would have declared ``name``, if any."""
        return next((entry for entry in self.broken if name in entry.names), None)

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
            broken = self.broken_named(target)
            if broken is not None:
                raise BrokenSite(broken.line)
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
