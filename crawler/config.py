"""Command-line configuration: ``-s NAME=VALUE`` overrides and the options every command takes.

Turns what the operator typed into Scrapy ``Settings`` on top of crawler/settings.py,
refusing malformed input with one line (``ConfigError``) before any work starts: an
override without ``=``, an unknown ``NEWS_`` setting (a typo would otherwise be silently
ignored), or a value of the wrong type for a known setting. Which Redis a command talks to
is decided in crawler/coordination/embedded.py (``redis_session``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from scrapy.settings import BaseSettings, Settings

from crawler import settings as project_settings

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


class ConfigError(ValueError):
    """Bad command-line configuration; the message is one line."""


def parse_override(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` -> (NAME, value); JSON values (numbers, true, lists, objects) decoded."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not name.replace("_", "").isalnum() or not name.isupper():
        raise ConfigError(f"bad -s value {text!r}: expected NAME=VALUE with an upper-case NAME")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return name, value


def _check_type(name: str, value: object, settings: Settings) -> object:
    default = settings.get(name)
    if default is None:
        return value
    if isinstance(default, str):
        return value if isinstance(value, str) else json.dumps(value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"0", "1", "true", "false", "yes", "no"}:
            return str(value).lower() in {"1", "true", "yes"}
        raise ConfigError(f"bad -s value {name}={value!r}: expected true or false")
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"bad -s value {name}={value!r}: expected a number")
        if isinstance(default, int) and isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"bad -s value {name}={value!r}: expected a whole number")
        if value < 0:
            raise ConfigError(f"bad -s value {name}={value!r}: must not be negative")
        if value < AT_LEAST_ONE.get(name, 0):
            raise ConfigError(f"bad -s value {name}={value!r}: must be at least 1")
        return value
    if isinstance(default, (list, tuple)) and isinstance(value, str):
        return [part for part in value.split(",") if part]
    # Scrapy keeps dict settings (ITEM_PIPELINES, DOWNLOAD_HANDLERS ...) as BaseSettings.
    if isinstance(default, (dict, BaseSettings)) and not isinstance(value, dict):
        raise ConfigError(f"bad -s value {name}={value!r}: expected a JSON object")
    return value


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
    for text in overrides:
        name, value = parse_override(text)
        if name.startswith("NEWS_") and name not in known_news:
            raise ConfigError(f"unknown setting {name} (see crawler/settings.py)")
        settings.set(name, _check_type(name, value, settings), priority="cmdline")
    if redis_url:
        settings.set("NEWS_REDIS_URL", redis_url, priority="cmdline")
    if database_url:
        settings.set("NEWS_DATABASE_URL", database_url, priority="cmdline")
    if allow_private:
        settings.set("NEWS_ALLOW_PRIVATE", True, priority="cmdline")
    return settings
