"""Requests to and from JSON: round trips, what is dropped, and what is refused."""

from __future__ import annotations

import base64
import json
import logging

import pytest
import scrapy
from scrapy.http import FormRequest, JsonRequest, Request

from crawler.coordination import codec
from crawler.coordination.codec import RequestDecodeError, decode_request, encode_request


class _Spider(scrapy.Spider):
    name = "codec-test"

    def parse_article(self, response):
        return None

    def on_error(self, failure):
        return None


@pytest.fixture
def spider():
    return _Spider()


def test_round_trip_of_a_full_request(spider):
    request = Request(
        "https://news.example/a?x=1",
        method="POST",
        body=b"\x00\xff binary \x80",
        headers={"X-Token": "abc", "Accept": ["text/html", "application/xhtml+xml"]},
        cookies={"c": "1"},
        meta={"depth": 3, "site": "news", "raw": b"\x01\x02", "nested": {"k": [1, b"2", None]}},
        priority=42,
        dont_filter=True,
        callback=spider.parse_article,
        errback=spider.on_error,
        cb_kwargs={"kind": "article"},
        flags=["seed"],
    )
    payload = encode_request(request, spider)
    back = decode_request(payload, spider)
    assert type(back) is Request
    assert back.url == "https://news.example/a?x=1"
    assert back.method == "POST"
    assert back.body == b"\x00\xff binary \x80"
    assert back.headers.getlist("X-Token") == [b"abc"]
    assert back.headers.getlist("Accept") == [b"text/html", b"application/xhtml+xml"]
    assert back.cookies == {"c": "1"}
    assert back.meta == {
        "depth": 3,
        "site": "news",
        "raw": b"\x01\x02",
        "nested": {"k": [1, b"2", None]},
    }
    assert back.priority == 42
    assert back.dont_filter is True
    assert back.callback == spider.parse_article
    assert back.errback == spider.on_error
    assert back.cb_kwargs == {"kind": "article"}
    assert back.flags == ["seed"]


def test_entry_is_plain_json_with_host_and_version(spider):
    payload = encode_request(Request("https://News.example:8443/a", priority=5), spider)
    entry = json.loads(payload)
    assert entry["v"] == codec.FORMAT_VERSION
    assert entry["host"] == "news.example:8443"
    assert entry["request"]["url"] == "https://news.example:8443/a"
    assert entry["request"]["priority"] == 5
    # bytes travel as tagged base64, never as pickle
    assert entry["request"]["body"] == {"__b64__": ""}
    assert "pickle" not in payload and "\\x80" not in payload


def test_subclasses_round_trip(spider):
    form = FormRequest("https://news.example/search", formdata={"q": "x"})
    back = decode_request(encode_request(form, spider), spider)
    assert type(back) is FormRequest and back.body == b"q=x" and back.method == "POST"
    js = JsonRequest("https://news.example/api", data={"a": 1})
    back = decode_request(encode_request(js, spider), spider)
    assert type(back) is JsonRequest and json.loads(back.body) == {"a": 1}


def test_errback_name_for_requests_built_without_a_spider(spider):
    payload = encode_request(Request("https://news.example/"), errback="on_error")
    assert json.loads(payload)["request"]["errback"] == "on_error"
    assert decode_request(payload, spider).errback == spider.on_error
    # an errback of the request itself wins over the name
    payload = encode_request(Request("https://news.example/", errback=spider.on_error), spider,
                             errback="other")  # fmt: skip
    assert json.loads(payload)["request"]["errback"] == "on_error"


def test_transient_meta_keys_are_dropped(spider):
    meta = {"download_slot": "x", "download_latency": 0.3, "_lease": ("1", "2"),
            "depth_priority": 1, "keep": "me"}  # fmt: skip
    payload = encode_request(Request("https://news.example/", meta=meta), spider)
    assert json.loads(payload)["request"]["meta"] == {"keep": "me"}
    assert decode_request(payload, spider).meta == {"keep": "me"}


def test_non_json_meta_values_are_dropped_with_a_warning(spider, caplog):
    meta = {"ok": 1, "obj": object(), "deep": {"fn": len}, "tuple": (1, 2)}
    with caplog.at_level(logging.WARNING, logger="crawler.coordination.codec"):
        payload = encode_request(Request("https://news.example/p", meta=meta), spider)
    assert decode_request(payload, spider).meta == {"ok": 1, "tuple": [1, 2]}
    messages = [r.getMessage() for r in caplog.records if r.name == "crawler.coordination.codec"]
    assert len(messages) == 2
    assert all(r.levelno == logging.WARNING for r in caplog.records)
    assert any("meta['obj']" in m and "https://news.example/p" in m for m in messages)
    assert any("meta['deep'].fn" in m and "builtin_function_or_method" in m for m in messages)


def test_dumps_loads_round_trip_a_request_dict_with_bytes():
    value = {"url": "https://a.example/x", "body": b"\x00\xff", "meta": {"b": [b"x", {"c": b""}]},
             "headers": {}, "d": "text", "e": None, "f": 1.5}  # fmt: skip
    text = codec.dumps(value)
    assert isinstance(text, str)
    entry = json.loads(text)
    assert entry["v"] == codec.FORMAT_VERSION and entry["host"] == "a.example"
    assert entry["request"]["body"] == {"__b64__": base64.b64encode(b"\x00\xff").decode()}
    assert codec.loads(text) == value
    assert codec.loads(text.encode()) == value


def test_dumps_leaves_out_per_process_meta():
    value = {"url": "https://a.example/", "meta": {"download_slot": "a", "_lease": [1], "k": 1}}
    assert codec.loads(codec.dumps(value))["meta"] == {"k": 1}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not JSON"),
        (b"\x80\x81", "not JSON"),
        ("", "not JSON"),
        # a tagged value that is not base64
        ('{"v": 1, "request": {"url": "https://a.example/", "body": {"__b64__": "a"}}}', "not JSON"),
        ("[]", "version"),
        ("null", "version"),
        ('{"request": {"url": "https://a.example/"}}', "version"),
        ('{"v": 2, "request": {"url": "https://a.example/"}}', "version"),
        ('{"v": "1", "request": {"url": "https://a.example/"}}', "version"),
        ('{"v": 1}', "without a URL"),
        ('{"v": 1, "request": []}', "without a URL"),
        ('{"v": 1, "request": {"method": "GET"}}', "without a URL"),
        ('{"v": 1, "request": {"url": 5}}', "without a URL"),
        ('{"v": 1, "request": {"url": "https://a.example/", "_class": "os.system"}}', "not allowed"),
        ('{"v": 1, "request": {"url": "https://a.example/", "_class": "subprocess.Popen"}}',
         "not allowed"),
        ('{"v": 1, "request": {"url": "https://a.example/", "_class": ["x"]}}', "not allowed"),
        ('{"v": 1, "request": {"url": "https://a.example/", "callback": "no_such_method"}}',
         "cannot rebuild"),
        ('{"v": 1, "request": {"url": "https://a.example/", "priority": "high"}}', "cannot rebuild"),
        ('{"v": 1, "request": {"url": "no scheme"}}', "cannot rebuild"),
    ],
)  # fmt: skip
def test_decode_refuses(spider, payload, message):
    with pytest.raises(RequestDecodeError, match=message) as info:
        decode_request(payload, spider)
    assert "\n" not in str(info.value)


def test_forged_class_is_refused_before_anything_is_loaded(spider, monkeypatch):
    loaded = []
    monkeypatch.setattr(codec, "request_from_dict", lambda *a, **k: loaded.append(a))
    forged = json.dumps({"v": 1, "request": {"url": "https://a.example/", "_class": "os.system"}})
    with pytest.raises(RequestDecodeError):
        decode_request(forged, spider)
    assert loaded == []


def test_allowed_class_names_exist():
    from scrapy.utils.misc import load_object

    for name in codec._ALLOWED_CLASSES:
        assert issubclass(load_object(name), Request)
    # and they are the names Request.to_dict writes
    assert FormRequest("https://a.example/").to_dict()["_class"] in codec._ALLOWED_CLASSES
    assert JsonRequest("https://a.example/").to_dict()["_class"] in codec._ALLOWED_CLASSES
