"""Serve the unseen news site until Ctrl-C or SIGTERM.

`python -m tests.unseen_site [--hosts A,B,C,D | --hosts A] [--port 8471] [--log FILE]`
prints one line per publisher with its base URL and serves all four; with `--log`, every
request is appended to the file as a JSON line. An address or port that cannot be bound
gets one line on stderr and exit code 2.
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

from .server import DEFAULT_HOSTS, DEMO_PORT, UnseenSite


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until a signal arrives, return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.unseen_site", description="Serve the four-publisher unseen site."
    )
    parser.add_argument(
        "--hosts",
        default=",".join(DEFAULT_HOSTS),
        help="four comma-separated addresses, or one address for four ports (default: %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help="port of every address, or the first of four on one address; 0 for free ports"
        " (default: %(default)s)",
    )
    parser.add_argument(
        "--log", type=Path, default=None, help="append each request to this file as a JSON line"
    )
    args = parser.parse_args(argv)
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        site = UnseenSite(hosts[0] if len(hosts) == 1 else hosts, args.port, args.log).start()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"error: cannot serve on {args.hosts} port {args.port}: {reason}", file=sys.stderr)
        return 2
    for key, url in site.base_urls.items():
        print(f"{key:9} {site.publisher(key).name:18} {url}", flush=True)
    print("serving (Ctrl-C to stop)", flush=True)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        site.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
