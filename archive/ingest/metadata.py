"""Title, author, publication date and source of a classified page."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from archive.ingest import names
from archive.ingest.clean import CleanPage, Line, LineKind
from archive.ingest.dates import find_dates, parse_date
from archive.ingest.entities import ORGANISATION, Gazetteer, normalise

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
    if not 2 <= len(words) <= 30 or len(text) > 220:
        return False
    if text[0].islower():
        return False
    # Prose ends with a full stop; headlines rarely do ("...priority” – Mish Rahman" does not).
    return not PROSE_END.search(text)


def _is_masthead(text: str) -> bool:
    words = text.split()
    return len(words) <= 1 or (text.isupper() and len(words) <= 6)


def site_suffix(title: str) -> str:
    """The publication named at the end of a page title ('Headline | Valleys Voice')."""
    return _strip_site_suffix(title)[1] if title else ""


def _strip_site_suffix(title: str) -> tuple[str, str]:
    """'Headline | The Guardian' -> ('Headline', 'The Guardian')."""
    match = re.match(r"^(.{10,}?)\s+[|–—-]\s+([^|–—-]{2,40})$", title)
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


def _is_prose(text: str) -> bool:
    words = len(text.split())
    return words > 30 or (words >= 12 and bool(PROSE_END.search(text)))


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
    match = NAME_LINE.match(line.text)
    return bool(match) and names.looks_like_person_name(_clean_author(match["name"]))


def find_title(page: CleanPage, hint: str = "") -> tuple[str, bool, Line | None]:
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
    page_top = [line for line in lines[:2] if line.kind == LineKind.BODY]
    # Site descriptions can look like prose above the article: bylines a little further
    # down still anchor the headline.
    horizon = min(len(lines), first_prose + 8, 40)
    anchors = sorted({i for i in range(horizon) if _is_byline(lines[i])} | {first_prose})
    for anchor in anchors:
        block = []
        for line in reversed(lines[:anchor]):
            if line.kind != LineKind.BODY:
                break
            block.insert(0, line)
        headline = _choose_headline([line for line in block if _is_headline_line(line)], page_top)
        if headline is None and anchor < first_prose and lines[anchor].kind == LineKind.META:
            # Some pages put the date above the headline: look just below the anchor.
            below = []
            for line in lines[anchor + 1 : first_prose]:
                if line.kind != LineKind.BODY:
                    break
                below.append(line)
            headline = _choose_headline([line for line in below if _is_headline_line(line)], page_top)
        if headline is not None:
            return headline.text, False, headline
    first = lines[first_prose].text if first_prose < len(lines) else ""
    return (fallback_title(first) if first else "Untitled"), True, None


def _is_headline_line(line: Line) -> bool:
    return _is_title_candidate(line.text) and not _is_byline(line) and not _is_long_prose(line.text)


LABEL_SMALL_WORDS = {"of", "and", "the", "&", "for", "in", "on", "at", "to"}


def _is_label(text: str) -> bool:
    """A short line of capitalised words: a site's name or a section label
    ('Aylesbury Liberal Democrats', 'General Election 2024'), not a headline."""
    words = text.split()
    return len(words) <= 5 and all(
        w.lower() in LABEL_SMALL_WORDS or not w[0].isalpha() or w[0].isupper() for w in words
    )


def _choose_headline(candidates: list[Line], page_top: list[Line]) -> Line | None:
    """The headline among a block's candidates: not the page's own name at its top, nor
    the tagline right under that name, nor a section label when a real headline follows."""
    if page_top and _is_label(page_top[0].text):
        others = [line for line in candidates if line is not page_top[0]]
        # A site's name is usually followed by its tagline; a one-word section label is not.
        has_tagline = len(others) > 1 and len(page_top[0].text.split()) > 1
        masthead = page_top[:2] if has_tagline else page_top[:1]
        candidates = [line for line in candidates if all(line is not m for m in masthead)]
    undated = [line for line in candidates if not find_dates(line.text)]
    candidates = undated or candidates
    preferred = [line for line in candidates if not _is_label(line.text)]
    chosen = preferred or candidates
    return chosen[0] if chosen else None


def _is_long_prose(text: str) -> bool:
    return len(text.split()) > 25 and bool(PROSE_END.search(text))


# ----------------------------------------------------------------------------- author

_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|bin|al|ap)){1,3}"
_CAPS_NAME = r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){1,3}"
BYLINE_PATTERNS = [
    (re.compile(rf"^(?i:by)\s+(?P<name>{_CAPS_NAME}|{_NAME}(?:\s+and\s+{_NAME})?)"), "byline 'By X'"),
    (
        re.compile(rf"^(?i:words|author|written by|posted by|reporter|story by|report by)\s*[:|]?\s*(?P<name>{_NAME})"),
        "byline label",
    ),
    (re.compile(rf"\b(?i:posted (?:on .{{4,40}}? )?by)\s+(?P<name>{_NAME})"), "'Posted by X'"),
]
WRITES = [
    (re.compile(rf"(?:,|—|–|-)\s*writes\s+(?P<name>{_NAME})"), "'..., writes X'"),
    (re.compile(rf"^(?P<name>{_NAME})\s+writes\b"), "'X writes'"),
    (
        re.compile(
            rf"\b(?i:(?:this|the) (?:article|piece|post|blog|column) (?:is |was )?(?:by|written by))\s+(?P<name>{_NAME})"
        ),
        "'This article by X'",
    ),
]
TAGLINE = re.compile(
    rf"^(?P<name>{_NAME}) is (?:(?:a|an|the|an elected|a former|currently)\b)?.{{0,250}}?\b"
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


def _clean_author(name: str) -> str:
    name = re.split(r"\s*[,;|–—(]\s*", name.strip())[0]
    name = re.sub(r"\s+(?:and|&)\s*$", "", name)
    name = names.titlecase_name(name.strip(" .:"))
    tokens = [t for t in name.split() if t not in names.HONORIFICS]
    # "Kevin Aldred Political Editor" -> "Kevin Aldred": a role follows the name.
    for index, token in enumerate(tokens[2:], start=2):
        if token in ROLE_TOKENS:
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
        return False  # "PA Reporters", "Political Staff"; but "Jane Reporter" is a person
    if gazetteer is not None:
        for alias_entries in [gazetteer.aliases.get(normalise(name), [])]:
            if any(gazetteer.entities[e.key].kind == ORGANISATION for e in alias_entries):
                return False
    return True


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
    if title_line is not None:
        match = HEADLINE_AUTHOR.search(title_line.text)
        if match and names.looks_like_person_name(_clean_author(match["name"])):
            return _clean_author(match["name"]), "name after the headline's dash", None
    after_title = lines.index(title_line) + 1 if title_line in lines else 0
    under_headline = [line for line in lines[after_title:] if line.kind == LineKind.BODY][:3]
    # A name line under the headline ("Jane Doe, Political Correspondent").
    for line in under_headline:
        match = NAME_LINE.match(line.text)
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

# How a page names its own publication. The last two are weaker ("told the BBC" in
# another outlet's story), so they only count for media organisations.
SELF_REFERENCE = [
    r"\bmore from ({name})\b",
    r"\bfor more from ({name})\b",
    r"\b(?:sign up|subscribe) to (?:the )?({name})(?:'s|’s)?\b",
    r"\bget the latest ({name})\b",
    r"\b({name})(?:'s|’s) (?:daily|morning|weekly|evening) (?:newsletter|email|briefing)\b",
    r"\b(?:support|donate to|join) ({name})\b",
    r"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*)?({name})\b",
    r"\bthat ({name}) is publishing\b",
    r"\b({name}) (?:is|are) publishing\b",
    r"\bfollow ({name}) on\b",
    r"\bon behalf of ({name})\b",
]
# A publication the knowledge base does not know still names itself in its furniture.
UNKNOWN_SELF_REFERENCE = re.compile(
    r"^(?:more from|©|\(c\)|copyright)\s*(?:\d{4}\s+)?(?P<name>(?:The |the )?[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,3})",
    re.MULTILINE,
)
SITE_NAME_LINE = "a line of the page's header or footer that is the publication's name"
SITE_NAME_NOISE = re.compile(
    r"\s*(?:[-–|:·]\s*(?:back to home|home|homepage|news|politics|the party of wales)\b.*|©|\(c\)|copyright|logo|"
    r"\d{4}|ltd|limited|plc|all rights reserved\.?|\d+(?:\.\d+)?\s*(?:fm|am)?)\s*$",
    re.IGNORECASE,
)


def _site_name_line(page: CleanPage, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """The publication named by a header or footer line of its own ('The Guardian -
    Back to home', 'THE TIMES', '© Northern Dispatch 2025'). Publications match anywhere
    in the first and last thirty lines; parties and campaigns only in the first three."""
    media = {text.casefold(): name for text, name in _source_aliases(gazetteer, True, guarded=True).items()}
    others = {text.casefold(): name for text, name in _source_aliases(gazetteer, False).items()}
    lines = [line for line in page.lines if line.kind != LineKind.BLANK]
    for position, line in enumerate(lines[:30] + lines[-30:]):
        text = normalise(line.text).strip()
        text = re.sub(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?", "", text, flags=re.IGNORECASE)
        for _ in range(3):
            text = SITE_NAME_NOISE.sub("", text).strip(" .,|-–")
        key = text.casefold()
        if len(key) > 2 and (key in media or (position < 3 and key in others)):
            return (media.get(key) or others[key]), f"site name line: {line.text[:60]}"
    return None


WEAK_SELF_REFERENCE = [
    r"\btold ({name})\b",
    r"\bspeaking to ({name})\b",
]


def find_source(
    page: CleanPage, gazetteer: Gazetteer | None, url: str = "", hint: str = "", sitename: str = ""
) -> tuple[str, str]:
    if hint:
        return _canonical_source(hint, gazetteer), "given"
    if url and gazetteer is not None:
        host = (urlparse(url).hostname or "").removeprefix("www.")
        for entity in gazetteer.entities.values():
            if any(host == d or host.endswith("." + d) for d in entity.domains):
                return entity.name, f"url domain {host}"
    if sitename:
        return _canonical_source(sitename, gazetteer), "page metadata"
    text = "\n".join(line.text for line in page.lines if line.kind != LineKind.BLANK)
    if re.search(r"^image (copyright|source),?", text, re.IGNORECASE | re.MULTILINE):
        return _canonical_source("BBC News", gazetteer), "BBC image credit furniture"
    if gazetteer is None:
        return "", ""
    normalised = normalise(text)
    for patterns, media_only in ((SELF_REFERENCE, False), (SITE_NAME_LINE, False), (WEAK_SELF_REFERENCE, True)):
        if patterns is SITE_NAME_LINE:
            found = _site_name_line(page, gazetteer)
            if found:
                return found
            continue
        sources = _source_aliases(gazetteer, media_only)
        for pattern in _self_reference_patterns(gazetteer, patterns, media_only):
            match = pattern.search(normalised)
            if match:
                return sources[match.group(1)], f"the page refers to itself: {match.group(0)[:60]}"
    match = UNKNOWN_SELF_REFERENCE.search(text)
    if match and match["name"].lower() not in {"the", "our", "us"} and not names.looks_like_person_name(match["name"]):
        name = re.sub(r"\s+(?:Ltd|Limited|PLC|plc)$", "", match["name"])
        return name[0].upper() + name[1:], f"the page names itself: {match.group(0)[:60]}"
    for line in page.lines[:8]:
        if (
            line.kind == LineKind.BODY
            and _is_masthead(line.text)
            and line.text.isupper()
            and len(line.text.split()) >= 2
        ):
            return names.titlecase_name(line.text).replace("The ", "The ", 1), "masthead"
    return "", ""


def _source_aliases(gazetteer: Gazetteer, media_only: bool, guarded: bool = False) -> dict[str, str]:
    key = ("source aliases", media_only, guarded)
    if key not in gazetteer.derived:
        gazetteer.derived[key] = _compute_source_aliases(gazetteer, media_only, guarded)
    return gazetteer.derived[key]


def _self_reference_patterns(gazetteer: Gazetteer, patterns: list[str], media_only: bool) -> list[re.Pattern]:
    key = ("self reference", tuple(patterns), media_only)
    if key not in gazetteer.derived:
        sources = _source_aliases(gazetteer, media_only)
        alternatives = "|".join(re.escape(a) for a in sorted(sources, key=len, reverse=True))
        gazetteer.derived[key] = [re.compile(p.format(name=alternatives)) for p in patterns] if sources else []
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
