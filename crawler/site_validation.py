"""The rules a site declaration's values must follow, checked when the declaration is made.

``field_problems`` reads the fields of a ``Site`` (crawler/sites.py) and says, field by field,
what would fail later, in a worker, one page at a time: a name that is no site name, a
tuple given as a bare string (``sections=("/world/")`` iterates over characters), an
article pattern that does not compile, a CSS selector of the overrides that the extraction's
own compiler refuses (it would silently ignore it), a delay, concurrency or interval no
scheduler can use, a hook that cannot be called. ``InvalidDeclaration`` carries them; the
registry prints it as one line naming the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from crawler.extraction import Overrides
from crawler.extraction.overrides import selector_problem

# Declared names are short words; ad-hoc sites are named after domain[:port], IPv6 included.
NAME_PATTERN = re.compile(r"^[a-z0-9\[][a-z0-9_.:\[\]-]*$")
# Fields that hold several strings (URLs, paths, patterns).
_TEXT_TUPLES = ("origins", "sections", "feeds", "sitemaps", "article_allow", "article_deny")
_HOOKS = ("fix_article", "extra_links")


class InvalidDeclaration(ValueError):
    """A ``Site`` whose fields break the rules: one ``field: reason`` per problem, one line."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems))


def field_problems(site: Any) -> list[tuple[str, str]]:
    """``(field, reason)`` for every rule ``site``'s fields break (empty when none)."""
    problems: list[tuple[str, str]] = []
    if not isinstance(site.name, str) or not NAME_PATTERN.match(site.name):
        problems.append(("name", f"{site.name!r} is not a site name: use lower-case letters, "
                                 "digits, - _ . :"))  # fmt: skip
    for name in _TEXT_TUPLES:
        problems += _text_tuple_problems(name, getattr(site, name))
    for name in ("article_allow", "article_deny"):
        problems += _pattern_problems(name, getattr(site, name))
    problems += _overrides_problems(site.overrides)
    problems += _number_problems(site)
    cron = getattr(site, "cron", None)
    if cron is not None and not isinstance(cron, str):
        problems.append(("cron", f"expected a cron expression (text), not {type(cron).__name__}"))
    for name in _HOOKS:
        hook = getattr(site, name)
        if hook is not None and not callable(hook):
            problems.append((name, f"{type(hook).__name__} is not a function"))
    return problems


def _text_tuple_problems(name: str, value: object) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(name, "a bare string, not a tuple of them (a one-item tuple is (x,): the "
                       "comma makes it)")]  # fmt: skip
    if not isinstance(value, (tuple, list)):
        return [(name, f"expected a tuple of strings, not {type(value).__name__}")]
    return [
        (f"{name}[{i}]", f"expected a string, not {type(item).__name__}")
        for i, item in enumerate(value)
        if not isinstance(item, str)
    ]


def _pattern_problems(name: str, patterns: object) -> list[tuple[str, str]]:
    if not isinstance(patterns, (tuple, list)):
        return []  # said by the shape check
    problems = []
    for i, pattern in enumerate(patterns):
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                problems.append((f"{name}[{i}]", str(exc)))
    return problems


def _overrides_problems(overrides: object) -> list[tuple[str, str]]:
    if not isinstance(overrides, Overrides):
        return [("overrides", f"expected Overrides(...), not {type(overrides).__name__}")]
    problems = []
    drops = overrides.drop_selectors
    shape = _text_tuple_problems("overrides.drop_selectors", drops)
    problems += shape
    if not shape:
        for i, selector in enumerate(drops):
            reason = selector_problem(selector)
            if reason:
                problems.append((f"overrides.drop_selectors[{i}]", f"{selector!r}: {reason}"))
    body = overrides.body_selector
    if body is not None:
        reason = (
            selector_problem(body)
            if isinstance(body, str)
            else f"expected a string, not {type(body).__name__}"
        )
        if reason:
            problems.append(("overrides.body_selector", f"{body!r}: {reason}"))
    return problems


def _number_problems(site: Any) -> list[tuple[str, str]]:
    checks: list[tuple[str, object, bool, Callable[[float], bool], str]] = [
        ("delay", site.delay, True, lambda v: v >= 0, "must be 0 or more seconds"),
        ("concurrency", site.concurrency, True, lambda v: v >= 1 and v == int(v),
         "must be a whole number, 1 or more"),
        ("every_minutes", site.every_minutes, False, lambda v: v > 0,
         "must be more than 0 minutes"),
    ]  # fmt: skip
    problems = []
    for name, value, optional, rule, reason in checks:
        if value is None and optional:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append((name, f"expected a number, not {type(value).__name__}"))
        elif not math.isfinite(value) or not rule(value):
            problems.append((name, f"{value!r} {reason}"))
    return problems
