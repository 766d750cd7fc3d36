"""A first declaration for a site nobody declared: article URL patterns and the file's text.

``sites add`` samples a site by the generic rules and hands the URLs of the pages read as
articles to ``propose_patterns``: URLs of one shape (``crawler.urls.url_template``, the
shape the trap budget groups a host's URLs by: numbers, dates, slugs and query values
abstracted) become one regular expression, anchored at both ends, that matches every
sampled article of that shape. Shapes that mark another rendering of a page (print, AMP,
``?page=N``: ``url_preference``) are left out, since those pages are variants, not
articles. ``declaration_source`` writes the site file, a declaration and nothing else.
"""

from __future__ import annotations

import json
import keyword
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.urls import origin_of, url_preference, url_template

# A declared site's file is a Python module: its name must be importable as one.
MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# What each abstracted part of a template stands for in a URL (crawler/urls.py,
# _segment_shape): a number, a slug or an id with digits, a single word, a query value.
_PLACEHOLDERS = {
    "{n}": r"\d+",
    "{s}": r"[^/?#]+",
    "{id}": r"[^/?#]*\d[^/?#]*",
    "{w}": r"[^/?#]+",
    "{v}": r"[^&#]+",
}
# Abstracted words that all the sampled URLs of a shape share are kept from this many URLs up.
_PIN_FROM_URLS = 3
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in _PLACEHOLDERS))


@dataclass(frozen=True)
class Proposal:
    """One proposed article pattern and the sampled URLs it stands for."""

    pattern: str
    template: str
    examples: tuple[str, ...]


def template_regex(template: str) -> str:
    """The regular expression of a URL template, on a whole URL of any origin."""
    pieces, at = [], 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append(re.escape(template[at : match.start()]))
        pieces.append(_PLACEHOLDERS[match.group()])
        at = match.end()
    pieces.append(re.escape(template[at:]))
    return r"^https?://[^/]+" + "".join(pieces) + "$"


def propose_patterns(article_urls: list[str]) -> list[Proposal]:
    """One pattern per shape of the sampled article URLs (most articles first), each
    checked to match every URL it stands for; variant shapes are left out."""
    shapes: dict[str, list[str]] = defaultdict(list)
    for url in article_urls:
        if url_preference(url)[0] == 0:  # no mark of a print, AMP or paged rendering
            shapes[url_template(url)].append(url)
    proposals = []
    for template, urls in sorted(shapes.items(), key=lambda item: -len(item[1])):
        pattern = template_regex(_pinned(template, urls))
        if all(re.search(pattern, url) for url in urls):
            proposals.append(Proposal(pattern, template, tuple(sorted(urls))))
    return proposals


def _pinned(template: str, urls: list[str]) -> str:
    """The template with each abstracted word that all its URLs share put back (``/news/``
    in every article URL is part of the pattern, a section name that varies is not); only
    from a few URLs up, since one URL shares everything with itself."""
    if len(urls) < _PIN_FROM_URLS:
        return template
    path, mark, query = template.partition("?")
    shaped = path.split("/")
    paths = [urlsplit(url).path.split("/") for url in urls]
    for index, segment in enumerate(shaped):
        words = {p[index] if len(p) > index else None for p in paths}
        if segment == "{w}" and len(words) == 1 and None not in words:
            shaped[index] = words.pop()
    return "/".join(shaped) + mark + query


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + "Spider"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a new site file, or None."""
    if not MODULE_NAME.match(name) or keyword.iskeyword(name):
        return (f"site name {name!r}: a site file is a Python module, so use a lower-case letter "
                "then letters, digits or _ (at most 40)")  # fmt: skip
    return None


def declaration_source(
    name: str,
    home: str,
    *,
    feeds: list[str],
    sitemaps: list[str],
    proposals: list[Proposal],
) -> str:
    """The text of ``spiders/<name>.py``: a declaration only (the form of tests/declared/demo.py)."""
    lines = [
        f'"""The declaration of {home}, proposed by `newscrawl sites add` from a sample.',
        "",
        "Review the article patterns against the sample `newscrawl sites check` shows, then",
        f"save reviewed fixtures with `newscrawl sites snapshot {name}`.",
        '"""',
        "",
        "from crawler.sites import Site",
        "from spiders.news import NewsSpider",
        "",
        "",
        f"class {class_name(name)}(NewsSpider):",
        f"    name = {_literal(name)}",
        "    site = Site(",
        f"        name={_literal(name)},",
        f"        home={_literal(home)},",
        *_field("feeds", [_relative(home, url) for url in feeds]),
        *_field("sitemaps", [_relative(home, url) for url in sitemaps]),
    ]
    if proposals:
        lines.append("        article_allow=(")
        for proposal in proposals:
            count = len(proposal.examples)
            lines.append(f"            # {proposal.template}: {count} of the sampled articles"[:99])
            lines.append(f"            # e.g. {_relative(home, proposal.examples[0])}"[:99])
            lines.append(f"            {_raw(proposal.pattern)},")
        lines.append("        ),")
    lines += [
        "        # The feeds and sitemaps above were found; no other location is probed.",
        "        discover=False,",
        "    )",
        "",
    ]
    return "\n".join(lines)


def _literal(text: str) -> str:
    """A string literal as the project's formatter writes it (double quotes)."""
    return json.dumps(text, ensure_ascii=False)


def _relative(home: str, url: str) -> str:
    """A URL of the home's origin as its path (and query), as declarations give them."""
    origin = origin_of(home)
    return url[len(origin) :] if url.startswith(origin + "/") else url


def _field(name: str, items: list[str]) -> list[str]:
    """A tuple field of the declaration, laid out as the project's formatter lays it out."""
    if len(items) <= 1:
        return [f"        {name}=({''.join(_literal(i) + ',' for i in items)}),"]
    return [f"        {name}=(", *(f"            {_literal(i)}," for i in items), "        ),"]


def _raw(pattern: str) -> str:
    """A pattern as a raw string literal (repr when a raw literal cannot hold it)."""
    if '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return repr(pattern)
