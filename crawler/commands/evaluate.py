"""``eval``: extraction quality on labelled folders, trafilatura measured in the same run."""

from __future__ import annotations

import argparse
from typing import IO

from crawler.commands.common import EXIT_OK, existing_path, fail
from crawler.sanitize import printable


def cmd_eval(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.eval_report import run_eval

    for folder in args.folders:
        found = existing_path(folder)
        if found is None or not found.is_dir():
            fail(f"not a folder: {folder}")
    try:
        report = run_eval(
            args.folders, None if args.baseline == "none" else args.baseline, args.json
        )
    except ValueError as exc:
        fail(str(exc))
    # page names and texts of the labelled folders, shown on a terminal (JSON escapes them)
    out.write((report if args.json else printable(report, newlines=True)) + "\n")
    return EXIT_OK
