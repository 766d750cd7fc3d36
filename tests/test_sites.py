"""Site declarations: defaults, origins, entry points, whose URL is whose, the registry."""

from __future__ import annotations

from typing import ClassVar

import pytest

from crawler.config import build_settings
from crawler.site_validation import InvalidDeclaration
from crawler.sites import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    EntryPoint,
    Origin,
    Site,
    SiteDeclarationError,
    SitePage,
    SiteRegistry,
    UnknownSite,
    _check_declaration,
)
from crawler.urls import InvalidUrl
from spiders.news import NewsSpider
from tests.declared import WITH_DEMO


@pytest.fixture(scope="module")
def registry():
    return SiteRegistry.load(build_settings([WITH_DEMO]))


def test_defaults():
    site = Site(name="ex", home="https://www.Example.com:8443/news/")
    assert site.origins == ("https://www.example.com:8443",)
    assert site.declared is True and site.discover is True
    assert site.delay is None and site.concurrency is None
    assert site.fix_article is None and site.extra_links is None
    assert site.every_minutes == 60.0


def test_a_home_on_a_default_port_owns_both_schemes_of_its_host():
    site = Site(name="ex", home="https://www.example.com/")
    assert site.origins == ("http://www.example.com", "https://www.example.com")


@pytest.mark.parametrize("name", ["Demo", "", "-demo", "my site", "a/b", "ü", "_x"])
def test_invalid_site_names_are_rejected(name):
    with pytest.raises(ValueError, match="site name"):
        Site(name=name, home="https://example.com/")


@pytest.mark.parametrize("name", ["demo", "example.com", "example.com:8080", "a-b_c.1"])
def test_valid_site_names(name):
    assert Site(name=name, home="https://example.com/").name == name


@pytest.mark.parametrize("home", ["ftp://example.com/", "example.com", "http://"])
def test_bad_home_url_is_rejected(home):
    with pytest.raises(InvalidDeclaration, match=r"^home: "):
        Site(name="ex", home=home)


def test_a_broken_article_pattern_is_refused_when_declared():
    with pytest.raises(InvalidDeclaration, match=r"^article_allow\[0\]: missing \)"):
        Site(name="ex", home="https://example.com/", article_allow=("/(unclosed",))


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://example.com", Origin("https", "example.com", 443)),
        ("http://Example.com:8080/", Origin("http", "example.com", 8080)),
        ("https://*.example.com", Origin("https", "*.example.com", 443)),
        ("http://[::1]:81", Origin("http", "::1", 81)),
    ],
)
def test_origin_parse(text, origin):
    assert Origin.parse(text) == origin


@pytest.mark.parametrize(
    "text", ["example.com", "ftp://example.com", "https://e.com/path", "https://"]
)
def test_origin_parse_refuses(text):
    with pytest.raises(ValueError, match="origin"):
        Origin.parse(text)


def test_entry_points_kinds_and_order():
    site = Site(
        name="ex",
        home="https://example.com/",
        sections=("/world/", "politics/"),
        feeds=("/feed.xml",),
        sitemaps=("https://example.com/news.xml",),
        discover=False,
    )
    assert site.entry_points() == [
        EntryPoint("https://example.com/", "home"),
        EntryPoint("https://example.com/world/", "section"),
        EntryPoint("https://example.com/politics/", "section"),
        EntryPoint("https://example.com/feed.xml", "feed"),
        EntryPoint("https://example.com/news.xml", "sitemap"),
        EntryPoint("https://example.com/robots.txt", "robots"),
    ]


def test_entry_points_are_canonical_and_unique():
    site = Site(
        name="ex",
        home="https://Example.com:443/?utm_source=x",
        sections=("/world/", "/world/#top", "https://example.com/world/?utm_medium=y", "/"),
        feeds=("/feed/",),  # also one of the probed paths
        discover=True,
    )
    points = site.entry_points()
    urls = [p.url for p in points]
    assert len(urls) == len(set(urls))
    assert urls.count("https://example.com/world/") == 1
    assert urls.count("https://example.com/feed/") == 1
    # the first kind wins: "/" is the home page, not a section
    assert points[0] == EntryPoint("https://example.com/", "home")
    assert [p.kind for p in points].count("home") == 1
    assert all(p.url == p.url.split("#")[0] and "utm_" not in p.url for p in points)


def test_discover_adds_the_common_probes():
    site = Site(name="ex", home="https://example.com/")
    feeds = [p.url for p in site.entry_points() if p.kind == "feed"]
    sitemaps = [p.url for p in site.entry_points() if p.kind == "sitemap"]
    assert feeds == [f"https://example.com{path}" for path in COMMON_FEED_PATHS]
    assert sitemaps == [f"https://example.com{path}" for path in COMMON_SITEMAP_PATHS]


def test_discover_false_omits_probes():
    site = Site(name="ex", home="https://example.com/", feeds=("/mine.xml",), discover=False)
    kinds = [(p.kind, p.url) for p in site.entry_points()]
    assert kinds == [
        ("home", "https://example.com/"),
        ("feed", "https://example.com/mine.xml"),
        ("robots", "https://example.com/robots.txt"),
    ]


def test_hosts_are_the_politeness_keys():
    site = Site(name="ex", home="http://example.com:8080/", sitemaps=("http://cdn.example.com/s.xml",),
                discover=False)  # fmt: skip
    assert site.hosts() == ["cdn.example.com", "example.com:8080"]


@pytest.mark.parametrize(
    ("url", "owned"),
    [
        ("https://example.com/a", True),
        ("http://example.com/a", True),
        ("https://EXAMPLE.com./a", True),
        ("https://example.com:443/a", True),
        ("https://www.example.com/a", False),  # another host: list it as an origin
        ("http://example.com:8080/a", False),  # another port: another site
        ("https://evil-example.com/a", False),
        ("https://example.com.evil.net/a", False),
        ("not a url", False),
    ],
)
def test_owns_by_scheme_host_and_port(url, owned):
    site = Site(name="ex", home="https://example.com/")
    assert site.owns(url) is owned


def test_owns_subdomains_of_a_wildcard_origin():
    site = Site(name="ex", home="https://www.example.com/", origins=("https://*.example.com",))
    assert site.owns("https://example.com/") is True
    assert site.owns("https://a.b.example.com/") is True
    assert site.owns("http://a.example.com/") is False
    assert site.owns("https://badexample.com/") is False


def test_a_declaration_on_a_port_claims_only_that_port():
    site = Site(name="demo", home="http://127.0.0.2:8461/")
    assert site.owns("http://127.0.0.2:8461/x") is True
    assert site.owns("http://127.0.0.2:8811/x") is False
    assert site.owns("http://127.0.0.2/x") is False


def test_allows_article_url():
    site = Site(
        name="ex",
        home="https://example.com/",
        article_allow=(r"/\d{4}/\d{2}/",),
        article_deny=(r"/live/",),
    )
    assert site.allows_article_url("https://example.com/2024/05/story") is True
    assert site.allows_article_url("https://example.com/about") is False
    assert site.allows_article_url("https://example.com/live/2024/05/blog") is False


def test_allows_article_url_without_patterns_is_undecided():
    site = Site(name="ex", home="https://example.com/")
    assert site.allows_article_url("https://example.com/anything") is None
    deny_only = Site(name="ex", home="https://example.com/", article_deny=(r"/tag/",))
    assert deny_only.allows_article_url("https://example.com/tag/x") is False
    assert deny_only.allows_article_url("https://example.com/story") is None


# --- ad-hoc sites ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://News.Example.com/a", "example.com"),
        ("http://www.bbc.co.uk/news", "bbc.co.uk"),
        ("https://news.example.com:8443/", "example.com:8443"),
        ("http://127.0.0.2:8811/", "127.0.0.2:8811"),
        ("http://[::1]:81/", "[::1]:81"),
        ("http://localhost/", "localhost"),
    ],
)
def test_adhoc_sites_are_named_after_the_registrable_domain_and_port(url, name):
    site = Site.adhoc(url)
    assert site.name == name and site.declared is False


def test_an_adhoc_site_owns_its_domain_on_its_port():
    site = Site.adhoc("https://news.example.com/a")
    assert site.home == "https://news.example.com/"
    assert site.owns("http://www.example.com/b") and site.owns("https://example.com/")
    assert not site.owns("https://example.com:8443/") and not site.owns("https://example.org/")
    on_port = Site.adhoc("http://127.0.0.2:8811/")
    assert on_port.owns("http://127.0.0.2:8811/x") and not on_port.owns("http://127.0.0.2:8461/")


# --- the registry -----------------------------------------------------------------------------


def test_the_registry_finds_the_demo_site(registry):
    demo = registry.named("demo")
    assert demo is not None
    assert demo.home == "http://127.0.0.2:8461/"
    assert demo.declared is True and demo.discover is False
    kinds = {p.kind for p in demo.entry_points()}
    assert kinds == {"home", "section", "feed", "sitemap", "robots"}
    assert demo.allows_article_url("http://127.0.0.2:8461/world/2026/01/02/some-story") is True
    assert demo.allows_article_url("http://127.0.0.2:8461/world/") is False


def test_for_url_prefers_the_declared_owner(registry):
    assert registry.for_url("http://127.0.0.2:8461/world/").name == "demo"
    other = registry.for_url("http://127.0.0.2:8811/world/")
    assert other.name == "127.0.0.2:8811" and not other.declared
    assert registry.for_url("https://www.example.org/x").name == "example.org"
    with pytest.raises(InvalidUrl):
        registry.for_url("ftp://example.org/")


def test_same_site(registry):
    demo = registry.named("demo")
    assert registry.same_site("http://127.0.0.2:8461/a", demo)
    assert not registry.same_site("http://127.0.0.2:8811/a", demo)
    assert not registry.same_site("javascript:alert(1)", demo)


def test_resolve_declared_name(registry):
    (site,) = registry.resolve(["demo"])
    assert site == registry.named("demo")


def test_resolve_declared_home_url_gives_the_declared_site(registry):
    (site,) = registry.resolve(["http://127.0.0.2:8461"])
    assert site.name == "demo" and site.declared


def test_resolve_unknown_name_names_the_declared_sites(registry):
    with pytest.raises(UnknownSite) as info:
        registry.resolve(["nosuchsite"])
    message = str(info.value)
    assert "nosuchsite" in message and "demo" in message
    assert "\n" not in message


@pytest.mark.parametrize("target", ["http://", "ftp://example.com/", "http://example.com:99999/"])
def test_resolve_bad_url_raises_unknown_site(registry, target):
    with pytest.raises(UnknownSite):
        registry.resolve([target])


def test_resolve_url_gives_an_adhoc_site_starting_there(registry):
    a, b = registry.resolve(
        ["https://News.Example.com:8443/world/?utm_source=x", "https://example.org"]
    )
    assert a.name == "example.com:8443"
    assert a.home == "https://news.example.com:8443/world/"
    assert a.declared is False
    assert b.name == "example.org" and b.home == "https://example.org/"


def test_resolve_keeps_order_and_all_targets(registry):
    sites = registry.resolve(["https://a.example/", "demo", "https://b.example/"])
    assert [s.name for s in sites] == ["a.example", "demo", "b.example"]


def test_resolve_a_page_of_a_declared_site_keeps_its_rules(registry):
    (site,) = registry.resolve(["http://127.0.0.2:8461/world/"])
    demo = registry.named("demo")
    assert site.name == "demo" and site.declared
    assert site.article_allow == demo.article_allow and site.delay == demo.delay
    assert site.entry_points()[0].url == "http://127.0.0.2:8461/world/"


# --- what a site file may hold ------------------------------------------------------------------


def test_a_site_file_with_its_own_methods_is_refused():
    class CustomSpider(NewsSpider):
        name = "custom"
        site = Site(name="custom", home="https://custom.example/")
        custom_settings: ClassVar[dict] = {"DOWNLOAD_DELAY": 5}

        def parse(self, response):
            return None

    with pytest.raises(SiteDeclarationError) as info:
        _check_declaration(CustomSpider)
    message = str(info.value)
    assert "custom_settings" in message and "parse" in message and "\n" not in message
    assert "test_sites.py" in message


def test_a_site_file_with_hooks_is_accepted():
    def fix(article, page):
        article.title = page.css("h1::text").get() or article.title
        return article

    class HookedSpider(NewsSpider):
        name = "hooked"
        site = Site(name="hooked", home="https://hooked.example/", fix_article=fix)

    assert _check_declaration(HookedSpider).fix_article is fix


def test_site_page_selectors():
    page = SitePage("https://x.example/a", "<html><h1>Title</h1><a href='/b'>b</a></html>")
    assert page.css("h1::text").get() == "Title"
    assert page.xpath("//a/@href").getall() == ["/b"]
    assert SitePage("https://x.example/", "").css("h1").get() is None


# --- the registry's own rules -----------------------------------------------------------------


def test_the_production_registry_does_not_hold_the_demo():
    assert SiteRegistry.load(build_settings()).named("demo") is None


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("https://example.com", "https://example.com", True),
        ("https://*.example.com", "https://news.example.com", True),
        ("https://*.example.com", "https://*.news.example.com", True),
        ("https://example.com", "http://example.com", False),
        ("https://example.com", "https://example.com:8443", False),
        ("https://news.example.com", "https://sport.example.com", False),
        ("https://*.example.com", "https://example.org", False),
    ],
)
def test_origin_overlaps(a, b, overlap):
    assert Origin.parse(a).overlaps(Origin.parse(b)) is overlap
    assert Origin.parse(b).overlaps(Origin.parse(a)) is overlap


def test_two_declarations_of_one_origin_are_refused_naming_both_files(
    tmp_path, monkeypatch, caplog
):
    package = tmp_path / "clashing_sites"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, home in (("first", "https://news.example/"), ("second", "https://news.example/world/"),
                       ("third", "https://other.example/")):  # fmt: skip
        (package / f"{name}.py").write_text(
            "from crawler.sites import Site\nfrom spiders.news import NewsSpider\n\n\n"
            f"class {name.title()}Spider(NewsSpider):\n    name = {name!r}\n"
            f"    site = Site(name={name!r}, home={home!r})\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    with caplog.at_level("ERROR", logger="crawler.sites"):
        loaded = SiteRegistry.load(build_settings(['SPIDER_MODULES=["clashing_sites"]']))
    assert sorted(loaded.declared) == ["third"]
    (line,) = [r.getMessage() for r in caplog.records]
    assert "first.py" in line and "second.py" in line and "news.example" in line
    assert "\n" not in line
