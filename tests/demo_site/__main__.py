"""Serve the demo news site until Ctrl-C or SIGTERM.

`python -m tests.demo_site --host 127.0.0.2 --port 8461 --log data/demo-requests.jsonl`
prints the base URL and serves The Loopback Herald; with `--log`, every request is
appended to the file as a JSON line. A port that cannot be bound gets one line on stderr
and exit code 2.
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

from .content import SITE_NAME
from .server import DemoSite


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until a signal arrives, return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.demo_site", description=f"Serve {SITE_NAME}, the demo news site."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8461, help="port, 0 for any free one (default: %(default)s)"
    )
    parser.add_argument(
        "--log", type=Path, default=None, help="append each request to this file as a JSON line"
    )
    args = parser.parse_args(argv)

    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        site = DemoSite(args.host, args.port, log_path=args.log).start()
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    print(f"{SITE_NAME} is serving at {site.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        site.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
