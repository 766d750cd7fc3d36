"""Deterministic news prose for the unseen test site, written from hand-made sentence parts.

`write_story(rng, beat, places, money, size)` draws a story's cast (a place, the thing the
story is about, organisations, invented people with roles, numbers) and writes its title,
description, sub-headings, list items, table and paragraphs from the sentence templates
below. Every template names at least one thing drawn for the story, so the same sentence
never turns up in two stories. Beats (one per section) give the vocabulary; the templates
are shared, so the four publishers differ in layout, not in grammar. Pure functions of the
`random.Random` they are given; no text is copied from anywhere.
"""

from __future__ import annotations

import dataclasses
import random

FIRST_NAMES = (
    "Agnes", "Bruno", "Carys", "Dmitri", "Edith", "Farid", "Greta", "Hamish", "Ines", "Jonas",
    "Kalinda", "Leon", "Mirela", "Nikhil", "Odile", "Pavel", "Quentin", "Rosa", "Sven", "Tamsin",
    "Ulrich", "Valeria", "Wendell", "Ximena", "Yannick", "Zofia", "Anselm", "Beatrix", "Cormac",
    "Delphine", "Emeka", "Fenella", "Gideon", "Hana", "Ivo", "Juno", "Kasimir", "Leonie", "Matteo",
    "Noor", "Orla", "Piet", "Rasmus", "Saoirse", "Teodor", "Una", "Viggo", "Wilhelmina",
)  # fmt: skip
SURNAMES = (
    "Abernethy", "Brandauer", "Castellanos", "Dunmore", "Eklund", "Fairclough", "Grünwald",
    "Halloran", "Ibarra", "Jankowski", "Kettering", "Lindqvist", "Mbeki", "Nakashima", "Oyelaran",
    "Pennington", "Quarshie", "Ravensworth", "Szabó", "Thorsby", "Urquhart", "Vandermeer",
    "Whitlock", "Yardley", "Zeller", "Ashdown", "Bellweather", "Corrigan", "Delacroix", "Elphick",
    "Fotheringham", "Gallacher", "Holmqvist", "Iwasaki", "Jurado", "Kovalenko", "Lockhart",
    "Marchetti", "Northcott", "Ostrowski", "Pellegrini", "Rutherford", "Stavros", "Tregothnan",
    "Underhill", "Villiers", "Wainwright", "Ystad",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Beat:
    """The vocabulary of one section: what its stories are about and who speaks in them."""

    name: str
    things: tuple[str, ...]  # "the ... " noun phrases a story is about
    orgs: tuple[str, ...]
    roles: tuple[str, ...]
    groups: tuple[str, ...]  # people affected, plural
    measures: tuple[str, ...]  # "passengers a day"
    tags: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Draft:
    """A story as written, before a publisher lays it out."""

    title: str
    description: str
    tags: tuple[str, ...]
    blocks: tuple[tuple[str, str], ...]  # (kind, text): p, h, li, row (cells split by " | ")
    captions: tuple[str, ...]  # photo captions: one for the lead image, more for inline ones
    images_at: tuple[int, ...]  # block indices an inline image goes before


TITLES = (
    "{Place} {verb_past} {thing} after {weeks} weeks of talks",
    "{Org} wants {thing} rebuilt by {year}",
    "Why {place} is arguing about {thing}",
    "{Short} in {place}: what the {money} plan means for {group}",
    "{Surname} says {thing} must not become another delay",
    "{Group_c} in {place} brace for changes to {thing}",
    "Questions grow over {thing} as costs climb to {money}",
    "{Place} council backs {thing}, but {group} are not convinced",
    "The quiet fight over {thing} in {place}",
    "{Short}: {org} admits figures were {adjective}",
    "{Place} to try {thing} for {n_word} months",
    "What went wrong with {thing} in {place}",
    "{Big} {measure} and counting: {place} rethinks {thing}",
    "{Org} and {org2} clash over {thing}",
)
DESCRIPTIONS = (
    "{Org} says the plan for {thing} in {place} will go ahead, despite objections from {group}.",
    "A decision on {thing} is expected by {month}, and {group} in {place} want to be heard first.",
    "The cost of {thing} has risen to {money}, according to figures seen by our reporters.",
    "{Person}, {role}, explains why {thing} matters far beyond {place}.",
    "After {weeks} weeks of argument, {place} is close to a deal on {thing}.",
    "{Group_c} in {place} say they were not consulted about {thing}. {Org} disagrees.",
)
SUBHEADINGS = (
    "What happens next in {place}",
    "The view from {org}",
    "A question of money",
    "How {group} see it",
    "Lessons from {place2}",
    "The numbers behind {thing}",
    "Who decides on {thing}",
    "{Surname2}'s warning",
)
LIST_INTROS = (
    "The proposal for {thing}, as {org} published it, has {n_word} main parts:",
    "{Surname} listed what {group} in {place} had asked for:",
    "Among the changes to {thing} in {place} announced on {weekday}:",
)
LIST_ITEMS = (
    "a review of {thing} every {n_small} years, led by {org2}",
    "an extra {money} for {place2} over the next {n_small} years",
    "free advice for {group} affected by the works",
    "a public meeting in {place} before any contract is signed",
    "a cap of {big} {measure} until the review is finished",
    "monthly figures published on the website of {org}",
    "a named contact at {org} for complaints from {group}",
    "a pilot in {place2} starting in {month}",
)
SENTENCES = {
    "lede": (
        "{Org} has approved a {money} plan for {thing} in {place}, ending a dispute that has run since {month} last year.",
        "Plans for {thing} in {place} were put on hold on {weekday}, after {org} said it needed more time to study the costs.",
        "{Group_c} in {place} packed a public meeting on {weekday} evening to question {org} about {thing}.",
        "The future of {thing} in {place} is in doubt after {org} failed to agree a budget for next year.",
        "{Place} will become the first town in the region to try {thing}, {org} announced on {weekday}.",
        "A report published on {weekday} says {thing} in {place} costs {money} more than was promised.",
        "{Person}, {role} at {org}, has warned that {thing} in {place} cannot continue in its current form.",
        "Work on {thing} in {place} is running {n_word} months behind schedule, {org} confirmed on {weekday}.",
    ),
    "background": (
        "The idea was first raised in {year_past}, when {org2} asked whether {place} could afford {thing}.",
        "{Thing} was last changed more than {n_word} decades ago, and much of it has not been touched since.",
        "Since then the number of {measure} has grown to about {big}, according to {org2}.",
        "An earlier attempt to reform {thing} collapsed in {year_past} after a row between {org} and {org2}.",
        "{Place} has argued for years that it pays more than its share for {thing}.",
        "In {place2}, a similar scheme was abandoned after {n_word} years because too few {group} used it.",
        "The plan was drawn up by a working group of {n_small} members chaired by {person2}, {role2}.",
        "Most of the money for {thing} comes from {org2}, which has not yet said whether it will pay more.",
    ),
    "numbers": (
        "Figures from {org2} show that {pct} per cent of {group} in {place} rely on {thing} every week.",
        "The budget for {thing} has risen from {money2} to {money} in {n_small} years.",
        "About {big} {measure} are expected once the changes take effect, up from {big2} today.",
        "Only {pct} per cent of those who answered a survey by {org} said they were happy with {thing}.",
        "Running {thing} costs {place} about {money2} a year, {org} said in its annual report.",
        "The waiting list for {thing} in {place} has grown by {pct} per cent since {month}.",
    ),
    "quote": (
        "“We have listened to {group} and changed the plan where we could,” said {person}, {role} at {org}.",
        "“Nobody in {place} asked for this, and nobody has explained who will pay for it,” said {person2}, {role2}.",
        "“The money for {thing} is there, what is missing is a timetable,” {surname} told reporters in {place}.",
        "“If {thing} goes wrong, it is {group} who will notice first,” said {person2}, who has lived in {place} for {n_word} years.",
        "“We will publish every figure on {thing} so that people can judge for themselves,” said {person}, {role}.",
        "{Surname2} said the {org2} would not support the plan for {thing} “in anything like its current form”.",
        "“I have seen {n_word} plans for {thing} in my time, and this is the first one with money behind it,” said {person2}.",
    ),
    "reaction": (
        "{Group_c} gave the announcement a cautious welcome but said they wanted to see the detail on {thing}.",
        "Opposition members in {place} called the decision on {thing} rushed and asked for an independent review.",
        "{Org2} said it had not been consulted about {thing} and would study the plan before commenting.",
        "Some {group} in {place2} said they feared that their area would lose out if {thing} went ahead.",
        "{Person2}, {role2}, said the plan for {thing} was sensible but {n_word} years too late.",
        "A petition against the changes to {thing} has gathered more than {big} signatures in {n_small} weeks.",
    ),
    "detail": (
        "Under the plan, {group} in {place} would be able to use {thing} from {month} without booking in advance.",
        "The first phase covers the area around {place} and {place2}, with the rest of the region to follow.",
        "{Org} said it would hire {n_small} more staff to run {thing} and train them over the winter.",
        "Contracts for the work on {thing} will be offered in {n_small} lots so that local firms in {place} can bid.",
        "The changes to {thing} need the approval of {org2}, which meets again in {month}.",
        "{Surname} said the design of {thing} had been changed {n_word} times since the first drafts were shown to {group}.",
        "A consultation on {thing} will open on {weekday} and run for {weeks} weeks, {org} said.",
    ),
    "outlook": (
        "A final decision on {thing} is expected in {month}, when {org} publishes its spending plans.",
        "If the plan is approved, work on {thing} in {place} could start before the end of {year}.",
        "{Org} said it would report back on {thing} to the people of {place} in {month}.",
        "For now, {group} in {place} will have to wait until at least {month} {year} for any change to {thing}.",
        "{Surname} expects {thing} to be fully running by {year}, if the money from {org2} arrives on time.",
        "The next public meeting about {thing} in {place} is planned for {month}.",
    ),
    "short": (
        "{Org} declined to comment further on {thing}.",
        "The meeting about {thing} in {place} lasted almost {n_word} hours.",
        "{Surname2} of {org2} did not reply to a request for comment on {thing}.",
        "All {big2} seats for the {place} session on {thing} were taken within a day.",
        "The vote on {thing} in {place} was {n_small} to {n_smaller}.",
        "{Person2} has asked {org} to publish its advice on {thing}.",
    ),
}
PARAGRAPH_PLAN = (
    "lede",
    "background",
    "numbers",
    "quote",
    "detail",
    "reaction",
    "quote",
    "outlook",
)
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
ADJECTIVES = ("wrong", "too optimistic", "out of date", "incomplete", "misleading")
VERBS_PAST = ("approves", "delays", "rejects", "redesigns", "pauses", "expands")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _cast(
    rng: random.Random, beat: Beat, places: tuple[str, ...], money: str, year: int
) -> dict[str, str]:
    """Everything a story's sentences may name, drawn once per story."""
    place, place2 = rng.sample(places, 2)
    org, org2 = rng.sample(beat.orgs, 2)
    role, role2 = rng.sample(beat.roles, 2)
    person, person2 = _name(rng), _name(rng)
    while person2.split()[1] == person.split()[1]:
        person2 = _name(rng)
    thing = rng.choice(beat.things)
    short = thing.removeprefix("the ")
    group = rng.choice(beat.groups)
    small = rng.randint(3, 11)
    values = {
        "place": place,
        "place2": place2,
        "org": org,
        "org2": org2,
        "role": role,
        "role2": role2,
        "person": person,
        "person2": person2,
        "surname": person.split()[1],
        "surname2": person2.split()[1],
        "thing": thing,
        "short": short,
        "group": group,
        "measure": rng.choice(beat.measures),
        "money": money.format(f"{rng.randint(12, 98) / 10:.1f}"),
        "money2": money.format(f"{rng.randint(3, 11) / 10:.1f}"),
        "big": f"{rng.randint(1200, 48000):,}",
        "big2": f"{rng.randint(300, 1100):,}",
        "pct": str(rng.randint(11, 74)),
        "n_word": rng.choice(NUMBER_WORDS),
        "n_small": NUMBER_WORDS[small - 2],
        "n_smaller": NUMBER_WORDS[rng.randint(2, small - 1) - 2] if small > 3 else "one",
        "weeks": str(rng.randint(3, 19)),
        "year": str(year + rng.randint(1, 4)),
        "year_past": str(year - rng.randint(2, 15)),
        "month": rng.choice(MONTHS),
        "weekday": rng.choice(WEEKDAYS),
        "adjective": rng.choice(ADJECTIVES),
        "verb_past": rng.choice(VERBS_PAST),
    }
    for key in ("place", "org", "org2", "thing", "short", "group", "surname", "surname2"):
        values[_cap(key)] = _cap(values[key])
    values["Group_c"] = _cap(group)
    values["Big"] = values["big"]
    values["Person"] = person
    values["Person2"] = person2
    return values


def _fill(template: str, cast: dict[str, str]) -> str:
    return _cap(template.format(**cast))


def _paragraph(
    rng: random.Random, kinds: list[str], cast: dict[str, str], used: set[str], seen: set[str]
) -> str:
    """Sentences of the given kinds, each template once per story, each sentence once ever."""
    sentences = []
    for kind in kinds:
        fresh = [t for t in SENTENCES[kind] if t not in used] or list(SENTENCES[kind])
        rng.shuffle(fresh)
        for template in fresh:
            sentence = _fill(template, cast)
            if sentence not in seen:
                break
        used.add(template)
        seen.add(sentence)
        sentences.append(sentence)
    return " ".join(sentences)


def write_story(
    rng: random.Random,
    beat: Beat,
    places: tuple[str, ...],
    money: str,
    *,
    year: int = 2026,
    size: str = "long",
    seen: set[str] | None = None,
) -> Draft:
    """One story: `size` is "short" (about 1,200 to 1,600 characters) or "long".

    `seen` collects the sentences written so far (pass one set for a whole site): a
    sentence already written is replaced by another template's.
    """
    seen = set() if seen is None else seen
    cast = _cast(rng, beat, places, money, year)
    used: set[str] = set()
    blocks: list[tuple[str, str]] = []
    if size == "short":
        plan = [["lede", "background"], ["quote", "numbers", "background"]]
        plan += [["detail", "reaction", "detail"], ["quote", "outlook", "short"]]
    else:
        plan = []
        for kind in PARAGRAPH_PLAN:
            # Paragraph lengths vary from one sentence to four.
            extras = rng.sample(("detail", "background", "numbers", "reaction"), rng.randint(0, 3))
            plan.append([kind, *extras])
        plan.insert(rng.randint(2, 5), ["short"])
        if rng.random() < 0.3:
            plan.insert(rng.randint(3, 6), ["reaction", "detail", "numbers", "quote"])
    for kinds in plan:
        blocks.append(("p", _paragraph(rng, kinds, cast, used, seen)))
    if size == "long":
        if rng.random() < 0.45:
            at = _gap(rng, blocks, 3)
            blocks.insert(at, ("h", _fill(rng.choice(SUBHEADINGS), cast)))
        if rng.random() < 0.3:
            at = _gap(rng, blocks, 2)
            items = [("li", _fill(t, cast)) for t in rng.sample(LIST_ITEMS, rng.randint(3, 5))]
            blocks[at:at] = [("p", _fill(rng.choice(LIST_INTROS), cast)), *items]
        if rng.random() < 0.15:
            at = _gap(rng, blocks, 3)
            blocks[at:at] = _table(rng, cast, places)
    images_at: list[int] = []
    if size == "long" and rng.random() < 0.25:
        # Short paragraphs between photographs, as picture-led stories are laid out.
        at = _gap(rng, blocks, 2)
        blocks[at:at] = [("p", _paragraph(rng, ["short"], cast, used, seen)) for _ in range(2)]
        images_at = [at, at + 1, at + 2]
    captions = [_fill(t, cast) for t in rng.sample(CAPTIONS, 1 + len(images_at))]
    tags = tuple(sorted(rng.sample(beat.tags, rng.randint(2, 4))))
    return Draft(
        title=_fill(rng.choice(TITLES), cast),
        description=_fill(rng.choice(DESCRIPTIONS), cast),
        tags=tags,
        blocks=tuple(blocks),
        captions=tuple(captions),
        images_at=tuple(images_at),
    )


def _gap(rng: random.Random, blocks: list[tuple[str, str]], lo: int) -> int:
    """A place to insert blocks: after a paragraph and before a paragraph or sub-heading,
    never inside a list or a table, never before the last block."""
    gaps = [
        i
        for i in range(lo, len(blocks) - 1)
        if blocks[i - 1][0] == "p" and blocks[i][0] in ("p", "h")
    ]
    return rng.choice(gaps)


CAPTIONS = (
    "{Thing} in {place}, photographed on {weekday} morning",
    "{Person} at the public meeting in {place}",
    "A view across {place} towards {place2}",
    "Members of {org} arrive for the vote on {thing}",
    "{Group_c} queue outside the {place} offices of {org}",
)


def _table(rng: random.Random, cast: dict[str, str], places: tuple[str, ...]) -> list:
    """An intro paragraph and a small table: header row, then one row per town."""
    towns = rng.sample(places, 4)
    rows = [("row", f"Town | {_cap(cast['measure'])} | Change since last year")]
    for town in towns:
        rows.append(("row", f"{town} | {rng.randint(900, 26000):,} | {rng.randint(-19, 34):+d}%"))
    intro = (
        "p",
        _fill(
            "The latest figures from {org2} for {thing}, published on {weekday}, town by town:",
            cast,
        ),
    )
    return [intro, *rows]


def long_bio(rng: random.Random, name: str, beat_names: tuple[str, ...], outlet: str) -> list[str]:
    """Several paragraphs about an author, as an author page shows them above the listing."""
    first = name.split()[0]
    towns = ("Aberdeen", "Bruges", "Coimbra", "Dunedin", "Esbjerg", "Fremantle", "Galway")
    beats = " and ".join(beat_names)
    start = rng.randint(2004, 2016)
    return [
        f"{name} has written about {beats} for {outlet} since {start}. Before that, {first} spent"
        f" {rng.randint(3, 9)} years on regional papers in {rng.choice(towns)}, covering council"
        " meetings, court cases and the occasional flood, and learnt that the best stories are"
        " usually found in the minutes nobody else reads.",
        f"{first}'s reporting on {beat_names[0]} has been shortlisted for {rng.randint(2, 5)}"
        f" regional press awards, and a series on the long afternoons of planning committees won"
        f" the local reporting prize in {start + rng.randint(3, 8)}. Readers write in most often"
        " about the explainers, which take a single decision and follow the money from the"
        " budget line to the building site.",
        f"Outside work, {first} walks the coast path with a dog of uncertain breed, sings bass in a"
        f" choir that rehearses on {rng.choice(WEEKDAYS)} evenings and is slowly restoring a"
        f" {rng.randint(1956, 1979)} rowing boat. Tips, corrections and complaints are welcome"
        " through the newsroom, and every message is read, even the long ones.",
        f"{first} grew up in {rng.choice(towns)}, studied history and economics, and still keeps"
        f" the notebook from a first interview, with a parish council chair who talked for"
        f" {rng.randint(2, 4)} hours about drains. It remains, {first} says, the most useful"
        " conversation of a working life in news.",
        f"Readers who want to follow {first}'s work can find every story on this page, newest"
        f" first, along with the occasional long read that took {rng.randint(3, 11)} months of"
        " records requests and far too many cups of harbour-front coffee to finish.",
    ]
