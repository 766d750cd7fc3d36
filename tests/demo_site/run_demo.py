"""``make demo``: serve the demo news site on loopback and crawl it with two workers.

Serves tests/demo_site on 127.0.0.2:8461 (the address the declared site ``demo`` in
tests/declared/demo.py points at) and runs ``newscrawl crawl demo --workers 2 --allow-private``
into SQLite at data/articles.db. Unless ``REDIS_URL`` says otherwise, the demo uses a Redis
of its own (the embedded one, under data/), never a Redis it happens to find on the
machine, so it needs none and leaves nothing in a shared one. It keeps its frontier under
its own key prefix and clears it first, so every run crawls the site afresh.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from crawler.cli import main as newscrawl
from crawler.coordination.connection import RedisUnavailable, connect
from crawler.coordination.embedded import EmbeddedRedisError, redis_session
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.settings import NEWS_DATA_DIR, NEWS_REDIS_DEFAULT_URL, NEWS_REDIS_URL
from tests.declared import WITH_DEMO
from tests.declared.demo import DEMO_HOME
from tests.demo_site.server import DemoSite

DEMO_PREFIX = "newscrawl-demo"


def _crawl(redis_url: str) -> int:
    try:
        client = connect(redis_url)
    except RedisUnavailable as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    Frontier(client, Keys(DEMO_PREFIX)).clear()  # a fresh crawl every time
    client.close()
    return newscrawl(
        [
            "crawl",
            "demo",
            "--workers",
            "2",
            "--allow-private",
            "--redis",
            redis_url,
            "--db",
            "sqlite:///data/articles.db",
            "-s",
            f"NEWS_KEY_PREFIX={DEMO_PREFIX}",
            "-s",
            WITH_DEMO,
        ]
    )


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    host, port = "127.0.0.2", int(DEMO_HOME.rsplit(":", 1)[1].strip("/"))
    try:
        site = DemoSite(host=host, port=port, log_path="data/demo-requests.jsonl")
        site.start()
    except OSError as exc:
        print(f"demo: cannot serve the demo site on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    print(f"Serving the demo news site at {site.base_url}", file=sys.stderr)
    try:
        with redis_session(
            NEWS_REDIS_URL or None,
            default_url=NEWS_REDIS_DEFAULT_URL,
            data_dir=Path(NEWS_DATA_DIR),
            own=True,
        ) as choice:
            print(choice.line, file=sys.stderr)
            return _crawl(choice.url)
    except EmbeddedRedisError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
