"""Evaluation over labelled folders built from fixture pages: scoring conventions, leaks,
metadata comparison."""

from __future__ import annotations

import json
import shutil

import pytest

from crawler.extraction.evaluation import (
    evaluate,
    evaluate_folder,
    metadata_accuracy,
    same_authors,
    same_day,
    same_title,
    scored_text,
    shown_text,
    teaser_leaks,
)
from crawler.extraction.links import normalise
from crawler.extraction.parsing import parse_html
from tests.extraction.conftest import FIXTURES

NAMES = ("seed_flattened_p", "wordpress_local_council")


def write_labelled(folder, names=NAMES, summary=True):
    """A labelled folder from fixture pages (their reviewed text as the ground truth)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        shutil.copy(FIXTURES / f"{name}.html", folder / f"{name}.html")
        label = {
            "id": name,
            "url": expected["url"],
            "articleBody": expected["expected_text"],
            "title": expected["title"],
            "authors": expected["authors"],
            "published": expected["published"],
        }
        if summary:
            label["summary"] = ""
        (folder / f"{name}.json").write_text(json.dumps(label), encoding="utf-8")
    return folder


@pytest.fixture
def labelled(tmp_path):
    return write_labelled(tmp_path / "set")


def test_ours_against_trafilatura_in_one_run(labelled):
    result = evaluate_folder(str(labelled))
    assert result.ours.score.f1 > 0.99
    assert result.ours.leak_pages == 0
    assert result.baseline is not None and result.baseline.leak_pages >= 1
    assert all(o.is_article for o in result.ours.outcomes)
    assert all(o.is_article is None for o in result.baseline.outcomes)
    assert metadata_accuracy(result, result.ours) == {
        "title": 1.0,
        "published_day": 1.0,
        "authors": 1.0,
    }
    assert len(result.digest) == 64 and result.labels[0].html == b""


def test_without_baseline_bad_folders_and_a_selection(labelled, tmp_path):
    assert evaluate_folder(str(labelled), baseline=None).baseline is None
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no labelled pages"):
        evaluate_folder(str(empty))
    with pytest.raises(ValueError, match="not a folder"):
        evaluate([str(tmp_path / "missing")])
    with pytest.raises(ValueError, match="unknown baseline"):
        evaluate_folder(str(labelled), baseline="readability")
    only = evaluate_folder(str(labelled), select=lambda page_id: page_id == NAMES[0])
    assert [o.page_id for o in only.ours.outcomes] == [NAMES[0]]


def test_scored_text_follows_the_labels_convention():
    assert scored_text("Standfirst.", "Body.", truth_has_standfirst=True) == "Standfirst.\n\nBody."
    assert scored_text("Standfirst.", "Body.", truth_has_standfirst=False) == "Body."
    assert scored_text(None, "Body.", truth_has_standfirst=True) == "Body."


STANDFIRST = "Christiane Amanpour expressed real distress over stories being changed by editors."
BODY = "CNN staff confronted executives over what they called double standards in coverage."


def test_a_description_is_scored_as_the_standfirst_only_where_the_page_shows_it():
    page = parse_html(
        "<html><head><meta name='description' content='x'><script>var s = 'Hidden words "
        "that no reader sees here';</script></head><body><h1>Headline</h1>"
        f"<p class='excerpt'>Amanpour expressed real distress over stories being changed by "
        f"editors.</p><p>{BODY}</p></body></html>"
    )
    shown = shown_text(page)
    # Set on the page in a slightly edited form: still the standfirst.
    assert scored_text(STANDFIRST, BODY, True, shown) == f"{STANDFIRST}\n\n{BODY}"
    # A meta description the page never shows is no standfirst of it.
    unshown = "The network has long faced questions about how it covers the war in the region."
    assert scored_text(unshown, BODY, True, shown) == BODY
    assert "hidden words" not in shown


def test_a_description_that_is_the_first_paragraph_edited_is_not_scored_twice():
    first = (
        "AudioFile Magazine praised the audio version of the senator's latest book as "
        "intriguing, not just for the prose but for the thoughtful tone of its co-narrator."
    )
    description = first.replace("not just for", "not for")
    text = f"{first}\n\n{BODY}"
    shown = f" {normalise(description)} {normalise(text)} "  # the page shows both
    assert scored_text(description, text, True, shown) == text


def test_a_standfirst_that_a_later_paragraph_opens_like_is_scored():
    standfirst = "Jo Hamilton was joined on stage by the actress who portrayed her."
    later = "Jo Hamilton was joined on stage by the actress who portrayed her, to present."
    text = f"{BODY}\n\n{later}"
    shown = f" {normalise(standfirst)} {normalise(text)} "
    assert scored_text(standfirst, text, True, shown) == f"{standfirst}\n\n{text}"
    assert scored_text(standfirst, f"{later}\n\n{BODY}", True, shown) == f"{later}\n\n{BODY}"


def test_teaser_leak_definition():
    links = {"mayor opens new harbour walk": 1, "home": 1}
    assert teaser_leaks("Body.\nMayor opens new harbour walk\nHome", links, "Body.") == (
        "Mayor opens new harbour walk",
    )
    assert (
        teaser_leaks("Mayor opens new harbour walk", links, "Mayor opens new harbour walk today")
        == ()
    )


def test_metadata_is_compared_exactly_but_for_case_and_whitespace():
    assert same_title("Helikopter\xadlandeplatz  im  GARTEN", "helikopterlandeplatz im garten")
    assert not same_title("Helikopterlandeplatz - Zeitung", "Helikopterlandeplatz")
    assert not same_title(None, "A title")
    assert same_day("2024-05-03T15:47:42+00:00", "2024-05-03 15:47:42.389000+00:00")
    assert not same_day(None, "2024-05-03")
    assert same_authors(["Jane  Doe", "JOHN ROE"], ("jane doe", "john roe"))
    assert not same_authors(["John Roe", "Jane Doe"], ("Jane Doe", "John Roe"))
    assert not same_authors(["Autor: Jane Doe"], ("Jane Doe",))
    assert same_authors([], ())
