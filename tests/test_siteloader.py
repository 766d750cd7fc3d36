"""Broken site declarations: each is one line naming its file and field, and stops no other site.

A package of site files, one broken in each way an operator breaks them (a pattern that
does not compile, a selector that does not parse, a misspelled field, a spider name two
files claim, an import that fails, a syntax error), next to two good ones: the registry,
Scrapy's own loader (``SPIDER_LOADER_CLASS``) and the command line load the good ones and
report each broken one in one line.
"""

from __future__ import annotations

import textwrap
import uuid

import pytest
from scrapy.spiderloader import get_spider_loader

from crawler.config import build_settings
from crawler.siteloader import SiteSpiderLoader
from crawler.sites import BrokenSite, SiteRegistry
from tests.test_cli import run

HEAD = "from crawler.extraction import Overrides\nfrom crawler.sites import Site\n" \
       "from spiders.news import NewsSpider\n\n\n"  # fmt: skip


def _site(name: str, fields: str) -> str:
    return HEAD + textwrap.dedent(f"""\
        class Spider(NewsSpider):
            name = {name!r}
            site = Site(name={name!r}, home="https://{name}.example/", {fields})
        """)


# file name -> (source, what its one line must say after the file name)
BROKEN = {
    "bad_regex": (_site("badregex", 'article_allow=("/ok/", "/(unclosed",)'),
                  "article_allow[1]: missing ), unterminated subpattern at position 1"),
    "bad_selector": (_site("badselector", 'overrides=Overrides(body_selector="div[")'),
                     "overrides.body_selector: 'div[': Expected ident"),
    "unknown_field": (_site("typo", 'artcle_allow=("/news/",)'),
                      "artcle_allow: unknown field of Site (its fields: name, home,"),
    "unknown_override": (_site("typo2", 'overrides=Overrides(body_selecter="div")'),
                         "overrides.body_selecter: unknown field of Overrides"),
    "bare_string": (_site("bare", 'sections=("/world/")'), "sections: a bare string"),
    "bad_name": (_site("Bad Name", ""), "name: 'Bad Name' is not a site name"),
    "import_error": (HEAD + "import no_such_module_for_newscrawl\n",
                     "import failed at line 6: ModuleNotFoundError: No module named"),
    "syntax_error": ("class Broken(:\n    pass\n", "syntax error at line 1"),
    "missing_home": (HEAD + 'class Spider(NewsSpider):\n    name = "nohome"\n'
                     '    site = Site(name="nohome")\n', "home: missing"),
    "mismatch": (HEAD + textwrap.dedent("""\
        class Spider(NewsSpider):
            name = "mismatch"
            site = Site(name="other", home="https://mismatch.example/")
        """), "name: the spider is named 'mismatch' and its Site 'other'"),
}  # fmt: skip


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A spider package of two good site files, twins, and one broken file of each kind."""
    name = f"sites_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "good.py").write_text(_site("good", 'article_allow=(r"/\\d{4}/",)'))
    (folder / "zz_good.py").write_text(_site("later", ""))
    for twin in ("twin_a", "twin_b"):
        (folder / f"{twin}.py").write_text(_site("twin", ""))
    for file, (source, _) in BROKEN.items():
        (folder / f"{file}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return name


def _settings(package):
    return build_settings([f'SPIDER_MODULES=["{package}"]'])


def test_the_good_sites_load_and_each_broken_file_is_one_line(package, caplog):
    with caplog.at_level("ERROR", logger="crawler.sites"):
        registry = SiteRegistry.load(_settings(package))
    assert sorted(registry.declared) == ["good", "later"]
    lines = [record.getMessage() for record in caplog.records]
    assert lines == [entry.line for entry in registry.broken]
    assert all("\n" not in line for line in lines)
    for file, (_, reason) in BROKEN.items():
        (line,) = [line for line in lines if line.startswith(f"{package}/{file}.py: ")]
        assert line.startswith(f"{package}/{file}.py: {reason}"), line
    (twins,) = [line for line in lines if "twin_a.py" in line]
    assert f"{package}/twin_a.py and {package}/twin_b.py: name: " in twins and "'twin'" in twins
    assert len(lines) == len(BROKEN) + 1


def test_a_command_naming_a_broken_site_gets_its_line(package):
    registry = SiteRegistry.load(_settings(package), log=False)
    for name, file in (("badregex", "bad_regex"), ("typo", "unknown_field"),
                       ("twin", "twin_a"), ("import_error", "import_error")):  # fmt: skip
        with pytest.raises(BrokenSite) as info:
            registry.resolve([name])
        assert str(info.value).startswith(f"{package}/{file}.py"), name
    assert [s.name for s in registry.resolve(["good"])] == ["good"]


def test_scrapy_loads_spiders_through_the_same_loader(package):
    """`scrapy list`, `scrapy crawl` and every worker's CrawlerProcess: no broken file stops
    them (Scrapy's own loader would raise on the first one)."""
    loader = get_spider_loader(_settings(package))
    assert isinstance(loader, SiteSpiderLoader)
    # mismatch imports: the registry, not the loader, refuses it
    assert sorted(loader.list()) == ["good", "later", "mismatch"]
    assert loader.load("good").site.name == "good"
    with pytest.raises(KeyError):
        loader.load("twin")


def test_a_module_listed_twice_is_loaded_once(package):
    loader = SiteSpiderLoader([package, f"{package}.good", "spiders", "spiders.news"])
    assert sorted(loader.list()) == ["good", "later", "mismatch", "news"]
    assert [d.name for d in loader.duplicates] == ["twin"]


def test_a_spider_package_that_does_not_import_is_reported(tmp_path, monkeypatch, caplog):
    monkeypatch.syspath_prepend(str(tmp_path))
    folder = tmp_path / "broken_package_init"
    folder.mkdir()
    (folder / "__init__.py").write_text("raise RuntimeError('half-finished edit')\n")
    settings = build_settings()
    settings.set("SPIDER_MODULES", ["spiders", "broken_package_init"])
    with caplog.at_level("ERROR", logger="crawler.sites"):
        registry = SiteRegistry.load(settings)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "broken_package_init/__init__.py: import failed at line 1: RuntimeError" in line
    assert "demo" not in registry.declared and registry.broken


# --- the command line ----------------------------------------------------------------------


def test_sites_list_shows_broken_declarations_and_exits_6(package, tmp_path):
    result = run(tmp_path, "sites", "list", "-s", f'SPIDER_MODULES=["{package}"]')
    assert result.returncode == 6, result.stderr
    listed, broken = result.stdout.split("\nbroken (not loaded, not crawled):\n")
    assert [row.split()[0] for row in listed.splitlines()[1:]] == ["good", "later"]
    assert len(broken.splitlines()) == len(BROKEN) + 1
    assert f"  {package}/bad_regex.py: article_allow[1]: " in broken
    assert result.stderr == ""  # said once, in the listing


def test_sites_list_json_marks_broken_declarations(package, tmp_path):
    import json

    result = run(tmp_path, "sites", "list", "--json", "-s", f'SPIDER_MODULES=["{package}"]')
    assert result.returncode == 6, result.stderr
    entries = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert entries["good"]["broken"] is None
    assert entries["badregex"]["broken"].startswith(f"{package}/bad_regex.py: article_allow[1]")
    assert entries["typo"]["broken"].startswith(f"{package}/unknown_field.py: artcle_allow: ")


@pytest.mark.parametrize(("name", "file"), [("badselector", "bad_selector"),
                                            ("typo", "unknown_field"), ("twin", "twin_b")])  # fmt: skip
def test_crawl_of_a_broken_site_exits_6_with_its_line(package, tmp_path, name, file):
    result = run(tmp_path, "crawl", name, "--db", f"sqlite:///{tmp_path / 'a.db'}",
                 "--redis", "redis://127.0.0.1:1/0", "-s", f'SPIDER_MODULES=["{package}"]')  # fmt: skip
    assert result.returncode == 6, result.stdout + result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"newscrawl crawl: {package}/") and f"{file}.py" in line
    # the other broken declarations are logged above it, one line each, and nothing else
    assert len(result.stderr.strip().splitlines()) == len(BROKEN) + 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    "command", [["seed", "badregex"], ["extract", "page.html", "--site", "badregex"]]
)
def test_other_commands_naming_a_broken_site_exit_6(package, tmp_path, command):
    (tmp_path / "page.html").write_text("<html><body><p>x</p></body></html>")
    result = run(tmp_path, *command, "-s", f'SPIDER_MODULES=["{package}"]',
                 *(["--redis", "redis://127.0.0.1:1/0"] if command[0] == "seed" else []))  # fmt: skip
    assert result.returncode == 6, result.stdout + result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"newscrawl {command[0]}: {package}/bad_regex.py: article_allow[1]: ")


@pytest.mark.integration
@pytest.mark.crawl
def test_a_broken_file_stops_no_other_site_in_real_workers(package, tmp_path, redis_url,
                                                           key_prefix):  # fmt: skip
    """Workers load every declaration (Scrapy's CrawlerProcess builds the spider loader):
    the broken files are logged and left out, the good site is crawled and stored."""
    import json

    from tests.crawltools import common_args, run_newscrawl, stored
    from tests.demo_site.server import DemoSite

    with DemoSite(host="127.0.0.47", port=0) as demo:
        (tmp_path / package / "served.py").write_text(
            _site("served", "sections=('/world/',), discover=False, delay=0.0")
            .replace('"https://served.example/"', repr(demo.base_url))
        )  # fmt: skip
        db = f"sqlite:///{tmp_path / 'a.db'}"
        result = run_newscrawl(
            "crawl", "served", "--workers", "1", "--allow-private", "--json",
            *common_args(redis_url, db, key_prefix, tmp_path / "data"),
            "-s", f'SPIDER_MODULES=["spiders", "{package}"]', "-s", "DEPTH_LIMIT=1",
            cwd=tmp_path, timeout=180,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["articles"] > 0
    assert {row["site"] for row in stored(db)} == {"served"}
    assert f"{package}/bad_regex.py: article_allow[1]: " in result.stderr
    worker_logs = "".join(p.read_text() for p in (tmp_path / "data" / "logs").glob("*"))
    assert f"{package}/bad_regex.py: article_allow[1]: " in worker_logs  # said, one line
    assert "Traceback" not in worker_logs
