"""Title, author, publication date and source of a classified page."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

from archive.ingest import names
from archive.ingest.clean import CleanPage, Line, LineKind, is_interface_text
from archive.ingest.dates import find_dates, parse_date
from archive.ingest.entities import ORGANISATION, Gazetteer, normalise
from archive.ingest.patterns import Guarded, trie_alternation

FALLBACK_TITLE_CHARS = 100
SOURCE_KINDS = {"media", "faction", "party", "union", "party_body", "other"}


@dataclass
class Metadata:
    title: str = ""
    title_is_fallback: bool = False
    title_line: Line | None = None
    author: str = ""
    author_rule: str = ""
    date: datetime.date | None = None
    date_rule: str = ""
    source: str = ""
    source_rule: str = ""
    url: str = ""


# ------------------------------------------------------------------------------ title


PROSE_END = re.compile(r"[\w)”\"’'%]\.$")


def _is_headline(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 45 or len(text) > 320:
        return False
    if text[0].islower():
        return False
    # Prose ends with a full stop; headlines rarely do ("...priority” – Mish Rahman" does not).
    return not PROSE_END.search(text)


def _is_masthead(text: str) -> bool:
    words = text.split()
    return len(words) <= 1 or (text.isupper() and len(words) <= 4)


def site_suffix(title: str) -> str:
    """The publication named at the end of a page title ('Headline | Valleys Voice')."""
    return _strip_site_suffix(title)[1] if title else ""


SITE_SUFFIX_MAX_LINE = 300
SITE_SUFFIX = re.compile(r"^(.{10,}?)\s+[|–—-]\s+([^|–—-]{2,40})$")


def _strip_site_suffix(title: str) -> tuple[str, str]:
    """'Headline | The Guardian' -> ('Headline', 'The Guardian'). A line longer than any
    headline has none (and the pattern's work grows with the square of its spaces)."""
    if len(title) > SITE_SUFFIX_MAX_LINE:
        return title, ""
    match = SITE_SUFFIX.match(title)
    if match and len(match[2].split()) <= 4:
        return match[1].strip(), match[2].strip()
    return title, ""


def fallback_title(text: str) -> str:
    """A short title from the first sentence when a page has no headline."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text.strip(), maxsplit=1)[0]
    sentence = re.sub(r"\s+", " ", sentence).rstrip(".")
    if len(sentence) <= FALLBACK_TITLE_CHARS:
        return sentence
    clause = re.split(r",\s|\s(?:and|but|who|which|after|as|because)\s", sentence)[0]
    if 30 <= len(clause) <= FALLBACK_TITLE_CHARS:
        return clause
    cut = sentence[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + "…"


TAGLINE_WORDS = re.compile(
    r"\b(news (and|from|for|that)|news,|breaking news|latest news|straight to your inbox|your inbox|"
    r"political writing|journalism|magazine|newspaper|website|blog|voice of|since \d{4}|"
    r"independent (journalism|media|voice)|the home of|now playing|listen live|on air)\b",
    re.IGNORECASE,
)
BREADCRUMB = re.compile(r"\s[>›»·|/]\s")


SENTENCE_END = re.compile(r"[.!?:;…”\"’'\)]$")
LONG_HEADLINE_WORDS = 60


def _is_prose(text: str) -> bool:
    """A paragraph of the article: a long line, or a sentence of twelve words or more.
    A long line that does not end as a sentence does is a long headline ('... after
    popping into the pub to sing socialist anthem The Red Flag') up to sixty words."""
    words = len(text.split())
    if words > LONG_HEADLINE_WORDS:
        return True
    return (words > 30 and bool(SENTENCE_END.search(text))) or (words >= 12 and bool(PROSE_END.search(text)))


def _is_title_candidate(text: str) -> bool:
    return (
        (_is_headline(text) or len(text.split()) <= 25)
        and not _is_masthead(text)
        and len(text.split()) >= 3
        and not TAGLINE_WORDS.search(text)
        and not BREADCRUMB.search(text)
    )


def _is_byline(line: Line) -> bool:
    if line.kind == LineKind.META:
        return True
    opening = re.match(STANDFIRST_BYLINE_OPENING, line.text)
    if opening and names.looks_like_person_name(_clean_author(opening["name"])):
        return True
    match = NAME_LINE.match(line.text)
    return bool(match) and names.looks_like_person_name(_clean_author(match["name"]))


def find_title(page: CleanPage, hint: str = "", gazetteer: Gazetteer | None = None) -> tuple[str, bool, Line | None]:
    """The headline: the first headline-like line of the block of lines that stands
    directly above the article's byline or dateline (or, without one, above its first
    paragraph). Menus, taglines and section labels above it are skipped; a page whose
    text starts straight with prose gets a fallback title from its first sentence."""
    if hint:
        return _strip_site_suffix(hint)[0], False, None
    lines = [line for line in page.lines if line.kind not in (LineKind.BLANK, LineKind.CAPTION)]

    def is_prose(i: int) -> bool:
        line = lines[i]
        if line.kind != LineKind.BODY or not _is_prose(line.text):
            return False
        # A headline may end with a full stop; a dateline or byline right under it says so.
        return not (len(line.text.split()) <= 25 and i + 1 < len(lines) and lines[i + 1].kind == LineKind.META)

    first_prose = next((i for i in range(len(lines)) if is_prose(i)), len(lines))
    # The site's name stands at the very top: a line under a dateline or byline is not it.
    page_top = []
    for line in lines[:2]:
        if line.kind != LineKind.BODY:
            break
        page_top.append(line)
    # Site descriptions can look like prose above the article: bylines a little further
    # down still anchor the headline.
    horizon = min(len(lines), first_prose + 8, 40)
    anchors = sorted({i for i in range(horizon) if _is_byline(lines[i])} | {first_prose})
    site_names = set(_source_aliases(gazetteer, False, guarded=True)) if gazetteer is not None else set()
    headlines = Counter(headline_text(line.text) for line in lines)
    repeated = {text for text in headlines.keys() & {line.text for line in lines} if headlines[text] > 1}

    def choose(block: list[Line]) -> tuple[float, Line] | None:
        candidates = [line for line in block if _is_headline_line(line)]
        return _choose_headline(candidates, page_top, site_names, repeated)

    best = None
    for anchor in anchors:
        found = choose(_header_block(lines[:anchor]))
        below_ok = anchor < first_prose and (
            lines[anchor].kind == LineKind.META or (found is not None and found[0] >= 1)
        )
        if below_ok:
            # Some pages put the date or the byline above the headline: look just below.
            below = choose(_header_block(lines[anchor + 1 : first_prose], upwards=False))
            if below is not None and (found is None or below[0] < found[0]):
                found = below
        if found is not None and found[0] < 1:
            return headline_text(found[1].text), False, found[1]
        if found is not None and (best is None or found[0] < best[0]):
            best = found  # an unlikely headline: a later anchor may give a better one
    if best is not None:
        return headline_text(best[1].text), False, best[1]
    first = lines[first_prose].text if first_prose < len(lines) else ""
    return (fallback_title(first) if first else "Untitled"), True, None


def _is_headline_line(line: Line) -> bool:
    text = headline_text(line.text)
    return _is_title_candidate(text) and not _is_byline(line) and not _is_long_prose(text)


# Furniture that may sit inside a header block without ending it: single widget lines
# (share buttons, "Next", comment counters, promos, ads) and lines the page repeats
# (the headline itself, repeated by a share widget or at the end, among them).
PASSABLE_FURNITURE = {
    "site furniture",
    "interface text",
    "repeated on the page",
    "social media embed",
    "category or tag list",
}


# 'This article is more than 1 month old': printed between a headline and its standfirst.
AGE_NOTICE = re.compile(r"(?i)this (?:article|story|page) is more than .{1,20} old$")


def _header_block(lines: list[Line], upwards: bool = True) -> list[Line]:
    """The run of header lines next to an anchor (above it, or below with ``upwards``
    False), passing over widget furniture; a repeated line is kept as a headline
    candidate, other furniture is left out. Each line's ``crossed`` says how many
    furniture lines stand between it and the anchor."""
    block = []
    crossed = 0
    for line in reversed(lines) if upwards else lines:
        if line.kind == LineKind.FURNITURE and line.reason in PASSABLE_FURNITURE:
            if (
                line.reason != "repeated on the page"
                or len(line.text.split()) < 5
                or any(b.text == line.text for b in block)
            ):
                crossed += 0 if AGE_NOTICE.match(line.text) else 1
                continue
        elif line.kind != LineKind.BODY:
            break
        line.crossed = crossed
        block.append(line)
    return block[::-1] if upwards else block


def headline_text(text: str) -> str:
    """A headline line without the site's name or section trail glued after it
    ('Headline | World Briefings', 'Headline | Politics | News')."""
    parts = text.split(" | ")
    if len(parts) > 2 and len(parts[0].split()) >= 4 and all(len(p.split()) <= 3 for p in parts[1:]):
        return parts[0].strip()
    headline, suffix = _strip_site_suffix(text)
    if suffix and (_could_be_site_name(suffix) or NOT_SITE_NAMES.match(suffix)) and len(headline.split()) >= 4:
        return headline
    return text


LABEL_SMALL_WORDS = {"of", "and", "the", "&", "for", "in", "on", "at", "to"}


def _is_label(text: str) -> bool:
    """A short line of capitalised words: a site's name or a section label
    ('Aylesbury Liberal Democrats', 'General Election 2024'), not a headline."""
    words = text.split()
    return len(words) <= 5 and all(
        w.lower() in LABEL_SMALL_WORDS or not w[0].isalpha() or w[0].isupper() for w in words
    )


def _choose_headline(
    candidates: list[Line], page_top: list[Line], site_names: set[str], repeated: set[str]
) -> tuple[float, Line] | None:
    """(penalty, line) of the headline among a block's candidates: not the page's own
    name at its top (a known publication, or a short label), nor the tagline right under
    it; then the best by ``_headline_penalty``."""
    if page_top and _is_label(page_top[0].text) and _is_site_name(page_top[0].text, site_names):
        others = [line for line in candidates if line is not page_top[0]]
        # A site's name is usually followed by its tagline; a one-word section label is not.
        has_tagline = len(others) > 1 and len(page_top[0].text.split()) > 1
        masthead = page_top[:2] if has_tagline else page_top[:1]
        kept = [line for line in candidates if all(line is not m for m in masthead)]
        if any(not PROSE_END.search(line.text) for line in kept):
            candidates = kept
    if not candidates:
        return None
    penalties = [_headline_penalty(candidates, i, repeated) for i in range(len(candidates))]
    best = penalties.index(min(penalties))
    return penalties[best], candidates[best]


def _is_site_name(text: str, site_names: set[str]) -> bool:
    """A label at the top of a page that names the site: a publication or party the
    knowledge base knows, or up to three capitalised words ('Kent Current'); a short
    headline has small words ('Trouble in Toryland', 'Statement on the Leadership')."""
    text = normalise(text).strip()
    if text in site_names or SITE_NAME_NOISE.sub("", text).strip(" -–|") in site_names:
        return True
    words = text.split()
    return len(words) <= 3 and not any(w.lower() in LABEL_SMALL_WORDS - {"the", "of", "and", "&"} for w in words)


def _headline_penalty(candidates: list[Line], i: int, repeated: set[str] = frozenset()) -> float:
    """How unlike the headline candidate ``i`` of a header block is. The first candidate
    is preferred; a full sentence or a lead-in to a quote, a short label such as a site's
    or section's name, a dateline, a line beyond widget furniture and one whose words the
    page's markup ran together (``_glued_words``) are unlikely; a line the page repeats is
    likely (share widgets and the foot of the page repeat the headline)."""
    text = candidates[i].text
    penalty = 0.1 * i + 0.5 * min(candidates[i].crossed, 2)
    if PROSE_END.search(text) or (text.endswith(":") and len(text.split()) >= 8):
        penalty += 3  # a sentence, or a lead-in to a quote ("..., the President said:")
    if headline_text(text) in repeated and len(text.split()) >= 4:
        penalty -= 1
    if _is_label(text):
        penalty += 2 if _is_site_name(text, set()) else 0 if any(w in LABEL_SMALL_WORDS for w in text.split()) else 0.5
    if find_dates(text) and len(text) - sum(len(d.text) for d in find_dates(text)) < 40:
        penalty += 2
    if _glued_words(text):
        penalty += 1
    return penalty


def _glued_words(text: str) -> bool:
    """Words the page's elements ran together: a lower-case word glued to a capital
    ('contentSkip', 'agoHeadline') or a word glued to a first name ('Read Full
    DebatePhilip Hollobone'). Names (McDonnell, DeSantis) and brands (LabourList,
    ConservativeHome) have a capital inside too, after a capital-led part."""
    if re.search(r"[)\]](?=[A-Z][a-z])", text):
        return True  # "(Conservative - Kettering)Department Debates"
    for head, tail in re.findall(r"\b([A-Za-z]+?[a-z])([A-Z][a-z]+)", text):
        if (head[0].islower() and len(head) >= 3) or (len(head) >= 3 and names.is_first_name(tail)):
            return True
    return False


def _is_long_prose(text: str) -> bool:
    return len(text.split()) > 25 and bool(PROSE_END.search(text))


# ----------------------------------------------------------------------------- author

_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|bin|al|ap)){1,3}"
_CAPS_NAME = r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){1,3}"
BYLINE_PATTERNS = [
    (
        re.compile(rf"^(?:[-–—•]\s*)?(?i:by)\s+(?P<name>{_CAPS_NAME}|{_NAME}(?:\s+(?:and|&)\s+{_NAME})?)"),
        "byline 'By X'",
    ),
    (re.compile(rf"^[-–—•]\s*(?P<name>{_CAPS_NAME}|{_NAME})(?:\s+\S+@\S+)?$"), "dash-led name line"),
    (
        re.compile(
            r"^(?i:words|author|written by|posted by|reporter|story by|report by|opinion by|analysis by|comment by|"
            rf"column by|interview by|review by|article by|text by)\s*[:|]?\s*(?P<name>{_NAME})"
        ),
        "byline label",
    ),
    (re.compile(rf"\b(?i:posted (?:on .{{4,40}}? )?by)\s+(?P<name>{_NAME})"), "'Posted by X'"),
    # "12 March 2025 | By Jo Bloggs": a byline after the date on one line.
    (
        re.compile(rf"[|•·]\s*(?i:by)\s+(?P<name>{_CAPS_NAME}|{_NAME})\s*(?:[|•·].*)?$"),
        "byline 'By X' after a separator",
    ),
]
# Only just under the headline, where a name beside a date or a handle is the writer's (an
# embedded post further down names its poster the same way).
UNDER_HEADLINE_BYLINES = [
    # "Jo Bloggs | 12 March 2025", "Jo Bloggs • 12/03/2025": the writer beside the date.
    (
        re.compile(
            rf"^(?P<name>{_NAME})\s*[|•·]\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{{4}}|"
            r"[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})"
        ),
        "name beside the date",
    ),
    # "Jo Bloggs @jobloggs": a writer's line with their handle.
    (re.compile(rf"^(?P<name>{_NAME})\s+@\w{{2,30}}$"), "name with a social media handle"),
]
# A standfirst that opens with its writer: "Derek James reports on the split ...".
STANDFIRST_BYLINE_OPENING = rf"^(?P<name>{_NAME})\s+(?:reports|argues|explains|examines|considers|looks at|asks)\b"
WRITES = [
    (re.compile(rf"(?:,|—|–|-)\s*writes\s+(?P<name>{_NAME})"), "'..., writes X'"),
    (re.compile(rf"^(?P<name>{_NAME})\s+writes\b"), "'X writes'"),
    (re.compile(rf"^(?:The\s+)?[A-Z][\w-]*[’']s\s+(?P<name>{_NAME})\s+writes\b"), "'Outlet's X writes'"),
    (re.compile(rf"[.!?]\s+(?P<name>{_CAPS_NAME}|{_NAME})\s+(?:reports|writes)\.$"), "standfirst ending 'X reports.'"),
    (re.compile(STANDFIRST_BYLINE_OPENING), "standfirst 'X reports on ...'"),
    (re.compile(rf"[,.]\s+(?:argues|writes|explains|asks)\s+(?P<name>{_NAME})\.?$"), "standfirst '..., argues X'"),
    (re.compile(rf"\b(?:tells?|told)\s+(?P<name>{_NAME})\s+why\b"), "standfirst '... tell X why'"),
    (
        re.compile(
            rf"\b(?i:(?:this|the) (?:article|piece|post|blog|column) (?:is |was )?(?:by|written by))\s+(?P<name>{_NAME})"
        ),
        "'This article by X'",
    ),
]
TAGLINE = re.compile(
    # The role comes within a few words ("X is policy lead at Y"); a story's first line
    # about its subject ("X is expected to step down, with the Labour leader ...") is none.
    rf"^(?P<name>{_NAME}) is (?!(?:expected|set|due|likely|understood|thought|said|believed|facing|to|being|not|now|"
    r"poised|about|under|in|at|on)\b)(?:(?:a|an|the|an elected|a former|currently)\b)?[^,;:“\"]{0,80}?\b"
    r"(?:MP|MSP|MS|(?i:member|councillor|editor|writer|journalist|activist|campaigner|representative|"
    r"candidate|secretary|chair|officer|organiser|columnist|correspondent|author|leader|"
    r"spokesperson|director|founder|reporter|peer|lecturer|researcher|fellow|trade unionist|professor|"
    r"academic|civil servant|economist|historian|analyst|student|teacher|commentator|broadcaster))\b"
)
NAME_LINE = re.compile(
    rf"^(?P<name>{_NAME})\s*(?:[,|–—-]\s*.{{0,80}}|\s+(?:[A-Z][a-z]+\s+)?(?:political|deputy|chief|senior|home|economics|policy|parliamentary|associate|assistant|news|local democracy|north|scotland|wales|ireland)\b.{{0,60}}|\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?\.?$"
)
# Opinion headlines end with their writer: "... – Cllr Bernadette Okafor, Salford".
HEADLINE_AUTHOR = re.compile(
    rf"\s[–—-]\s+(?:(?:Cllr|Councillor|Dr|Sir|Dame|Lord|Baroness)\s+)?(?P<name>{_NAME})(?:,[^,]{{1,60}}| MP| MSP| MS)?$"
)
# A columnist's name before the headline, in capitals: "JANE DOE: I was in the room ...".
HEADLINE_COLUMNIST = re.compile(rf"^(?P<name>{_CAPS_NAME}):\s+\S")
# The role under a closing signature: "Chief Executive and Returning Officer".
SIGNATURE_ROLE = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+){0,6}?(?i:chief executive|executive|officer|secretary|general secretary|chair|chairman|"
    r"chairwoman|director|leader|president|coordinator|organiser|spokesperson|treasurer|agent|convenor|mp|msp|ms)"
    r"(?:\s+(?:and|of|for|the|&)?\s*[\w'’&-]+){0,6}$"
)
# A line that introduces what someone said, not who wrote the page.
SPEAKER_LEAD_IN = re.compile(r"\b(?:said|says|added|told|commented|explained|warned|stated)\s*[:,]?\s*$", re.IGNORECASE)
NOT_AUTHOR = re.compile(r"\b(picture|photo|image|getty|reuters|pa media|shutterstock|alamy|credit)\b", re.IGNORECASE)


ROLE_TOKENS = {
    "Political",
    "Deputy",
    "Chief",
    "Senior",
    "Editor",
    "Correspondent",
    "Reporter",
    "Local",
    "Democracy",
    "Home",
    "Affairs",
    "Economics",
    "Policy",
    "Parliamentary",
    "Associate",
    "Assistant",
    "News",
    "Staff",
    "Writer",
    "Columnist",
    "Contributor",
    "Lobby",
    "Scotland",
    "Wales",
    "Ireland",
    "North",
    "Westminster",
    "Commentator",
    "Journalist",
    "Presenter",
    "Producer",
    "Head",
    "Of",
    "For",
    "The",
    "At",
}


# "Michael BrennanPolitical Editor": a role glued to the name by the page's markup.
GLUED_ROLE = re.compile(
    r"(?<=[a-z])(?=(?:Political|Chief|Senior|Deputy|Associate|Assistant|Home|Economics|Policy|Parliamentary|News|"
    r"Local|Staff|Editor|Correspondent|Reporter|Columnist|Writer)\b)"
)


def _clean_author(name: str) -> str:
    name = GLUED_ROLE.sub(" ", name)
    name = re.split(r"\s*[,;|–—(]\s*", name.strip())[0]
    name = re.sub(r"\s+(?:and|&)\s*$", "", name)
    name = names.titlecase_name(name.strip(" .:"))
    tokens = [t for t in name.split() if t not in names.HONORIFICS]
    half = len(tokens) // 2
    if len(tokens) % 2 == 0 and half and tokens[:half] == tokens[half:]:
        tokens = tokens[:half]  # "Imogen Clay Imogen Clay": a byline doubled by the markup
    # "Kevin Aldred Political Editor" -> "Kevin Aldred": a role follows the name (or
    # "Christopher Hope ASSOCIATE EDITOR", in capitals).
    for index, token in enumerate(tokens[2:], start=2):
        if token in ROLE_TOKENS or (token.isupper() and token.title() in ROLE_TOKENS):
            tokens = tokens[:index]
            break
    return " ".join(tokens)


NOT_A_PERSON = re.compile(
    r"\b(reporters?|staff|agency|agencies|newsdesk|news desk|correspondents|team|desk|editors|"
    r"press association|pa|afp|reuters|bloomberg|our|political staff|guest|admin|editorial|author)\b",
    re.IGNORECASE,
)


def is_author_bio(text: str, author: str) -> bool:
    """'Jenna Holloway is a writer from Teesside.', 'X receives funding from ...': a short
    line that opens with the author's name and goes on about them."""
    text = normalise(text)
    for honorific in ("Cllr ", "Councillor ", "Dr ", "Professor "):
        text = text.removeprefix(honorific)
    return len(text) < 300 and bool(re.match(rf"{re.escape(author)},? [a-z]", text))


def _valid_author(name: str, gazetteer: Gazetteer | None) -> bool:
    if not name or NOT_AUTHOR.search(name) or len(name.split()) > 8:
        return False
    if NOT_A_PERSON.search(name) and not names.looks_like_person_name(name):
        return False  # "PA Reporters", "Political Staff"; but "Jo Staff" is a person
    if gazetteer is not None:
        for alias_entries in [gazetteer.aliases.get(normalise(name), [])]:
            if any(gazetteer.entities[e.key].kind == ORGANISATION for e in alias_entries):
                return False
    return True


def _line_above_headline(lines: list[Line], title_line: Line | None) -> Line | None:
    """A byline standing right above the headline, often doubled by the page's markup
    ('Imogen Clay Imogen Clay')."""
    if title_line not in lines:
        return None
    index = lines.index(title_line)
    while index > 0 and lines[index - 1].text == title_line.text:
        index -= 1  # the headline printed twice (page and share widget)
    if index == 0:
        return None
    above = lines[index - 1]
    name = _clean_author(above.text)
    shaped = len(above.text) < 60 and NAME_LINE.match(above.text) and names.looks_like_person_name(name)
    return above if shaped and above.kind in (LineKind.BODY, LineKind.FURNITURE) else None


def find_author(
    page: CleanPage, title_line: Line | None, hint: str = "", gazetteer: Gazetteer | None = None
) -> tuple[str, str, Line | None]:
    """(author, rule, the byline line when it is a line of its own) for a page."""
    if hint:
        return _clean_author(hint), "page metadata", None
    lines = [line for line in page.lines if line.kind != LineKind.BLANK]
    for line in lines:
        if line.kind in (LineKind.META, LineKind.BODY) and len(line.text) < 200:
            for pattern, rule in BYLINE_PATTERNS:
                match = pattern.search(line.text)
                if match:
                    name = _clean_author(match["name"])
                    # "By Tuesday night ..." opens a sentence, not a byline.
                    shaped = all(names.looks_like_person_name(n, require_first_name=False) for n in name.split(" and "))
                    if shaped and _valid_author(name, gazetteer):
                        return name, rule, line
    for line, following in zip(lines, lines[1:], strict=False):
        # "Rhiannon Price" / "First published: 14 June 2019": a name right above the date.
        if (
            line.kind in (LineKind.BODY, LineKind.FURNITURE)
            and len(line.text.split()) <= 4
            and following.kind == LineKind.META
            and PUBLISHED_LABEL.search(following.text)
            and names.looks_like_person_name(_clean_author(line.text))
        ):
            return _clean_author(line.text), "name above the publication date", line
    content = page.content_lines()
    above = _line_above_headline(lines, title_line)
    if above is not None:
        return _clean_author(above.text), "name line above the headline", above
    if title_line is not None:
        match = HEADLINE_AUTHOR.search(title_line.text)
        if match and names.looks_like_person_name(_clean_author(match["name"])):
            return _clean_author(match["name"]), "name after the headline's dash", None
        match = HEADLINE_COLUMNIST.match(title_line.text)
        if match and names.looks_like_person_name(_clean_author(match["name"])):
            return _clean_author(match["name"]), "columnist's name before the headline", None
    after_title = lines.index(title_line) + 1 if title_line in lines else 0
    under_headline = [line for line in lines[after_title:] if line.kind == LineKind.BODY][:3]
    for line in lines[after_title : after_title + 3]:
        for pattern, rule in UNDER_HEADLINE_BYLINES:
            match = pattern.match(line.text) if line.kind in (LineKind.BODY, LineKind.META) else None
            if match and names.looks_like_person_name(_clean_author(match["name"])):
                name = _clean_author(match["name"])
                if _valid_author(name, gazetteer):
                    return name, rule, line
    # A name line under the headline ("Jane Doe, Political Correspondent").
    for line in under_headline:
        match = NAME_LINE.match(line.text)
        if SPEAKER_LEAD_IN.search(line.text):
            continue  # "Dave Prentis, General Secretary of UNISON, said:" introduces a quote
        if match and names.looks_like_person_name(_clean_author(match["name"])):
            name = _clean_author(match["name"])
            if _valid_author(name, gazetteer):
                return name, "name line under the headline", line
    for line in under_headline + content[-4:]:
        for pattern, rule in WRITES:
            match = pattern.search(line.text)
            if match and names.looks_like_person_name(_clean_author(match["name"])):
                standalone = len(line.text) < 80
                return _clean_author(match["name"]), rule, line if standalone else None
    for line in under_headline + content[-5:]:
        match = TAGLINE.match(normalise(line.text))
        if match and len(line.text) < 400 and names.looks_like_person_name(_clean_author(match["name"])):
            return _clean_author(match["name"]), "author tagline", line
    for line, role in list(zip(lines, lines[1:], strict=False))[-7:]:
        # A statement signed at its foot: "Tim Gordon" / "Chief Executive and Returning Officer".
        if (
            line.kind == LineKind.BODY
            and len(line.text.split()) <= 4
            and len(role.text) < 80
            and SIGNATURE_ROLE.match(role.text)
            and names.looks_like_person_name(_clean_author(line.text))
        ):
            return _clean_author(line.text), "signature above a role", line
    first_person = sum(len(re.findall(r"\b(?:I|my|me)\b", line.text)) for line in content)
    for line in content[-3:]:
        # A letter's or column's signature: a line that is only a name, under a text
        # written in the first person (in news copy a lone name line is a caption).
        if first_person >= 2 and len(line.text.split()) <= 4 and names.looks_like_person_name(_clean_author(line.text)):
            return _clean_author(line.text), "closing signature", line
    return "", "", None


# ------------------------------------------------------------------------------- date

PUBLISHED_LABEL = re.compile(r"\b(published|posted|first published|date|dated|created|released)\b", re.IGNORECASE)
TRAP_LABEL = re.compile(
    r"\b(updated|last updated|modified|last modified|edited|amended|picture date|photo date|"
    r"copyright|printed|accessed|retrieved|archived|captured|today is)\b|©|\(c\)",
    re.IGNORECASE,
)
TIME_OF_DAY = re.compile(r"\b\d{1,2}[.:]\d{2}\s*(?:am|pm|gmt|bst|utc)?\b|\b\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE)


def _date_candidates(line: Line):
    """Dates on a line that are not preceded by a trap label on that line."""
    for found in find_dates(line.text):
        prefix = line.text[: found.start]
        labels = list(PUBLISHED_LABEL.finditer(prefix)) + list(TRAP_LABEL.finditer(prefix))
        last_label = max(labels, key=lambda m: m.end(), default=None)
        if last_label is not None and TRAP_LABEL.fullmatch(last_label.group(0)):
            continue
        labelled = last_label is not None and bool(PUBLISHED_LABEL.fullmatch(last_label.group(0)))
        yield found, labelled


def find_date(
    page: CleanPage, title_line: Line | None, hint: str = "", today: datetime.date | None = None
) -> tuple[datetime.date | None, str]:
    today = today or datetime.date.today()
    if hint:
        date = parse_date(hint)
        if date:
            return date, "page metadata"
    lines = [line for line in page.lines if line.kind not in (LineKind.BLANK, LineKind.EMBED, LineKind.CAPTION)]
    title_index = next((i for i, line in enumerate(lines) if line is title_line), -1)
    ranked = []
    for index, line in enumerate(lines):
        if line.kind == LineKind.BODY and len(line.text) > 160:
            continue  # dates inside prose are events, not publication
        if line.kind == LineKind.FURNITURE and not PUBLISHED_LABEL.search(line.text):
            continue
        for found, labelled in _date_candidates(line):
            if found.date > today + datetime.timedelta(days=1) or found.date.year < 1990:
                continue
            before_title = index < title_index
            standalone = len(line.text) - len(found.text) < 60
            if labelled:
                rank = 0
            elif before_title and not TIME_OF_DAY.search(line.text) and title_index - index > 2:
                continue  # a masthead's "today", not this article's date
            elif line.kind == LineKind.META or (standalone and (index - title_index) <= 8):
                rank = 1
            elif standalone:
                rank = 2
            else:
                continue
            ranked.append((rank, index, found.date, line.text))
    if not ranked:
        return None, ""
    rank, _index, date, text = min(ranked)
    return date, ("labelled publication date" if rank == 0 else "dateline") + f": {text[:80]}"


# ----------------------------------------------------------------------------- source

# How a page names its own publication: patterns over the whole page, ``{name}`` standing
# for the names the knowledge base knows. Cue words match in any case ("Follow X on" at a
# line start); the name as written. The weak ones ("told the BBC" in another outlet's
# story) count only for media organisations, and only when no strong one is found.
SELF_REFERENCE = [
    r"(?i:\bmore from )({name})\b",
    r"(?i:\b(?:sign up|subscribe) (?:to|for) )(?:the )?({name})(?:'s)?\b",
    r"(?i:\bget the latest )({name})\b",
    r"\b({name})'s (?i:daily|morning|weekly|evening|free) (?i:newsletter|email|briefing)\b",
    # A button ("Join the Irish News"), not a story's "she went on to join the Labour Party".
    r"^(?:[-•*]\s*)?(?i:(?:support|donate to|join) )(?:the )?({name})\b",
    r"(?:©|\((?i:c)\)|(?i:copyright))[\s©]*(?:(?:\d{{4}}\s*[-–]\s*)?\d{{4}}\s*)?({name})\b",
    r"\b({name})\s*(?:©|\((?i:c)\)|(?i:copyright))\s*\d{{4}}\b",
    # Its own journalist's role line ("assistant political editor, BBC News Channel").
    r"^(?:[-•*]\s*)?(?i:[\w ]{{0,40}}\b(?:editor|correspondent|reporter|columnist|presenter|writer))(?:,| at| for)\s+({name})\s*$",
    # A byline naming the publication: "By Socialist Alternative members", "By Mirror staff".
    r"^(?i:by) (?:the )?(?!{agency})({name})(?:\s+(?i:members|staff|reporters?|team|correspondents?|newsdesk|news desk|editorial))?\b",
    # "our ConservativeHome panel", "our Lib Dem Voice survey".
    r"(?i:\bour (?:exclusive |latest |new |own )?)({name}) (?:[A-Z][\w-]+ )?(?i:panel|survey|poll|readers|newsletter|podcast|team|reporters?|correspondents?|columnists?|"
    r"writers|website|site|magazine|paper)\b",
    r"\b(?:that )?({name}) (?:is|are) publishing\b",
    r"(?i:\bfollow )({name})(?i: on)\b",
    r"(?i:\bon behalf of )({name})\b",
    r"(?i:\bwhy you can trust )({name})\b",
    r"(?i:\bnotifications from )({name})\b",
    r"(?i:\benjoying )(?:the )?({name})(?i: online)?\?",
    r"(?i:\bwelcome to )({name})'s\b",
    r"(?i:\bfollow )({name})'s (?i:live coverage|live blog)",
    r"(?i:\b(?:this information is|content) provided by )({name})\b",
    r"(?i:\bread more (?:from|on|at) )(?:the )?({name})\b",
    r"(?i:\bmore )({name})(?i: content| stories| journalism)\b",
    # A blog's subscription box ("Discover more from X"), a paywall's offer, a teaser.
    r"(?i:\bdiscover more from )(?:the )?({name})\b",
    r"(?i:\b(?:digital|print) subscription to )(?:the )?({name})\b",
    r"^(?i:stay tuned (?:on|to) )(?:the )?({name})\b",
]
WEAK_SELF_REFERENCE = [
    r"(?i:\btold )({name})\b",
    r"(?i:\bspeaking to )({name})\b",
    r"\b({name}) (?i:understands|has learned|has learnt|has teamed up|has spoken to|spoke to|can reveal|"
    r"has seen|asked|has asked|contacted|readers)\b",
    r"^(?i:source):\s*({name})\s*$",
    # Its owner named in the footer: "The Bristol Post is part of Reach plc" (a publication
    # only: a party "is part of" a coalition).
    r"\b({name}) (?i:is part of|is owned by|is published by)\b",
    r"^({name}): (?=[A-Z])",
]
# A think tank's or campaign's own press release: "IPPR analysis shows", "new research
# from the IFS". Only when nothing else names the publication.
OWN_RESEARCH = [
    r"\b({name}) (?i:analysis|research|modelling|polling) (?i:shows|finds|found|reveals|suggests)\b",
    r"(?i:\b(?:new|an|a new) (?:analysis|research|modelling|polling) (?:by|from) )(?:the )?({name})\b",
]
# News agencies: their byline on a page is not the page's publication.
_AGENCY = r"(?i:press association|pa\b|pa media|reuters|afp|ap\b|associated press|bloomberg)"
# A publication the knowledge base does not know still names itself in its furniture.
_PUBLICATION = r"(?:The |the )?[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}"
UNKNOWN_SELF_REFERENCE = [
    re.compile(rf"^(?i:more from)\s+(?P<name>{_PUBLICATION})", re.MULTILINE),
    # "© 2025 Northern Dispatch", "Copyright © 2019-2025 Valleys Voice Ltd", "© Valleys Voice 2025".
    re.compile(
        rf"^(?:(?i:copyright)\s*)?(?:©|\((?i:c)\)|(?i:copyright))[\s©]*(?:(?:\d{{4}}\s*[-–]\s*)?\d{{4}},?\s+)?"
        rf"(?P<name>{_PUBLICATION})",
        re.MULTILINE,
    ),
    re.compile(
        rf"(?i:\b(?:subscribe to|sign up (?:to|for)) )(?P<name>{_PUBLICATION})(?:'s|’s)"
        r"(?i: (?:free |daily |weekly )?newsletters?)"
    ),
    re.compile(rf"^(?i:discover more from)\s+(?P<name>{_PUBLICATION})\s*$", re.MULTILINE),
    re.compile(rf"^(?i:follow )(?P<name>{_PUBLICATION})(?i: on)\b", re.MULTILINE),
    re.compile(rf"(?i:\bprovided by )(?P<name>{_PUBLICATION})(?i: and does not)\b"),
    # "The Valleys Voice is part of Acme Media Group": a footer naming its owner.
    re.compile(
        rf"^(?P<name>{_PUBLICATION}) (?i:is part of|is owned by|is published by) [A-Z][\w&'’ -]{{1,40}}"
        r"(?:plc|PLC|Ltd|Limited|Group|Media)\b",
        re.MULTILINE,
    ),
    # A byline crediting the publication's own people: "By Socialist Alternative members".
    re.compile(
        rf"^(?i:by) (?!{_AGENCY})(?P<name>{_PUBLICATION}) (?i:members|staff|reporters|team|correspondents|newsdesk)\b",
        re.MULTILINE,
    ),
    # What only a newsroom says of itself: "The Post has spoken to", "The Ledger understands".
    # Not a body the knowledge base knows ("The Treasury understands"): see find_source.
    re.compile(
        r"\b(?P<newsroom>The [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2}) (?:understands|has learned|has learnt|can reveal|"
        r"has spoken to|has seen|has contacted|has approached)\b"
    ),
]
# "This article was originally published by X", "This piece first appeared in X", "A
# version of this post first appeared on X", "Republished from X": a syndicated copy
# names its publisher.
ORIGINAL_PUBLISHER = re.compile(
    r"(?i:(?:\b(?:this|the|a version of this) (?:article|piece|story|post|blog|column|interview|essay|report) "
    r"(?:was |is |has been )?(?:originally |first )?(?:published|appeared|posted|ran|run)(?: first| originally)? "
    r"(?:by|in|on|at|with) |\b(?:republished|reproduced|reprinted|cross-posted|crossposted)"
    r"(?: with (?:kind )?permission)? (?:from|by) |^(?:originally|first) (?:published|posted|appeared) (?:by|in|on|at) ))"
    r"(?:the )?(?P<name>(?:The )?[A-Z][\w.-]+(?: [A-Z][\w.-]+){0,3})",
    re.MULTILINE,
)
SITE_NAME_LINE = "a line of the page's header or footer that is the publication's name"
SITE_NAME_NOISE = re.compile(
    r"\s*(?:[-–|:·]\s*(?:back to home|home|homepage|news|politics|uk|the party of wales)\b.*|©|\(c\)|copyright|logo|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+\d{4})?|"
    r"\d{4}|ltd|limited|plc|all rights reserved\.?|\d+(?:\.\d+)?\s*(?:fm|am)?)\s*$",
    re.IGNORECASE,
)
# Words that a headline's "| X" suffix or a repeated short line may be without naming
# a publication (section names, edition labels).
NOT_SITE_NAMES = re.compile(
    r"^(?:news|politics|uk|home|opinion|comment|analysis|live|(?:[\w ]+ )?latest|world|business|sport|video|"
    r"[\w ]*edition|breaking|blog|features?|local|scotland|wales|england|northern ireland)$",
    re.IGNORECASE,
)


def _site_name_line(page: CleanPage, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """The publication named by a header or footer line of its own ('The Guardian -
    Back to home', 'THE TIMES', '© Northern Dispatch 2025', 'Labour Research March
    2021'). Publications match anywhere in the first and last thirty lines; parties and
    campaigns only in the first three."""
    key = ("site name lines",)
    if key not in gazetteer.derived:
        media = {text.casefold(): name for text, name in _source_aliases(gazetteer, True, guarded=True).items()}
        others = {text.casefold(): name for text, name in _source_aliases(gazetteer, False).items()}
        # Noise is cut from the end and " .,|-–" from the ends, so a name is a prefix of
        # its line: a line that starts like no name is passed over without the cutting.
        starts = frozenset(text[:8] for text in (*media, *others) if len(text) > 2)
        gazetteer.derived[key] = media, others, starts, sorted({len(start) for start in starts})
    media, others, starts, lengths = gazetteer.derived[key]
    lines = [line for line in page.lines if line.kind != LineKind.BLANK]
    for position, line in enumerate(lines[:30] + lines[-30:]):
        text = normalise(line.text).strip()
        text = re.sub(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?", "", text, flags=re.IGNORECASE)
        folded = text.casefold()
        stripped = folded.lstrip(" .,|-–")
        if not any(folded[:n] in starts or stripped[:n] in starts for n in lengths):
            continue
        for _ in range(4):
            key = text.casefold()
            if len(key) > 2 and (key in media or (position < 3 and key in others)):
                return (media.get(key) or others[key]), f"site name line: {line.text[:60]}"
            shorter = SITE_NAME_NOISE.sub("", text).strip(" .,|-–")
            if shorter == text:
                break  # nothing more to strip: the next rounds would test the same key
            text = shorter
    return None


def _domain_mention(page: CleanPage, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """A publication's web domain on a line of its own ('dailyrecord.co.uk') or in a
    newsroom address ('news@cityam.com')."""
    for line in page.lines:
        text = line.text.strip().lower()
        match = re.fullmatch(r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/?", text) or re.search(
            r"\b(?:news|newsdesk|editor|editorial|letters|tips)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)", text
        )
        if match:
            entity = _entity_for_domain(match.group(1), gazetteer)
            if entity is not None and entity.org_kind == "media":
                return entity.name, f"the publication's domain on the page: {match.group(0)[:60]}"
    return None


def _entity_for_domain(host: str, gazetteer: Gazetteer):
    host = host.removeprefix("www.")
    for entity in gazetteer.entities.values():
        if any(host == d or host.endswith("." + d) for d in entity.domains):
            return entity
    return None


def _unknown_site_name(page: CleanPage) -> tuple[str, str] | None:
    """A publication the knowledge base does not know: the '| X' or '- X' suffix of a
    headline line at the top of the page ('Headline | World Briefings'), or a short
    capitalised line the page repeats three times or more (its masthead and footer)."""
    lines = [line for line in page.lines if line.kind != LineKind.BLANK]
    for line in lines[:6]:
        if line.kind in (LineKind.CAPTION, LineKind.EMBED) or (
            line.kind == LineKind.FURNITURE and line.reason not in ("above the headline", "repeated on the page")
        ):
            continue  # a menu's last item or a player's track is no site name
        headline, suffix = _strip_site_suffix(line.text)
        if suffix and headline != line.text and _could_be_site_name(suffix):
            return suffix, f"site name after the headline: {line.text[-60:]}"
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    for text, count in counts.items():
        if count >= 3 and _could_be_site_name(text):
            return text, f"masthead repeated {count} times: {text[:60]}"
    return None


def _could_be_site_name(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 4
        and all(w[0].isupper() or w.lower() in LABEL_SMALL_WORDS for w in words)
        and not NOT_SITE_NAMES.match(text)
        and not is_interface_text(text)
        and not names.looks_like_person_name(text)
        and not names.looks_like_person_name(" ".join(words[:2]))
        and "," not in text
        and not find_dates(text)
    )


def find_source(
    page: CleanPage, gazetteer: Gazetteer | None, url: str = "", hint: str = "", sitename: str = ""
) -> tuple[str, str]:
    """The publication: given, by the url's domain, by the page's own references to
    itself, its name on a header or footer line, its domain, its weaker references
    ("told the X"), and for publications the knowledge base does not know, the names
    its furniture gives."""
    if hint:
        return _canonical_source(hint, gazetteer), "given"
    if url and gazetteer is not None:
        host = (urlparse(url).hostname or "").removeprefix("www.")
        entity = _entity_for_domain(host, gazetteer)
        if entity is not None:
            return entity.name, f"url domain {host}"
    if sitename:
        return _canonical_source(sitename, gazetteer), "page metadata"
    text = "\n".join(line.text for line in page.lines if line.kind != LineKind.BLANK)
    if re.search(r"^image (copyright|source),?", text, re.IGNORECASE | re.MULTILINE):
        return _canonical_source("BBC News", gazetteer), "BBC image credit furniture"
    if gazetteer is None:
        return "", ""
    normalised = normalise(text)
    folded = normalised.lower()
    original = ORIGINAL_PUBLISHER.search(normalised)
    if original:
        name = re.sub(r"(?<![A-Z])\.$", "", original["name"])  # "... in The Ledger." but "City A.M."
        return _canonical_source(name, gazetteer), f"originally published by: {original.group(0)[:60]}"
    steps = (
        (SELF_REFERENCE, False),
        (SITE_NAME_LINE, False),
        (_domain_mention, False),
        (WEAK_SELF_REFERENCE, True),
        (OWN_RESEARCH, False),
    )
    for patterns, media_only in steps:
        if patterns is SITE_NAME_LINE or callable(patterns):
            found = (_site_name_line if patterns is SITE_NAME_LINE else patterns)(page, gazetteer)
            if found:
                return found
            continue
        sources = _source_aliases(gazetteer, media_only, guarded=media_only)
        for pattern in _self_reference_patterns(gazetteer, patterns, media_only):
            if pattern.needed not in folded:
                continue
            for match in pattern.pattern.finditer(normalised):
                if not _inside_quotation(normalised, match.start()):
                    return sources[match.group(1)], f"the page refers to itself: {match.group(0)[:60]}"
    for pattern in UNKNOWN_SELF_REFERENCE:
        match = pattern.search(normalised)
        found = match and (match.groupdict().get("name") or match["newsroom"])
        if (
            found
            and found.lower() not in {"the", "our", "us"}
            and not NOT_SITE_NAMES.match(found)
            and found.split()[-1].lower() not in NOT_PUBLICATION_WORDS  # 'Kirklees Council's newsletter'
            and not names.looks_like_person_name(found)
            and not (match.groupdict().get("newsroom") and _known_non_publication(found, gazetteer))
        ):
            name = _publication_of_company(found)
            if not name:
                continue
            return _canonical_source(
                name[0].upper() + name[1:], gazetteer
            ), f"the page names itself: {match.group(0)[:60]}"
    unknown = _unknown_site_name(page)
    if unknown:
        return _canonical_source(unknown[0], gazetteer), unknown[1]
    for line in page.lines[:8]:
        if (
            line.kind == LineKind.BODY
            and _is_masthead(line.text)
            and line.text.isupper()
            and len(line.text.split()) >= 2
            and not NOT_SITE_NAMES.match(line.text)
        ):
            return names.titlecase_name(line.text).replace("The ", "The ", 1), "masthead"
    return "", ""


def _inside_quotation(text: str, position: int) -> bool:
    """Whether ``position`` is inside a quotation opened earlier on its line: a speaker's
    "on behalf of Plaid Cymru" is not the page naming itself."""
    line = text[text.rfind("\n", 0, position) + 1 : position]
    single_opened = len(_SINGLE_OPENING.findall(line)) > len(_SINGLE_CLOSING.findall(line))
    return line.count("“") > line.count("”") or line.count('"') % 2 == 1 or single_opened


# Single marks, told from apostrophes: one opens after a space, a colon or a bracket and
# before a letter; one closes after a letter or punctuation and before a space or the end.
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s(:]))['‘](?=\w)")
_SINGLE_CLOSING = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)]|$)")


# "The Government has learned", "The Treasury understands": bodies, not newsrooms.
NOT_PUBLICATION_WORDS = {"government", "party", "council", "minister", "department", "treasury", "office", "police"}


def _known_non_publication(name: str, gazetteer: Gazetteer) -> bool:
    """A name the knowledge base knows as something other than a publication (a body,
    a person), or a body's common name ('The Government', 'The Council')."""
    if any(w.lower() in NOT_PUBLICATION_WORDS for w in name.split()):
        return True
    bare = normalise(name.strip())
    entries = gazetteer.aliases.get(bare, []) + gazetteer.aliases.get(re.sub(r"^The ", "", bare), [])
    return any(
        gazetteer.entities[e.key].kind != ORGANISATION or gazetteer.entities[e.key].org_kind not in SOURCE_KINDS
        for e in entries
    )


PUBLISHER_GROUPS = frozenset(
    line.strip().casefold()
    for line in (names.DATA_DIR / "publisher_groups.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
COMPANY_SUFFIX = re.compile(r"(?:\s+(?:Ltd\.?|Limited|PLC|plc|LLP|Media Group|Group|Holdings))+$")


def _publication_of_company(name: str) -> str:
    """The publication a company's name stands for in a copyright line ('The Conversation
    Media Group Ltd' -> 'The Conversation'); '' for a group that owns many publications
    (``publisher_groups.txt``: 'Newsquest Media Group Ltd' names no one paper)."""
    name = re.sub(r"(?:\.|\s)+All(?: Rights.*)?$", "", name.strip()).rstrip(".")  # "Ltd. All rights reserved"
    if name.casefold() in PUBLISHER_GROUPS or COMPANY_SUFFIX.sub("", name).casefold() in PUBLISHER_GROUPS:
        return ""
    return COMPANY_SUFFIX.sub("", name).strip()


def _source_aliases(gazetteer: Gazetteer, media_only: bool, guarded: bool = False) -> dict[str, str]:
    key = ("source aliases", media_only, guarded)
    if key not in gazetteer.derived:
        gazetteer.derived[key] = _compute_source_aliases(gazetteer, media_only, guarded)
    return gazetteer.derived[key]


def _self_reference_patterns(gazetteer: Gazetteer, patterns: list[str], media_only: bool) -> list[Guarded]:
    key = ("self reference", tuple(patterns), media_only)
    if key not in gazetteer.derived:
        # Publications' names that are also words ("Express") count in the media-only
        # patterns, where a capital and the cue make them names.
        sources = _source_aliases(gazetteer, media_only, guarded=media_only)
        alternatives = trie_alternation(sources)
        gazetteer.derived[key] = (
            [Guarded.compile(p.format(name=alternatives, agency=_AGENCY), re.MULTILINE) for p in patterns]
            if sources
            else []
        )
    return gazetteer.derived[key]


def _compute_source_aliases(gazetteer: Gazetteer, media_only: bool, guarded: bool) -> dict[str, str]:
    """Alias -> canonical name of the publications (and, unless ``media_only``, the
    parties, unions and campaigns that publish) that the knowledge base knows; aliases
    that are also ordinary words only with ``guarded``."""
    kinds = {"media"} if media_only else SOURCE_KINDS
    table = {}
    for text, entries in gazetteer.aliases.items():
        for entry in entries:
            entity = gazetteer.entities[entry.key]
            if (
                entity.kind == ORGANISATION
                and entity.org_kind in kinds
                and (guarded or not entry.guarded)
                and len(text) > 2
            ):
                table[text] = entity.name
    return table


def _canonical_source(name: str, gazetteer: Gazetteer | None) -> str:
    if gazetteer is not None:
        for entry in gazetteer.aliases.get(normalise(name.strip()), []):
            entity = gazetteer.entities[entry.key]
            if entity.kind == ORGANISATION:
                return entity.name
    return name.strip()
