"""Boilerplate: tell the article's own lines from the site furniture around them.

Plain-text pages have no markup to lean on, so every line is classified by rules that
generalise across outlets: what the line says (share bars, newsletter and cookie text,
"Read more" teasers, captions and picture credits), where it stands (after a "More from"
or comments heading everything is furniture) and whether the page repeats it.
The raw page is kept elsewhere; this module only decides what is body.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from archive.ingest.dates import find_dates
from archive.ingest.names import word_file
from archive.ingest.patterns import Guarded, top_level_branches


class LineKind(StrEnum):
    BODY = "body"
    META = "meta"  # datelines, bylines, "Posted on": read by metadata, not body
    CAPTION = "caption"  # photo captions and credits
    EMBED = "embed"  # a social-media embed's signature line
    FURNITURE = "furniture"  # menus, share bars, promos, teasers, comments
    BLANK = "blank"


@dataclass
class Line:
    text: str
    start: int  # offset of the stripped text in the raw page
    kind: LineKind = LineKind.BODY
    reason: str = ""
    crossed: int = 0  # furniture lines between a header line and its anchor (metadata)

    @property
    def is_content(self) -> bool:
        return self.kind == LineKind.BODY


@dataclass
class CleanPage:
    lines: list[Line]

    def content_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind == LineKind.BODY]

    def furniture_text(self) -> str:
        """Menus, promos and the like, with the picture credits of the captions."""
        parts = [line.text for line in self.lines if line.kind == LineKind.FURNITURE]
        parts += [split_credit(line.text)[1] for line in self.lines if line.kind in _PICTURE_LINES]
        return "\n".join(part for part in parts if part)

    def caption_text(self) -> str:
        """Photo captions and embedded posts without their credits: who is pictured or
        posting is named on the page, so they count as mentioned; the agency and the
        photographer in "(Photo: X/Getty Images)" do not."""
        parts = [split_credit(line.text)[0] for line in self.lines if line.kind in _PICTURE_LINES]
        return "\n".join(part for part in parts if part)


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class _AnyOf:
    """Patterns tried one by one: for a yes-or-no search, faster than one alternation of
    them all (Python's engine tries every branch of an alternation at every position).
    Each pattern is split into its top-level branches, and a branch that must contain
    some plain text ("we value your privacy") is tried only on lines that contain it:
    a test of a substring costs microseconds, a search through a paragraph tens of them."""

    def __init__(self, *patterns: str):
        self.branches = [Guarded.compile(branch, re.IGNORECASE) for p in patterns for branch in top_level_branches(p)]

    def search(self, text: str) -> bool:
        folded = text.lower()
        return any(branch.search(text, folded) for branch in self.branches)


# A whole line that is furniture whatever surrounds it.
FURNITURE_LINE = _AnyOf(
    r"^(share|share this( article| story| page)?|tweet|email|print|copy link|link copied|save|connect with us|"
    r"comments?|reply|like|follow|menu|home|search|close|log ?in|sign ?in|sign up|register|subscribe|"
    r"advertisement|sponsored( content)?|skip to (main )?content|back to top|top stories|trending( now)?|"
    r"most read|most popular|related( articles| stories| topics| content)?|you may also like|"
    r"recommended( for you)?|more stories|latest( news)?|original post|leave a reply|leave a comment|"
    r"you may also (want to watch|like|be interested in)|"
    r"post a comment|show comments|view comments|listen|watch|play video|newsletter|donate|"
    r"cookie settings|accept( all)?( cookies)?|reject( all)?|manage (cookies|preferences)|"
    r"we don.t spam!?|thank you for your subscription|subscribe to our newsletter|"
    r"topics|tags|categories|filed under|see more|load more|next article|previous article)[\s:.!]*$",
    r"^(read more|read next|more on this story|more from|also read|see also|related|watch|listen|more)\s*[:|–—-]",
    r"^(promoted|printed|published|printed and promoted) by .{3,120} on behalf of\b|^hosted by\b",
    r"^(image|picture|photo|photograph|video|media) (source|caption|credit|copyright)\b",
    r"^image copyright",
    r"\bcookies?\b.*\b(accept|consent|partners|personalise|personalize|browsing|policy|settings|"
    r"preferences|experience|website|our site|analyse|analyze)\b|\b(we|this (web)?site) uses? cookies\b",
    r"\b(sign up|subscribe) (to|for) (our|the)\b.*\b(newsletter|email|briefing|updates)\b",
    r"\b(our|daily|weekly|morning|free) (newsletter|email briefing)\b",
    r"\bnewsletter\b.*\b(sign up|subscribe|inbox)\b",
    r"^[-•*]?\s*(share|subscribe|donate|partner|advertise|contact us|follow us|support us)\s*:",
    r"\bfollow us on\b|\bfollow (him|her|them) on (x|twitter|bluesky)\b|\blike us on facebook\b",
    r"\[email(\s|\u00a0)*protected\]",
    r"^(all rights reserved|copyright|©|\(c\) )|\ball rights reserved\b|^.{0,80}©.{0,40}$",
    r"^have your say\b|^(email|send) (us )?your letters?\b",
    r"\bclick here\b|\bdownload (the|our) app\b|\bterms (and|&) conditions\b|\bprivacy (policy|notice)\b",
    r"^(this article|this story|this page) (was|is) (amended|updated|corrected)\b",
    r"^\d+\s+(comments?|replies|shares)$",
    r"\bsupport (our|independent) journalism\b|\bbecome (a|one of our) (supporter|member|subscriber)s?\b",
    r"^(chip in|donate now|make a donation)\b|\bplease donate\b|\bdonate here\b",
    r"\bupdate your (billing|payment) (details|information)\b",
    r"\bwe'?d love to keep you updated\b",
    r"\[[A-Z][A-Z ]{2,}\]$",
    r"^\d+ (comments?|shares?|replies)\b|^this article is more than .{1,20} old$|^estimated reading time\b",
    r"^(unlock|subscribe|register|sign up|try)\b.{0,60}\bfree\b",
    r"^@?\s*contact us$|^article ad box$|^[-–—\s]*advertisement[-–—\s]*$|^reading now:?\s*\d+$",
    r"^\d+\s*[mhd] ago(?=[A-Z0-9])|^\(?\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\)?(?:\s+\d+)?$",
    r"^(?:see|visit|join|try|get|download|discover|explore|check out)\b.{0,50}(?:!|\bnow)$|\bwe don.?t spam\b|\bsubscribe now$|^free for a month\b",
    r"'s avatar$|\bjust visit:|\bsneak pe[ae]k\b|\bmoving to a new website\b|\bnewspaper of the year\b",
    r"^(now playing|next|listen live|on air)\b|\bwe value your privacy\b|\bstore and/or access information\b|"
    r"^discover more from\b|\b(most recent|latest) articles? (written )?by\b|\balready have an account\b|\balready a subscriber\b|^\[?subscribe\]?\s|\bsign in\b.{0,20}$|\bunsubscribe\b",
)

# Headings after which, on a page, everything is furniture (comments, teasers).
FURNITURE_SECTION = _rx(
    r"^(more from|more stories from|most read|most popular|you may also like|you might also like|"
    r"recommended|related (articles|stories|content|topics)|trending|latest (news|stories)|"
    r"leave a reply|leave a comment|comments|join the (conversation|discussion)|"
    r"what do you think\??|popular (now|today)|in other news|more (news|stories)|read next|"
    r"around the web|sponsored stories|from around the web|subscribe to our newsletter|"
    r"other stories|more in |related posts|share this:?$|like this:?$|most viewed|most shared|most commented|"
    r"more on this (story|topic)|related|top stories|editor'?s picks|recommended reading|"
    r"trending on|elsewhere on|more politics|more news|latest from|also on|read more from|you might like|"
    r"read more:?$|read next:?$|ends$|notes to editors|see also:?$|more like this|"
    r"more (opinion|comment|analysis|politics|from this author|by this author)\b|seen elsewhere|"
    r"don'?t miss|coming up|also trending|what'?s hot|must read|more on\b|similar (posts|articles|stories)|"
    r"you might also be interested)",
)
# Headings after which everything to the end of the page is readers' comments.
COMMENTS_SECTION = _rx(
    r"^(\d+\s+)?(comments?|responses?|replies|reactions)(\s+to\b.*|\s*\(\d+\))?:?$",
    r"^(leave a (reply|comment)|join the (conversation|discussion)|post a comment|add a comment|"
    r"have your say|show comments|view comments|reader comments|what do you think\??)",
)

CAPTION_CREDIT = re.compile(
    r"\((?:picture|pic|photo|photograph|image|credit|photo credit|picture credit)s?\s*:[^)]*\)\s*$"
    r"|\b(?:picture|photo|photograph|image|credit)s?\s*:\s*[^.]{2,80}$|^(?:picture|photo)\s*[–—-]\s*[^.]{2,60}$"
    r"|\b(?:getty images|pa wire|pa media|pa images|reuters|alamy|shutterstock|afp|ap photo)\s*\)?\s*$"
    # "... with his predecessor. Picture by Hugh Russell", "... Image copyright PA/Labour".
    r"|[.,]\s*(?:picture|pic|photo|photograph|image)s? by\s+[A-Z][^.]{2,60}$|\bimage copyright\s+[^.]{2,60}$"
    # "First Minister John Swinney | Jane Barlow/Press Association": the photographer and agency.
    r"|\|\s*[^|]{2,40}/\s*(?:pa|press association|pa wire|pa media|getty|reuters|afp|ap|alamy|shutterstock)\b[^|]*$",
    re.IGNORECASE,
)
PHOTO_BY = re.compile(r"\b(?:picture|pic|photo|photograph|image)s? by\b", re.IGNORECASE)
PICTURE_DATE = re.compile(r"^\s*(picture|photo) date\b", re.IGNORECASE)
IMAGE_CREDIT_LINE = re.compile(
    r"^(image (source|copyright)|image copyright|getty images|alamy|shutterstock)(\b|(?=[A-Z]))|"
    r"^(pa media|pa wire|reuters)\s*/",
    re.IGNORECASE,
)
# "— Mish Rahman (@mish_rahman) April 11, 2025": the signature of an embedded post.
EMBED_SIGNATURE = re.compile(r"^[—–-]\s*.{1,80}\(@\w+\)\s*.{0,40}\d{4}\s*$")
EMBED_LINE = re.compile(r"pic\.twitter\.com/\w+|^@\w+$|^Goodbye @\w+|^—\s*\w", re.IGNORECASE)
# Header lines with metadata only: "Posted on", "Published 3 May 2025", "By Jane Doe".
META_LINE = _rx(
    r"^(posted|published|first published|updated|last updated|last modified|modified|created|date)\b[\s:]",
    r"^(posted on|published|updated)[\s:]*$",
    r"^(?:[-–—•]\s*)?by\s+(?-i:[A-Z])",
    r"^[-–—•]\s*(?-i:[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){1,3})(?:\s+\S+@\S+)?$",
    r"^\d+\s+min(ute)?s?\s+read\b",
    r"^(words|author|written by|posted by|reporter)\s*[:|]",
    r"^(story|report|reporting|words) by\s+[A-Z]",
    r"^(reuters|pa media|press association|pa|afp|ap|bloomberg)$",
)
# "Derek Pallister says:" heads a reader's comment ("said:" introduces a quote in news copy).
COMMENT_AUTHOR = re.compile(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} (says|wrote|replied|commented):?$")
# A line of twelve or more words without one small word a sentence or headline needs is a
# list of tags or keywords ("Anas Sarwar Glasgow county Hall Election Party ...").
FUNCTION_WORDS = word_file("function_words.txt")
# "Image caption," on a line of its own: the caption is the next line (BBC style).
CAPTION_LABEL = re.compile(r"^(?:image|media|video) caption,?$", re.IGNORECASE)
INLINE_IMAGE_CREDIT = re.compile(r"(?:image|media) (?:source|copyright|caption),", re.IGNORECASE)
CAPTION_LABEL_INLINE = re.compile(r"(?:image|media) caption,\s*", re.IGNORECASE)
MENU_SEPARATORS = re.compile(r"\s(?:\||•|·|/|»)\s|\s{2,}")
# The vocabulary of a page's interface (buttons, players, status messages).
INTERFACE_WORDS = word_file("interface_words.txt")
INTERFACE_MAX_WORDS = 10
# Words run together where the page's elements were ("contentSkip", "DebatePhilip").
GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def split_lines(text: str) -> list[Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.replace("\u00a0", " ").strip()
        start = offset + (len(raw) - len(raw.lstrip())) if stripped else offset
        kind = LineKind.BLANK if not stripped else LineKind.BODY
        lines.append(Line(stripped, start, kind))
        offset += len(raw) + 1
    return lines


_PICTURE_LINES = frozenset({LineKind.CAPTION, LineKind.EMBED})


def split_credit(text: str) -> tuple[str, str]:
    """A caption line as (caption, credit): "Jo Bloggs in Walsall. Photo: A Smith/PA" ->
    ("Jo Bloggs in Walsall.", "Photo: A Smith/PA"); a line that is all credit ("Image
    source, PA Media", "Picture date: ...") is all credit."""
    label = CAPTION_LABEL_INLINE.search(text)
    if label:  # "Image caption, Boris Johnson visited Hull": the label is furniture, the rest the caption
        return text[label.end() :].strip(), text[: label.end()].strip()
    if PICTURE_DATE.search(text) or IMAGE_CREDIT_LINE.search(text) or CAPTION_LABEL.match(text):
        return "", text
    match = INLINE_IMAGE_CREDIT.search(text) or CAPTION_CREDIT.search(text)
    if match is None:
        return text, ""
    start = match.start()
    if text.rfind("(", 0, start) > text.rfind(")", 0, start):  # "(Photo by X/Getty Images)"
        start = text.rfind("(", 0, start)
    by = PHOTO_BY.search(text, 0, start)
    if by and len(text[by.end() : start].split()) <= 4:  # "Photo by J. Smith/Getty Images"
        start = by.start()
    return text[:start].rstrip(), text[start:].strip()


@functools.lru_cache(maxsize=4096)  # asked twice of most lines of a page
def _is_prose_paragraph(text: str) -> bool:
    return len(text.split()) >= 20 and text.endswith((".", "”", '"', "!", "?")) and not FURNITURE_LINE.search(text)


def _is_dateline(text: str) -> bool:
    """A line that is a date and little else ('Thu 9 Jan 2025 10.15 GMT')."""
    found = find_dates(text)
    return bool(found) and len(text) - sum(len(f.text) for f in found) < 25


def _is_menu(text: str) -> bool:
    """Short title-case items separated by | or • ('Home | News | Politics')."""
    parts = [p for p in MENU_SEPARATORS.split(text) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def _is_tag_list(text: str) -> bool:
    words = text.split()
    return (
        len(words) >= 12
        and any(w[0].islower() for w in words)
        and not any(w.lower().strip(",.:;") in FUNCTION_WORDS for w in words)
    )


def words_of(text: str) -> list[str]:
    """The words of a line, lower case, with words the page ran together split apart
    ("Skip to main contentSkip to navigation" has seven)."""
    return re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", GLUED.sub(" ", text).lower())


def is_interface_text(text: str) -> bool:
    """A short line of nothing but interface words and small words, at least half of
    them interface words: a button, a player's or an error message ("Skip to main
    content", "Show Hide image", "Something went wrong.", "Listen to this article");
    a label before a colon ("Minutes:") heads the text after it.
    Whatever the site calls its buttons, they are made of the same few words."""
    words = words_of(text)
    if not words or len(words) > INTERFACE_MAX_WORDS or text.endswith(":"):
        return False
    interface = sum(w in INTERFACE_WORDS for w in words)
    return all(w in INTERFACE_WORDS or w in FUNCTION_WORDS for w in words) and 2 * interface >= len(words)


def _is_short_link_line(text: str) -> bool:
    return len(text) < 120 and not text.endswith((".", ":", ",")) and len(text.split()) <= 18


def classify(text: str) -> CleanPage:
    """Classify every line of a page. Pure: the same text always gives the same result."""
    lines = split_lines(text)
    nonblank = [line for line in lines if line.kind != LineKind.BLANK]
    repeats = Counter(line.text for line in nonblank if len(line.text) < 100)

    in_furniture_section = in_comments = seen_prose = False
    for index, line in enumerate(nonblank):
        t = line.text
        following = nonblank[index + 1].text if index + 1 < len(nonblank) else ""
        if in_comments:
            _mark(line, LineKind.FURNITURE, "readers' comments")
            continue
        if in_furniture_section:
            # A list of teasers runs on until real prose resumes; at the top of a page it
            # also ends at the headline, the line just above a byline or dateline.
            if _is_prose_paragraph(t) or (not seen_prose and (META_LINE.search(following) or _is_dateline(following))):
                in_furniture_section = False
            else:
                _mark(line, LineKind.FURNITURE, "after a teaser or comments heading")
                continue
        if COMMENTS_SECTION.search(t) and _is_short_link_line(t) and seen_prose:
            in_comments = True
            _mark(line, LineKind.FURNITURE, "comments heading")
        elif FURNITURE_SECTION.search(t) and (_is_short_link_line(t) or (len(t) < 60 and t.endswith(":"))):
            in_furniture_section = True
            _mark(line, LineKind.FURNITURE, "teaser heading")
        elif EMBED_SIGNATURE.search(t) or len(t) < 200 and EMBED_LINE.search(t):
            _mark(line, LineKind.EMBED, "social media embed")
        elif PICTURE_DATE.search(t):
            _mark(line, LineKind.CAPTION, "picture date")
        elif (
            len(t) < 150
            and IMAGE_CREDIT_LINE.search(t)
            or CAPTION_LABEL.match(t)
            or (len(t) < 200 and INLINE_IMAGE_CREDIT.search(t))
        ):
            _mark(line, LineKind.CAPTION, "image credit")
        elif index > 0 and CAPTION_LABEL.match(nonblank[index - 1].text) and len(t) < 300:
            _mark(line, LineKind.CAPTION, "caption under an 'Image caption' label")
        elif len(t) < 160 and META_LINE.search(t):
            _mark(line, LineKind.META, "dateline or byline")
        elif _is_dateline(t):
            _mark(line, LineKind.META, "dateline")
        elif len(t) < 400 and FURNITURE_LINE.search(t):
            _mark(line, LineKind.FURNITURE, "site furniture")
        elif is_interface_text(t):
            _mark(line, LineKind.FURNITURE, "interface text")
        elif len(t) < 300 and CAPTION_CREDIT.search(t):
            _mark(line, LineKind.CAPTION, "photo caption")
        elif _is_menu(t):
            _mark(line, LineKind.FURNITURE, "menu")
        elif _is_tag_list(t) and not _is_prose_paragraph(t):
            _mark(line, LineKind.FURNITURE, "category or tag list")
        elif COMMENT_AUTHOR.search(t):
            _mark(line, LineKind.FURNITURE, "comment author line")
            in_comments = seen_prose
        elif repeats[t] > 1 and _is_short_link_line(t) and len(t.split()) > 1:
            _mark(line, LineKind.FURNITURE, "repeated on the page")
        if line.kind == LineKind.BODY and _is_prose_paragraph(t):
            seen_prose = True

    _mark_menu_blocks(nonblank)
    # A short line just before an image credit is that image's caption (BBC style).
    for before, after in zip(nonblank, nonblank[1:], strict=False):
        if (
            after.kind == LineKind.CAPTION
            and after.reason == "image credit"
            and before.kind == LineKind.BODY
            and _is_short_link_line(before.text)
            and before is not nonblank[0]
        ):
            _mark(before, LineKind.CAPTION, "caption above an image credit")
    return CleanPage(lines)


def _is_menu_item(line: Line) -> bool:
    words = line.text.split()
    return (
        line.kind in (LineKind.BODY, LineKind.FURNITURE)
        and len(words) <= 3
        and not line.text.endswith((".", "?", "!", '"', "”", ":"))
    )


def _mark_menu_blocks(nonblank: list[Line], min_run: int = 3) -> None:
    """Three or more short lines in a row ('Home', 'News', 'Politics') are a menu
    (lines already known as furniture may sit among them, but do not make one)."""
    run: list[Line] = []
    for line in [*nonblank, None]:
        if line is not None and _is_menu_item(line):
            run.append(line)
            continue
        if sum(item.kind == LineKind.BODY for item in run) >= min_run:
            for item in run:
                if item.kind == LineKind.BODY:
                    _mark(item, LineKind.FURNITURE, "menu block")
        run = []


def _mark(line: Line, kind: LineKind, reason: str) -> None:
    line.kind = kind
    line.reason = reason
