"""Pins the Scrapy engine internals that crawler/coordination/engine_hooks.py reads.

A Scrapy upgrade that renames ``ExecutionEngine._slot`` or the ``_Slot`` attributes
(``inprogress``, ``nextcall``, ``closing``) must fail here, not in a crawl. No reactor is
started: the slot is built inside a plain asyncio loop, as Scrapy's asyncio support allows.
"""

from __future__ import annotations

import asyncio
import inspect
from types import SimpleNamespace

import pytest
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.http import Request
from scrapy.utils.reactor import CallLaterOnce
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.coordination import engine_hooks


def test_execution_engine_keeps_its_slot_in_slot():
    source = inspect.getsource(ExecutionEngine)
    assert "self._slot: _Slot | None = None" in source or "self._slot = None" in source
    assert "self._slot = _Slot(" in source


def test_slot_constructor_and_attributes():
    assert list(inspect.signature(_Slot.__init__).parameters) == [
        "self", "close_if_idle", "nextcall", "scheduler",
    ]  # fmt: skip

    async def build():
        calls = []
        nextcall = CallLaterOnce(calls.append, "ran")
        slot = _Slot(close_if_idle=False, nextcall=nextcall, scheduler=None)
        return slot, nextcall, calls

    slot, nextcall, _calls = asyncio.run(build())
    assert slot.inprogress == set() and isinstance(slot.inprogress, set)
    assert slot.nextcall is nextcall
    assert callable(slot.nextcall.schedule)
    assert slot.closing is None


def _crawler_with(slot):
    return SimpleNamespace(engine=SimpleNamespace(_slot=slot))


def test_hooks_read_a_real_slot():
    async def scenario():
        calls = []
        slot = _Slot(close_if_idle=False, nextcall=CallLaterOnce(calls.append, "ran"),
                     scheduler=None)  # fmt: skip
        crawler = _crawler_with(slot)
        request = Request("https://news.example/a")
        slot.add_request(request)
        in_progress = engine_hooks.requests_in_progress(crawler)
        assert in_progress is slot.inprogress and request in in_progress
        assert engine_hooks.engine_is_closing(crawler) is False

        engine_hooks.wake_engine(crawler)
        assert calls == []
        await asyncio.sleep(0.1)
        assert calls == ["ran"]  # the engine's scheduling loop was run once

        slot.closing = Deferred()
        assert engine_hooks.engine_is_closing(crawler) is True
        slot.nextcall.cancel()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "crawler",
    [
        SimpleNamespace(),  # no engine attribute at all
        SimpleNamespace(engine=None),
        SimpleNamespace(engine=SimpleNamespace(_slot=None)),  # engine before open_spider
        SimpleNamespace(engine=SimpleNamespace()),
    ],
    ids=["no-attribute", "engine-none", "slot-none", "no-slot-attribute"],
)
def test_hooks_without_a_running_engine(crawler):
    assert engine_hooks.requests_in_progress(crawler) is None
    assert engine_hooks.wake_engine(crawler) is None  # nothing to wake, no error
    # without an engine there is nothing to take work for: "closing" means "take none"
    assert engine_hooks.engine_is_closing(crawler) is True


def test_hooks_on_a_real_crawler_before_the_crawl_starts():
    # Scrapy 2.19's Crawler.engine raises RuntimeError until the crawl starts
    crawler = get_crawler()
    with pytest.raises(RuntimeError):
        _ = crawler.engine
    assert engine_hooks.requests_in_progress(crawler) is None
    assert engine_hooks.wake_engine(crawler) is None
    assert engine_hooks.engine_is_closing(crawler) is True
