"""Per-site fixtures: saved article pages with the values a person reviewed, read back offline.

``newscrawl sites snapshot`` saves each fetched article page of a site under
``tests/sites/<name>/`` as two files sharing a stem ``<nn>-<slug>``: the body exactly as
fetched (``.html``) and a JSON record, ``{"url", "fetched", "site", "expected"}``, where
``fetched`` is when the page was fetched (ISO 8601, UTC, to the second) and ``expected``
holds the Article fields extraction fills (``EXPECTED_FIELDS``), as the site's own rules
read them at snapshot time (``crawler.pages.read_site_page``). A person reviews and corrects
``expected``; from then on ``compare_fixture`` reads the saved page again by the site's
current rules and names every field that differs, so that a change of extraction or of the
declaration that breaks a site shows up offline, field by field. This format is shared with
the per-site fixture tests and the generated coverage table (docs/sites.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction import decode_html
from crawler.items import ARTICLE_FIELDS
from crawler.pages import SiteReading, read_site_page
from crawler.sites import Site, SiteRegistry

# The Article fields extraction fills (url, site, duplicate_of and fetched_at are the
# crawler's, not the page's).
EXPECTED_FIELDS = tuple(
    name for name in ARTICLE_FIELDS if name not in ("url", "site", "duplicate_of", "fetched_at")
)
# A slug long enough to tell pages apart in a listing of the folder, short enough for any
# file system (255 bytes a name).
_SLUG_CHARS = 60
# How much of a differing value a difference line quotes.
_QUOTE_CHARS = 80


class FixtureError(ValueError):
    """A fixture that cannot be saved or read; the message is one line naming the file."""


@dataclass(frozen=True)
class Fixture:
    """One saved page and what a person expects the site's rules to read from it."""

    html_path: Path
    json_path: Path
    url: str
    fetched: str
    site: str
    expected: dict[str, Any]

    @property
    def body(self) -> bytes:
        """The page as it was fetched."""
        return self.html_path.read_bytes()


def read_fixture_page(site: Site, url: str, body: bytes) -> SiteReading:
    """A saved page read as a worker reads it: extraction with the site's overrides, its
    article patterns and its hooks (the page's own bytes and meta decide the charset)."""
    registry = SiteRegistry([site] if site.declared else [])
    return read_site_page(site, decode_html(body), url, registry=registry)


def expected_of(reading: SiteReading) -> dict[str, Any] | None:
    """The expected values of a reading, or None when the page is not read as an article."""
    if reading.article is None:
        return None
    data = reading.article.to_dict()
    return {name: data[name] for name in EXPECTED_FIELDS}


def save_fixture(directory: Path, site: Site, url: str, body: bytes, fetched: datetime) -> Path:
    """Save a fetched article page of ``site`` and its expected values into ``directory``
    (created if needed) as ``<nn>-<slug>.html`` and ``.json``; the JSON file's path.

    ``FixtureError`` when the site's rules do not read the page as an article: a fixture
    pins an article, and a page that is none has nothing to review.
    """
    reading = read_fixture_page(site, url, body)
    expected = expected_of(reading)
    if expected is None:
        raise FixtureError(f"{url}: not read as an article ({', '.join(reading.reasons)})")
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{_next_number(directory):02d}-{slug_of(url)}"
    html_path = directory / f"{stem}.html"
    json_path = directory / f"{stem}.json"
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    record = {
        "url": url,
        "fetched": fetched.astimezone(UTC).isoformat(timespec="seconds"),
        "site": site.name,
        "expected": expected,
    }
    html_path.write_bytes(body)
    json_path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return json_path


def _next_number(directory: Path) -> int:
    """One more than the highest number in the folder: saving again never overwrites."""
    numbers = [int(m.group(1)) for p in directory.iterdir() if (m := re.match(r"(\d+)-", p.name))]
    return max(numbers, default=0) + 1


def slug_of(url: str) -> str:
    """A file-name slug for a URL: its last path segment and query, in ``a-z0-9-``."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1].lower()) if segments else ""
    words = f"{last}-{parts.query.lower()}"
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:_SLUG_CHARS].strip("-")
    return slug or "home"


def load_fixtures(directory: Path) -> list[Fixture]:
    """The fixtures saved in ``directory``, in file-name order (none if it does not exist);
    ``FixtureError`` for a record that cannot be read or has no page beside it."""
    if not directory.is_dir():
        return []
    fixtures = []
    for json_path in sorted(directory.glob("*.json")):
        html_path = json_path.with_suffix(".html")
        try:
            record = json.loads(json_path.read_text("utf-8"))
            fixture = Fixture(
                html_path=html_path,
                json_path=json_path,
                url=str(record["url"]),
                fetched=str(record["fetched"]),
                site=str(record["site"]),
                expected=dict(record["expected"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FixtureError(f"{json_path}: not a fixture record ({exc})") from None
        if not html_path.is_file():
            raise FixtureError(f"{json_path}: its page {html_path.name} is missing")
        fixtures.append(fixture)
    return fixtures


def compare_fixture(fixture: Fixture, site: Site) -> list[str]:
    """Each field that the site's rules now read differently from what the fixture expects,
    one line each (empty when everything matches). Fields absent from ``expected`` are not
    compared, so that a reviewer can leave out a field the page does not settle."""
    reading = read_fixture_page(site, fixture.url, fixture.body)
    actual = expected_of(reading)
    if actual is None:
        return [f"not read as an article any more ({', '.join(reading.reasons)})"]
    differences = []
    for name, want in fixture.expected.items():
        if name not in actual:
            differences.append(f"{name}: not a field extraction fills")
        elif actual[name] != want:
            differences.append(_difference(name, want, actual[name]))
    return differences


def _difference(name: str, want: Any, got: Any) -> str:
    if isinstance(want, str) and isinstance(got, str):
        # Long texts differ somewhere in the middle: quote from the first difference.
        at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                  min(len(want), len(got)))  # fmt: skip
        start = max(at - 20, 0)
        return (
            f"{name}: differs at character {at}: expected "
            f"{_quote(want[start:])}, got {_quote(got[start:])}"
        )
    return f"{name}: expected {_quote(want)}, got {_quote(got)}"


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 3] + "..."
