"""Text-level teaser and boilerplate removal."""

from __future__ import annotations

from crawler.extraction.cleanup import clean_blocks
from crawler.extraction.links import normalise
from crawler.extraction.trafilatura_adapter import Block

BODY = [
    "The council met on Tuesday to discuss the budget for the coming year, which is tight.",
    "Members agreed to cut spending on roads by a tenth while protecting the library service.",
    "The final vote is expected next month after a public consultation closes in the spring.",
]
OTHER = "Mayor opens new harbour walk after two years of work"


def _clean(lines, links=(), authors=(), headlines=("Council debates budget",)):
    blocks = [Block("p", line) for line in lines]
    texts = {normalise(link): 1 for link in links}
    return [b.text for b in clean_blocks(blocks, list(headlines), list(authors), texts)]


def test_repeated_headline_and_symbol_lines_go():
    assert _clean(["Council debates budget", *BODY, "___"]) == BODY


def test_read_more_pointer_between_paragraphs():
    lines = [BODY[0], f"READ MORE: {OTHER}", BODY[1], BODY[2]]
    assert _clean(lines, links=[OTHER]) == BODY


def test_labelled_trailing_section_goes():
    lines = [
        *BODY,
        "Related Articles",
        "Next Story",
        OTHER,
        OTHER,
        "by Susmita October 22, 2019",
        "The walk links the old pier with the beach and cost the town about two million...",
    ]
    assert _clean(lines, links=[OTHER]) == BODY


def test_unlabeled_teaser_card_goes_with_its_blurb():
    lines = [*BODY, OTHER, "by Ann Lee March 3, 2026", "A short blurb about the other story."]
    assert _clean(lines, links=[OTHER]) == BODY


def test_label_followed_by_real_paragraphs_keeps_them():
    lines = [BODY[0], "Read more", BODY[1], BODY[2]]
    assert _clean(lines) == BODY


def test_lone_link_line_does_not_take_the_next_paragraph():
    lines = [BODY[0], OTHER, BODY[1], BODY[2]]
    assert _clean(lines, links=[OTHER]) == BODY


def test_calls_to_action_bylines_and_bios():
    lines = [
        "By Jane Doe",
        *BODY,
        "Sign up for our morning newsletter",
        "Jane Doe is a reporter for the Town Post covering local government.",
    ]
    assert _clean(lines, authors=["Jane Doe"]) == BODY


def test_long_paragraphs_that_look_like_labels_stay():
    paragraph = (
        "Subscribe to the idea that the council can fix roads and you will be disappointed, "
        "residents told the meeting, because the money has not been there for years and the "
        "county has said it will not help again this year or next, whatever happens."
    )
    assert _clean([*BODY, paragraph]) == [*BODY, paragraph]


def test_pointer_in_any_language_is_a_label_and_a_linked_headline():
    for label in ("Les også:", "FUNDA OLUNYE UDABA LAPHA |", "Lesen Sie auch »"):
        lines = [BODY[0], f"{label} {OTHER}", BODY[1], BODY[2]]
        assert _clean(lines, links=[OTHER]) == BODY


def test_labelled_line_without_a_linked_headline_stays():
    said = "Ms Lee said: the walk links the old pier with the beach for the first time"
    assert _clean([BODY[0], said, *BODY[1:]], links=[OTHER]) == [BODY[0], said, *BODY[1:]]
    cited = "AP NFL: https://apnews.com/hub/nfl"
    assert _clean([*BODY, cited], links=["https://apnews.com/hub/nfl"]) == [*BODY, cited]


def test_labelled_byline_of_the_declared_author_goes():
    assert _clean(["von Manuela Conrad", *BODY], authors=["Manuela Conrad"]) == BODY


def test_closing_line_about_the_declared_author_goes_but_an_agency_credit_stays():
    bio = "Manuela Conrad ist ZDF-Reporterin für das Berichtsgebiet Russland und Zentralasien."
    assert _clean([*BODY, bio], authors=["Manuela Conrad"]) == BODY
    credit = "The Associated Press created this story using technology provided by Data Skrive."
    kept = [*BODY, credit]
    assert _clean(kept, authors=["The Associated Press"]) == kept


def test_article_stops_at_a_paywall_notice_followed_by_its_promotion():
    body = [
        "１３日午後９時１９分ごろ、宮崎県で震度５弱の地震があった。気象庁によると震源地は日向灘。"
    ]
    promo = [
        "この記事は会員限定です。",
        "中日プラスに登録すると",
        "会員向け記事が読み放題",
        "関連キーワード",
    ]
    assert _clean(["2025年1月14日 01時28分 (1月14日 01時40分更新)", *body, *promo]) == body
    english = [*BODY, "This article is for subscribers only.", "Unlimited access", "Cancel anytime"]
    assert _clean(english) == BODY


def test_a_paywall_notice_before_long_prose_only_goes_itself():
    lines = [BODY[0], "Subscribe to continue reading", BODY[1], BODY[2]]
    assert _clean(lines) == BODY


def test_copyright_and_republication_notices_template_data_and_academic_bios_go():
    notices = ["© The Financial Times Ltd. 2024", "First published in The Conversation."]
    leaks = ["showPaywall:", "false", "isSubscriber:", "null"]
    bio = "Jane Roe is an associate professor at the University of the Witwatersrand."
    assert _clean([*BODY[:2], *leaks, BODY[2], *notices, bio]) == BODY


def test_sentences_that_open_like_those_notices_stay():
    lines = [
        *BODY,
        "First published in 1851, the paper has changed owners four times since the war.",
        "Copyright law was changed in 2019 after a long campaign by musicians and writers.",
    ]
    assert _clean(lines) == lines


def test_a_long_headline_shown_twice_in_one_line_is_a_teaser_card():
    long_other = (
        "Michael Moore says the uncommitted campaign in Michigan can send the president "
        "a vital message about the war"
    )
    blurb = "Moore and dozens of elected officials are calling for an uncommitted vote today."
    lines = [*BODY, f"{long_other} {long_other}", blurb]
    assert _clean(lines, links=[long_other]) == BODY


def _quote(text):
    return Block("quote", text)


def test_a_pull_quote_that_repeats_the_paragraphs_goes_but_a_quoted_statement_stays():
    said = "The sexy sells and the upside sells but folks never talk about the downside"
    body = [BODY[0], f"{said}, he added in an interview on Tuesday.", BODY[1], BODY[2]]
    blocks = [Block("p", body[0]), _quote(f"{said}. Lee Baker, planner")]
    blocks += [Block("p", text) for text in body[1:]]
    kept = clean_blocks(blocks, ["Council debates budget"], [], {})
    assert [b.text for b in kept] == body
    statement = (
        "Over the last year they have taken my communications out of context, relied on "
        "documents that were altered and picked snippets of records to misrepresent what "
        "really happened, and I will not stand for it any longer, he wrote in a statement."
    )
    prose = "He said they had taken my communications out of context in every hearing so far."
    blocks = [Block("p", BODY[0]), Block("p", prose), _quote(statement), Block("p", BODY[1])]
    kept = clean_blocks(blocks, ["Council debates budget"], [], {})
    assert statement in [b.text for b in kept]


def test_read_also_headings_in_other_languages_initials_and_newsroom_calls_go():
    lines = [BODY[0], "Lesen Sie auch", OTHER, BODY[1], BODY[2], "(dmk)"]
    assert _clean(lines, links=[OTHER]) == BODY
    assert _clean([BODY[0], f"Lire aussi : {OTHER}", *BODY[1:]], links=[OTHER]) == BODY
    calls = [
        "Get in touch with our news team by emailing us at webnews@metro.co.uk.",
        "For more stories like this, check our news page.",
    ]
    assert _clean([*BODY, *calls]) == BODY


def test_a_paragraph_after_a_read_also_box_stays_body():
    lines = [BODY[0], "Läs också:", OTHER, BODY[1], BODY[2]]
    assert _clean(lines, links=[OTHER]) == BODY
