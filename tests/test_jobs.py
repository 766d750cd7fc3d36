"""The crawl job's report: what ``newscrawl crawl`` prints at the end and while it runs."""

from __future__ import annotations

import io

from crawler.coordination.keys import Keys
from crawler.jobs import CrawlSummary, _progress, format_summary

HOSTILE = "\x1b[2J\x1b[H\x1b]0;owned\x07"


def _no_controls(text: str) -> bool:
    return not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)


def test_summary_shows_web_text_without_escape_codes_or_forged_lines():
    summary = CrawlSummary(
        pages=3,
        articles=1,
        per_site={f"evil{HOSTILE}.example": 1},
        drained=True,
        worker_exit_codes=[0],
        sample={
            "title": f"Title{HOSTILE}\nCrawl finished in 0.1 s",
            "url": f"https://evil.example/{HOSTILE}",
            "authors": ["Ann\x1b[31m", "Bob\rEve"],
            "published": None,
            "text": f"First paragraph.{HOSTILE}\n\nSecond\u202eparagraph.",
        },
    )
    text = format_summary(summary)
    assert _no_controls(text)
    assert "\u202e" not in text
    assert "  title      Title Crawl finished in 0.1 s" in text.splitlines()  # one line
    assert "    evil.example" in text
    assert "  authors    Ann, Bob Eve" in text.splitlines()
    assert "    Secondparagraph." in text.splitlines()


class _ScheduleBook:
    """The schedule's part of the status, full of escape codes as well."""

    def __init__(self, client, keys):
        pass

    def leader(self):
        return HOSTILE

    def skipped(self):
        return {HOSTILE: {"backlog": 5}}


class _Frontier:
    """Enough of a frontier for one progress line, with a worker id full of escape codes."""

    keys = Keys("p")
    client = None

    def counts(self):
        return {"queued": 1, "leased": 0, "dead": 0, "seen": 0, "capped_hosts": 0}

    def workers(self):
        return [(HOSTILE, 0.0, {"state": "running"})]

    def totals(self):
        return {"pages": "2"}

    def minute_counters(self, minutes):
        return [{} for _ in minutes]

    def seedings(self):
        return {}

    def queued_per_host(self):
        return {HOSTILE: 1}

    def leased_per_worker(self):
        return {}

    def slowed_hosts(self):
        return {HOSTILE: "86400"}

    def cut_templates(self):
        return {HOSTILE: ["/{w}/?page={n}"]}

    def capped_hosts(self):
        return [HOSTILE]


def test_progress_line_is_printable(monkeypatch):
    monkeypatch.setattr("crawler.status.ScheduleBook", _ScheduleBook)
    from crawler.config import build_settings

    out = io.StringIO()
    _progress(out, _Frontier(), "redis://127.0.0.1:1/0", build_settings(), {"totals": {}}, 0.0)
    line = out.getvalue()
    assert line.count("\n") == 1 and _no_controls(line)
    assert "pages      2" in line
