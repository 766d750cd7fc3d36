"""The per-site fixture API the tests use: ``crawler.site_fixtures``, or a stand-in until it lands.

``crawler/site_fixtures.py`` (written with ``newscrawl sites snapshot``) owns the fixture
format: ``tests/sites/<name>/<nn>-<slug>.html`` and ``.json`` = ``{"url", "fetched", "site",
"expected"}``. Until that module is merged, this helper installs a minimal stand-in under
the same name, with the same functions and the same format (``save_fixture``,
``load_fixtures``, ``compare_fixture``, ``Fixture``), so that the per-site tests and the
coverage table (crawler/site_docs.py) run now. Once the real module is importable the
stand-in is never used, and this file can go.
"""

from __future__ import annotations

import json
import re
import sys
import types
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

try:
    import crawler.site_fixtures as site_fixtures
except ModuleNotFoundError as missing:  # the snapshot branch has not landed yet
    if missing.name != "crawler.site_fixtures":
        raise
    site_fixtures = None

if site_fixtures is None:
    from crawler.extraction import decode_html
    from crawler.pages import SiteReading, read_site_page
    from crawler.sites import Site, SiteRegistry

    # The Article fields extraction fills, as the snapshot command saves them.
    EXPECTED_FIELDS = ("title", "authors", "published", "modified", "language",
                       "description", "image", "tags", "text")  # fmt: skip

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
            return self.html_path.read_bytes()

    def _reading(site: Site, url: str, body: bytes) -> SiteReading:
        registry = SiteRegistry([site] if site.declared else [])
        return read_site_page(site, decode_html(body), url, registry=registry)

    def _expected(reading: SiteReading) -> dict[str, Any] | None:
        if reading.article is None:
            return None
        data = reading.article.to_dict()
        return {name: data[name] for name in EXPECTED_FIELDS}

    def save_fixture(directory: Path, site: Site, url: str, body: bytes,
                     fetched: datetime) -> Path:  # fmt: skip
        expected = _expected(_reading(site, url, body))
        if expected is None:
            raise ValueError(f"{url}: not read as an article")
        directory.mkdir(parents=True, exist_ok=True)
        numbers = [int(m[1]) for p in directory.iterdir() if (m := re.match(r"(\d+)-", p.name))]
        segments = [s for s in urlsplit(url).path.split("/") if s]
        slug = re.sub(r"[^a-z0-9]+", "-", segments[-1].lower() if segments else "").strip("-")
        stem = f"{max(numbers, default=0) + 1:02d}-{slug or 'home'}"
        record = {
            "url": url,
            "fetched": fetched.astimezone(UTC).isoformat(timespec="seconds"),
            "site": site.name,
            "expected": expected,
        }
        (directory / f"{stem}.html").write_bytes(body)
        json_path = directory / f"{stem}.json"
        json_path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return json_path

    def load_fixtures(directory: Path) -> list[Fixture]:
        if not directory.is_dir():
            return []
        fixtures = []
        for json_path in sorted(directory.glob("*.json")):
            record = json.loads(json_path.read_text("utf-8"))
            fixtures.append(Fixture(json_path.with_suffix(".html"), json_path, record["url"],
                                    record["fetched"], record["site"], record["expected"]))  # fmt: skip
        return fixtures

    def compare_fixture(fixture: Fixture, site: Site) -> list[str]:
        actual = _expected(_reading(site, fixture.url, fixture.body))
        if actual is None:
            return ["not read as an article any more"]
        return [
            f"{name}: expected {want!r}, got {actual.get(name)!r}"
            for name, want in fixture.expected.items()
            if actual.get(name) != want
        ]

    site_fixtures = types.ModuleType("crawler.site_fixtures", __doc__)
    for _name in ("EXPECTED_FIELDS", "Fixture", "save_fixture", "load_fixtures",
                  "compare_fixture"):  # fmt: skip
        setattr(site_fixtures, _name, globals()[_name])
    sys.modules["crawler.site_fixtures"] = site_fixtures

Fixture = site_fixtures.Fixture
save_fixture = site_fixtures.save_fixture
load_fixtures = site_fixtures.load_fixtures
compare_fixture = site_fixtures.compare_fixture
