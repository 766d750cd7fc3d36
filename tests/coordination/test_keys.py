"""Key names: one prefix for everything, and the Lua scripts build the same names as ``Keys``."""

from __future__ import annotations

import inspect
import re
from importlib import resources

import pytest

from crawler.coordination.keys import FixedKey, KeyFamily, Keys
from crawler.coordination.seen import SeenFilter

PREFIX = "P"
ARG = "ARG"  # the value passed to every key method that takes one

# Every script of the frontier (sync.lua and the seen-filter functions it is loaded with).
_LUA = "\n".join(
    path.read_text("utf-8")
    for path in sorted(
        resources.files("crawler.coordination").joinpath("lua").iterdir(), key=lambda p: p.name
    )
    if path.name.endswith(".lua")
)
# prefix .. ':req'   or   prefix .. ':q:' .. host
_LUA_KEY = re.compile(r"prefix\s*\.\.\s*'(:[^']*)'(\s*\.\.)?")


def _all_keys() -> set[str]:
    """Every key ``Keys`` produces, with ``ARG`` for the variable part."""
    keys = Keys(PREFIX)
    names = set()
    for name, member in inspect.getmembers(type(keys)):
        if isinstance(member, FixedKey):
            names.add(getattr(keys, name))
        elif isinstance(member, KeyFamily):
            names.add(getattr(keys, name)(ARG))
    return names


def _lua_patterns() -> list[tuple[str, bool]]:
    found = [(m.group(1), m.group(2) is not None) for m in _LUA_KEY.finditer(_LUA)]
    assert len(found) >= 15, "the regex no longer finds the script's key patterns"
    return sorted(set(found))


def test_every_key_is_under_the_prefix():
    keys = _all_keys()
    assert len(keys) >= 25
    assert all(k.startswith(f"{PREFIX}:") for k in keys)
    assert Keys(PREFIX).pattern() == f"{PREFIX}:*"


def test_keys_are_distinct():
    keys = Keys(PREFIX)
    fixed = [getattr(keys, n) for n, m in inspect.getmembers(Keys) if isinstance(m, FixedKey)]
    stems = [getattr(keys, n)("") for n, m in inspect.getmembers(Keys) if isinstance(m, KeyFamily)]
    assert len(fixed) == len(set(fixed)) and len(stems) == len(set(stems))
    assert not set(fixed) & set(stems)


def test_key_names():
    keys = Keys(PREFIX)
    assert keys.requests == "P:req" and keys.host_queue("a.example:81") == "P:q:a.example:81"
    assert keys.seen_bloom(42) == "P:seen:bloom:42" and keys.minute(7) == "P:minute:7"
    assert "request id" in Keys.requests.__doc__


@pytest.mark.parametrize(("suffix", "dynamic"), _lua_patterns())
def test_lua_key_patterns_match_keys(suffix, dynamic):
    produced = _all_keys()
    if not dynamic:
        assert f"{PREFIX}{suffix}" in produced, (
            f"a Lua script uses {suffix!r}, which Keys never names"
        )
        return
    if suffix == ":seen:":
        # ':seen:' .. p.set / pr.set: the set names SeenFilter sends to the script (checked
        # one by one in test_seen_set_names_sent_to_the_script_are_keys)
        assert {f"{PREFIX}:seen:set", f"{PREFIX}:seen:pages"} <= produced
        return
    assert f"{PREFIX}{suffix}{ARG}" in produced, (
        f"a Lua script builds keys as {suffix!r} .. <value>, which no Keys method produces"
    )


def test_seen_set_names_sent_to_the_script_are_keys():
    produced = _all_keys()
    keys = Keys(PREFIX)
    for mode, recrawl in (("set", 1), ("bloom", 0), ("bloom", 1)):
        seen = SeenFilter(keys, mode=mode, capacity=100, error_rate=0.01, recrawl_days=recrawl)
        options = seen.script_options(1_800_000_000_000)
        for prune in options["prune"]:
            assert f"{PREFIX}:seen:{prune['set']}" in produced
        for key in options.get("keys", []):
            assert key.startswith(f"{PREFIX}:seen:bloom:")
    from scrapy.http import Request

    request = Request("https://a.example/")
    exact = SeenFilter(keys, mode="set", capacity=100, error_rate=0.01, recrawl_days=0)
    for fields in (exact.push_fields(request), exact.push_fields(request, listing=True)):
        assert f"{PREFIX}:seen:{fields['set']}" in produced


def test_the_regex_finds_what_the_script_uses():
    suffixes = {s for s, _ in _lua_patterns()}
    assert {":req", ":q:", ":leases", ":leaseinfo", ":hostcfg:", ":minute:", ":worker:",
            ":seen:"} <= suffixes  # fmt: skip
