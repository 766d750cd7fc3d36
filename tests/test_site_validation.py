"""The rules of a site declaration's fields: each broken rule is named by its field."""

from __future__ import annotations

import pytest

from crawler.extraction import Overrides
from crawler.site_validation import InvalidDeclaration
from crawler.sites import Site

HOME = "https://news.example/"


def _problems(**fields):
    with pytest.raises(InvalidDeclaration) as info:
        Site(**{"name": "ex", "home": HOME, **fields})
    message = str(info.value)
    assert "\n" not in message
    return dict(info.value.problems), message


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"name": "Ex"}, "name", "is not a site name"),
        ({"home": "news.example"}, "home", "not an http(s) URL"),
        ({"home": None}, "home", "expected a URL, not NoneType"),
        ({"origins": ("https://news.example/path",)}, "origins[0]", "has no path"),
        ({"sections": "/world/"}, "sections", "a bare string"),
        ({"feeds": ["/a.xml", 3]}, "feeds[1]", "expected a string, not int"),
        ({"sitemaps": None}, "sitemaps", "expected a tuple of strings, not NoneType"),
        ({"article_allow": ("/ok/", "[a-")}, "article_allow[1]", "unterminated character set"),
        ({"article_deny": ("*x",)}, "article_deny[0]", "nothing to repeat"),
        ({"overrides": Overrides(drop_selectors=(".ok", "div >"))},
         "overrides.drop_selectors[1]", "'div >': Expected selector"),
        ({"overrides": Overrides(drop_selectors=".promo")}, "overrides.drop_selectors",
         "a bare string"),
        ({"overrides": Overrides(body_selector="//div[@id='x']")}, "overrides.body_selector",
         "Expected selector"),
        ({"overrides": Overrides(body_selector="p::text")}, "overrides.body_selector",
         "Pseudo-elements are not supported"),
        ({"overrides": {"body_selector": "div"}}, "overrides", "expected Overrides(...)"),
        ({"delay": -1}, "delay", "must be 0 or more"),
        ({"delay": float("nan")}, "delay", "must be 0 or more"),
        ({"concurrency": 0}, "concurrency", "1 or more"),
        ({"concurrency": 1.5}, "concurrency", "whole number"),
        ({"every_minutes": 0}, "every_minutes", "more than 0"),
        ({"every_minutes": "15"}, "every_minutes", "expected a number, not str"),
        ({"cron": 15}, "cron", "expected a cron expression (text), not int"),
        ({"cron": "every day"}, "cron", ""),
        ({"discover": False, "fix_article": "fix"}, "fix_article", "str is not a function"),
    ],
)  # fmt: skip
def test_each_broken_rule_names_its_field(fields, field, says):
    problems, message = _problems(**fields)
    assert list(problems) == [field], message
    assert says in problems[field], message


def test_every_problem_is_said_at_once():
    problems, message = _problems(name="Ex", article_allow=("(",), delay=-1)
    assert list(problems) == ["name", "article_allow[0]", "delay"]
    assert message.count("; ") == 2


def test_a_good_declaration_passes():
    site = Site(
        name="ex",
        home=HOME,
        origins=("https://*.news.example",),
        sections=("/world/",),
        article_allow=(r"/\d{4}/",),
        overrides=Overrides(drop_selectors=("aside.promo", "div:not(.story) > .ad"),
                            body_selector="article .body"),
        delay=0,
        concurrency=2,
        every_minutes=0.5,
        fix_article=lambda article, page: article,
    )  # fmt: skip
    assert site.overrides.body_selector == "article .body"
