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


def test_http_charset_is_used_when_the_bytes_agree():
    assert decode_html("привет".encode("cp1251"), http_charset="windows-1251") == "привет"
    # the HTTP header comes before the page's own <meta> (WHATWG order)
    page = '<meta charset="utf-8"><p>привет</p>'.encode("cp1251")
    assert "привет" in decode_html(page, http_charset="cp1251")


def test_valid_utf8_wins_over_a_legacy_label():
    # a server that labels everything windows-1251, a page written in UTF-8
    assert decode_html("Grünwald öffnet".encode(), http_charset="windows-1251") == "Grünwald öffnet"
    assert decode_html('<meta charset="iso-8859-1"><p>Zürich</p>'.encode()).endswith("Zürich</p>")


def test_a_utf8_label_on_legacy_bytes_falls_back_to_windows_1252():
    page = "Le café de la Grève, « exceptionnelle », œuvre, 40 000 €".encode("cp1252")
    assert decode_html(page, http_charset="utf-8") == (
        "Le café de la Grève, « exceptionnelle », œuvre, 40 000 €"
    )


def test_mostly_utf8_with_some_garbage_stays_utf8():
    page = "Ärger über Müll und Gebäck: ".encode() + b"\xff\xfe" + "schön".encode()
    assert (
        decode_html(page, http_charset="utf-8") == "Ärger über Müll und Gebäck: \ufffd\ufffdschön"
    )


def test_seven_bit_pages_follow_their_declaration():
    # ISO-2022-JP is 7-bit: valid UTF-8 too, but only the declared charset reads it right
    text = "日本語のニュース"
    assert decode_html(text.encode("iso-2022-jp"), http_charset="iso-2022-jp") == text


def test_unknown_http_charset_is_ignored():
    assert decode_html("é".encode(), http_charset="no-such-charset") == "é"
    assert decode_html(b"caf\xe9", http_charset="no-such-charset") == "café"
