"""What the four publishers share: routing entry, teasers, traps and the manifest shape.

`Publisher` is bound to a base URL and answers `respond(target, view)`: `view` is the
server's running count of page views on that publisher, the only input besides the URL, so
that session ids can change per view while the content model stays pure. A subclass sets
its `spec`, `name`, `TRAPS` and `VARIANTS`, routes paths to pages, and says where its
articles live, which teaser blocks each article page carries (`furniture`) and which
listing pages exist (`listing_pages`). From those this class builds the ground truth:
`manifest()` and `page_types()`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

from .markup import html_page, image, text_page
from .model import Article, Page, PublisherSpec, Teaser, build_articles


@dataclasses.dataclass(frozen=True)
class Trap:
    """A family of URLs a crawler should give up on: `pattern` is searched (re.search) in
    the request target, path plus "?" plus query."""

    name: str
    pattern: str
    description: str


@dataclasses.dataclass(frozen=True)
class Chunk:
    """A rendered teaser or furniture block, with the headlines and other texts it shows."""

    html: str
    headlines: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


# Kinds of non-article page that are not listings either: left out of `page_types()`.
NOT_LISTINGS = frozenset({"static", "form", "soft-404"})


@functools.cache
def _articles(spec: PublisherSpec) -> tuple[Article, ...]:
    return build_articles(spec)


def session_id(*parts: object, length: int = 26) -> str:
    """A session id derived from its inputs (hex, like PHP's)."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:length]


class Publisher:
    """One publisher of the unseen site, served at `base_url`."""

    spec: PublisherSpec
    name: str
    template: str
    charset = "utf-8"
    renders_comments = True
    TRAPS: tuple[Trap, ...] = ()
    # Families of article variants (not traps: finite, one or a few per article).
    VARIANTS: tuple[Trap, ...] = ()
    ROBOTS_DISALLOWED: tuple[str, ...] = ()

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.articles = _articles(self.spec)
        self.by_number = {article.number: article for article in self.articles}
        self.by_ident = {article.ident: article for article in self.articles}
        self.sections = tuple(beat.name for beat in self.spec.beats)
        self.authors = sorted({name for article in self.articles for name in article.authors})
        self.tags = sorted({tag for article in self.articles for tag in article.tags})

    @property
    def key(self) -> str:
        """The publisher's short name (courier, harbour, almanac, meridian)."""
        return self.spec.key

    # ------------------------------------------------------------------ addresses
    def url(self, path: str) -> str:
        """Absolute URL of a path of this publisher."""
        return self.base_url[:-1] + path

    def latest(self, count: int | None = None, section: str | None = None) -> list[Article]:
        """Articles newest first, optionally of one section."""
        chosen = [a for a in self.articles if section in (None, a.section)]
        chosen.sort(key=lambda article: article.published, reverse=True)
        return chosen[:count] if count else chosen

    # --------------------------------------------------------------------- serving
    def respond(self, target: str, view: int = 0) -> Page:
        """The page for a request target (path and query as in the request line)."""
        parts = urlsplit(target)
        path = parts.path or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        try:
            if path == "/robots.txt":
                return text_page(self.robots())
            if re.fullmatch(
                r"/[a-z/-]*(?:img|media|images|uploads)/[A-Za-z0-9/_.-]+\.(?:gif|jpg)", path
            ):
                return image()
            page = self.route(path, query, view)
        except Exception:  # a bug in a template must show as a 500, not a hung request
            return self.error(500)
        return page if page is not None else self.error(404)

    def route(self, path: str, query: dict[str, str], view: int) -> Page | None:
        """The page for a path and its query parameters, None for a 404."""
        raise NotImplementedError

    def robots(self) -> str:
        """robots.txt."""
        raise NotImplementedError

    def error(self, status: int) -> Page:
        """A plain error page."""
        title = "Not Found" if status == 404 else "Internal Server Error"
        body = (
            f"<!DOCTYPE html>\n<html><head><title>{status} {title}</title></head>"
            f"<body><h1>{title}</h1><p>The requested URL was not found on this server.</p>"
            "</body></html>\n"
            if status == 404
            else f"<!DOCTYPE html>\n<html><head><title>{status} {title}</title></head>"
            f"<body><h1>{title}</h1></body></html>\n"
        )
        return html_page(status, body)

    def html(self, body: str, status: int = 200) -> Page:
        """An HTML page in the publisher's charset."""
        return html_page(status, body, self.charset)

    # ----------------------------------------------------------- article hooks
    def article_path(self, article: Article) -> str:
        """The article's own path (what a perfect crawler stores as its URL)."""
        raise NotImplementedError

    def variant_paths(self, article: Article) -> list[str]:
        """Other paths the site serves the same article under (examples of each kind)."""
        raise NotImplementedError

    def part_paths(self, article: Article) -> list[str]:
        """The paths of an article's parts, the first being its own path."""
        return [self.article_path(article)]

    def article_pattern(self, article: Article) -> str:
        """A regex (re.search on path?query) matching every URL of the article."""
        raise NotImplementedError

    def furniture(self, article: Article) -> list[Chunk]:
        """Teaser and furniture blocks the article's own page shows besides its body."""
        raise NotImplementedError

    def boilerplate(self, article: Article) -> list[str]:
        """Other texts on the article page that are not its body: captions, comments..."""
        raise NotImplementedError

    def listing_pages(self) -> list[tuple[str, str]]:
        """(path, kind) of the pages that are not articles, a broad sample of each kind."""
        raise NotImplementedError

    def extra_manifest(self) -> dict:
        """Publisher-specific ground truth (sitemap lies, soft 404s...)."""
        return {}

    def teaser(self, number: int, href: str | None = None) -> Teaser:
        """Another story as teasers show it, linking its own path unless told otherwise."""
        other = self.by_number[number]
        return Teaser(other.title, href or self.article_path(other), other.description)

    # ------------------------------------------------------------ ground truth
    def article_manifest(self, article: Article) -> dict:
        """Ground truth for one article."""
        headlines: list[str] = []
        texts: list[str] = []
        for chunk in self.furniture(article):
            headlines += [h for h in chunk.headlines if h not in headlines]
            texts += [x for x in chunk.texts if x not in texts]
        return {
            "publisher": self.key,
            "url": self.url(self.article_path(article)),
            "path": self.article_path(article),
            "id": article.ident,
            "section": article.section,
            "title": article.title,
            "authors": list(article.authors),
            "published": article.published.isoformat(),
            "modified": article.modified.isoformat() if article.modified else None,
            "description": article.description,
            "tags": list(article.tags),
            "language": "en",
            "text": article.text,
            "blocks": [{"kind": b.kind, "text": b.text} for b in article.blocks],
            "size": article.size,
            "chars": len(article.text),
            "teaser_headlines": headlines,
            "teaser_texts": texts,
            "boilerplate_texts": self.boilerplate(article),
            "variants": [self.url(p) for p in self.variant_paths(article)],
            "parts": [self.url(p) for p in self.part_paths(article)],
            "pattern": self.article_pattern(article),
            "template": self.template,
            "has_comments": self.renders_comments and bool(article.comments),
        }

    def traps(self) -> list[dict]:
        """The publisher's traps, in the order `trap_of` tries them."""
        return [
            {"name": trap.name, "pattern": trap.pattern, "description": trap.description}
            for trap in self.TRAPS
        ]

    def trap_of(self, target: str) -> str | None:
        """Name of the first trap whose pattern matches the target, else None."""
        for trap in self.TRAPS:
            if re.search(trap.pattern, target):
                return trap.name
        return None

    def manifest(self) -> dict:
        """Ground truth for this publisher, built from the content model alone."""
        listings = self.listing_pages()
        return {
            "key": self.key,
            "name": self.name,
            "base_url": self.base_url,
            "template": self.template,
            "charset": self.charset,
            "articles": [self.article_manifest(article) for article in self.articles],
            "non_article_pages": [{"url": self.url(path), "kind": kind} for path, kind in listings],
            "traps": self.traps(),
            "variant_families": [
                {"name": v.name, "pattern": v.pattern, "description": v.description}
                for v in self.VARIANTS
            ],
            "robots_disallowed_prefixes": list(self.ROBOTS_DISALLOWED),
            **self.extra_manifest(),
        }

    def page_types(self) -> list[tuple[str, str]]:
        """(url, "article" | "listing") for every article and a broad sample of listings."""
        pages = [(self.url(self.article_path(a)), "article") for a in self.articles]
        pages += [
            (self.url(path), "listing")
            for path, kind in self.listing_pages()
            if kind not in NOT_LISTINGS
        ]
        return pages


def render_blocks(
    blocks: tuple,
    *,
    p: str = "<p>{}</p>",
    h: str = "<h2>{}</h2>",
    ul: tuple[str, str] = ("<ul>", "</ul>"),
    li: str = "<li>{}</li>",
    table: tuple[str, str] = ("<table>", "</table>"),
    inserts: dict[int, str] | None = None,
    escape: object = None,
) -> str:
    """Body blocks as HTML: runs of list items become one list and runs of table rows one
    table (first row as header cells); `inserts[i]` goes before block i (photos, teasers),
    `inserts[len(blocks)]` after the last."""
    from .markup import t

    esc = escape or t
    inserts = inserts or {}
    out: list[str] = []
    previous = ""
    for index, block in enumerate(blocks):
        kind = block.kind
        if previous in ("li", "row") and (kind != previous or index in inserts):
            out.append(ul[1] if previous == "li" else table[1])
            previous = ""
        if index in inserts:
            out.append(inserts[index])
        if kind == "p":
            out.append(p.format(esc(block.text)))
        elif kind == "h":
            out.append(h.format(esc(block.text)))
        elif kind == "li":
            if previous != "li":
                out.append(ul[0])
            out.append(li.format(esc(block.text)))
        else:
            cell = "th" if previous != "row" else "td"
            if previous != "row":
                out.append(table[0])
            cells = "".join(f"<{cell}>{esc(c)}</{cell}>" for c in block.cells)
            out.append(f"<tr>{cells}</tr>")
        previous = kind
        out.append("\n")
    if previous in ("li", "row"):
        out.append(ul[1] if previous == "li" else table[1])
    if len(blocks) in inserts:
        out.append(inserts[len(blocks)])
    return "".join(out)
