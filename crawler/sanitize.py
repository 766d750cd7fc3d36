"""Text from Redis or the web made safe for where newscrawl shows it: terminal, JSON, CSV.

Anyone who can write to Redis or serve a page chooses some of the text newscrawl prints:
host names, worker ids, titles, URLs, error messages. ``printable`` is the one function
that makes such text safe for a terminal: it removes ANSI escape sequences and control
characters (C0, DEL, C1, bidirectional overrides, lone surrogates), so no page can move the
cursor, rewrite a line, recolour the screen or hide text in an operator's terminal.
``json_text`` writes JSON whose non-ASCII text stays readable while every such character is
\\u-escaped, and ``csv_cell`` keeps a spreadsheet from running a field as a formula.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

# ANSI escape sequences, removed whole (not just their ESC) so that no "[31m" is left over:
# CSI (ESC [ or 8-bit 0x9b: parameters, intermediates, a final byte), the string commands
# OSC, DCS, SOS, PM and APC up to their terminator (BEL, ESC \ or 0x9c; an OSC 8 hyperlink
# carries a URL, hence the 4096 characters), and the other two- and three-byte escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# Line breaks and tabs become a space (words stay apart, no line is added); every other
# control character goes: C0, DEL, C1 (0x85 NEL included), and the bidirectional
# embeddings, overrides and isolates that make a terminal show text in another order
# ("Trojan Source", CVE-2021-42574).
_SPACES = "\t\n\v\f\r\x85\u2028\u2029"
_REMOVED = [
    *(chr(c) for c in range(0x20) if chr(c) not in _SPACES),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0) if chr(c) not in _SPACES),
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
]
_ONE_LINE = str.maketrans({**dict.fromkeys(_REMOVED), **dict.fromkeys(_SPACES, " ")})
_LINES = str.maketrans({**dict.fromkeys(_REMOVED), **dict.fromkeys(_SPACES, " "), "\n": "\n"})
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw that a terminal would act on: DEL, C1,
# the bidirectional controls, the Unicode line separators, lone surrogates.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
# Cells a spreadsheet reads as a formula start with one of these (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def printable(text: object, *, newlines: bool = False) -> str:
    """``text`` without escape sequences or control characters, safe on a terminal.

    Line breaks and tabs become spaces, so that the result is one line, unless
    ``newlines`` keeps ``\\n`` (a CR LF pair counts as one ``\\n``) where a line break is
    intended: a multi-line report, a traceback in a log.
    """
    text = text if isinstance(text, str) else str(text)
    if newlines:
        text = text.replace("\r\n", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_LINES if newlines else _ONE_LINE)
    return _SURROGATE.sub("\ufffd", text)


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, with what a terminal would act on escaped.

    json.dumps escapes C0 characters itself; DEL, C1, the bidirectional controls, line
    separators and lone surrogates are left raw by ``ensure_ascii=False``. They can only
    occur inside JSON strings, where ``\\uXXXX`` stands for the same character: the JSON
    decodes to the very same value.
    """
    text = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def csv_cell(value: Any) -> Any:
    """A CSV field that no spreadsheet runs: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class PrintableFormatter(logging.Formatter):
    """Log lines through ``printable`` (line breaks kept: tracebacks, multi-line reports)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record), newlines=True)


class PrintableLogRecord(logging.LogRecord):
    """A log record whose message goes through ``printable``, whichever handler shows it
    (for a process such as a worker, whose handlers Scrapy installs and replaces)."""

    def getMessage(self) -> str:
        return printable(super().getMessage(), newlines=True)
