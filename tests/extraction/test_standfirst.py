"""The standfirst: taken off the top of the body when the page shows it apart, kept as body
when the page merely copied its first paragraph into the description."""

from __future__ import annotations

from crawler.extraction.parsing import parse_html
from crawler.extraction.standfirst import _key_points, split_standfirst
from crawler.extraction.trafilatura_adapter import Block

LEAD = "Trusts will have to show how long patients wait at every hour of the day, not just monthly"
BODY = [
    "Hospitals in England will be told to publish how long patients wait to be seen in "
    "emergency departments at every hour of the day.",
    "At present trusts report a single monthly figure for the share of patients seen within "
    "four hours, a measure that critics say hides long waits.",
    "The new data, which will be released weekly from the summer, will also show how many "
    "patients spent more than twelve hours in a department.",
]


def _page(lead_html: str, body_box: str = '<div class="body">') -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return f"<html><body><article><h1>Headline of the story</h1>{lead_html}{body_box}{paragraphs}</div></article></body></html>"


def _split(html: str, description: str | None, first: str = LEAD):
    blocks = [Block("p", first)] + [Block("p", p) for p in BODY]
    return split_standfirst(blocks, parse_html(html), description)


def test_lead_in_a_box_of_its_own_after_the_headline_is_the_standfirst():
    found = _split(_page(f'<div class="intro"><p>{LEAD}</p></div>'), None)
    assert found.text == LEAD
    assert [b.text for b in found.body] == BODY


def test_description_set_in_another_element_is_the_standfirst():
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<html><body><article><h1>H</h1><div><h2>{LEAD}</h2>{paragraphs}</div></article></body></html>"
    assert _split(html, LEAD + ".").text == LEAD
    # In the body's own container and without the description to confirm it: body.
    assert _split(html, None).text is None


def test_first_paragraph_copied_into_the_description_stays_body():
    paragraphs = "".join(f"<p>{p}</p>" for p in [LEAD, *BODY])
    html = f"<html><body><article><h1>H</h1><div>{paragraphs}</div></article></body></html>"
    found = _split(html, LEAD)
    assert found.text is None and found.body[0].text == LEAD


def test_a_description_cut_short_or_running_on_proves_nothing():
    paragraphs = "".join(f"<p>{p}</p>" for p in [LEAD, *BODY])
    html = f"<html><body><article><h1>H</h1><div>{paragraphs}</div></article></body></html>"
    assert _split(html, LEAD[:60] + " ...").text is None
    assert _split(html, LEAD + " " + BODY[0][:40]).text is None


def test_short_leads_and_leads_before_the_headline_are_body():
    assert (
        _split(_page('<div class="place"><p>Los Gallardos</p></div>'), None, "Los Gallardos").text
        is None
    )
    html = _page(f'<div class="intro"><p>{LEAD}</p></div>').replace(
        "<h1>Headline of the story</h1>", ""
    )
    html = html.replace("</article>", "<h1>Headline of the story</h1></article>")
    assert _split(html, None).text is None


def test_a_body_cut_into_same_classed_boxes_is_one_body():
    paragraphs = "".join(f'<div class="part"><p>{p}</p></div>' for p in [LEAD, *BODY])
    html = f"<html><body><article><h1>H</h1>{paragraphs}</article></body></html>"
    assert _split(html, None).text is None


def test_no_page_or_too_few_blocks():
    assert split_standfirst([Block("p", LEAD)], None, LEAD).text is None
    assert _split(_page(f'<div class="intro"><p>{LEAD}</p></div>'), None).body[0].text == BODY[0]


def test_lead_set_wholly_in_bold_above_plain_paragraphs_is_the_standfirst():
    body = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<html><body><h1>Headline of the story</h1><div><p><strong>{LEAD}</strong></p>{body}</div></body></html>"
    found = _split(html, None)
    assert found.text == LEAD
    assert [b.text for b in found.body] == BODY


def test_bold_opening_words_or_a_bold_body_are_no_standfirst():
    body = "".join(f"<p>{p}</p>" for p in BODY)
    opening = f"<p><strong>LONDON</strong> {LEAD}</p>"
    html = f"<html><body><h1>Headline of the story</h1><div>{opening}{body}</div></body></html>"
    assert _split(html, None, first=f"LONDON {LEAD}").text is None
    bold = "".join(f"<p><b>{p}</b></p>" for p in BODY)
    html = f"<html><body><h1>Headline</h1><div><p><b>{LEAD}</b></p>{bold}</div></body></html>"
    assert _split(html, None).text is None


def test_a_dateline_between_standfirst_and_body_is_looked_past():
    body = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        "<html><body><h1>Headline of the story</h1>"
        f'<div class="lead"><span class="summary">{LEAD}</span></div>'
        f'<div class="body">{body}</div></body></html>'
    )
    blocks = [Block("p", LEAD), Block("p", "20 Nisan 2026"), Block("p", "Ankara")]
    blocks += [Block("p", p) for p in BODY]
    found = split_standfirst(blocks, parse_html(html), LEAD)
    assert found.text == LEAD


def test_a_lead_in_its_own_box_is_body_when_the_page_shows_its_description_elsewhere():
    shown = "Berlin. The health minister explains why the new rules on emergency waits came now."
    description = shown.removeprefix("Berlin. ")
    html = _page(f'<p class="teaser">{shown}</p><div class="intro"><p>{LEAD}</p></div>')
    found = _split(html, description)
    assert found.text is None
    assert found.body[0].text == LEAD
    # The same lead with a description the page does not show is still the standfirst.
    assert _split(_page(f'<div class="intro"><p>{LEAD}</p></div>'), description).text == LEAD


def test_a_kicker_in_the_headlines_box_is_neither_body_nor_standfirst():
    body = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        "<html><body><header><h2 class='epigraph'>Los Gallardos</h2><h1>Headline</h1>"
        f"<div class='subtitles'><h2>{LEAD}</h2></div></header>"
        f"<div class='story'>{body}</div></body></html>"
    )
    blocks = [Block("head", "Los Gallardos"), Block("head", LEAD)]
    blocks += [Block("p", p) for p in BODY]
    found = split_standfirst(blocks, parse_html(html), None)
    assert found.text == LEAD
    assert [b.text for b in found.body] == BODY


def test_a_short_first_paragraph_of_the_body_is_no_kicker():
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = f"<html><body><h1>Headline</h1><div><p>It rained.</p>{paragraphs}</div></body></html>"
    blocks = [Block("p", "It rained.")] + [Block("p", p) for p in BODY]
    assert split_standfirst(blocks, parse_html(html), None).body == blocks


POINTS = [
    "The average rate for thirty-year fixed mortgages fell to seven percent last week.",
    "Applications to refinance a home loan were seven percent lower than a week before.",
    "Applications for a mortgage to purchase a home dropped five percent for the week.",
]


def _points_page(points_html: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f"<html><body><nav><ul><li><a href='/a'>World</a></li><li><a href='/b'>Business</a>"
        f"</li></ul></nav><h1>Headline of the story</h1>{points_html}"
        f"<div class='body'>{body}</div></body></html>"
    )


def test_key_points_the_body_left_out_are_the_standfirst():
    items = "".join(f"<li>{p}</li>" for p in POINTS)
    blocks = [Block("p", p) for p in BODY]
    found = split_standfirst(blocks, parse_html(_points_page(f"<ul>{items}</ul>")), None)
    assert found.text == "\n\n".join(POINTS)
    assert found.body == blocks


def test_lists_of_links_or_of_the_bodys_own_items_are_no_key_points():
    links = "".join(f"<li><a href='/s{i}'>{p}</a></li>" for i, p in enumerate(POINTS))
    blocks = [Block("p", p) for p in BODY]
    assert (
        split_standfirst(blocks, parse_html(_points_page(f"<ul>{links}</ul>")), None).text is None
    )
    items = "".join(f"<li>{p}</li>" for p in POINTS)
    page = parse_html(_points_page(f"<ul>{items}</ul>"))
    first = page.xpath("//div[@class='body']/p")[0]
    held = [Block("item", p) for p in POINTS[:2]] + blocks
    assert _key_points(page, first, held) is None
    one_repeated = [Block("p", POINTS[2]), *blocks]
    assert _key_points(page, first, one_repeated) == "\n\n".join(POINTS)
