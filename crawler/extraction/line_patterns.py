"""Recognisers for single lines of extracted text that are never article prose: section labels
of teaser rails, bylines with dates, "READ MORE:" pointers, calls to action and author bios.

Each pattern is written for a kind of line seen across many CMSs and languages of news
design (the label vocabulary of WordPress themes, Arc, Drupal and the big publishers'
recirculation widgets), never for one site. All matching is on a whole line, and the
patterns for prose-like lines demand that the line be short, so a body paragraph that merely
mentions "related" or "subscribe" is never matched.
"""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = (
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
TIME = r"(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)"

# "Read also" in the languages of European news sites: German, French, Spanish, Italian,
# Portuguese, Dutch, the Scandinavian languages, Polish.
_READ_ALSO = (
    r"lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|(?:à\s+)?lire\s+aussi|"
    r"(?:lea|leer)\s+(?:también|más)|leggi\s+anche|leia\s+também|lees\s+ook|les\s+også|"
    r"läs\s+också|læs\s+også|czytaj\s+(?:też|także|również)"
)

# Headings of teaser rails and recirculation widgets, as a whole line (optional colon).
LABEL = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|posts?|content|coverage|news|reading|links|topics|"
    r"videos?))?|next\s+(?:story|article|post|up)|previous\s+(?:story|article|post)|"
    r"going\s+viral|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)|"
    r"more\s+(?:from|on|in|stories|news|articles|to\s+read|like\s+this)\b.{0,40}|"
    r"(?:most\s+)?(?:popular|read|viewed|shared)(?:\s+(?:now|today|stories|articles|posts))?|"
    r"trending(?:\s+(?:now|stories|news|today|topics))?|"
    r"recommended(?:\s+(?:for\s+you|stories|articles|reading|videos?))?|"
    r"read\s+(?:more|next|also)|also\s+read|further\s+reading|don'?t\s+miss|must\s+read|"
    r"top\s+stories|latest(?:\s+(?:news|stories|articles|posts))?|editor'?s?\s+picks?|"
    r"comments?|\d+\s+comments?|join\s+the\s+(?:conversation|discussion)|leave\s+a\s+(?:comment|reply)|"
    r"(?:sponsored|promoted|partner)(?:\s+(?:content|stories|links))?|"
    r"(?:from\s+)?around\s+the\s+web|in\s+other\s+news|also\s+on\s+\S+|share\s+this(?:\s+\w+)?|"
    r"advertisement|story\s+continues\s+below(?:\s+advertisement)?|tags?|topics?|"
    r"log\s*in|sign\s*in|sign\s*up|subscribe|newsletter|follow\s+us|"
    r"you\s+might\s+have\s+missed|what\s+to\s+read\s+next|keep\s+reading)"
    r"\s*[:.…>»]*$",
    re.IGNORECASE,
)

# "Lesen Sie auch", "Les også" alone on a line: the heading of a box of one or two links
# inside the article, after which the article may go on (so not a rail label, which
# ends the body).
READ_ALSO = re.compile(rf"^(?:{_READ_ALSO})\s*[:.…>»]*$", re.IGNORECASE)

# "READ MORE: <headline>" and its relatives, a pointer line placed between paragraphs.
POINTER = re.compile(
    rf"^(?:{_READ_ALSO}|read\s+(?:more|next|also)|also\s+read|see\s+also|related|more|watch|listen|"
    r"recommended|must\s+read|don'?t\s+miss|click\s+here|top\s+story|"
    r"trending|latest)\s*[:|–—>»-]\s*\S",
    re.IGNORECASE,
)

# "by Susmita October 22, 2019", "By Jane Doe | March 3, 2024 10:30 AM",
# "Published 3:45 PM EST, March 1, 2024": a byline or dateline of some story.
BYLINE = re.compile(
    rf"^(?:(?:posted\s+|written\s+|published\s+|updated\s+)?by\s+[^\W\d][\w'.\- ]{{0,60}}?"
    rf"(?:\s*[|,·•–—-]\s*|\s+)(?:on\s+)?{DATE}(?:\s*(?:at\s+)?{TIME})?"
    rf"|(?:published|updated|posted|first\s+published)(?:\s+on)?:?\s+"
    rf"(?:{TIME}\s*,?\s*)?(?:{DATE})(?:\s*,?\s*(?:at\s+)?{TIME})?"
    rf"|(?:{TIME}\s*,?\s*)?{DATE}(?:\s*,?\s*(?:at\s+)?{TIME})?)\.?$",
    re.IGNORECASE,
)
# A bare "By Jane Doe" or "By Jane Doe and John Roe" line.
BARE_BYLINE = re.compile(
    r"^(?i:by)\s+[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'.\-]+(?:\s+[A-Z][\w'.\-]+){0,3})*\s*$"
)

# Short calls to action of newsletter boxes, app promos, comment widgets and paywalls.
CALL_TO_ACTION = re.compile(
    r"^(?:click\s+here\s+(?:to|for)|sign\s+up\s+(?:for|to|here|now)|subscribe\s+(?:to|for|now|"
    r"today|here)|get\s+(?:our|the)\s+\S+(?:\s+\S+)?\s+(?:newsletter|app)|download\s+(?:our|the)\s+"
    r"|follow\s+(?:us|him|her|them)\s+on|join\s+(?:our|the)\s+(?:commenting|conversation|"
    r"discussion|community|newsletter|mailing)|want\s+to\s+(?:bookmark|read\s+more|receive)|"
    r"already\s+a\s+(?:subscriber|member)|log\s+in\s+to|create\s+(?:a\s+)?(?:free\s+)?account|"
    r"thank\s+you\s+for\s+(?:signing\s+up|subscribing|reading)|share\s+(?:this|on)\s+|"
    r"copy\s+link|this\s+article\s+(?:is|was)\s+(?:republished|reprinted)|republish\s+this|"
    r"(?:©|\(c\)|copyright)\s+(?:\d{4}|[^\n]{0,60}\d{4}\W*$)|all\s+rights\s+reserved|(?:first|originally)\s+published\s+(?:in|on|by|at)\s+[^,;\d]{1,60}$|we\s+(?:use|value)\s+cookies|"
    r"support\s+(?:our|independent)\s+journalism|enter\s+your\s+email|"
    r"by\s+(?:signing\s+up|subscribing|clicking)|our\s+standards:|"
    r"get\s+in\s+touch\s+with\s+(?:us|our)\b|for\s+more\s+(?:stories|news|articles)\s+like\s+this)",
    re.IGNORECASE,
)
# Calls to action are short; prose that happens to start the same way is long.
CALL_TO_ACTION_MAX_WORDS = 30

# A paywall's notice that the rest is for subscribers. Japanese sites word it alike across
# the press ("この記事は会員限定です", "有料会員になると...", "...読み放題"): members-only,
# paid member, paid article, member registration, unlimited reading; CJK lines have no
# spaces, so these are found anywhere in a short line.
PAYWALL = re.compile(
    r"会員限定|有料会員|有料記事|会員登録|読み放題"
    r"|^(?:this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:for|available\s+to|"
    r"exclusive\s+to|reserved\s+for)\s+(?:paying\s+)?(?:subscribers|members)"
    r"|subscribe\s+to\s+(?:continue|keep)\s+reading"
    r"|you(?:'ve|\s+have)\s+reached\s+your\s+(?:free\s+)?(?:article\s+)?limit)",
    re.IGNORECASE,
)
PAYWALL_MAX_CHARS = 120


def is_paywall(line: str) -> bool:
    """A short notice that the article goes on behind a paywall."""
    return len(line) <= PAYWALL_MAX_CHARS and bool(PAYWALL.search(line))


# "Jane Doe is a reporter for ...", closing bios of the author (or any person).
_ROLE = (
    r"(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|"
    r"producer|intern|fellow|critic|anchor|host|analyst|freelancer|photographer|researcher|"
    r"professor|lecturer|scientist|economist)"
)
BIO = re.compile(
    rf"^[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){{1,3}}\s+(?:is|was|has\s+been|serves\s+as)\s+"
    rf"(?:a|an|the)\s+[^.]{{0,120}}?\b{_ROLE}s?\b",
)
# A bio is a few sentences (up to 84 words on fundus-news-80); a paragraph much longer than
# that which starts like one is prose.
BIO_MAX_WORDS = 120


# Epoch timestamps and clock times shown alone (live-blog entry stamps), and CJK datelines
# ("2025年1月14日 01時28分 (1月14日 01時40分更新)": dates, times, "updated", "published").
STAMP = re.compile(
    r"^(?:\d{9,13}|\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
    r"|\d{4}年\d{1,2}月\d{1,2}日[\d年月日時分:：\s()（）更新公開发布發佈]*)$",
    re.I,
)
# What is left of a dateline when the extractor drops its <time> elements: "· Updated".
META_WORDS = re.compile(
    r"^[\W_]*(?:(?:last\s+)?updated|published|posted|modified|first\s+published|"
    r"updated\s+on|published\s+on)[\W_]*$",
    re.IGNORECASE,
)
# Template data printed as text ("showPaywall:", "false"): a bare literal, or a camelCase
# key with its colon. No sentence of any language looks like either.
TEMPLATE_LEAK = re.compile(r"^(?:true|false|null|undefined|[a-z]+(?:[A-Z][a-z0-9]*)+\s*:)$")
# The editor's or agency's initials closing a story: "(dmk)", "(dpa/afp)", "(red)".
INITIALS = re.compile(r"^\((?:[a-zA-Z]{2,4}\s*[/,]\s*)*[a-zA-Z]{2,4}\)$")
# A line without a single letter or digit: separators ("___", "* * *", "::").
_HAS_WORD = re.compile(r"[^\W_]")


def is_symbols_only(line: str) -> bool:
    """A line with no letter or digit."""
    return not _HAS_WORD.search(line)


def is_call_to_action(line: str) -> bool:
    """A short newsletter, app, comment, share, reprint or paywall line."""
    return len(line.split()) <= CALL_TO_ACTION_MAX_WORDS and bool(CALL_TO_ACTION.match(line))


def is_bio(line: str) -> bool:
    """A closing author bio ("Jane Doe is a reporter for ...")."""
    return len(line.split()) <= BIO_MAX_WORDS and bool(BIO.match(line))
