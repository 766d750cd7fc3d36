"""Site declarations: defaults, entry points, ownership, article URL rules, target resolution."""

from __future__ import annotations

import pytest

from crawler.config import build_settings
from crawler.sites import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    EntryPoint,
    Site,
    UnknownSite,
    declared_sites,
    resolve_targets,
    site_for,
)
from crawler.urls import InvalidUrl


@pytest.fixture(scope="module")
def settings():
    return build_settings()


def test_allowed_domains_default_to_the_home_host():
    site = Site(name="ex", home="https://www.Example.com:8443/news/")
    assert site.allowed_domains == ("www.example.com",)
    assert site.declared is True and site.discover is True
    assert site.delay is None and site.concurrency is None
    assert site.every_minutes == 60.0


def test_explicit_allowed_domains_are_kept():
    site = Site(name="ex", home="https://www.example.com/", allowed_domains=("example.com",))
    assert site.allowed_domains == ("example.com",)


@pytest.mark.parametrize("name", ["Demo", "", "-demo", "my site", "a/b", "ü", "_x"])
def test_invalid_site_names_are_rejected(name):
    with pytest.raises(ValueError, match="site name"):
        Site(name=name, home="https://example.com/")


@pytest.mark.parametrize("name", ["demo", "example.com", "example.com:8080", "a-b_c.1"])
def test_valid_site_names(name):
    assert Site(name=name, home="https://example.com/").name == name


@pytest.mark.parametrize("home", ["ftp://example.com/", "example.com", "http://"])
def test_bad_home_url_is_rejected(home):
    with pytest.raises(InvalidUrl):
        Site(name="ex", home=home)


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
        ("https://EXAMPLE.com./a", True),
        ("https://www.example.com/a", True),
        ("https://deep.sub.example.com/a", True),
        ("http://example.com:8080/a", True),
        ("https://evil-example.com/a", False),
        ("https://example.com.evil.net/a", False),
        ("https://notexample.com/a", False),
        ("https://example.co/a", False),
        ("not a url", False),
    ],
)
def test_owns(url, owned):
    site = Site(name="ex", home="https://example.com/")
    assert site.owns(url) is owned


def test_owns_with_leading_dot_domain():
    site = Site(name="ex", home="https://www.example.com/", allowed_domains=(".Example.com",))
    assert site.owns("https://example.com/") is True
    assert site.owns("https://a.example.com/") is True
    assert site.owns("https://badexample.com/") is False


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


# --- the registry and resolution ------------------------------------------------------------


def test_declared_sites_finds_the_demo_site(settings):
    sites = declared_sites(settings)
    assert "demo" in sites
    demo = sites["demo"]
    assert demo.home == "http://127.0.0.2:8461/"
    assert demo.declared is True and demo.discover is False
    kinds = {p.kind for p in demo.entry_points()}
    assert kinds == {"home", "section", "feed", "sitemap", "robots"}
    assert demo.allows_article_url("http://127.0.0.2:8461/world/2026/01/02/some-story") is True
    assert demo.allows_article_url("http://127.0.0.2:8461/world/") is False


def test_resolve_declared_name(settings):
    (site,) = resolve_targets(["demo"], settings)
    assert site == declared_sites(settings)["demo"]
    assert site.name == "demo" and site.declared


def test_resolve_declared_home_url_gives_the_declared_site(settings):
    (site,) = resolve_targets(["http://127.0.0.2:8461"], settings)
    assert site.name == "demo" and site.declared


def test_resolve_unknown_name_names_the_declared_sites(settings):
    with pytest.raises(UnknownSite) as info:
        resolve_targets(["nosuchsite"], settings)
    message = str(info.value)
    assert "nosuchsite" in message and "demo" in message
    assert "\n" not in message


@pytest.mark.parametrize("target", ["http://", "ftp://example.com/", "http://example.com:99999/"])
def test_resolve_bad_url_raises_unknown_site(settings, target):
    with pytest.raises(UnknownSite):
        resolve_targets([target], settings)


def test_resolve_url_gives_an_adhoc_site_named_after_host_and_port(settings):
    a, b = resolve_targets(
        ["https://News.Example.com:8443/?utm_source=x", "https://example.org"], settings
    )
    assert a.name == "news.example.com:8443"
    assert a.home == "https://news.example.com:8443/"
    assert a.declared is False and a.allowed_domains == ("news.example.com",)
    assert b.name == "example.org" and b.home == "https://example.org/"


def test_resolve_keeps_order_and_all_targets(settings):
    sites = resolve_targets(["https://a.example/", "demo", "https://b.example/"], settings)
    assert [s.name for s in sites] == ["a.example", "demo", "b.example"]


def test_site_for():
    declared = {"demo": Site(name="demo", home="http://127.0.0.2:8461/")}
    assert site_for("demo", declared) is declared["demo"]
    adhoc = site_for("example.com:8080", declared)
    assert adhoc.name == "example.com:8080" and adhoc.home == "http://example.com:8080/"
    assert adhoc.declared is False


def test_resolve_a_page_of_a_declared_site_keeps_its_rules(settings):
    (site,) = resolve_targets(["http://127.0.0.2:8461/world/"], settings)
    demo = declared_sites(settings)["demo"]
    assert site.name == "demo" and site.declared
    assert site.article_allow == demo.article_allow and site.delay == demo.delay
    assert site.entry_points()[0].url == "http://127.0.0.2:8461/world/"
