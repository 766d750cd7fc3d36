"""Command-line configuration: ``-s NAME=VALUE`` overrides and the options every command takes.

Turns what the operator typed into Scrapy ``Settings`` on top of crawler/settings.py,
refusing malformed input with one line (``ConfigError``) before any work starts, so that
no worker starts only to die on it: an override without ``=``, an unknown ``NEWS_``
setting (a typo would otherwise be silently ignored), or a value the setting cannot take.
What a setting can take follows from its default and from the rules below: numbers are
finite, not negative, and below a ceiling; text holds no control characters; lists and
dicts have the shape Scrapy reads (component paths that import, priorities that are whole
numbers, feed formats that exist); networks and host names parse. Which Redis a command
talks to is decided in crawler/coordination/embedded.py (``redis_session``).
"""

from __future__ import annotations

import codecs
import importlib
import json
import math
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.misc import load_object

from crawler import settings as project_settings
from crawler.netguard import AddressPolicy

# Settings where 0 would leave a crawl waiting for ever (nothing could ever be leased or
# fetched) or break the seen-filter's sizing.
AT_LEAST_ONE = dict.fromkeys(
    (
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "NEWS_LEASE_BATCH",
        "NEWS_LEASE_SCAN_HOSTS",
        "NEWS_MAX_ATTEMPTS",
        "NEWS_SEEN_CAPACITY",
        "NEWS_LEASE_SECONDS",
        "NEWS_HEARTBEAT_SECONDS",
    ),
    1,
)
# Settings that must be above 0 without being whole: a sync loop at interval 0 spins the
# worker's CPU, a download timeout of 0 fails every download, a scheduler's leader lease of
# 0 expires as it is taken, and a false-positive rate is a probability strictly between 0
# and 1.
ABOVE_ZERO = frozenset(
    {
        "NEWS_SYNC_INTERVAL",
        "NEWS_SEEN_ERROR_RATE",
        "DOWNLOAD_TIMEOUT",
        "NEWS_SCHEDULE_LEADER_SECONDS",
    }
)
BELOW_ONE = frozenset({"NEWS_SEEN_ERROR_RATE"})
# The largest integer a double holds exactly: JSON readers, Lua scripts in Redis and Redis
# scores carry numbers as doubles, and nothing newscrawl counts comes near it.
MAX_NUMBER = 2**53
# Durations: at most ten years, longer than any crawl runs. A setting is a duration when a
# word of its name says so; its value is in that unit. Ten years in milliseconds (3.2e14)
# stays exact in a double and fits Redis's 64-bit integers (expiries, lease deadlines),
# where a longer one overflows (DOWNLOAD_TIMEOUT=1e308 crashed the worker).
MAX_DURATION_SECONDS = 10 * 365 * 86_400
_DURATION_UNITS = {
    "SECONDS": 1, "SECS": 1, "TIMEOUT": 1, "DELAY": 1, "MAXDELAY": 1, "INTERVAL": 1,
    "MINUTES": 60, "DAYS": 86_400,
}  # fmt: skip
# Text settings that take one of a few words.
CHOICES = {
    "NEWS_SEEN_MODE": ("bloom", "set"),
    "LOG_LEVEL": ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"),
}
# The key prefix is glob-matched by the frontier repair and cleanup: a '*', '?' or '['
# would reach other crawls' keys, and ':' separates the prefix from the key names.
_KEY_PREFIX = re.compile(r"[A-Za-z0-9_.-]{1,100}")
# Lists of text whose default is empty (so it cannot tell): networks, host names, modules.
TEXT_LISTS = frozenset({"NEWS_ALLOW_NETWORKS", "NEWS_ALLOW_HOSTS", "SPIDER_MODULES"})
# Dicts of component path -> order (None switches a component off), as Scrapy merges them
# with their _BASE, and tables of name -> component path.
PRIORITY_DICTS = frozenset(
    name + base
    for name in (
        "ITEM_PIPELINES",
        "DOWNLOADER_MIDDLEWARES",
        "SPIDER_MIDDLEWARES",
        "EXTENSIONS",
        "SPIDER_CONTRACTS",
        "ADDONS",
    )
    for base in ("", "_BASE")
)
COMPONENT_TABLES = frozenset(
    name + base
    for name in ("DOWNLOAD_HANDLERS", "FEED_EXPORTERS", "FEED_STORAGES")
    for base in ("", "_BASE")
) | {"REFERRER_POLICIES"}
# Keys of a FEEDS entry that name components, and those of plain types.
_FEED_PATHS = ("item_filter", "uri_params")
_FEED_PATH_LISTS = ("item_classes", "postprocessing")
_FEED_TYPES: dict[str, tuple[type, ...]] = {
    "fields": (list, dict, type(None)),
    "overwrite": (bool,),
    "store_empty": (bool,),
    "indent": (int, type(None)),
    "batch_item_count": (int,),
    "item_export_kwargs": (dict,),
}
# A dotted Python path, as component settings hold them.
_DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
# Control characters: no setting of Scrapy or newscrawl takes one (a line break in
# USER_AGENT or a request header would inject headers; in a key prefix, forge log lines).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ConfigError(ValueError):
    """Bad command-line configuration; the message is one line."""


def parse_override(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` -> (NAME, value); JSON values (numbers, true, lists, objects) decoded."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not name.replace("_", "").isalnum() or not name.isupper():
        raise ConfigError(
            f"bad -s value {_shown(text)}: expected NAME=VALUE with an upper-case NAME"
        )
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or nested beyond what it parses): text
        value = raw
    return name, value


def _shown(value: object, limit: int = 80) -> str:
    """A value as an error message quotes it: repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bad(name: str, value: object, why: str) -> ConfigError:
    return ConfigError(f"bad -s value {name}={_shown(value)}: {why}")


def _default(settings: BaseSettings, name: str) -> Any:
    """The setting's current value, without the warning Scrapy gives for deprecated names."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)
        return settings.get(name)


def _walk(value: object) -> Iterator[object]:
    """Every value nested in lists and dicts (dict keys included), iteratively: a deep
    JSON value must not exhaust the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _check_scalars(name: str, value: object) -> None:
    """No control character in any text, no NaN or infinity anywhere."""
    for item in _walk(value):
        if isinstance(item, str) and _CONTROL.search(item):
            raise _bad(name, value, "control characters are not allowed")
        if isinstance(item, float) and not math.isfinite(item):
            raise _bad(name, value, "expected a finite number")


def _duration_unit(name: str) -> int | None:
    """Seconds per unit if the setting is a duration (by a word of its name), else None."""
    units = [_DURATION_UNITS[word] for word in name.split("_") if word in _DURATION_UNITS]
    return max(units) if units else None


def _check_number(name: str, value: object, default: int | float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(name, value, "expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad(name, value, "expected a finite number")
    if isinstance(default, int) and isinstance(value, float) and not value.is_integer():
        raise _bad(name, value, "expected a whole number")
    # Scrapy's priority adjustments move requests up or down the queue: negative on purpose.
    if value < 0 and "PRIORITY" not in name and default >= 0:
        raise _bad(name, value, "must not be negative")
    if name in AT_LEAST_ONE and value < AT_LEAST_ONE[name]:
        raise _bad(name, value, "must be at least 1")
    if value <= 0 and name in ABOVE_ZERO:
        raise _bad(name, value, "must be above 0")
    if value >= 1 and name in BELOW_ONE:
        raise _bad(name, value, "must be below 1")
    unit = _duration_unit(name)
    ceiling = MAX_NUMBER if unit is None else MAX_DURATION_SECONDS // unit
    if abs(value) > ceiling:
        what = "2**53" if unit is None else "ten years"
        raise _bad(name, value, f"must be at most {ceiling} ({what})")
    return int(value) if isinstance(default, int) else value


def _import_problem(path: object) -> str | None:
    """Why ``path`` cannot be loaded the way Scrapy loads components, or None."""
    if not isinstance(path, str) or not path.strip():
        return f"{_shown(path)} is not a Python path"
    try:
        importlib.import_module(path)  # a module (SCHEDULER_SERIALIZER, SPIDER_MODULES)
        return None
    except Exception as exc:  # not a module: maybe an object in one
        problem: Exception = exc
    if "." in path:
        try:
            load_object(path)
            return None
        except Exception as exc:
            problem = exc
    reason = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
    return f"cannot import {path} ({reason})"


def _check_text(name: str, text: str, default: str) -> str:
    _check_scalars(name, text)
    if default.strip() and not text.strip():
        raise _bad(name, text, "must not be empty")
    if name in CHOICES and text not in CHOICES[name]:
        raise _bad(name, text, f"expected one of {', '.join(CHOICES[name])}")
    if name == "NEWS_KEY_PREFIX" and not _KEY_PREFIX.fullmatch(text):
        raise _bad(name, text, "use 1 to 100 letters, digits, '-', '_' or '.'")
    if _DOTTED_PATH.fullmatch(default) and text != default:
        if name == "REFERRER_POLICY" and text in _referrer_policy_names():
            return text
        problem = _import_problem(text)
        if problem:
            raise _bad(name, text, problem)
    return text


def _referrer_policy_names() -> set[str]:
    from scrapy.spidermiddlewares import referer

    return {getattr(referer, n) for n in dir(referer) if n.startswith("POLICY_")}


def _check_list(name: str, value: object, default: list[Any] | tuple[Any, ...]) -> list[Any]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise _bad(name, value, "expected a JSON list or comma-separated values")
    kinds = {type(item) for item in default}
    if kinds == {int}:  # status codes, ports: "500,502" arrives as text
        try:
            value = [int(item) if isinstance(item, str) else item for item in value]
        except ValueError:
            raise _bad(name, value, "expected whole numbers") from None
        if any(isinstance(item, bool) or not isinstance(item, int) for item in value):
            raise _bad(name, value, "expected whole numbers")
    elif kinds == {str} or name in TEXT_LISTS:
        if any(not isinstance(item, str) for item in value):
            raise _bad(name, value, "expected a list of text values")
    elif any(isinstance(item, (bool, float, list, dict)) or item is None for item in value):
        raise _bad(name, value, "expected a list of text values or whole numbers")
    return value


def _check_dict(name: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(name, value, "expected a JSON object")
    if name in PRIORITY_DICTS:
        for path, order in value.items():
            problem = _import_problem(path)
            if problem:
                raise _bad(name, value, problem)
            if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
                raise _bad(name, value, f"the order of {path} must be a whole number or null")
    elif name in COMPONENT_TABLES:
        for key, path in value.items():
            problem = None if path is None else _import_problem(path)
            if problem:
                raise _bad(name, value, f"{key}: {problem}")
    elif name == "DEFAULT_REQUEST_HEADERS" and any(not isinstance(v, str) for v in value.values()):
        raise _bad(name, value, "header values must be text")
    return value


def _check_feeds(settings: Settings) -> None:
    """Every FEEDS entry names a format and a storage Scrapy has, and options it can use:
    Scrapy itself only logs an unknown format and runs the crawl without the feed."""
    formats = settings.getwithbase("FEED_EXPORTERS")
    storages = settings.getwithbase("FEED_STORAGES")
    for uri, options in settings.getdict("FEEDS").items():
        value = {uri: options}
        if not isinstance(options, dict):
            raise _bad("FEEDS", value, "each feed's options must be a JSON object")
        scheme = urlsplit(uri).scheme if re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", uri) else ""
        if not uri.strip() or scheme not in storages or storages[scheme] is None:
            raise _bad("FEEDS", value, f"no feed storage for {uri!r}")
        fmt = options.get("format")
        if fmt not in formats or formats[fmt] is None:
            known = ", ".join(sorted(k for k, v in formats.items() if v))
            raise _bad("FEEDS", value, f"format must be one of {known}")
        for key, kinds in _FEED_TYPES.items():
            if key in options and not isinstance(options[key], kinds):
                raise _bad("FEEDS", value, f"{key} has the wrong type")
        if "encoding" in options:
            try:
                codecs.lookup(options["encoding"])
            except (LookupError, TypeError):
                raise _bad("FEEDS", value, "unknown encoding") from None
        paths = [options[k] for k in _FEED_PATHS if options.get(k) is not None]
        for key in _FEED_PATH_LISTS:
            listed = options.get(key) or []
            paths += listed if isinstance(listed, list) else [listed]
        for path in paths:
            problem = _import_problem(path)
            if problem:
                raise _bad("FEEDS", value, problem)


def _check_value(name: str, value: object, raw: str, settings: Settings) -> object:
    """The value to set for ``-s NAME=...``, checked against what the setting takes."""
    default = _default(settings, name)
    if isinstance(default, str):  # a text setting takes the text as typed ("1.50" stays)
        return _check_text(name, value if isinstance(value, str) else raw, default)
    _check_scalars(name, value)
    if default is None:
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"0", "1", "true", "false", "yes", "no"}:
            return str(value).lower() in {"1", "true", "yes"}
        raise _bad(name, value, "expected true or false")
    if isinstance(default, (int, float)):
        return _check_number(name, value, default)
    if isinstance(default, (list, tuple)):
        return _check_list(name, value, default)
    # Scrapy keeps dict settings (ITEM_PIPELINES, DOWNLOAD_HANDLERS ...) as BaseSettings.
    if isinstance(default, (dict, BaseSettings)):
        return _check_dict(name, value)
    return value


def _check_together(settings: Settings, names: set[str]) -> None:
    """Settings read as a whole by a component, parsed now as it will parse them."""
    for name, networks, hosts in (
        ("NEWS_ALLOW_NETWORKS", settings.getlist("NEWS_ALLOW_NETWORKS"), ()),
        ("NEWS_ALLOW_HOSTS", (), settings.getlist("NEWS_ALLOW_HOSTS")),
    ):
        if name in names:
            try:
                AddressPolicy.from_values(False, networks, hosts)
            except ValueError as exc:
                raise _bad(name, settings.getlist(name), str(exc)) from None
    if names & {"FEEDS", "FEED_EXPORTERS", "FEED_STORAGES"}:
        _check_feeds(settings)
    if "SPIDER_MODULES" in names:
        for module in settings.getlist("SPIDER_MODULES"):
            problem = _import_problem(module)
            if problem:
                raise _bad("SPIDER_MODULES", module, problem)


def build_settings(
    overrides: Iterable[str] = (),
    *,
    redis_url: str | None = None,
    database_url: str | None = None,
    allow_private: bool = False,
) -> Settings:
    """Project settings with the command line's choices applied on top."""
    # The project's settings module directly, not scrapy.cfg: `newscrawl` runs from any folder.
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    known_news = {n for n in dir(project_settings) if n.startswith("NEWS_")}
    given = set()
    for text in overrides:
        name, value = parse_override(text)
        if name.startswith("NEWS_") and name not in known_news:
            raise ConfigError(f"unknown setting {name} (see crawler/settings.py)")
        raw = text.partition("=")[2]
        settings.set(name, _check_value(name, value, raw, settings), priority="cmdline")
        given.add(name)
    _check_together(settings, given)
    if redis_url:
        settings.set("NEWS_REDIS_URL", redis_url, priority="cmdline")
    if database_url:
        settings.set("NEWS_DATABASE_URL", database_url, priority="cmdline")
    if allow_private:
        settings.set("NEWS_ALLOW_PRIVATE", True, priority="cmdline")
    return settings
