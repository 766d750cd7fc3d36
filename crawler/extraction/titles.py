"""The headline: the title the page declares for sharing, decoded and without the site's name.

Sources, most trusted first: Open Graph's ``og:title`` (the editor's headline in nearly
every CMS, and what readers see when the story is shared), the article's JSON-LD
``headline`` (often a search-engine variant), ``twitter:title``, the first ``<h1>``, a
feed's title and the ``<title>``. Templates double-escape entities (``&quot;``,
``&#8216;``), so titles are decoded until nothing is left to decode. A site's name is
taken off a title only when the affix is the site's name: one the page declares
(``og:site_name``, ``application-name``, the publisher in JSON-LD) or its host's name
(``ntv.de``, "Business Insider" on businessinsider.de). An affix that is neither is part
of the headline ("Zwei Rücktritte - und viele offene Fragen").
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s+")
# Separators between a headline and the site name in <title> and og:title.
# CJK sites run the site's name on with a full-width colon or bar.
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", "：", "｜")
_ALNUM = re.compile(r"[^\w]+")
# A host's labels that name no site: subdomains and public suffixes.
_HOST_NOISE = frozenset(
    {"www", "m", "amp", "edition", "news", "com", "co", "org", "net", "de", "uk", "at", "ch"}
)
# A site's name is a few words; a longer affix that mentions it ("Klimawandel in der Welt"
# on welt.de) is part of the headline.
_MAX_NAME_WORDS = 4
# Entities can be escaped twice ("&amp;quot;"); a third round never occurs.
_DECODE_ROUNDS = 3


def decode(text: str | None) -> str:
    """HTML entities decoded (as often as the template escaped them), whitespace collapsed
    and invisible format characters (soft hyphens, zero-width spaces) removed."""
    value = text or ""
    for _ in range(_DECODE_ROUNDS):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    if not value.isascii():
        value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    return _SPACE.sub(" ", value).strip()


def _squash(text: str) -> str:
    return _ALNUM.sub("", text.casefold())


def host_names(url: str) -> list[str]:
    """The names a site goes by in its host: "tagesschau.de" and "tagesschau" for
    www.tagesschau.de."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return []
    labels = [label for label in host.split(".") if label]
    names = [".".join(labels[i:]) for i in range(len(labels) - 1) if labels[i] not in _HOST_NOISE]
    names += [label for label in labels if label not in _HOST_NOISE and len(label) > 2]
    return names


def _is_site_name(affix: str, names: set[str], suffix: bool = True) -> bool:
    """Whether a title affix names the site: squashed to letters and digits, equal to one
    of its names; or a short affix holding one of them or held by one ("DER SPIEGEL" and
    "spiegel", "Die Neue Südtiroler Tageszeitung" and tageszeitung.it). A prefix must be
    mostly the name: headlines open with words that happen to be a site's name ("Die Welt
    verändert sich" on welt.de), while sites sign their titles at the end."""
    squashed = _squash(affix)
    if not squashed:
        return False
    short = len(affix.split()) <= _MAX_NAME_WORDS
    for name in names:
        other = _squash(name)
        if squashed == other:
            return True
        shorter, longer = sorted((squashed, other), key=len)
        if not short or len(shorter) < 4 or shorter not in longer:
            continue
        if suffix or 2 * len(shorter) >= len(longer):
            return True
    return False


def strip_site_name(title: str, site_names: list[str], url: str = "") -> str:
    """Take a " | Site Name" suffix (or a "Site Name - " prefix) off a headline, when the
    affix is the site's declared name or its host's name."""
    title = decode(title)
    names = {decode(n) for n in site_names if n} | set(host_names(url))
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if head and _is_site_name(tail, names):
            return strip_site_name(head, site_names, url)
        first, _, rest = title.partition(separator)
        if rest and _is_site_name(first, names, suffix=False):
            return strip_site_name(rest, site_names, url)
    return title


def pick_title(
    candidates: list[str | None], site_names: list[str], url: str, shown: str | None = None
) -> list[str]:
    """The headline candidates, most trusted first, decoded and without the site's name;
    a candidate that is nothing but the site's name is no headline. When the headline
    ``shown`` on the page (its <h1>) is the first candidate typeset (curly quotes, real
    dashes), it comes first: declared titles are often a typewriter copy ("US's")."""
    names = {decode(n) for n in site_names if n} | set(host_names(url))
    titles: list[str] = []
    for candidate in candidates:
        raw = decode(candidate)
        if not raw or _is_site_name(raw, names):
            continue
        titles.append(strip_site_name(raw, site_names, url))
    titles = [t for t in titles if t]
    typeset = decode(shown)
    if titles and typeset and typeset != titles[0] and _plain(typeset) == _plain(titles[0]):
        titles.insert(0, typeset)
    return titles


_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
     "«": '"', "»": '"', "–": "-", "—": "-"}
)  # fmt: skip


def _plain(text: str) -> str:
    """The text with typographic quotes and dashes as typewriter ones."""
    return text.translate(_TYPOGRAPHY)
