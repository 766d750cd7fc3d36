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


def test_unknown_or_missing_charset_tries_utf8_then_windows_1252():
    assert decode_html("é".encode()) == "é"
    # not UTF-8: the web's most common legacy encoding, rather than replacement characters
    assert decode_html(b'<meta charset="bogus">caf\xe9') == '<meta charset="bogus">café'
    assert decode_html(b"caf\xe9 \x93quoted\x94") == "café “quoted”"


def test_a_wrong_declaration_does_not_garble_the_page():
    # declared windows-1252 but written in UTF-8 (a legacy template around new content)
    html = '<meta charset="utf-8"><p>naïve “quotes”</p>'.encode()
    assert "naïve “quotes”" in decode_html(html)
    wrong = b'<meta charset="utf-8"><p>na\xefve</p>'  # declared UTF-8, written in latin-1
    assert "naïve" in decode_html(wrong)
