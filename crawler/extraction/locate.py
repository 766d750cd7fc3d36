"""Finding blocks of extracted text on the page: the element whose own text opens each
block, for the layers that need to know where the body sits (the standfirst's container,
the region of the page that pruning has to look at).

Blocks are found by the opening characters of their text: one XPath pass over the page's
text nodes finds the nodes holding the longest word of each opening (in lxml's engine, not
a Python walk over every element), and the opening itself is checked on those. Blocks
come in page order, so each takes the next unused match.
"""

from __future__ import annotations

from lxml.html import HtmlElement

_PREFIX_CHARS = 24
# A shorter opening ("Advertisement") is found all over a page.
_MIN_PREFIX = 8


def _prefix(text: str) -> str:
    return " ".join(text.split())[:_PREFIX_CHARS]


def _key(prefix: str) -> str:
    """The longest word of an opening: what the XPath looks for (no normalize-space() per
    text node, which costs a copy of every node's text), the opening is then checked."""
    return max(prefix.split(), key=len, default="")


def elements_of(
    root: HtmlElement, texts: list[str], taken: frozenset[int] = frozenset()
) -> list[HtmlElement | None]:
    """For each text, the element whose own text starts it on the page (None: not found);
    elements whose id is in ``taken`` already hold other blocks. One XPath pass over the
    page's text nodes serves all of them."""
    prefixes = [" ".join(t.split())[:_PREFIX_CHARS] for t in texts]
    keys = sorted({_key(p) for p in prefixes if len(p) >= _MIN_PREFIX})
    if not keys:
        return [None] * len(texts)
    variables = {f"k{i}": k for i, k in enumerate(keys)}
    test = " or ".join(f"contains(., $k{i})" for i in range(len(keys)))
    try:
        nodes = root.xpath(f"descendant-or-self::text()[{test}]", **variables)
    except ValueError:  # text that XPath cannot carry (control characters)
        return [None] * len(texts)
    flat = [" ".join(str(node).split()) for node in nodes]
    found: list[HtmlElement | None] = []
    used: set[int] = set()  # blocks come in page order: each takes the next unused node
    for prefix in prefixes:
        element = None
        if len(prefix) >= _MIN_PREFIX:
            for index, node in enumerate(nodes):
                parent = node.getparent()
                if (
                    index not in used
                    and parent is not None
                    and id(parent) not in taken
                    and parent.tag not in ("script", "style", "title")
                    and prefix in flat[index]
                ):
                    used.add(index)
                    element = parent
                    break
        found.append(element)
    return found


class Locator:
    """Finds blocks on one page, remembering what it found, and once the body's region is
    known (``narrow``), searching only there: the body's blocks all lie in it."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        self._scope = root
        self._found: dict[str, HtmlElement | None] = {}

    def narrow(self, region: HtmlElement) -> None:
        """Search only ``region`` from now on."""
        self._scope = region

    def find(self, texts: list[str]) -> list[HtmlElement | None]:
        """``elements_of`` for ``texts``, asking the page only for texts not seen before."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._found))
        if missing:
            taken = frozenset(id(e) for e in self._found.values() if e is not None)
            found = elements_of(self._scope, missing, taken)
            self._found.update(zip(missing, found, strict=True))
        return [self._found[t] for t in texts]


def common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    """The deepest element that holds all of ``elements`` (None for none)."""
    if not elements:
        return None
    chain = [elements[0], *elements[0].iterancestors()]
    height = {id(e): i for i, e in enumerate(chain)}
    top = 0
    for element in elements[1:]:
        for candidate in (element, *element.iterancestors()):
            if id(candidate) in height:
                top = max(top, height[id(candidate)])
                break
        else:
            return None
    return chain[top]
