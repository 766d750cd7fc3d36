"""The adaptations of scrapy-redis listed in crawler/coordination/scrapy_redis_adapter.py.

Numbers refer to the module docstring. Each test also shows, where it can, what unadapted
scrapy-redis does with the same input, so that a test keeps meaning something if scrapy-redis
changes. 4 (seeds) is covered by tests/coordination/test_frontier.py and 6 by the crawl
tests; nothing here starts a reactor.
"""

from __future__ import annotations

import inspect
import json
import warnings
from types import SimpleNamespace

import pytest
from scrapy import signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.coordination import scrapy_redis_adapter as adapter
from crawler.coordination.scrapy_redis_adapter import (
    SERIALIZER,
    AdaptedScheduler,
    FrontierSpiderMixin,
)


class MemoryFilterSubclass(RFPDupeFilter):
    """Still a per-process filter, whatever its name."""


class RecordingQueue:
    """Stands in for the shared queue; records every call."""

    def __init__(self, items=()):
        self.calls = []
        self.items = list(items)

    def push(self, request):
        self.calls.append(("push", request.url))

    def pop(self, timeout=0):
        self.calls.append(("pop",))
        return self.items.pop(0) if self.items else None

    def clear(self):
        self.calls.append(("clear",))

    def __len__(self):
        return len(self.items)


class RecordingDupeFilter:
    def __init__(self):
        self.calls = []

    def clear(self):
        self.calls.append("clear")

    def request_seen(self, request):
        self.calls.append("request_seen")
        return False


def _scheduler(cls=AdaptedScheduler, items=(), stats=None):
    scheduler = cls(server=None, persist=False)  # persist=False: scrapy-redis would flush
    scheduler.queue = RecordingQueue(items)
    scheduler.df = RecordingDupeFilter()
    scheduler.stats = stats
    scheduler.spider = None
    return scheduler


# --- 3: DUPEFILTER_CLASS ----------------------------------------------------------------------


def test_check_dupefilter_refuses_scrapys_in_memory_filter():
    crawler = get_crawler(settings_dict={"DUPEFILTER_CLASS": "scrapy.dupefilters.RFPDupeFilter"})
    with pytest.raises(NotConfigured, match="RedisSeenFilter"):
        AdaptedScheduler.check_dupefilter(crawler)


def test_check_dupefilter_refuses_subclasses_of_the_in_memory_filter():
    crawler = get_crawler(settings_dict={"DUPEFILTER_CLASS": f"{__name__}.MemoryFilterSubclass"})
    with pytest.raises(NotConfigured):
        AdaptedScheduler.check_dupefilter(crawler)


def test_check_dupefilter_accepts_the_shared_filter():
    from crawler.coordination.seen import RedisSeenFilter

    crawler = get_crawler(
        settings_dict={"DUPEFILTER_CLASS": "crawler.coordination.seen.RedisSeenFilter"}
    )
    assert AdaptedScheduler.check_dupefilter(crawler) is RedisSeenFilter


def test_scrapy_default_dupefilter_is_the_in_memory_one():
    # why 3 exists: without the setting, Scrapy's default is refused
    with pytest.raises(NotConfigured):
        AdaptedScheduler.check_dupefilter(get_crawler())


def test_project_settings_name_the_shared_filter():
    from crawler.config import build_settings
    from crawler.coordination.seen import RedisSeenFilter

    crawler = SimpleNamespace(settings=build_settings())
    assert AdaptedScheduler.check_dupefilter(crawler) is RedisSeenFilter


# --- 2: close and flush never delete shared state ---------------------------------------------


def test_unadapted_scrapy_redis_flushes_the_shared_queue_on_close():
    scheduler = _scheduler(cls=RedisScheduler)
    scheduler.close("finished")
    assert ("clear",) in scheduler.queue.calls and scheduler.df.calls == ["clear"]


@pytest.mark.parametrize("reason", ["finished", "shutdown", "cancelled"])
def test_close_never_deletes_the_shared_queue(reason):
    scheduler = _scheduler()
    scheduler.close(reason)
    assert scheduler.queue.calls == []
    assert scheduler.df.calls == []
    assert scheduler.persist is True


def test_flush_never_deletes_the_shared_queue():
    scheduler = _scheduler()
    scheduler.flush()
    assert scheduler.queue.calls == [] and scheduler.df.calls == []


# --- 8: stats without the deprecated spider= argument -----------------------------------------


def test_unadapted_scrapy_redis_warns_on_every_dequeue():
    crawler = get_crawler()
    scheduler = _scheduler(cls=RedisScheduler, items=[Request("https://a.example/")],
                           stats=crawler.stats)  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.next_request()
    assert any("spider" in str(w.message) for w in caught)


def test_enqueue_and_next_request_count_without_warnings():
    crawler = get_crawler()
    first, second = Request("https://a.example/1"), Request("https://a.example/2")
    scheduler = _scheduler(items=[first], stats=crawler.stats)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert scheduler.enqueue_request(second) is True
        assert scheduler.enqueue_request(second) is True  # duplicates are the frontier's call
        assert scheduler.next_request() is first
        assert scheduler.next_request() is None
    assert caught == []
    assert crawler.stats.get_value("scheduler/enqueued/redis") == 2
    assert crawler.stats.get_value("scheduler/dequeued/redis") == 1
    assert scheduler.queue.calls == [("push", "https://a.example/2"), ("push", "https://a.example/2"),
                                     ("pop",), ("pop",)]  # fmt: skip
    assert scheduler.df.calls == []  # the seen-filter runs in the frontier, not here


def test_enqueue_and_next_request_without_stats():
    scheduler = _scheduler(items=[Request("https://a.example/1")], stats=None)
    assert scheduler.enqueue_request(Request("https://a.example/2")) is True
    assert scheduler.next_request().url == "https://a.example/1"


def test_scheduler_methods_take_no_spider_argument():
    assert list(inspect.signature(AdaptedScheduler.enqueue_request).parameters) == [
        "self",
        "request",
    ]
    assert list(inspect.signature(AdaptedScheduler.next_request).parameters) == ["self"]


# --- 7: JSON, never pickle --------------------------------------------------------------------


def test_serializer_round_trips_bytes_as_json_text():
    value = {"url": "https://a.example/", "body": b"\x00\x80\xff", "meta": {"k": [b"x", 1, None]}}
    text = SERIALIZER.dumps(value)
    assert isinstance(text, str)
    json.loads(text)  # plain JSON text
    assert not text.startswith("\x80")  # not a pickle protocol header
    assert SERIALIZER.loads(text) == value


def test_serializer_refuses_to_smuggle_objects():
    with pytest.raises(TypeError):
        SERIALIZER.dumps({"obj": object()})


# --- 1 and 5: the spider mixin ----------------------------------------------------------------


def test_start_is_an_async_generator_that_yields_nothing():
    import asyncio

    spider = FrontierSpiderMixin()
    generator = spider.start()
    assert inspect.isasyncgen(generator)

    async def collect():
        return [item async for item in generator]

    assert asyncio.run(collect()) == []


class FakeScheduler:
    def __init__(self, drained=True):
        self.drained = drained

    def frontier_drained(self):
        return self.drained


class FakeSignals:
    def __init__(self):
        self.connected = []

    def connect(self, receiver, signal):
        self.connected.append((receiver, signal))


def _spider(exit_when_drained=True, grace=2.0, scheduler=None):
    from scrapy.settings import Settings

    settings = Settings({"NEWS_EXIT_WHEN_DRAINED": exit_when_drained,
                         "NEWS_DRAIN_GRACE_SECONDS": grace})  # fmt: skip
    crawler = SimpleNamespace(settings=settings, signals=FakeSignals(),
                              engine=SimpleNamespace(scheduler=scheduler))  # fmt: skip
    spider = FrontierSpiderMixin()
    spider.crawler = crawler
    spider.setup_frontier(crawler)
    return spider


@pytest.fixture
def clock(monkeypatch):
    now = SimpleNamespace(t=0.0)
    monkeypatch.setattr(adapter.time, "monotonic", lambda: now.t)
    return now


def _closes(spider):
    try:
        spider._on_idle()
    except DontCloseSpider:
        return False
    return True


def test_setup_frontier_connects_the_idle_handler():
    spider = _spider(scheduler=FakeScheduler())
    assert spider.crawler.signals.connected == [(spider._on_idle, signals.spider_idle)]
    assert spider._drained_since is None  # no timer at setup


def test_drain_timer_starts_when_idle_is_first_seen(clock):
    clock.t = 10_000.0  # long after import and setup: must not count
    spider = _spider(grace=2.0, scheduler=FakeScheduler(drained=True))
    clock.t = 20_000.0
    assert _closes(spider) is False  # first drained idle: the timer starts now
    assert spider._drained_since == 20_000.0
    clock.t = 20_001.99
    assert _closes(spider) is False
    clock.t = 20_002.0
    assert _closes(spider) is True


def test_work_resets_the_drain_timer(clock):
    scheduler = FakeScheduler(drained=True)
    spider = _spider(grace=2.0, scheduler=scheduler)
    clock.t = 100.0
    assert _closes(spider) is False
    scheduler.drained = False
    clock.t = 101.5
    assert _closes(spider) is False
    assert spider._drained_since is None
    scheduler.drained = True
    clock.t = 103.0
    assert _closes(spider) is False  # the grace counts again from 103
    clock.t = 104.9
    assert _closes(spider) is False
    clock.t = 105.0
    assert _closes(spider) is True


def test_zero_grace_closes_on_the_first_drained_idle(clock):
    spider = _spider(grace=0.0, scheduler=FakeScheduler(drained=True))
    clock.t = 5.0
    assert _closes(spider) is True


def test_a_worker_stays_open_unless_asked_to_exit(clock):
    spider = _spider(exit_when_drained=False, scheduler=FakeScheduler(drained=True))
    for t in (0.0, 1_000.0, 1_000_000.0):
        clock.t = t
        assert _closes(spider) is False


def test_stays_open_without_a_scheduler(clock):
    spider = _spider(scheduler=None)
    clock.t = 1_000.0
    assert _closes(spider) is False
