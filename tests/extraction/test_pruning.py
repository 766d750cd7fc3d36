"""DOM pre-pruning of boilerplate and teaser containers."""

from __future__ import annotations

from crawler.extraction.links import normalise
from crawler.extraction.parsing import parse_html
from crawler.extraction.pruning import prune

PROSE = "<p>" + "A sentence of the article that carries real reporting. " * 12 + "</p>"


def _text_after(html: str, url: str = "https://x.example/a") -> str:
    root = parse_html(html)
    prune(root, url)
    return root.text_content()


def test_named_boilerplate_blocks_go():
    html = f"""<article><h1>Title</h1>{PROSE}<div class="share-tools">Share</div>{PROSE}
    <div class="related-posts"><a href="/b">Other</a></div><div id="comments">Comment text</div>
    <blockquote class="twitter-tweet">Tweet text</blockquote><span class="sr-only">Hidden</span></article>"""
    text = _text_after(html)
    for gone in ("Share", "Other", "Comment text", "Tweet text", "Hidden"):
        assert gone not in text
    assert "real reporting" in text


def test_article_wrapper_with_a_boilerplate_class_survives():
    html = f'<div class="post has-comments"><h1>Title</h1>{PROSE * 3}</div>'
    assert "real reporting" in _text_after(html)


def test_link_dense_teaser_container_goes_without_class_names():
    cards = "".join(
        f'<div><h3><a href="/story-{i}">Another story headline number {i} here</a></h3><p>Blurb.</p></div>'
        for i in range(3)
    )
    text = _text_after(f"<article><h1>T</h1>{PROSE * 3}<div>{cards}</div></article>")
    assert "Another story" not in text and "real reporting" in text


def test_inline_links_in_prose_are_not_teasers():
    paragraph = (
        '<div><p>The report, <a href="/r1">published by the national audit office last week</a>, '
        'follows <a href="/r2">an earlier review of the same programme in 2024</a> and found '
        "that costs had doubled.</p></div>"
    )
    assert "costs had doubled" in _text_after(
        f"<article><h1>T</h1>{PROSE * 3}{paragraph}</article>"
    )


def test_signup_box_around_email_input_goes():
    box = '<div><h4>Get the briefing</h4><p>Every morning.</p><input type="EMAIL"></div>'
    assert "Get the briefing" not in _text_after(f"<article><h1>T</h1>{PROSE * 3}{box}</article>")


def _body_norms(*texts: str) -> list[str]:
    return [normalise(t) for t in texts]


def test_a_box_holding_most_of_the_body_is_never_pruned():
    prose = "A sentence of the article that carries real reporting. " * 12
    html = f'<form id="aspnetForm"><div><h2>T</h2><div>{prose}</div><div>{prose}</div></div></form>'
    root = parse_html(html)
    assert prune(root, "https://x.example/a", _body_norms(prose, prose)) == []
    assert "real reporting" in root.text_content()


def test_prose_with_body_after_it_stays_whatever_its_box_is_called():
    opening = "The opening paragraph of the story says what happened and where it happened today."
    rest = [
        f"Paragraph {n} of the story goes on with the reporting and quotes. " * 6 for n in range(6)
    ]
    html = (
        f'<article><h1>T</h1><div class="teaser-content"><p>{opening * 4}</p></div>'
        + "".join(f"<p>{p}</p>" for p in rest)
        + f'<div class="author-bio"><p>{"Jane Roe is a reporter who covers the county. " * 3}</p></div>'
        + "</article>"
    )
    root = parse_html(html)
    removed = prune(root, "https://x.example/a", _body_norms(opening * 4, *rest))
    assert [e.get("class") for e in removed] == ["author-bio"]
    # Without trafilatura's body to protect, the named box goes as before.
    assert "teaser-content" in [
        e.get("class") for e in prune(parse_html(html), "https://x.example/a")
    ]


def test_the_articles_opening_sentence_stays_in_any_box_but_a_later_short_box_goes():
    opening = (
        "Friday marks day two of a four-day barrage of severe storms set to threaten the states."
    )
    blurb = "A short blurb about another story that was set in a teaser box of its own here."
    rest = [
        f"Paragraph {n} of the story goes on with the reporting and quotes. " * 6 for n in range(6)
    ]
    html = (
        f'<article><h1>T</h1><div class="teaser-content"><p>{opening}</p></div>'
        + "".join(f"<p>{p}</p>" for p in rest[:3])
        + f'<div class="teaser"><p>{blurb}</p></div>'
        + "".join(f"<p>{p}</p>" for p in rest[3:])
        + "</article>"
    )
    root = parse_html(html)
    removed = prune(root, "https://x.example/a", _body_norms(opening, *rest[:3], blurb, *rest[3:]))
    assert [e.get("class") for e in removed] == ["teaser"]
    assert "Friday marks day two" in root.text_content()
