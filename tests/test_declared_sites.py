"""Every declared site against its fixtures, offline and field by field; docs/sites.md kept fresh.

The sites are whatever the registry loads (spiders/, and the demo's declaration,
tests.declared.demo): no second list. Each saved page under ``tests/sites/<name>/`` is one
test, read again by the site's current rules (``compare_fixture``); a difference names the
fields. A declared site without fixtures fails, naming the command that saves them. The
coverage table, docs/sites.md, is generated from the same registry and fixtures; the last
test fails when the file in the repository is not what the generator writes now.
"""

from __future__ import annotations

import pytest

from crawler.config import build_settings
from crawler.site_fixtures import compare_fixture, load_fixtures
from crawler.sites import SiteRegistry
from tests.crawltools import REPO
from tests.declared import WITH_DEMO

FIXTURES = REPO / "tests" / "sites"
SITES_DOC = REPO / "docs" / "sites.md"


def _registry() -> SiteRegistry:
    return SiteRegistry.load(build_settings([WITH_DEMO]))


def _cases() -> list[pytest.param]:
    """One case per fixture of every declared site; one failing case per site with none."""
    cases = []
    for site in sorted(_registry(), key=lambda s: s.name):
        fixtures = load_fixtures(FIXTURES / site.name)
        cases += [pytest.param(site.name, f, id=f"{site.name}/{f.json_path.stem}")
                  for f in fixtures]  # fmt: skip
        if not fixtures:
            cases.append(pytest.param(site.name, None, id=f"{site.name}/no-fixtures"))
    return cases


@pytest.fixture(scope="module")
def registry() -> SiteRegistry:
    return _registry()


@pytest.mark.parametrize(("name", "fixture"), _cases())
def test_site_reads_its_fixture(registry, name, fixture):
    if fixture is None:
        # The demo's declaration is outside spiders/: its command needs the demo's module.
        modules = f" -s '{WITH_DEMO}'" if name == "demo" else ""
        pytest.fail(
            f"declared site {name!r} has no fixtures in tests/sites/{name}/: run "
            f"`newscrawl sites snapshot {name}{modules}`, review the expected values, commit"
        )
    site = registry.named(name)
    assert fixture.site == name, f"{fixture.json_path} is a fixture of {fixture.site!r}"
    differences = compare_fixture(fixture, site)
    assert not differences, f"{fixture.json_path.name} ({fixture.url}):\n" + "\n".join(differences)


def test_every_declared_site_is_covered(registry):
    assert "demo" in registry.declared
    assert not registry.broken, [entry.line for entry in registry.broken]


def test_the_sites_doc_is_generated_from_the_code(registry):
    from crawler.site_docs import REGENERATE, render_sites_doc

    expected = render_sites_doc(registry, FIXTURES)
    current = SITES_DOC.read_text("utf-8") if SITES_DOC.exists() else ""
    assert current == expected, f"docs/sites.md is stale: run `{REGENERATE}` and commit it"
