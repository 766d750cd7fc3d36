"""Turning a fetched page's bytes into text, right even when the page lies about its charset.

The order is the WHATWG encoding sniffing algorithm's, minus statistical guessing (slow, and
wrong on the short pages where it matters): byte-order mark, then the charset of the HTTP
Content-Type (when the caller has it), then the one a ``<meta>`` tag declares within the
first bytes. Declarations are often wrong (a legacy page in a UTF-8 template, a server
that labels everything UTF-8), so they are checked against the bytes: bytes that are valid
UTF-8 are UTF-8 whatever the label says (legacy text is practically never valid UTF-8), a
legacy charset is used when it decodes strictly, and bytes that decode as neither are UTF-8
with replacement characters if they are mostly UTF-8, else windows-1252, the web's most
common legacy encoding. Decoding never raises: an unknown label is ignored.
"""

from __future__ import annotations

import codecs
import re

# The WHATWG prescan looks at the first 1024 bytes; real pages put <meta charset> after long
# inline scripts often enough that 4 KiB finds it where 1 KiB does not, at no real cost.
_PRESCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)

# WHATWG maps these labels to the encoding browsers really use for them.
_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def _lookup(label: str | None) -> str | None:
    """The codec name of a charset label (WHATWG aliases applied), or None."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    # A page cannot really be UTF-16 if its <meta> was readable as ASCII (WHATWG rule), and
    # a server that says UTF-16 about an HTML page without a byte-order mark is wrong too.
    if label.startswith(("utf-16", "utf-32")):
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    return _lookup(match.group(1).decode("ascii", "replace"))


def _mostly_utf8(text: str) -> bool:
    """Whether text decoded as UTF-8 with replacement has more good non-ASCII characters than
    replaced bytes: a UTF-8 page with some garbage in it, rather than a legacy page."""
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    return good > bad


def decode_html(data: str | bytes, http_charset: str | None = None) -> str:
    """Return ``data`` as text, detecting the charset of bytes; never raises.

    ``http_charset`` is the ``charset`` parameter of the response's Content-Type, if any.
    """
    if isinstance(data, str):
        return data
    if not isinstance(data, bytes | bytearray | memoryview):
        return ""
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _lookup(http_charset) or _declared_encoding(data[:_PRESCAN_BYTES])
    if declared and declared != "utf-8" and data.isascii():
        # 7-bit bytes mean the same in UTF-8 and every ASCII-based charset, but not in the
        # 7-bit ones (ISO-2022-JP, UTF-7): the declaration decides.
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        return text
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace")
    return data.decode("cp1252", errors="replace")
