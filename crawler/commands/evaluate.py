"""``eval``: extraction quality on labelled folders, trafilatura measured in the same run."""

from __future__ import annotations

import argparse
from typing import IO

from crawler.commands.common import EXIT_OK, fail


def cmd_eval(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.eval_report import run_eval

    try:
        report = run_eval(
            args.folders, None if args.baseline == "none" else args.baseline, args.json
        )
    except ValueError as exc:
        fail(str(exc))
    out.write(report + "\n")
    return EXIT_OK
