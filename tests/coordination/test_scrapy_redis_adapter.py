"""The adaptations of scrapy-redis listed in crawler/coordination/scrapy_redis_adapter.py.

Numbers refer to the module docstring. Each test also shows, where it can, what unadapted
scrapy-redis does with the same input, so that a test keeps meaning something if scrapy-redis
changes. Tests that need the workers' FrontierService use the real Redis; nothing here
starts a reactor (the crawl tests run the whole scheduler in worker processes).
"""

from __future__ import annotations

import inspect
import json
import warnings
from types import SimpleNamespace

import pytest
import redis
from scrapy import Spider, signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from scrapy_redis.queue import Base as RedisQueueBase
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.config import build_settings
from crawler.coordination import codec
from crawler.coordination import scrapy_redis_adapter as adapter
from crawler.coordination.queue import LeaseQueue
from crawler.coordination.scheduler import FrontierScheduler
from crawler.coordination.scrapy_redis_adapter import (
    FrontierSpiderMixin,
    StatsWithoutSpider,
    checked_dupefilter,
)
from crawler.coordination.seen import RecentLinksFilter
from crawler.coordination.service import FrontierService


class MemoryFilterSubclass(RFPDupeFilter):
    """Still a per-process filter, whatever its name."""


class RecordingQueue:
    """Stands in for a queue; records every call."""

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


def _stock_scheduler(items=(), stats=None, persist=False):
    scheduler = RedisScheduler(server=None, persist=persist)
    scheduler.queue = RecordingQueue(items)
    scheduler.df = RecordingDupeFilter()
    scheduler.stats = stats
    scheduler.spider = None
    return scheduler


class _Crawler:
    """What the scheduler and the service read of a crawler: settings, stats, the spider."""

    def __init__(self, settings):
        self.settings = settings
        self.stats = MemoryStatsCollector(self)
        self.spider = Spider(name="adapter-test")
        self.spider.crawler = self


@pytest.fixture
def worker_crawler(redis_url, key_prefix):
    """A crawler with the project's settings on this test's Redis prefix."""
    return _Crawler(build_settings([f"NEWS_KEY_PREFIX={key_prefix}"], redis_url=redis_url))


# --- the plug points are used, the methods are scrapy-redis's own ----------------------------


def test_only_wiring_and_lifecycle_are_overridden():
    own = {name for name, value in vars(FrontierScheduler).items() if callable(value) or
           isinstance(value, classmethod)}  # fmt: skip
    assert own == {"from_crawler", "open", "close"}
    for name in ("enqueue_request", "next_request", "has_pending_requests", "flush", "__len__"):
        assert getattr(FrontierScheduler, name) is getattr(RedisScheduler, name)


def test_project_settings_name_the_plug_points():
    settings = build_settings()
    assert settings.get("SCHEDULER_QUEUE_CLASS") == "crawler.coordination.queue.LeaseQueue"
    assert settings.get("SCHEDULER_SERIALIZER") == "crawler.coordination.codec"
    assert settings.getbool("SCHEDULER_PERSIST") is True
    assert settings.get("DUPEFILTER_CLASS") == "crawler.coordination.seen.RecentLinksFilter"
    assert issubclass(LeaseQueue, RedisQueueBase)


@pytest.mark.integration
def test_from_crawler_plugs_the_workers_service_into_scrapy_redis(worker_crawler):
    scheduler = FrontierScheduler.from_crawler(worker_crawler)
    service = FrontierService.from_crawler(worker_crawler)
    assert scheduler.server is service.client  # 1: the project's client, not REDIS_* settings
    assert scheduler.persist is True
    assert scheduler.serializer is codec
    assert isinstance(scheduler.stats, StatsWithoutSpider)
    # scrapy-redis's own open() builds the queue and the filter from the plug points
    RedisScheduler.open(scheduler, worker_crawler.spider)
    assert isinstance(scheduler.queue, LeaseQueue)
    assert isinstance(scheduler.df, RecentLinksFilter)
    assert scheduler.queue.frontier is service.frontier
    assert scheduler.queue.worker_id == service.worker_id


@pytest.mark.integration
def test_one_service_per_crawler(worker_crawler):
    assert FrontierService.from_crawler(worker_crawler) is FrontierService.from_crawler(
        worker_crawler
    )
    other = _Crawler(worker_crawler.settings)
    assert FrontierService.from_crawler(other) is not FrontierService.from_crawler(worker_crawler)


@pytest.mark.integration
def test_enqueue_runs_the_local_filter_then_buffers_without_a_round_trip(worker_crawler):
    scheduler = FrontierScheduler.from_crawler(worker_crawler)
    RedisScheduler.open(scheduler, worker_crawler.spider)
    link = Request("https://a.example/story-one-two-three")
    assert scheduler.enqueue_request(link) is True
    assert scheduler.enqueue_request(link.replace()) is False  # queued recently: skipped here
    assert scheduler.enqueue_request(link.replace(dont_filter=True)) is True
    assert scheduler.queue.frontier.round_trips == 0  # pushes wait for the next sync
    assert len(scheduler.queue._push) == 2


# --- 3: close and flush never delete shared state ---------------------------------------------


def test_unadapted_scrapy_redis_flushes_the_shared_queue_on_close():
    scheduler = _stock_scheduler()
    scheduler.close("finished")
    assert ("clear",) in scheduler.queue.calls and scheduler.df.calls == ["clear"]


@pytest.mark.integration
def test_even_a_flush_leaves_the_shared_frontier_alone(worker_crawler, redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.set(f"{key_prefix}:req", "shared")  # stands for the shared queue
    scheduler = FrontierScheduler.from_crawler(worker_crawler)
    RedisScheduler.open(scheduler, worker_crawler.spider)
    scheduler.persist = False  # an operator's -s SCHEDULER_PERSIST=false
    RedisScheduler.close(scheduler, "finished")  # scrapy-redis flushes queue and filter
    assert client.get(f"{key_prefix}:req") == "shared"


# --- 4: DUPEFILTER_CLASS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "scrapy.dupefilters.RFPDupeFilter",  # Scrapy's default: per process, never forgets
        f"{__name__}.MemoryFilterSubclass",
        "scrapy_redis.dupefilter.RFPDupeFilter",  # a round trip per link, grows for ever
        "no.such.module.Filter",
    ],
)
def test_checked_dupefilter_refuses_other_filters(path):
    with pytest.raises(NotConfigured, match="DUPEFILTER_CLASS"):
        checked_dupefilter(path)


def test_checked_dupefilter_accepts_the_local_filter():
    path = "crawler.coordination.seen.RecentLinksFilter"
    assert checked_dupefilter(path) == path


def test_scrapy_default_dupefilter_would_be_refused():
    with pytest.raises(NotConfigured):
        checked_dupefilter(get_crawler().settings.get("DUPEFILTER_CLASS"))


# --- 5: stats without the deprecated spider= argument -----------------------------------------


def test_unadapted_scrapy_redis_warns_on_every_dequeue():
    crawler = get_crawler()
    scheduler = _stock_scheduler(items=[Request("https://a.example/")], stats=crawler.stats)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.next_request()
    assert any("spider" in str(w.message) for w in caught)


def test_stock_enqueue_and_next_request_count_without_warnings_through_the_adapter():
    crawler = get_crawler()
    first, second = Request("https://a.example/1"), Request("https://a.example/2")
    scheduler = _stock_scheduler(items=[first], stats=StatsWithoutSpider(crawler.stats))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert scheduler.enqueue_request(second) is True
        assert scheduler.next_request() is first
        assert scheduler.next_request() is None
    assert caught == []
    assert crawler.stats.get_value("scheduler/enqueued/redis") == 1
    assert crawler.stats.get_value("scheduler/dequeued/redis") == 1


def test_stats_adapter_signature():
    assert "spider" in inspect.signature(StatsWithoutSpider.inc_value).parameters


# --- 6: JSON, never pickle --------------------------------------------------------------------


class _Spider(Spider):
    name = "serializer-test"


def test_scrapy_redis_encodes_through_the_codec_as_json_text():
    spider = _Spider()
    queue = RedisQueueBase(server=None, spider=spider, key="k", serializer=codec)
    request = Request("https://a.example/", body=b"\x00\x80\xff", meta={"k": [b"x", 1, None]})
    text = queue._encode_request(request)
    assert isinstance(text, str) and not text.startswith("\x80")  # not a pickle header
    assert json.loads(text)["host"] == "a.example"
    back = queue._decode_request(text)
    assert back.url == request.url and back.body == request.body
    assert back.meta == {"k": [b"x", 1, None]}


def test_the_codec_refuses_to_smuggle_objects():
    with pytest.raises(TypeError):
        codec.dumps({"url": "https://a.example/", "cb_kwargs": {"obj": object()}})
    forged = json.dumps(
        {"v": 1, "host": "a", "request": {"url": "https://a/", "_class": "os.system"}}
    )
    with pytest.raises(codec.RequestDecodeError):
        codec.loads(forged)


# --- 8: Scrapy's stats collector, not scrapy-redis's -------------------------------------------


def test_workers_keep_scrapys_stats_collector():
    assert build_settings().get("STATS_CLASS") == "scrapy.statscollectors.MemoryStatsCollector"


# --- 2 and 7: the spider mixin ----------------------------------------------------------------


def test_start_is_an_async_generator_that_yields_nothing():
    import asyncio

    spider = FrontierSpiderMixin()
    generator = spider.start()
    assert inspect.isasyncgen(generator)

    async def collect():
        return [item async for item in generator]

    assert asyncio.run(collect()) == []


class FakeFrontier:
    def __init__(self, drained=True):
        self.is_drained = drained

    def drained(self):
        return self.is_drained


class FakeSignals:
    def __init__(self):
        self.connected = []

    def connect(self, receiver, signal):
        self.connected.append((receiver, signal))


def _spider(exit_when_drained=True, grace=2.0, frontier=None):
    from scrapy.settings import Settings

    settings = Settings({"NEWS_EXIT_WHEN_DRAINED": exit_when_drained,
                         "NEWS_DRAIN_GRACE_SECONDS": grace})  # fmt: skip
    crawler = SimpleNamespace(settings=settings, signals=FakeSignals())
    spider = FrontierSpiderMixin()
    spider.crawler = crawler
    spider.setup_frontier(crawler, (frontier or FakeFrontier()).drained)
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
    spider = _spider()
    assert spider.crawler.signals.connected == [(spider._on_idle, signals.spider_idle)]
    assert spider._drained_since is None  # no timer at setup


def test_drain_timer_starts_when_idle_is_first_seen(clock):
    clock.t = 10_000.0  # long after import and setup: must not count
    spider = _spider(grace=2.0, frontier=FakeFrontier(drained=True))
    clock.t = 20_000.0
    assert _closes(spider) is False  # first drained idle: the timer starts now
    assert spider._drained_since == 20_000.0
    clock.t = 20_001.99
    assert _closes(spider) is False
    clock.t = 20_002.0
    assert _closes(spider) is True


def test_work_resets_the_drain_timer(clock):
    frontier = FakeFrontier(drained=True)
    spider = _spider(grace=2.0, frontier=frontier)
    clock.t = 100.0
    assert _closes(spider) is False
    frontier.is_drained = False
    clock.t = 101.5
    assert _closes(spider) is False
    assert spider._drained_since is None
    frontier.is_drained = True
    clock.t = 103.0
    assert _closes(spider) is False  # the grace counts again from 103
    clock.t = 104.9
    assert _closes(spider) is False
    clock.t = 105.0
    assert _closes(spider) is True


def test_zero_grace_closes_on_the_first_drained_idle(clock):
    spider = _spider(grace=0.0, frontier=FakeFrontier(drained=True))
    clock.t = 5.0
    assert _closes(spider) is True


def test_a_worker_stays_open_unless_asked_to_exit(clock):
    spider = _spider(exit_when_drained=False, frontier=FakeFrontier(drained=True))
    for t in (0.0, 1_000.0, 1_000_000.0):
        clock.t = t
        assert _closes(spider) is False


def test_stays_open_while_the_frontier_is_not_drained(clock):
    spider = _spider(frontier=FakeFrontier(drained=False))
    clock.t = 1_000.0
    assert _closes(spider) is False


# --- why scrapy-redis's own queue and filter are not used (docs/architecture.md) -------------


def test_scrapy_redis_queues_lose_what_a_killed_worker_popped():
    """Its queues delete a request from Redis when a worker pops it: a worker killed before
    the page is handled takes the request with it. The leased queue keeps it until the ack."""
    import fakeredis
    from scrapy_redis.queue import PriorityQueue

    server = fakeredis.FakeRedis()
    queue = PriorityQueue(server=server, spider=_Spider(), key="q", serializer=codec)
    queue.push(Request("https://a.example/story"))
    assert len(queue) == 1
    assert queue.pop() is not None  # ... and the worker is killed here
    assert len(queue) == 0 and server.keys("*") == []  # nothing left to give back


def test_scrapy_redis_filter_marks_a_link_seen_before_it_is_queued():
    """Its filter adds the fingerprint in its own round trip, before and apart from the push:
    a worker killed in between leaves a URL that is seen but never queued."""
    import fakeredis
    from scrapy_redis.dupefilter import RFPDupeFilter as RedisFilter

    server = fakeredis.FakeRedis()
    dupefilter = RedisFilter(server=server, key="seen")
    assert dupefilter.request_seen(Request("https://a.example/story")) is False
    assert server.scard("seen") == 1  # seen, though no queue holds it
