"""What reaches a terminal, a JSON line or a CSV cell from Redis or the web is made harmless."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.sanitize import (
    PrintableFormatter,
    PrintableLogRecord,
    csv_cell,
    json_text,
    printable,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, ünïcödé, 日本語", "plain text, ünïcödé, 日本語"),
        ("\x1b[31mred\x1b[0m host", "red host"),  # CSI colour
        ("\x1b[2J\x1b[Hwiped", "wiped"),  # clear the screen, cursor home
        ("a\x1b[1A\x1b[2Kb", "ab"),  # cursor up, erase the line
        ("\x1b]0;pwned\x07title", "title"),  # OSC: the window title
        ("\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x9b31mc1 csi", "c1 csi"),  # the 8-bit CSI
        ("\x1bcreset", "reset"),  # RIS: full terminal reset
        ("line1\nline2\r\nline3\rx", "line1 line2  line3 x"),
        ("tab\there", "tab here"),
        ("nul\x00bell\x07del\x7fnel\x85end", "nulbelldelnel end"),
        ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),  # bidi override and isolate
        ("sep\u2028ara\u2029tor", "sep ara tor"),
        ("lone \udcff surrogate", "lone \ufffd surrogate"),
        ("\x1b]unterminated", "unterminated"),  # no terminator: the two-byte escape goes
    ],
)
def test_printable_strips_what_a_terminal_would_act_on(raw, shown):
    assert printable(raw) == shown


def test_printable_keeps_intended_line_breaks_only_when_asked():
    text = "Sample:\r\n  title \x1b[5mblink\x1b[0m\n  text\tend\r"
    assert printable(text, newlines=True) == "Sample:\n  title blink\n  text end "
    assert "\n" not in printable(text)


def test_printable_takes_any_value():
    assert printable(42) == "42" and printable(None) == "None"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None)))
def test_printable_never_leaves_a_control_character(text):
    shown = printable(text)
    assert all(
        not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000) for c in shown
    )
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    shown.encode("utf-8")  # writable to any UTF-8 stream
    assert printable(shown) == shown  # idempotent


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(st.characters(codec=None)),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(st.characters(codec=None), max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    )
)
def test_json_text_is_json_of_the_same_value_without_raw_controls(value):
    text = json_text(value)
    assert json.loads(text) == value
    assert printable(text) == text  # nothing a terminal acts on is left raw
    assert "\n" not in text


def test_json_text_keeps_readable_text_readable():
    assert json_text({"title": "Zürich «ça» \x1b[31m"}) == '{"title": "Zürich «ça» \\u001b[31m"}'
    assert json_text("\x9b\u202e") == '"\\u009b\\u202e"'


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_neutralises_formula_prefixes(prefix):
    assert csv_cell(f'{prefix}HYPERLINK("https://evil.example")') == (
        f'\'{prefix}HYPERLINK("https://evil.example")'
    )


@pytest.mark.parametrize("value", ["Plain title", " =not at the start", "", "a=b", None, 3])
def test_csv_cell_leaves_everything_else(value):
    assert csv_cell(value) == value


def _record(message, *args):
    return logging.LogRecord("t", logging.WARNING, __file__, 1, message, args, None)


def test_printable_formatter_and_record():
    record = _record("Skipping %s: %s is not a page", "https://x.example/", "\x1b[31mtext/x")
    assert PrintableFormatter().format(record) == (
        "Skipping https://x.example/: text/x is not a page"
    )
    hostile = PrintableLogRecord(
        "t", logging.INFO, __file__, 1, "host %s", ("\x1b]0;t\x07h",), None
    )
    assert hostile.getMessage() == "host h"
