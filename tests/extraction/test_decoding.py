"""Charset detection of fetched bytes."""

from __future__ import annotations

import codecs

from crawler.extraction.decoding import decode_html


def test_str_passes_through():
    assert decode_html("héllo") == "héllo"


def test_bom_wins():
    assert decode_html(codecs.BOM_UTF8 + "é".encode()) == "é"
    assert decode_html(codecs.BOM_UTF16_LE + "é<p>".encode("utf-16-le")) == "é<p>"


def test_meta_charset_and_latin1_alias():
    html = '<meta charset="iso-8859-1"><p>café – x</p>'.encode("cp1252")
    assert "café – x" in decode_html(html)
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert "привет" in decode_html(http_equiv + "привет".encode("cp1251"))


def test_unknown_or_missing_charset_falls_back_to_utf8_with_replacement():
    assert decode_html("é".encode()) == "é"
    assert "\ufffd" in decode_html(b'<meta charset="bogus">\xe9')
