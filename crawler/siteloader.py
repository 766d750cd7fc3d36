"""The spider loader: Scrapy's registry of spider classes, where one broken site file stays one.

Scrapy's own ``SpiderLoader`` imports each package of ``SPIDER_MODULES`` in one walk: a site
file that fails to import (a syntax error, a misspelled ``Site`` field, a pattern that does
not compile) raises out of the loader and stops every command and every worker, and with
``SPIDER_LOADER_WARN_ONLY`` it skips the rest of that package. ``SiteSpiderLoader`` is the
same registry through Scrapy's extension point (``SPIDER_LOADER_CLASS``, the
``SpiderLoaderProtocol``): it imports each module on its own and keeps what failed
(``failures``), so the other sites load and crawl. Spider names claimed by two classes are
left out too, since which of them Scrapy would run is an accident of import order.
``crawler.sites.SiteRegistry`` turns each failure into one line naming the file.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import pkgutil
import re
import sys
import traceback
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy.utils.spider import iter_spider_classes


@dataclass(frozen=True)
class LoadFailure:
    """A module of the spider packages that could not be imported, and why."""

    module: str
    # The module's file when it could be found (else None: a package that does not exist).
    file: str | None
    error: BaseException


@dataclass(frozen=True)
class DuplicateName:
    """A spider name two or more classes claim: none of them is loaded."""

    name: str
    # (module, file) of each claimant, in import order.
    claimants: tuple[tuple[str, str | None], ...]


class SiteSpiderLoader:
    """Scrapy's ``SpiderLoaderProtocol``: every spider class of ``SPIDER_MODULES``, each module
    imported on its own, failures kept in ``failures`` and ``duplicates`` instead of raised."""

    def __init__(self, spider_modules: list[str]) -> None:
        self.failures: list[LoadFailure] = []
        self.duplicates: list[DuplicateName] = []
        self._spiders: dict[str, type[Spider]] = {}
        found: defaultdict[str, list[type[Spider]]] = defaultdict(list)
        for module in self._walk(spider_modules):
            for spider_cls in iter_spider_classes(module):
                found[spider_cls.name].append(spider_cls)
        for name, classes in found.items():
            if len(classes) == 1:
                self._spiders[name] = classes[0]
            else:
                claimants = tuple((c.__module__, _file_of_module(c.__module__)) for c in classes)
                self.duplicates.append(DuplicateName(name, claimants))

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SiteSpiderLoader:
        return cls(settings.getlist("SPIDER_MODULES"))

    def _walk(self, packages: list[str]) -> list[ModuleType]:
        """Every module of the packages that imports; the others go to ``failures``."""
        modules: list[ModuleType] = []
        pending = list(packages)
        walked: set[str] = set()
        while pending:
            name = pending.pop(0)
            if name in walked:  # listed twice, or a package and one of its modules
                continue
            walked.add(name)
            module = self._import(name)
            if module is None:
                continue
            modules.append(module)
            if hasattr(module, "__path__"):
                # Sorted: the same order on every machine, whatever the file system lists.
                children = sorted(pkgutil.iter_modules(module.__path__), key=lambda m: m.name)
                pending[:0] = [f"{name}.{child.name}" for child in children]
        return modules

    def _import(self, name: str) -> ModuleType | None:
        try:
            return importlib.import_module(name)
        except Exception as exc:  # whatever a site file raises at import: that file only
            # A module that failed half-way must not be found half-initialised next time.
            sys.modules.pop(name, None)
            self.failures.append(LoadFailure(name, _file_of_module(name), exc))
            return None

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]


def _file_of_module(name: str) -> str | None:
    """The source file of a module, found without importing it (None if there is none)."""
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        return module.__file__
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a parent package that does not import either
        return None
    return spec.origin if spec is not None and spec.has_location else None


def shown_path(path: str) -> str:
    """A file as an operator reads it: relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def failure_reason(failure: LoadFailure, fields: Mapping[str, Iterable[str]]) -> str:
    """Why a module did not import, in one line: the field it names when it can (``fields``
    gives the field names of the declaration classes, by class name), else the error."""
    error = failure.error
    if isinstance(error, SyntaxError) and not isinstance(error, ImportError):
        return f"syntax error at line {error.lineno}: {error.msg}"
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    if isinstance(error, TypeError):
        # The messages of a dataclass's generated __init__, the same since Python 3.10.
        unknown = re.match(r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'",
                           first)  # fmt: skip
        if unknown and unknown[1] in fields:
            known = ", ".join(fields[unknown[1]])
            field = _field(unknown[1], unknown[2], fields)
            return f"{field}: unknown field of {unknown[1]} (its fields: {known})"
        missing = re.match(r"(\w+)\.__init__\(\) missing \d+ required \S+ arguments?: (.*)",
                           first)  # fmt: skip
        if missing and missing[1] in fields:
            names = re.findall(r"'(\w+)'", missing[2])
            return "; ".join(f"{_field(missing[1], n, fields)}: missing" for n in names)
    where = _line_in(failure)
    at = f" at line {where}" if where else ""
    return f"import failed{at}: {type(error).__name__}" + (f": {first}" if first else "")


def _field(cls_name: str, name: str, fields: Mapping[str, Iterable[str]]) -> str:
    # The first class is the declaration itself; the others are held in one of its fields.
    top = next(iter(fields))
    return name if cls_name == top else f"{cls_name.lower()}.{name}"


def _line_in(failure: LoadFailure) -> int | None:
    """The line of the site file where the error was raised, when it was raised there."""
    if failure.file is None:
        return None
    frames = traceback.extract_tb(failure.error.__traceback__)
    lines = [f.lineno for f in frames if f.filename == failure.file]
    return lines[-1] if lines else None


def declared_names(failure: LoadFailure) -> tuple[str, ...]:
    """The site names a file that did not import would have declared, read from its source
    (``name = "..."`` and ``name="..."``), then the file's own name, the usual one."""
    names: list[str] = []
    try:
        with open(failure.file or "", encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        tree = None
    for node in ast.walk(tree) if tree is not None else ():
        assigned = isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "name" for t in node.targets
        )
        keyword = isinstance(node, ast.keyword) and node.arg == "name"
        value = node.value if assigned or keyword else None  # type: ignore[attr-defined]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            names.append(value.value)
    names.append(failure.module.rsplit(".", 1)[-1])
    return tuple(dict.fromkeys(names))
