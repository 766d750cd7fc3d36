"""``eval``: extraction quality on a labelled folder, trafilatura measured in the same run."""

from __future__ import annotations

import argparse
import json
from typing import IO

from crawler.commands.common import EXIT_OK, existing_path, fail
from crawler.sanitize import printable


def cmd_eval(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.evaluation import evaluate_folder, format_report, report_to_json

    found = existing_path(args.folder)
    if found is None or not found.is_dir():
        fail(f"not a folder: {args.folder}")
    try:
        report = evaluate_folder(args.folder, None if args.baseline == "none" else args.baseline)
    except ValueError as exc:
        fail(str(exc))
    if args.json:
        text = json.dumps(report_to_json(report), indent=2)
    else:  # page names and texts of the labelled folder, shown on a terminal
        text = printable(format_report(report), newlines=True)
    out.write(text + "\n")
    return EXIT_OK
