"""Requests to and from JSON: what travels through Redis instead of pickle.

scrapy-redis serializes requests with pickle by default, which lets whoever can write to
Redis run code in every worker. Here a request becomes ``Request.to_dict()`` made JSON-safe
(bytes as tagged base64), plus the fields the frontier script reads (host, priority). Meta
keys that only make sense inside one process (download slot, latency, our lease) are left
out; a meta value JSON cannot hold is dropped with a warning rather than failing the page.
The module is the scrapy-redis ``SCHEDULER_SERIALIZER`` of the workers (``dumps``/``loads``).
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Request
from scrapy.utils.request import request_from_dict

from crawler.urls import host_of

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
# Per-process meta: meaningless in another worker, or ours and re-created at lease time.
_TRANSIENT_META = frozenset(
    {"download_slot", "download_latency", "_lease", "_stored", "_validators", "depth_priority"}
)
_BYTES_TAG = "__b64__"
# request_from_dict instantiates whatever class an entry names: only these may be named,
# so a forged queue entry cannot make a worker construct arbitrary objects.
_ALLOWED_CLASSES = frozenset(
    {
        "scrapy.http.request.Request",
        "scrapy.http.request.form.FormRequest",
        "scrapy.http.request.json_request.JsonRequest",
    }
)


class RequestDecodeError(ValueError):
    """A queue entry that is not a request newscrawl wrote; one-line reason."""


def _json_safe(value: Any, path: str) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return {_BYTES_TAG: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = key.decode("latin-1") if isinstance(key, bytes) else str(key)
            out[name] = _json_safe(item, f"{path}.{name}")
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(item, path) for item in value]
    raise TypeError(f"{path} holds a {type(value).__name__}, which JSON cannot carry")


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES_TAG}:
            return base64.b64decode(value[_BYTES_TAG])
        return {key: _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def dumps(request_dict: dict[str, Any]) -> str:
    """The JSON queue entry of a request given as ``Request.to_dict()`` output.

    This and ``loads`` make the module a scrapy-redis ``SCHEDULER_SERIALIZER``: the queue
    class calls them through scrapy-redis's ``_encode_request`` and ``_decode_request``.
    Per-process meta is left out, a meta value JSON cannot hold is dropped with a warning,
    and the entry carries the format version and the host the frontier script reads.
    """
    data = dict(request_dict)
    url = data.get("url")
    meta = {}
    for key, value in (data.get("meta") or {}).items():
        if key in _TRANSIENT_META:
            continue
        try:
            meta[key] = _json_safe(value, f"meta[{key!r}]")
        except TypeError as exc:
            logger.warning("Dropping meta key of %s: %s", url, exc)
    data["meta"] = meta
    entry = {"v": FORMAT_VERSION, "host": host_of(str(url)), "request": data}
    return json.dumps(_json_safe(entry, "request"), separators=(",", ":"), ensure_ascii=False)


def loads(payload: str | bytes) -> dict[str, Any]:
    """The request dict of a queue entry, checked (``RequestDecodeError`` for anything else).

    Only the request classes newscrawl writes may be named: ``request_from_dict``
    instantiates whatever class an entry names.
    """
    try:
        entry = _from_json(json.loads(payload))
    except (ValueError, TypeError) as exc:
        raise RequestDecodeError(f"not JSON: {exc}") from None
    if not isinstance(entry, dict) or entry.get("v") != FORMAT_VERSION:
        raise RequestDecodeError("not a newscrawl request entry (missing or unknown version)")
    data = entry.get("request")
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise RequestDecodeError("request entry without a URL")
    if "_class" in data and (
        not isinstance(data["_class"], str) or data["_class"] not in _ALLOWED_CLASSES
    ):
        raise RequestDecodeError(f"request class {str(data['_class'])[:80]!r} is not allowed")
    return data


def encode_request(
    request: Request, spider: Spider | None = None, *, errback: str | None = None
) -> str:
    """The JSON queue entry of a request.

    ``errback`` names a spider method for requests built without a spider (seeding).
    """
    data = request.to_dict(spider=spider)
    if errback and not data.get("errback"):
        data["errback"] = errback
    return dumps(data)


def request_of(data: dict[str, Any], spider: Spider | None = None) -> Request:
    """The request a checked request dict describes (``RequestDecodeError`` if it cannot be
    rebuilt, e.g. a callback this spider does not have)."""
    try:
        return request_from_dict(data, spider=spider)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RequestDecodeError(f"cannot rebuild the request: {exc}") from None


def entry_host(payload: str) -> str:
    """The host a queue entry is for (``RequestDecodeError`` if the entry has none)."""
    try:
        host = json.loads(payload)["host"]
    except (ValueError, TypeError, KeyError):
        raise RequestDecodeError("queue entry without a host") from None
    if not isinstance(host, str) or not host:
        raise RequestDecodeError("queue entry without a host")
    return host


def decode_request(payload: str | bytes, spider: Spider | None = None) -> Request:
    """The request of a queue entry; ``RequestDecodeError`` for anything else."""
    return request_of(loads(payload), spider)
