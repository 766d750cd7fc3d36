"""Everything newscrawl reads from or does to a URL string, in one pure module (w3lib only).

Canonicalization gives one URL per article, before the seen-filter and in storage: it builds
on ``w3lib.url.canonicalize_url`` (sorted query, normalized percent-encoding, lower-case
host, no fragment) and adds what news links carry: tracking parameters (``utm_*``,
``fbclid``, ``gclid`` ...), session ids in the query or the path (``;jsessionid=``), default
ports and trailing ``?``. The same module says what a URL tells about its page: the host it
is fetched from, whether it looks like a crawler trap, the publication date written into
its path and whether its shape is an article's or a listing's. rel=canonical is read from
the page by ``crawler.extraction.canonical``; this module never sees HTML.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from functools import cache, lru_cache
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

# Query parameters that only say where a click came from or which session made it. Sources:
# Google Analytics (utm_*, _ga, _gl), Facebook (fbclid), Google Ads (gclid, gclsrc, dclid,
# wbraid, gbraid), Microsoft (msclkid), Mailchimp (mc_cid, mc_eid), Yandex (yclid),
# Instagram (igshid), HubSpot (_hsenc, _hsmi), Marketo (mkt_tok), Omniture (cmpid, icid),
# Twitter/X (twclid), TikTok (ttclid), and the session ids of PHP, Java and ASP.
_TRACKING_EXACT = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "wbraid", "gbraid", "msclkid", "mc_cid",
        "mc_eid", "yclid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "cmpid",
        "icid", "twclid", "ttclid", "ocid", "ncid", "sr_share", "share", "smid",
        "sessionid", "session_id", "sessid", "sid", "phpsessid", "jsessionid",
        "aspsessionid", "cfid", "cftoken",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "__twitter", "pk_", "mtm_", "ga_", "hsa_")
# ;jsessionid=ABC or ;sessionid=... path parameters (Java servlet containers), and the
# /(S(abc123))/ segment of ASP.NET's cookieless sessions
_PATH_SESSION = re.compile(
    r";(?:jsessionid|sessionid|sid|phpsessid)=[^/?#]*|/\((?:[A-Z]\([^)/]*\))+\)(?=/)", re.IGNORECASE
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A host name after IDNA: labels of letters, digits, hyphens and underscores (seen in real
# subdomains), separated by dots.
_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")
# A trailing dot makes a name fully qualified without changing the host. IDNA also reads the
# ideographic and full-width full stops as dots, so they are stripped too: otherwise the
# canonical form of "example.com。" would end in "." and not be canonical itself.
_TRAILING_DOTS = ".\u3002\uff0e\uff61"


class InvalidUrl(ValueError):
    """Not an absolute http(s) URL; the message says why in one line."""


def is_tracking_parameter(name: str) -> bool:
    """Whether a query parameter only tracks the click or the session."""
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


# A page's navigation, section and footer links repeat on every page of its site, so a
# worker canonicalises the same URLs again and again; the profile of a demo-site crawl
# (benchmarks/frontier_throughput.py under py-spy) put about 8 % of the reactor thread in
# this function. 65,536 entries of two short strings each stay within ~20 MB.
@lru_cache(maxsize=65536)
def canonical_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL (raises ``InvalidUrl`` otherwise)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"invalid URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidUrl(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(_TRAILING_DOTS)
    if not host:
        raise InvalidUrl(f"URL without a host: {url!r}")
    if "\\" in host:
        # Browsers (WHATWG) read a backslash there as the start of the path: no valid host.
        raise InvalidUrl(f"URL with a backslash in its host: {url!r}")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    try:
        query = urlencode(
            [
                (k, v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not is_tracking_parameter(k)
            ]
        )
        result = canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
    except UnicodeError as exc:  # lone surrogates cannot be percent-encoded as UTF-8
        raise InvalidUrl(f"invalid URL {url!r}: {exc}") from None
    # After IDNA a host is letters, digits, hyphens and dots (or an IPv6 literal); anything
    # else (spaces, control characters, '<', a full-width bracket IDNA turned into '[')
    # is no host a server could have.
    try:
        final_host = urlsplit(result).hostname or ""
    except ValueError:
        final_host = ""
    if not (_HOST_NAME.match(final_host) or _is_ipv6(final_host)):
        raise InvalidUrl(f"URL with an impossible host {host!r}: {url!r}")
    return result


def canonical_or_none(url: str | None) -> str | None:
    """The canonical form of ``url``, or None when it is missing or not an http(s) URL."""
    if not url:
        return None
    try:
        return canonical_url(url)
    except InvalidUrl:
        return None


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def host_of(url: str) -> str:
    """The host (and non-default port) a URL is fetched from: the politeness key."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(_TRAILING_DOTS)
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets: [::1]:81, not ::1:81
    port = parts.port
    scheme = parts.scheme.lower()
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


# Endless link spaces that depth and page caps would only stop late. A path segment
# repeated this many times (/a/b/a/b/a/b/) is a relative-link loop, and a query this long
# in parameters is a filter or session combinator, not an article (news URLs carry at
# most a handful: the 80 article URLs of fundus-news-80 have at most 2 parameters and
# no repeated path segment).
TRAP_REPEATED_SEGMENT = 3
TRAP_QUERY_PARAMETERS = 8


def link_trap(url: str) -> str | None:
    """Why a (canonical) URL looks like a crawler trap, or None."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        most = max(segments.count(s) for s in set(segments))
        if most >= TRAP_REPEATED_SEGMENT:
            return f"a path segment repeated {most} times"
    if parts.query.count("&") + 1 > TRAP_QUERY_PARAMETERS and parts.query:
        return f"{parts.query.count('&') + 1} query parameters"
    return None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the port only when not the scheme's default."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{host_of(url)}"


def is_ip_address(host: str) -> bool:
    """Whether a host is an IPv4 or IPv6 address (brackets allowed) rather than a name."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@cache
def _suffix_list() -> tldextract.TLDExtract:
    # The Public Suffix List snapshot tldextract ships: never fetched over the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """The domain a host is registered under (``news.bbc.co.uk`` -> ``bbc.co.uk``); an IP
    address, or a name with no public suffix (``localhost``), is its own domain."""
    host = host.lower().rstrip(_TRAILING_DOTS)
    if is_ip_address(host):
        return f"[{host.strip('[]')}]" if ":" in host else host
    parts = _suffix_list()(host)
    return parts.top_domain_under_public_suffix or host


# Path words that name a kind of page rather than one item: kept in a URL's template, where
# other words are abstracted. Sources: the listing segments of WordPress (tag, category,
# author, page), Drupal (taxonomy, term, node), Arc and others (section, topic, archive).
_STRUCTURAL_WORDS = frozenset(
    {
        "tag", "tags", "topic", "topics", "category", "categories", "author", "authors",
        "profile", "people", "section", "sections", "search", "archive", "archives", "page",
        "taxonomy", "term", "node", "feed", "amp", "print", "mobile", "video", "videos",
        "gallery", "photos", "live", "opinion", "comments", "comment", "date", "calendar",
    }
)  # fmt: skip
# Longer templates are cut: a template is a key in Redis, and the path of a trap can grow.
_MAX_TEMPLATE_CHARS = 200
_DIGITS = re.compile(r"\d+")
_WORD_SEPARATORS = re.compile(r"[-_+.~]")


def _segment_shape(segment: str) -> str:
    """One path segment with its variable part abstracted."""
    name, dot, extension = segment.rpartition(".")
    if not dot or not extension.isalpha() or len(extension) > 5:
        name, extension = segment, ""
    if not name:
        return segment
    if name.isdigit():
        shape = "{n}"
    elif _DIGITS.search(name):
        shape = "{s}" if _WORD_SEPARATORS.search(name) else "{id}"
    elif _WORD_SEPARATORS.search(name):
        shape = "{s}"
    elif extension or name.lower() in _STRUCTURAL_WORDS:
        # a script or file name (article.php, index.html) names a kind of page too
        shape = name.lower()
    else:
        shape = "{w}"
    return shape + (f".{extension.lower()}" if extension else "")


def url_template(url: str) -> str:
    """The shape of a URL's path and query, with numbers, dates, ids, slugs and query values
    abstracted: the pages of a calendar (``/archive/{n}/{n}/{n}/``), of a pagination
    (``/world/?page={n}``) or of one CMS's articles (``/{n}/{n}/{n}/{s}/``) share one.

    Words that name a kind of page (tag, page, print, archive, ...) stay as they are; other
    words are abstracted, so that the same trap in every section of a site (sorted
    listings, pagination past the end) is one template, not one per section.
    """
    try:
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return "?"
    shaped = []
    for segment in parts.path.split("/"):
        shaped.append(_segment_shape(segment) if segment else "")
    query = "&".join(
        sorted(f"{key.lower()}={'{n}' if value.isdigit() else '{v}' if value else ''}"
               for key, value in pairs)
    )  # fmt: skip
    template = "/".join(shaped) + (f"?{query}" if query else "")
    return template[:_MAX_TEMPLATE_CHARS]


# Path segments and query keys that mark another rendering of the same page (print, AMP,
# mobile, comment views, a page that shows all parts at once). Sources: WordPress
# (?replytocom=, /amp/, ?amp), AMP and print conventions of news CMSs, Drupal's ?page=.
_VARIANT_SEGMENTS = frozenset({"amp", "print", "printable", "mobile", "m", "amp.html"})
_VARIANT_KEYS = frozenset(
    {
        "print", "amp", "output", "outputtype", "view", "format", "page", "mobile",
        "replytocom", "comment", "comments", "single", "showall", "full", "m", "p",
    }
)  # fmt: skip
_SLUG_WORD = re.compile(r"[a-z]{3,}")


def url_preference(url: str) -> tuple[int, int, int, int]:
    """How much a URL looks like an article's own address, lower being more: fewer marks of
    another rendering (print, AMP, mobile, ``?page=all``, ``?p=N`` short links), fewer query
    parameters, no upper case, more words of a slug in the path. When two URLs of a site
    carry one body, the one with the lower value is the article's URL and the other its
    variant, whichever was fetched first."""
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    keys = [key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)]
    marks = sum(s in _VARIANT_SEGMENTS for s in segments) + sum(k in _VARIANT_KEYS for k in keys)
    upper = sum(c.isupper() for c in parts.path)
    words = len(_SLUG_WORD.findall(parts.path.lower()))
    return marks, len(keys), upper, -words


# Query keys that number the parts of one article split over pages (``?page=2``). Sources:
# Drupal and most CMSs (page), WordPress's <!--nextpage--> (page, or /2/ which is not a
# query), German and Spanish CMSs (seite, pagina).
_PART_KEYS = frozenset({"page", "pg", "part", "seite", "pagina", "pag"})


def part_position(url: str) -> tuple[str, int]:
    """The URL of the first part of a split article and the part ``url`` is: a URL without
    a part number is part 1 of itself (``.../story?page=3`` -> ``(".../story", 3)``)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    number = 1
    kept = []
    for key, value in pairs:
        if key.lower() in _PART_KEYS and value.isdigit() and number == 1:
            number = int(value)
        else:
            kept.append((key, value))
    if number == 1 and len(kept) == len(pairs):
        return url, 1
    return urlunsplit(parts._replace(query=urlencode(kept))), max(number, 1)


# --- What a URL says about its page -------------------------------------------------------
# News CMSs put dates into article paths (``/2019/10/22/``, ``/20191022/``), give articles
# long hyphenated slugs or numeric ids, and give listings short, recognisable paths
# (``/tag/x``, ``/author/y``, ``/section/``, ``?page=2``, ``/search``). These are signals,
# never verdicts: ``crawler.extraction.classify`` weighs them against the page's content.
_URL_DATE_PATTERNS = (
    # /2019/10/22/ and /2019-10-22/ (WordPress, Arc, most news CMSs)
    re.compile(r"(?<![0-9])((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?![0-9])"),
    # /20191022/ or -20191022- (Drupal paths, wire services)
    re.compile(r"(?<![0-9])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9])"),
)

# Path segments that name a listing rather than one article, across common CMSs
# (WordPress: tag, category, author, page; Drupal: taxonomy, term; Arc/others: section, topic).
LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "topic",
        "topics",
        "category",
        "categories",
        "author",
        "authors",
        "profile",
        "people",
        "section",
        "sections",
        "search",
        "archive",
        "archives",
        "page",
        "taxonomy",
        "term",
        "feed",
        "latest",
        "index",
        "series",
        "collection",
        "contributors",
    }
)
# Query parameters that page, search, sort or filter a list (WordPress ?s= and ?paged=, PHP
# CMSs ?section=, ?cat=, ?start=). "p" is not one: WordPress's ?p=N is a single post.
_LISTING_QUERY_KEYS = frozenset(
    {"page", "paged", "s", "q", "query", "search", "offset", "start", "section", "cat",
     "category", "tag", "topic", "author", "sort", "filter"}
)  # fmt: skip
# Query parameters that name one item by its number (WordPress ?p=N, PHP CMSs
# article.php?id=N, ?article=, ?story=, Drupal ?nid=).
_ITEM_QUERY_KEYS = frozenset(
    {"p", "id", "article", "articleid", "article_id", "story", "storyid", "story_id", "aid",
     "nid", "artid", "newsid", "news_id", "post", "postid", "post_id", "itemid"}
)  # fmt: skip
_NUMERIC_ID = re.compile(r"(?<![0-9])\d{5,}(?![0-9])")
_EXTENSION = re.compile(r"\.(html?|php\d?|aspx?|jsp|cfm|shtml)$")


def absolute_url(href: str, base: str) -> str | None:
    """``href`` resolved against ``base`` if the result is an http(s) URL, else ``None``."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        resolved = urljoin(base, href) if base else href
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return resolved


def url_date(url: str) -> dt.date | None:
    """The publication date written into the URL path, if there is a plausible one."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATE_PATTERNS:
        for match in pattern.finditer(path):
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return None


def path_segments(url: str) -> list[str]:
    """The non-empty, lower-cased segments of the URL path."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    return [segment.lower() for segment in path.split("/") if segment]


def _item_id(query: dict[str, list[str]]) -> bool:
    return any(
        key.lower() in _ITEM_QUERY_KEYS and any(v.isdigit() for v in values)
        for key, values in query.items()
    )


def _listing_at(names: list[str]) -> int | None:
    """The index of the listing word that ends the path (/tag/x, /author/jane-doe/,
    /category/x/page/2, /archive/2026/11/19/), or None. A listing word with an item after it
    (/autoren/name/slug, /archive/63076, /archives/2024/10/16/2003825372) is a path to an
    article."""
    for index in range(len(names) - 1, -1, -1):
        name = names[index]
        if name not in LISTING_SEGMENTS and name not in AUTHOR_SEGMENTS:
            continue
        rest = names[index + 1 :]
        if all(r.isdigit() and len(r) <= 4 for r in rest):  # a page number or a date
            return index
        if len(rest) == 1 and not _NUMERIC_ID.search(rest[0]):  # the listing's name
            return index
        return None
    return None


def url_shape(url: str) -> tuple[int, list[str]]:
    """A score for how much the URL looks like an article (positive) or a listing (negative),
    and the reasons for it."""
    score, reasons = 0, []
    segments = path_segments(url)
    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        query = {}
    item = _item_id(query)
    if not segments and not item:
        return -3, ["url=site root"]
    names = [_EXTENSION.sub("", segment) for segment in segments]
    listing = _listing_at(names)
    if listing is not None:
        score -= 2
        reasons.append("url=listing segment")
    if _LISTING_QUERY_KEYS & {key.lower() for key in query}:
        score -= 2
        reasons.append("url=listing query")
    last = names[-1] if names else ""
    if url_date(url):
        score += 2
        reasons.append("url=date path")
    words = [w for w in re.split(r"[-_]", last) if w]
    # A slug right after a listing word names the listing (/topics/climate-and-energy).
    names_listing = listing is not None and listing >= len(names) - 2
    if len(words) >= 4 and not names_listing:
        score += 2
        reasons.append("url=long slug")
    elif item or _NUMERIC_ID.search(last) or (len(names) > 1 and _NUMERIC_ID.search(names[-2])):
        score += 1
        reasons.append("url=item id" if item else "url=numeric id")
    elif len(segments) == 1 and len(words) <= 2:
        score -= 1
        reasons.append("url=short path")
    return score, reasons


# Path segments of the pages that present a writer (an author page, a byline link): the
# words WordPress, Drupal, Arc and the big publishers' CMSs use, in the languages of
# fundus-publishers-150 and beyond.
AUTHOR_SEGMENTS = frozenset(
    {
        "author", "authors", "autor", "autoren", "autores", "autori", "autore", "auteur",
        "auteurs", "journalist", "journalists", "journalisten", "redakteur", "redaktion",
        "reporter", "reporters", "writer", "writers", "columnist", "columnists",
        "contributor", "contributors", "byline", "profile", "profiles", "people", "staff",
    }
)  # fmt: skip


def is_author_url(url: str) -> bool:
    """Whether a URL (or a path) is a writer's page: a segment from AUTHOR_SEGMENTS before
    the last one (``/autoren/name/max-kolter``, ``/author/jane-doe/``)."""
    return any(segment in AUTHOR_SEGMENTS for segment in path_segments(url)[:-1])
