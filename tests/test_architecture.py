"""The architecture's rules, enforced: which folder may import which, and Scrapy's internals.

The import contracts live in pyproject.toml (``[tool.importlinter]``, explained in
docs/architecture.md) and are checked here with import-linter, the maintained tool for it:
only crawler/coordination imports redis, extraction imports no Scrapy and no crawler
machinery, and the layers go one way. A second check reads the code: no module but the
two that adapt a library's internals (crawler/coordination/engine_hooks.py for Scrapy's
engine, crawler/handlers/http11.py for its HTTP/1.1 client) touches a private attribute of
anything that is not newscrawl's own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "spiders", "pipelines")
# The modules allowed to read and set private attributes of Scrapy and Twisted, one per
# adapted component; each says which, and a test pins each against the pinned versions
# (tests/coordination/test_engine_hooks.py, tests/handlers/test_http11.py).
ENGINE_HOOKS = ROOT / "crawler" / "coordination" / "engine_hooks.py"
HTTP_HANDLER = ROOT / "crawler" / "handlers" / "http11.py"
INTERNALS_MODULES = (ENGINE_HOOKS, HTTP_HANDLER)
# Public APIs whose names start with an underscore: namedtuple's _replace and _asdict,
# SQLAlchemy's Row._mapping, lxml's etree._Element type.
PUBLIC_UNDERSCORE_NAMES = frozenset({"_replace", "_asdict", "_fields", "_mapping", "_Element"})


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # In a fresh interpreter: modules other tests imported (zope.interface's, say) confuse
    # import-linter's view of external packages within one process.
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(config_filename={str(config)!r}, no_cache=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_import_contracts_are_kept():
    result = _lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_is_reported(tmp_path):
    """The checker catches what it is meant to: a module outside coordination importing redis."""
    package = tmp_path / "fakecrawl"
    (package / "coordination").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "coordination" / "__init__.py").write_text("import redis\n")
    (package / "status.py").write_text("import redis\n")
    config = tmp_path / "contracts.toml"
    config.write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_packages = ["fakecrawl"]
            include_external_packages = true

            [[tool.importlinter.contracts]]
            name = "Only coordination talks to Redis"
            type = "forbidden"
            source_modules = ["fakecrawl"]
            forbidden_modules = ["redis"]
            allow_indirect_imports = true
            ignore_imports = ["fakecrawl.coordination -> redis"]
            """
        )
    )
    result = _lint_imports(config, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fakecrawl.status -> redis" in result.stdout


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _own_private_names(paths: list[Path]) -> set[str]:
    """Every ``_name`` newscrawl itself defines: functions, classes, attributes it assigns."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in {"self", "cls"}
            ):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def foreign_private_attributes(path: Path, own: set[str]) -> list[str]:
    """``x._name`` and ``getattr(x, "_name")`` in ``path`` where ``_name`` is not newscrawl's
    own (nor a public API that happens to start with an underscore)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute):
            name, target = node.attr, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name, target = node.args[1].value, node.args[0]
        else:
            continue
        if not name.startswith("_") or name.startswith("__"):
            continue
        if name in own or name in PUBLIC_UNDERSCORE_NAMES:
            continue
        if isinstance(target, ast.Name) and target.id in {"self", "cls"}:
            continue
        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{name}")
    return found


def test_no_private_scrapy_attribute_outside_the_internals_modules():
    paths = _sources()
    own = _own_private_names([p for p in paths if p not in INTERNALS_MODULES])
    offenders = [
        line
        for path in paths
        if path not in INTERNALS_MODULES
        for line in foreign_private_attributes(path, own)
    ]
    assert offenders == []


def test_the_private_attribute_check_finds_them():
    own = _own_private_names([p for p in _sources() if p not in INTERNALS_MODULES])
    found = foreign_private_attributes(ENGINE_HOOKS, own)
    assert any("._slot" in line for line in found) and any("._delay" in line for line in found)
    assert any("._factory" in line for line in foreign_private_attributes(HTTP_HANDLER, own))


@pytest.mark.parametrize(
    "module", ["spiders/news.py", "crawler/extensions/failures.py", "pipelines/store.py"]
)
def test_components_do_not_reach_into_the_engine(module):
    text = (ROOT / module).read_text()
    assert "crawler.engine" not in text and "hasattr(" not in text
