"""``make demo``: serve the demo news site on loopback and crawl it with two workers.

Serves tests/demo_site on 127.0.0.2:8461 (the address the declared site ``demo`` in
spiders/demo.py points at), runs ``newscrawl crawl demo --workers 2 --allow-private`` on
the embedded defaults (Redis from REDIS_URL, else 127.0.0.1:6379, else an embedded Redis;
SQLite at data/articles.db), and prints the crawl's summary. The demo keeps its frontier
under its own key prefix and clears it first, so every run crawls the site afresh.
"""

from __future__ import annotations

import sys

from crawler.cli import main as newscrawl
from crawler.config import build_settings, resolve_redis
from crawler.coordination.connection import connect
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from spiders.demo import DEMO_HOME
from tests.demo_site.server import DemoSite

DEMO_PREFIX = "newscrawl-demo"


def _clear_previous_run() -> None:
    settings = build_settings()
    url, embedded = resolve_redis(settings)
    if embedded is not None:
        embedded.stop()  # the crawl starts its own; this one only existed to clear keys
    client = connect(url)
    Frontier(client, Keys(DEMO_PREFIX)).clear()
    client.close()


def main() -> int:
    host, port = "127.0.0.2", int(DEMO_HOME.rsplit(":", 1)[1].strip("/"))
    try:
        site = DemoSite(host=host, port=port, log_path="data/demo-requests.jsonl")
        site.start()
    except OSError as exc:
        print(f"demo: cannot serve the demo site on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    print(f"Serving the demo news site at {site.base_url}", file=sys.stderr)
    try:
        _clear_previous_run()
        return newscrawl(
            [
                "crawl",
                "demo",
                "--workers",
                "2",
                "--allow-private",
                "--db",
                "sqlite:///data/articles.db",
                "-s",
                f"NEWS_KEY_PREFIX={DEMO_PREFIX}",
            ]
        )
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
