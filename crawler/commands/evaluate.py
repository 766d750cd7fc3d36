"""``eval``: extraction quality on a labelled folder, trafilatura measured in the same run."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import IO

from crawler.commands.common import EXIT_OK, fail


def cmd_eval(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.evaluation import evaluate_folder, format_report, report_to_json

    if not Path(args.folder).is_dir():
        fail(f"not a folder: {args.folder}")
    try:
        report = evaluate_folder(args.folder, None if args.baseline == "none" else args.baseline)
    except ValueError as exc:
        fail(str(exc))
    text = json.dumps(report_to_json(report), indent=2) if args.json else format_report(report)
    out.write(text + "\n")
    return EXIT_OK
