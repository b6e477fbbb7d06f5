"""Direct speech and who said it.

Finding quotations (``find_quotations``): text inside curly or straight marks, double or
single, of four words or more. A quotation left open at the end of a paragraph runs on
when the next paragraph opens with a mark (newspapers write long speech that way); two
quotations in one paragraph split by an attribution ("A," she said, "B.") are one. Titles
of reports, books and programmes are not speech (``is_title``).

Attributing them (``attribute``): the rules below, tried in this order, each named in the
quote's ``rule`` so that ``extract --explain`` can say why:

- ``attribution between the parts`` of a split quote;
- ``speaker after the quote``: ', said X', ', X said', ', she said', 'X told the BBC';
- ``speaker before the quote``: 'X said: “', 'X said the plan was “...”', 'said X: “',
  'according to X, “', 'X, speaking on the radio, said: “' (a participle between commas,
  or in a who-clause between them, starts no clause; every appositive after the name is
  passed over: 'X, 54, a bus driver, said'), 'X took to social media to say: “' (the sentence's subject, when
  nobody else is named before the verb);
- ``colon after the speaker``: 'X: “'; after a sentence whose subject is the speaker,
  'his' and 'her' included ('Her message was simple: “');
- ``lead-in in the previous paragraph``: a paragraph ending 'She added:';
- ``credit line under the quote``: a whole-paragraph quotation with a short line under it
  naming one person or organisation ('— Jo Bloggs, councillor', 'UKIP manifesto');
- ``same paragraph as another quote`` of one speaker;
- ``continues the previous paragraph's speaker`` for a quote opening a paragraph; the
  previous paragraph is the previous paragraph of prose (``previous_prose_paragraph``):
  captions and sub-headings between are passed over, and while attributing in text order
  such a quote keeps its speaker speaking (``_running_on_speaker``) for a 'he said' after
  a long run of quoted paragraphs.

A cue's subject is resolved by ``resolve_subject``: a person or organisation named there
(also by a surname that is a word too, 'Ms May', 'Ward said': ``surname_mentions``), or
named just before "who" ('Mrs May, who was set to insist'); a pronoun to the last person
of that gender named before, in this or the previous paragraph of prose
(``resolve_pronoun``, ``paragraphs_apart``), or up to ``PRONOUN_REACH`` paragraphs back
when that person is the only one it can mean and nobody is named since, or to the one
person named lately whose first name does not rule it out (Lindsay for 'he'); a
description ("the chancellor") to the person last named with that title, else the
article's main person so far, the headline's person breaking a tie (an office qualified
by a party, "the TUV leader", only to the person named with it) (``resolve_descriptor``); an unnamed source to the
organisation it speaks for ("a spokesperson for Unite") or to nobody ("one MP"). A cue
whose subject cannot be identified leaves the quote without a speaker: never a guess,
never the author or the last name on the page by default. Word lists:
archive/knowledge/data/quote_cues.yaml.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from dataclasses import dataclass, field

import yaml

from archive.ingest import names
from archive.ingest.entities import ORGANISATION, PERSON, FoundEntity, Role
from archive.ingest.patterns import trie_alternation

CUES_FILE = names.DATA_DIR / "quote_cues.yaml"
MIN_WORDS = 4
PRONOUN_REACH = 3  # paragraphs of prose back to the only person a pronoun can mean
FILLER_REACH = 200  # characters before a verb searched for filler words (bounds the work on hostile input)
CURRENT_SPEAKER_REACH = 700  # characters after a quote within which "he said" may still mean its speaker


@dataclass(frozen=True)
class FoundQuote:
    speaker_key: str  # "" when unattributed
    speaker_name: str
    text: str
    start: int
    end: int
    cue: str
    rule: str = ""
    speaker_kind: str = ""  # PERSON, ORGANISATION or "" (unattributed)


# ------------------------------------------------------------------------ word lists


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _cue_data() -> dict:
    return yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))


def cue_words() -> dict[str, frozenset[str]]:
    """The word lists of quote_cues.yaml, by name."""
    return {key: frozenset(str(w) for w in words) for key, words in _cue_data().items() if isinstance(words, list)}


def office_short_forms() -> dict[str, str]:
    """'health secretary' -> 'health and social care secretary': what an office is called
    in a story, in lower case, to its title in the knowledge base."""
    return {str(short).casefold(): str(title).casefold() for short, title in _cue_data()["office_short_forms"].items()}


@functools.lru_cache(maxsize=1)
def party_member_nouns() -> frozenset[str]:
    """'tory', 'lib dem': a party's name used as a noun for one of its people."""
    return frozenset(str(w).casefold() for w in _cue_data()["party_member_nouns"])


def _alternation(words, ignore_case: bool = True) -> str:
    """The cue words as one expression, longest first where several match at a place, a
    space standing for any run of spaces; written as a trie so the engine does not try
    every word at every position. Patterns that ignore case get the words in lower case
    (a trie of 'Said' and 'said told' would try 'Said' first)."""
    if ignore_case:
        words = {w.lower() for w in words}
    return trie_alternation(words).replace(r"\ ", r"\s+")


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    words = cue_words()
    descriptors = _alternation(
        words["person_descriptors"] | words["office_descriptors"] | words["occupation_descriptors"]
    )
    return {
        "verb": re.compile(rf"(?<![\w'’-])(?:{_alternation(words['speech_verbs'])})(?![\w'’-])", re.IGNORECASE),
        "inverting": re.compile(rf"^(?:{_alternation(words['inverting_verbs'])})$", re.IGNORECASE),
        "title_cue": re.compile(rf"\b(?:{_alternation(words['title_cues'])})\s*[:,]?\s*$", re.IGNORECASE),
        "descriptor": re.compile(rf"\b(?:{descriptors})$", re.IGNORECASE),
        # A sentence opening with someone else described, not named: 'The union's regional
        # secretary was', 'A councillor said', 'Her deputy' (but 'The new leader' may be her).
        "described": re.compile(
            rf"(?:^|[.!?]\s+|\n)(?:(?:a|an|his|her|its|their)\s+|the\s+[\w-]+['’]s\s+)(?:[\w'’-]+\s+){{0,3}}?"
            rf"(?:{descriptors})\b",
            re.IGNORECASE,
        ),
        # Someone else described, not named, as the object of a clause: 'X grilled a top
        # Labour minister after he claimed' (but not an appositive, 'X, a former lawyer,', nor
        # what X is, 'X is a first-term councillor').
        "described_object": re.compile(
            r"(?<![,(])(?<!\bis)(?<!\bwas)(?<!\bare)(?<!\bwere)(?<!\bas)(?<!\bbe)(?<!\bbeen)(?<!\bbecame)"
            r"(?<!\bbecome)(?<!\bremains)(?<!\bremained)(?<!\bnow)(?<!\bonce)"
            rf"\s(?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?(?:{descriptors})\b",
            re.IGNORECASE,
        ),
        # 'the Israeli prime minister': an office of another country, never one named here.
        "foreign_office": re.compile(rf"^(?:{_alternation(words['foreign_qualifiers'])})\b", re.IGNORECASE),
        "occupation": re.compile(rf"\b(?:{_alternation(words['occupation_descriptors'])})$", re.IGNORECASE),
        "office": re.compile(rf"\b(?:{_alternation(words['office_descriptors'])})$", re.IGNORECASE),
        "spokes": re.compile(rf"\b(?:{_alternation(words['spokes_nouns'])})\b", re.IGNORECASE),
        "unnamed": re.compile(rf"\b(?:{_alternation(words['unnamed_nouns'])})\b", re.IGNORECASE),
        "others_say": re.compile(rf"\b(?:{_alternation(words['others_say_words'])})\b", re.IGNORECASE),
        "own_words": re.compile(
            rf"(?i)^(?:[^,]{{1,40}},\s*)?(?:his|her)\s+(?:[\w-]+\s+)?(?:{_alternation(words['own_words_nouns'])})\b"
        ),
        # '“Absolutely not,” was his reply.': the possessive's owner said it.
        "own_words_after": re.compile(
            rf"(?i)[”\"’']?\s*(?:was|came)\s+(his|her)\s+(?:[\w-]+\s+)?(?:{_alternation(words['own_words_nouns'])})\b"
        ),
    }


# ---------------------------------------------------------------- finding quotations

DOUBLE_OPEN, DOUBLE_CLOSE, SINGLE_OPEN, SINGLE_CLOSE = "“", "”", "‘", "’"
# The scanners below look only at the marks, found by these, not at every character.
_DOUBLE_MARKS = re.compile(f'[{DOUBLE_OPEN}{DOUBLE_CLOSE}"]')
_SINGLE_OPENING_MARKS = re.compile(f"[{SINGLE_OPEN}']")
_SINGLE_CLOSING_MARKS = re.compile(f"[{SINGLE_CLOSE}']")
OPENING_MARKS = ("“", '"', "‘", "'")
_BEFORE_OPENING = " \t([—–-/“\"‘'\n"


@dataclass
class Span:
    """One quotation: the text ranges inside its marks (several when it runs on across
    paragraphs or is split by an attribution) and the range from opening to closing mark."""

    pieces: list[tuple[int, int]]
    start: int
    end: int
    marks: str = "double"
    gaps: list[tuple[int, int]] = field(default_factory=list)  # attributions between pieces

    def text(self, body: str) -> str:
        """The words inside the marks. Paragraphs of one run-on quote are joined by a space;
        the parts of a quote split by its attribution ('“A,” she said. “B.”') by ' … ', the
        comma that led into the attribution dropped, so that the text does not read as if
        'A, B' had been said in one breath."""
        text = ""
        for index, (a, b) in enumerate(self.pieces):
            part = body[a:b].strip()
            if not part:
                continue
            if text and self._split_before(index):
                text = text.rstrip(",") + " … " + part
            else:
                text = f"{text} {part}" if text else part
        return text

    def _split_before(self, index: int) -> bool:
        """Whether an attribution stands between piece ``index - 1`` and piece ``index``."""
        previous_end, start = self.pieces[index - 1][1], self.pieces[index][0]
        return any(previous_end <= g_start and g_end <= start for g_start, g_end in self.gaps)


def paragraphs(body: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for part in body.split("\n"):
        if part.strip():
            spans.append((offset, offset + len(part)))
        offset += len(part) + 1
    return spans


def _opens_paragraph(body: str, paragraph: tuple[int, int], marks: str) -> int | None:
    """Offset just after the opening mark that starts ``paragraph``, if it starts with one."""
    start = paragraph[0]
    while start < paragraph[1] and body[start] in " \t":
        start += 1
    wanted = ("“", '"') if marks == "double" else ("‘", "'")
    return start + 1 if body[start : start + 1] in wanted else None


def double_quotes(body: str, paras: list[tuple[int, int]]) -> list[Span]:
    """Spans between double marks; curly and straight marks may be mixed, marks nest,
    and an open quote runs on into a next paragraph that opens with a mark."""
    found: list[Span] = []
    current: Span | None = None
    stack: list[str] = []
    piece_start = 0
    for index, (p_start, p_end) in enumerate(paras):
        i = p_start
        if current is not None:
            i = _opens_paragraph(body, (p_start, p_end), "double")
            if i is None:
                found.append(current)
                current, stack, i = None, [], p_start
            else:
                piece_start, stack = i, ["“"]
        for mark in _DOUBLE_MARKS.finditer(body, i, p_end):
            i, char = mark.start(), mark.group(0)
            if char == DOUBLE_OPEN or (char == '"' and _straight_opens(body, i, stack)):
                if not stack:
                    current, piece_start = Span([], i, i), i + 1
                stack.append(char)
            elif char in (DOUBLE_CLOSE, '"') and stack:
                stack.pop()
                if not stack and current is not None:
                    current.pieces.append((piece_start, i))
                    current.end = i + 1
                    found.append(current)
                    current = None
        if current is not None:
            current.pieces.append((piece_start, p_end))
            current.end = p_end
            if index + 1 == len(paras):
                found.append(current)
    return found


def _straight_opens(body: str, i: int, stack: list[str]) -> bool:
    if not stack:
        return True
    if stack[-1] == '"':
        return False
    # Inside a curly quote: a straight mark opens a nested quote only in opening position.
    return (i == 0 or body[i - 1] in _BEFORE_OPENING) and body[i + 1 : i + 2].isalnum()


def single_quotes(body: str, paras: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Span]:
    """Spans between single marks outside double quotes. A closing mark is told from an
    apostrophe by what follows it (never a letter) and possessives ("members’ rights")
    are passed over while a later closing mark is in reach."""
    found: list[Span] = []
    carry: Span | None = None
    for index, (p_start, p_end) in enumerate(paras):
        i = p_start
        if carry is not None:
            resumed = _opens_paragraph(body, (p_start, p_end), "single")
            if resumed is None:
                found.append(carry)
                carry = None
            else:
                close = _single_close(body, resumed, p_end, taken)
                if close is None:
                    carry.pieces.append((resumed, p_end))
                    carry.end = p_end
                    continue
                carry.pieces.append((resumed, close))
                carry.end = close + 1
                found.append(carry)
                carry, i = None, close + 1
        while (mark := _SINGLE_OPENING_MARKS.search(body, i, p_end)) is not None:
            i = mark.start()
            opening = (
                (i == p_start or body[i - 1] in _BEFORE_OPENING)
                and body[i + 1 : i + 2].isalnum()
                and not _inside(i, taken)
            )
            if not opening:
                i += 1
                continue
            close = _single_close(body, i + 1, p_end, taken)
            if close is not None:
                found.append(Span([(i + 1, close)], i, close + 1, "single"))
                i = close + 1
                continue
            at_paragraph_start = not body[p_start:i].strip()
            if at_paragraph_start or index + 1 == len(paras):
                carry = Span([(i + 1, p_end)], i, p_end, "single")
            break
    if carry is not None:
        found.append(carry)
    return found


def _single_close(body: str, start: int, end: int, taken: list[tuple[int, int]]) -> int | None:
    possessive = None
    for mark in _SINGLE_CLOSING_MARKS.finditer(body, start, end):
        j = mark.start()
        if _inside(j, taken):
            continue
        if possessive is not None and _opens_again(body, possessive + 1, j):
            return possessive  # "‘further tests’ in ... ‘made all the harder’"
        after = body[j + 1 : j + 3]
        if after[:1].isalnum() or body[j - 1] in " \t":
            continue
        if body[j - 1] in "sS" and re.match(r" [a-z]", after):
            possessive = possessive or j
            continue
        return j
    return possessive


def _opens_again(body: str, start: int, end: int) -> bool:
    return bool(re.search(r"(?:^|\s)['‘]\w", body[start:end]))


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in ranges)


def word_count(text: str) -> int:
    """Words as a reader counts them: 'high-speed' is one."""
    return sum(1 for token in text.split() if re.search(r"\w", token))


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "as",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "vs",
        "v",
        "is",
    ]
)


# 'She told the Today programme: “...”': the programme is where it was said, not a title.
_TOLD_BEFORE = re.compile(
    r"\b(?:told|telling|speaking (?:on|to)|said on|writing in|wrote in)\b[^.!?“”\"]*$", re.IGNORECASE
)


def is_title(body: str, span: Span, text: str) -> bool:
    """A report's, book's or programme's title: after a cue word ('a report entitled',
    'the book') or every main word capitalised and no sentence punctuation. After
    'told the programme' or 'speaking on the podcast' the cue word is where it was said."""
    before = body[max(0, span.start - 40) : span.start]
    cue = _patterns()["title_cue"].search(before)
    titled = cue and (re.match(r"(?i)(?:entitled|titled|headlined|headline)", cue.group(0)) or not text[:1].islower())
    if titled and not _TOLD_BEFORE.search(body[max(0, span.start - 80) : span.start]):
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 3 and all(w[0].isupper() for w in words) and not re.search(r"[.!?,;:]\s*$", text)


def find_quotations(body: str) -> tuple[list[Span], list[Span]]:
    """(quotations of speech, every quoted span) in text order."""
    paras = paragraphs(body)
    doubles = double_quotes(body, paras)
    taken = [(s.start, s.end) for s in doubles]
    every = sorted(doubles + single_quotes(body, paras, taken), key=lambda s: s.start)
    speech = [s for s in every if word_count(s.text(body)) >= MIN_WORDS and not is_title(body, s, s.text(body))]
    return _merge_split_quotes(body, speech, paras), every


def rejected_quotations(body: str) -> list[tuple[str, str]]:
    """(text, reason) for each quoted span that is not counted as speech, for --explain."""
    paras = paragraphs(body)
    doubles = double_quotes(body, paras)
    spans = doubles + single_quotes(body, paras, [(s.start, s.end) for s in doubles])
    rejected = []
    for span in sorted(spans, key=lambda s: s.start):
        text = span.text(body)
        if word_count(text) < MIN_WORDS:
            rejected.append((text, f"fewer than {MIN_WORDS} words: a scare quote or short phrase"))
        elif is_title(body, span, text):
            rejected.append((text, "a title (of a report, book or programme)"))
    return rejected


def _merge_split_quotes(body: str, spans: list[Span], paras: list[tuple[int, int]]) -> list[Span]:
    """'“A,” said Jo Bloggs. “B.”' in one paragraph is one quote; a new lead-in ending in a
    colon ('She added: “B.”') starts another."""
    merged: list[Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if previous is not None and _same_paragraph(previous.end, span.start, paras):
            gap = body[previous.end : span.start]
            if (
                _patterns()["verb"].search(gap)
                and len(gap) <= 100
                and word_count(gap) <= 8
                and not gap.rstrip().endswith(":")
            ):
                previous.gaps.append((previous.end, span.start))
                previous.pieces.extend(span.pieces)
                previous.end = span.end
                continue
        merged.append(span)
    return merged


def _same_paragraph(a: int, b: int, paras: list[tuple[int, int]]) -> bool:
    return any(p_start <= a and b <= p_end for p_start, p_end in paras)


# ------------------------------------------------------------------- who is named where


@dataclass(frozen=True)
class Speaker:
    key: str
    name: str
    kind: str  # PERSON or ORGANISATION
    parties: frozenset[str] = field(default=frozenset(), compare=False)  # a person's, as Entity.parties
    org_kind: str = field(default="", compare=False)  # an organisation's: party, union ...
    roles: tuple[Role, ...] = field(default=(), compare=False)  # a person's, as Entity.roles


def speaker_of(entity: FoundEntity) -> Speaker:
    return Speaker(entity.key, entity.name, entity.kind, entity.parties, entity.org_kind, entity.roles)


@dataclass(frozen=True)
class Named:
    start: int
    end: int
    speaker: Speaker
    gender: str  # "male", "female" or ""
    matched: str


def _gender_of(entity: FoundEntity, body: str) -> str:
    words = cue_words()
    for hit in entity.hits:
        if hit.segment != "body":
            continue
        honorific = re.search(r"(\w+)\.?\s+$", body[max(0, hit.start - 12) : hit.start])
        if honorific and honorific.group(1) in words["male_honorifics"]:
            return "male"
        if honorific and honorific.group(1) in words["female_honorifics"]:
            return "female"
    return names.gender(names.split_name(entity.name)[0])


def named_in_body(body: str, entities: list[FoundEntity]) -> list[Named]:
    found = []
    for entity in entities:
        if entity.kind not in (PERSON, ORGANISATION):
            continue
        speaker = speaker_of(entity)
        gender = _gender_of(entity, body) if entity.kind == PERSON else ""
        found.extend(
            Named(hit.start, hit.end, speaker, gender, hit.matched) for hit in entity.hits if hit.segment == "body"
        )
    found.extend(surname_mentions(body, entities, found))
    return sorted(found, key=lambda n: n.start)


def surname_mentions(body: str, entities: list[FoundEntity], named: list[Named]) -> list[Named]:
    """A person named in full earlier, then by surname where entity matching passes the
    surname over because it is also a word ('May', 'Ward'): after an honorific ('Ms May'),
    or as the subject of a speech verb ('Ward said', 'said Ward'). Only surnames that one
    person of the article has, and only after that person's first full mention."""
    people = [e for e in entities if e.kind == PERSON and any(h.segment == "body" for h in e.hits)]
    by_surname: dict[str, list[FoundEntity]] = {}
    for entity in people:
        surname = names.split_name(entity.name)[1]
        if surname:
            by_surname.setdefault(surname, []).append(entity)
    taken = [(n.start, n.end) for n in named]
    words = cue_words()
    cues = _surname_cues()
    found = []
    for surname, owners in by_surname.items():
        if len(owners) != 1:
            continue
        entity = owners[0]
        first = min(h.start for h in entity.hits if h.segment == "body")
        speaker = speaker_of(entity)
        gender = _gender_of(entity, body)
        start = body.find(surname, first)
        while start != -1:
            end = start + len(surname)
            cue = _surname_cue(body, start, end, first, cues)
            if cue is not None and not _inside(start, taken):
                word, cue_start = cue
                mention_gender = gender
                if word in words["male_honorifics"]:
                    mention_gender = "male"
                elif word in words["female_honorifics"]:
                    mention_gender = "female"
                found.append(Named(start, end, speaker, mention_gender, body[cue_start:end]))
            start = body.find(surname, end if cue is not None else start + 1)
    return found


@functools.lru_cache(maxsize=1)
def _surname_cues() -> dict[str, re.Pattern]:
    """The three places a bare surname is a speaker: after an honorific, before a speech
    verb, after an inverting verb. Compiled once; the surname is checked in place."""
    words = cue_words()
    honorifics = _alternation(words["male_honorifics"] | words["female_honorifics"] | {"Dr", "Cllr", "Prof"}, False)
    return {
        "honorific": re.compile(rf"(?<![\w'’-])(?P<cue>{honorifics})\.?\s+$"),
        "verb_after": re.compile(
            rf"\s+(?:(?:also|then|later|has|had)\s+)?(?:{_alternation(words['speech_verbs'], False)})\b"
        ),
        "inverting": re.compile(rf"\b(?P<cue>{_alternation(words['inverting_verbs'], False)})\s+$"),
    }


def _surname_cue(body: str, start: int, end: int, first: int, cues: dict[str, re.Pattern]) -> tuple[str, int] | None:
    """What makes ``body[start:end]``, a surname, a speaker, and where that begins: the
    honorific or the inverting verb before it, or ('', start) for a speech verb after it;
    None when nothing does. The cue starts at or after ``first``, the person's first full
    mention."""
    window = max(first, start - 40)
    after = body[end : end + 1]
    for name, refused_after in (("honorific", r"[\w-]"), ("inverting", r"[\w'’-]")):
        before = cues[name].search(body, window, start)
        if before and not re.match(refused_after, after):
            return before["cue"], before.start()
    if start >= first and not re.match(r"[\w'’-]", body[start - 1 : start]) and cues["verb_after"].match(body, end):
        return "", start
    return None


# ---------------------------------------------------------------------- attribution


@dataclass(frozen=True)
class Attribution:
    speaker: Speaker | None
    rule: str
    cue: str


@dataclass
class Context:
    body: str
    masked: str  # the body with the words inside every quotation blanked out
    named: list[Named]  # people and organisations, outside quotations
    paras: list[tuple[int, int]]
    speakers: list[tuple[int, Speaker]] = field(default_factory=list)  # (quote end, speaker) so far
    reported: list[tuple[int, Speaker | None]] = field(default_factory=list)  # subjects of reported speech
    in_headline: frozenset[Speaker] = frozenset()  # people the headline names
    prose: dict[int, bool] = field(default_factory=dict)  # is_prose_paragraph, by paragraph
    sentence_ends: list[int] | None = None  # where each sentence of ``masked`` ends, once asked
    on: datetime.date | None = None  # the article's date: who held an office then


_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*\s+(?=[^\s])")
_CLAUSE_BOUNDARY = re.compile(
    r"(?:[;:(]|[”\"’'](?=[\s,.])|\b(?:and|but|while|as|after|before|because|when|although|though|whereas|"
    r"that|if|so|where|whom)\s)",
    re.IGNORECASE,
)
_FILLER = re.compile(
    # One space at a time: '\s+' inside the repeated group backtracks exponentially on a run
    # of spaces that does not end the text.
    r"(?:\s|\b(?:also|has|had|have|then|later|previously|earlier|once|again|immediately|repeatedly|recently|"
    r"yesterday|today|tonight|now|last\s+night|this\s+week|this\s+morning|simply|would|will|could|did|does|do|"
    r"has\s+been|had\s+been|went\s+on\s+to|(?:was|were|is|are)\s+quoted\s+as|quoted\s+as|[a-z]+ly)\b)+$",
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NOUN_USE = re.compile(r"(?:\b(?:the|his|her|their|its|our|your|my|a|an|these|those|such|in)|['’]s)\s+$", re.IGNORECASE)
_HONORIFIC_WORDS = "|".join(sorted(names.HONORIFICS, key=len, reverse=True))
_HONORIFIC = re.compile(rf"\b(?:{_HONORIFIC_WORDS})\b\.?")


def _sentence_start(ctx: Context, position: int, floor: int) -> int:
    """Where the sentence holding ``position`` starts, not before ``floor``: found by
    bisection in the sentence ends of the whole text, found once (a paragraph of thousands
    of verbs stays linear)."""
    if ctx.sentence_ends is None:
        ctx.sentence_ends = [match.end() for match in _SENTENCE_END.finditer(ctx.masked)]
    index = bisect.bisect_right(ctx.sentence_ends, position) - 1
    return max(floor, ctx.sentence_ends[index]) if index >= 0 else floor


def _verbs(ctx: Context, start: int, end: int):
    for match in _patterns()["verb"].finditer(ctx.masked, start, end):
        before = ctx.masked[max(0, match.start() - 12) : match.start()]
        if _NOUN_USE.search(before):
            continue  # 'the claims', 'Burnham's calls'
        yield match


def resolve_subject(ctx: Context, start: int, end: int, position: int) -> Attribution | None:
    """Who the words ``masked[start:end]`` (the subject of a speech verb) name, or None
    when they are empty (the verb has its subject after it)."""
    phrase_start, phrase_end = start, end
    text = ctx.masked[phrase_start:phrase_end]
    filler = _FILLER.search(text, max(0, len(text) - FILLER_REACH))
    if filler:
        phrase_end = phrase_start + filler.start()
        text = ctx.masked[phrase_start:phrase_end]
    # An appositive between the name and the verb: 'Jo Bloggs, a councillor in Walsall,'.
    if text.rstrip().endswith(","):
        inner = text.rstrip()[:-1]
        comma = inner.rfind(",")
        appositive = _named_at(ctx, phrase_start + comma + 1, phrase_start + len(inner), first=True)
        name_only = (
            comma != -1
            and appositive is not None
            and appositive.speaker.kind == PERSON
            and not _HONORIFIC.sub("", ctx.masked[phrase_start + comma + 1 : appositive.start]).strip()
            and _ends_phrase(ctx, appositive, phrase_start + len(inner))
        )
        if name_only:
            # 'A Labour spokesperson, Kieran Bostock,': the appositive is the name.
            return Attribution(appositive.speaker, "named speaker", appositive.matched)
        phrase_end = _before_more_appositives(ctx, phrase_start, phrase_start + (len(inner) if comma == -1 else comma))
        text = ctx.masked[phrase_start:phrase_end]
    relative = _named_at(ctx, phrase_start, phrase_end, first=False)
    if (
        relative
        and relative.speaker.kind == PERSON
        and _RELATIVE_CLAUSE.fullmatch(ctx.masked[relative.end : phrase_end])
    ):
        return Attribution(relative.speaker, "relative clause: named speaker", relative.matched)
    # Only the last comma-separated part before the verb: 'In response, Farage'.
    comma = text.rfind(", ")
    if comma != -1:
        phrase_start += comma + 2
        text = ctx.masked[phrase_start:phrase_end]
    stripped = text.strip(" \t,.–—-“”\"‘’'_")
    if not stripped:
        return None  # nothing, or only a quotation: '“No, not directly,” says Jo Bloggs'

    cue = stripped
    if re.fullmatch(r"(?i)he|she", stripped):
        return resolve_pronoun(ctx, stripped.lower(), position, cue)
    # 'a speech in which he announced he would send “...”': the pronoun after 'which'.
    relative_pronoun = re.fullmatch(r"(?i)(?:(?:in|at|during|on|with)\s+)?which\s+(he|she)", stripped)
    if relative_pronoun:
        return resolve_pronoun(ctx, relative_pronoun.group(1).lower(), position, cue)
    fronted = _FRONTED_PRONOUN.fullmatch(stripped)
    if fronted and not any(n.speaker.kind == PERSON for n in _named_in(ctx, phrase_start, phrase_end)):
        return resolve_pronoun(ctx, fronted.group(1).lower(), position, cue)
    if re.fullmatch(r"(?i)they", stripped):
        return organisation_speaking(ctx, position, cue)
    if re.fullmatch(r"(?i)they|we|i|you|it|who|which", stripped):
        return Attribution(None, "pronoun without a person", cue)
    words = _patterns()
    named = _named_in(ctx, phrase_start, phrase_end)
    organisations = [n for n in named if n.speaker.kind == ORGANISATION]
    if words["spokes"].search(stripped) and re.match(r"(?i)(?:an?|one|the|another|senior|two|three)\b", stripped):
        if organisations:
            return Attribution(organisations[-1].speaker, "unnamed source: the organisation it speaks for", cue)
        return Attribution(None, "unnamed source", cue)
    head = named[-1] if named else None
    # 'a report seen by Keir Starmer', 'sources close to Keir Starmer': a name after a
    # preposition is not the subject.
    after_preposition = head is not None and _PREPOSITION_BEFORE.search(ctx.masked[phrase_start : head.start])
    if (
        head is not None
        and head.speaker.org_kind == "party"
        and head.matched.casefold() in party_member_nouns()
        and re.fullmatch(rf"(?i)the\s+{re.escape(head.matched)}", stripped)
    ):
        # 'The Tory, who convenes the committee, said': one of the party's people.
        party_words = frozenset(w.casefold() for w in head.matched.split())
        parties = frozenset({head.speaker.key})
        return resolve_descriptor(
            ctx, head.matched, position, cue, qualified=True, parties=parties, party_words=party_words
        )
    if (
        head is not None
        and not after_preposition
        and _ends_phrase(ctx, head, phrase_end)
        and len(stripped.split()) <= 8
    ):
        rule = "organisation as speaker" if head.speaker.kind == ORGANISATION else "named speaker"
        return Attribution(head.speaker, rule, cue)
    if re.match(r"(?i)(?:an?|one|another|two|three|several|some|many|senior|other)\b", stripped) or (
        words["unnamed"].search(stripped) and not named and not re.match(r"(?i)(?:the|this|that)\s", stripped)
    ):
        return Attribution(None, "unnamed source", cue)
    descriptor = re.fullmatch(r"(?i)(?:the|this|that)\s+(.{1,60})", stripped)
    people = [n for n in named if n.speaker.kind == PERSON]
    # 'The SNP MP for Aberdeen South': the office, without the seat it is for.
    described = _FOR_A_SEAT.sub("", descriptor.group(1)) if descriptor else ""
    # 'The new leader of Reform UK': an office of the organisation named after it.
    office_of = re.match(r"(.+?) of (?:the )?[A-Z]", described)
    if (
        descriptor
        and not people
        and (
            words["descriptor"].search(described)
            or re.search(r"\d+-year-old$", described)
            or (office_of and organisations and words["office"].search(office_of.group(1)))
        )
    ):
        party_names = [n for n in organisations if n.speaker.org_kind == "party"]
        return resolve_descriptor(
            ctx,
            described,
            position,
            cue,
            qualified=bool(organisations),
            parties=frozenset(n.speaker.key for n in party_names),
            party_words=frozenset(w.casefold() for n in party_names for w in n.matched.split()),
        )
    return Attribution(None, "speaker not identified", cue)


_FOR_A_SEAT = re.compile(r"\s+for\s+[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*$")
# 'And on the subject of Brexit she', 'In the Commons he': a phrase before the pronoun.
_FRONTED_PRONOUN = re.compile(
    r"(?i)(?:(?:and|but|then|later)\s+)?(?:on|in|at|of|about|for|with|after|before|during|asked\s+about)\s"
    r"[^,]{1,60}?\s(he|she)"
)


def organisation_speaking(ctx: Context, position: int, cue: str) -> Attribution:
    """'They continued:' after an organisation's spokesperson: that organisation, when it
    was the last to speak, and lately; else nobody."""
    last = _last_speech(ctx, position)
    if last is not None:
        end, speaker = last
        named_since = [n for n in ctx.named if end <= n.start < position]
        if (
            speaker is not None
            and speaker.kind == ORGANISATION
            and position - end <= CURRENT_SPEAKER_REACH
            and all(n.speaker == speaker for n in named_since)  # nobody else named who could be 'they'
        ):
            return Attribution(speaker, "pronoun 'they': the organisation speaking", cue)
    return Attribution(None, "pronoun without a person", cue)


_PREPOSITION_BEFORE = re.compile(r"\b(?:by|to|of|for|from|with|about|around|near|close)\s+$", re.IGNORECASE)


def _before_more_appositives(ctx: Context, start: int, end: int) -> int:
    """Where the subject ends once every appositive after a person's name is passed over:
    'Tom Ellery, 54, a bus driver from Halifax,' ends after 'Tom Ellery' (the last one is
    already gone). A part naming someone ('In response, Farage') is not an appositive."""
    while (comma := ctx.masked.rfind(", ", start, end)) != -1:
        named = _named_at(ctx, start, comma, first=False)
        if _named_in(ctx, comma + 2, end) or named is None or not _ends_phrase(ctx, named, comma):
            break
        end = comma
    return end


# 'a blow to Mrs May, who was set to insist': the verb's subject is the name before "who".
# Only auxiliaries and adverbs after "who": in 'Keir Starmer, who critics said was' the verb
# has a subject of its own.
_RELATIVE_CLAUSE = re.compile(
    r",?\s+who(?:\s+(?:was|were|is|are|has|had|have|been|would|will|could|also|then|later|set|due|expected|"
    r"going|about|to|went|on|[a-z]+ly))*\s*",
    re.IGNORECASE,
)


def _named_in(ctx: Context, start: int, end: int) -> list[Named]:
    return [n for n in ctx.named if start <= n.start and n.end <= end]


def _named_at(ctx: Context, start: int, end: int, *, first: bool) -> Named | None:
    inside = _named_in(ctx, start, end)
    if not inside:
        return None
    return inside[0] if first else inside[-1]


def _possessive(ctx: Context, named: Named) -> bool:
    """Whether the name is a possessive ('Jo Bloggs's critics')."""
    return bool(re.match(r"['’]s\b", ctx.masked[named.end : named.end + 2]))


def _ends_phrase(ctx: Context, named: Named, end: int) -> bool:
    """Whether nothing but post-nominals ('QPM', 'MP', 'KC') follows the name, or, after an
    organisation, what it is ('the Save Bolton Libraries campaign')."""
    after = re.sub(r"\b[A-Z]{2,4}\b", "", ctx.masked[named.end : end]).strip(" \t.,")
    if not after:
        return True
    what = _WHAT_IT_IS.get(named.speaker.org_kind, _WHAT_IT_IS[""]) if named.speaker.kind == ORGANISATION else None
    return bool(what and what.fullmatch(after))


# What an organisation of each kind is called after its name: 'the Unite union', 'the Save
# Bolton Libraries campaign' (not 'the Labour council': a council, not the party).
_WHAT_IT_IS = {
    "party": re.compile(r"(?i)party"),
    "union": re.compile(r"(?i)union"),
    "": re.compile(r"(?i)campaign|campaigners|group|charity|organisation"),
}


def resolve_pronoun(ctx: Context, pronoun: str, position: int, cue: str) -> Attribution:
    """'he'/'she': whoever has been speaking, when of that gender and not displaced by a
    new person opening a sentence since; else the last person of that gender named before
    (people of the other gender are passed over; a name only mostly of that gender counts
    only when nobody is named after it)."""
    wanted = "male" if pronoun == "he" else "female"
    other = "female" if wanted == "male" else "male"
    before = [n for n in ctx.named if n.end <= position and n.speaker.kind == PERSON and _in_prose(ctx, n)]
    last = next((n for n in reversed(before) if n.gender in (wanted, f"mostly_{wanted}")), None)
    speaking = _current_speaker(ctx, position)
    if speaking is not None and speaking[1] is None:
        if not any(n.start > speaking[0] for n in before):
            return Attribution(None, f"pronoun '{pronoun}': the person speaking is not identified", cue)
        speaking = None
    if speaking is not None:
        quote_end, speaker = speaking
        gender = next((n.gender for n in before if n.speaker == speaker), "")
        opened_since = (
            last is not None
            and last.start > quote_end
            and (_opens_sentence(ctx, last) or _named_since_in_the_last_paragraph(ctx, last, quote_end, position))
        )
        # A name mostly given to the other gender (Lindsay, Robin) does not rule it out.
        if gender != other and not (opened_since and last.speaker != speaker):
            return Attribution(speaker, f"pronoun '{pronoun}': the person speaking", cue)
    if last is None:
        return _only_person_not_ruled_out(ctx, before, pronoun, other, position, cue)
    since = [n for n in before if n.start > last.start and n.speaker != last.speaker]
    apart = paragraphs_apart(ctx, last.start, position)
    if (
        1 < apart <= PRONOUN_REACH
        and not since
        and all(n.speaker == last.speaker for n in before if n.gender != other)
        and not _patterns()["described"].search(ctx.masked, last.end, position)
    ):
        # A profile or interview: 'Jo Bloggs ...' then two paragraphs about her, 'She said: “'
        # (unless someone described but not named came between: 'The union's secretary was').
        return Attribution(
            last.speaker, f"pronoun '{pronoun}': the only person of that gender named, and nobody since", cue
        )
    if apart > 1:
        return Attribution(None, f"pronoun '{pronoun}': nobody of that gender named in this or the last paragraph", cue)
    if any(not n.gender or n.gender.startswith("mostly") for n in since):
        return Attribution(None, f"pronoun '{pronoun}': someone of unknown gender named since", cue)
    if last.gender != wanted and since:
        return Attribution(None, f"pronoun '{pronoun}': only a name mostly {wanted} before others", cue)
    if _patterns()["described_object"].search(ctx.masked, last.end, position):
        return Attribution(
            None, f"pronoun '{pronoun}': someone else described since the last {wanted} person named", cue
        )
    return Attribution(last.speaker, f"pronoun '{pronoun}': last {wanted} person named", cue)


def _named_since_in_the_last_paragraph(ctx: Context, named: Named, speech_end: int, position: int) -> bool:
    """'His warning was echoed by Mark Serwotka, ...' / '“...,” he told': a person named in
    the paragraph just before the pronoun's, one the last speaker did not speak in, and
    nobody named after them."""
    paragraph = _paragraph_of(ctx, named.start)
    p_start = ctx.paras[paragraph][0]
    return (
        paragraph == previous_prose_paragraph(ctx, _paragraph_of(ctx, position))
        and _paragraph_of(ctx, speech_end) < paragraph
        and not [n for n in ctx.named if named.end <= n.start < position and n.speaker.kind == PERSON]
        # Not in a sentence of the speaker's reported speech ('She said the party had won
        # seats and its first MP in Caroline Lucas'): there the speaker goes on.
        and not _PRONOUN_OPENING.match(ctx.masked, _sentence_start(ctx, named.start, p_start))
        # Someone who does something there, not a place or a companion ('near Jo Bloggs's
        # constituency', 'after talks with the former prime minister Jo Bloggs').
        and not _possessive(ctx, named)
        and not _AFTER_A_PREPOSITION.search(ctx.masked, max(p_start, named.start - 60), named.start)
    )


_AFTER_A_PREPOSITION = re.compile(
    r"\b(?:with|to|of|for|from|near|about|against|at|in|on|over|under|between|towards?)\s+"
    r"(?:(?:the|a|an|his|her|their)\s+)?(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)


_PRONOUN_OPENING = re.compile(r"\s*(?:(?:and|but|however|yet),?\s+)?(?:he|she)\b", re.IGNORECASE)


def _only_person_not_ruled_out(
    ctx: Context, before: list[Named], pronoun: str, other: str, position: int, cue: str
) -> Attribution:
    """'For Lindsay Whittle, the win ... In his victory speech, he said: “...”': with nobody
    of the pronoun's gender named, the one person named in this or the last paragraph
    whose name does not rule the pronoun out (of unknown gender, or mostly the other's)."""
    recent = [n for n in before if paragraphs_apart(ctx, n.start, position) <= 1]
    if recent and all(n.gender != other for n in recent) and len({n.speaker for n in recent}) == 1:
        return Attribution(recent[-1].speaker, f"pronoun '{pronoun}': the only person named lately it can be", cue)
    return Attribution(
        None, f"pronoun '{pronoun}' with no {'male' if other == 'female' else 'female'} person named before", cue
    )


def _last_speech(ctx: Context, position: int) -> tuple[int, Speaker | None] | None:
    """(end, speaker) of the last quote or reported speech before ``position``, if any."""
    candidates = [item for item in ctx.speakers + ctx.reported if item[0] <= position]
    return max(candidates, key=lambda item: item[0]) if candidates else None


def _current_speaker(ctx: Context, position: int) -> tuple[int, Speaker | None] | None:
    """Whoever spoke last before ``position`` (an attributed quote, or a person named as
    the subject of reported speech: 'Jo Bloggs said members were upset'), if recent; the
    speaker is None when that person could not be identified."""
    last = _last_speech(ctx, position)
    if last is None:
        return None
    end, speaker = last
    if position - end > CURRENT_SPEAKER_REACH or (speaker is not None and speaker.kind != PERSON):
        return None
    return end, speaker


def reported_speakers(ctx: Context) -> list[tuple[int, Speaker | None]]:
    """(offset, person) for each speech verb outside quotations whose subject is a person
    named right there ('Jo Bloggs, a councillor, said ...', '..., said Jo Bloggs'); the
    person is None when the subject looks like a name nobody could identify."""
    found = []
    for p_start, p_end in ctx.paras:
        sentences_seen = set()
        for verb in _verbs(ctx, p_start, p_end):
            start = _sentence_start(ctx, verb.start(), p_start)
            if start in sentences_seen:
                continue  # the sentence's first speech verb is the one its subject speaks by
            sentences_seen.add(start)
            lead = ctx.masked[start : verb.start()]
            if word_count(lead) > 25 and ", " in lead:
                # '..., Labour's Jess Phillips has said': the last part before the verb.
                start += lead.rfind(", ") + 2
                lead = ctx.masked[start : verb.start()]
            if _PASSIVE.search(lead) or word_count(lead) > 25:
                continue
            subject = resolve_subject(ctx, start, verb.start(), verb.start())
            if subject is None:
                subject = _inverted(ctx, verb, p_end, verb.start(), "reported")
            if (
                subject is not None
                and subject.speaker is not None
                and (subject.rule.endswith("named speaker") or "held that office" in subject.rule)
            ):
                found.append((verb.end(), subject.speaker))
            elif subject is not None and subject.speaker is not None and subject.rule.startswith("unnamed source:"):
                found.append((verb.end(), subject.speaker))  # 'a spokesperson for Plaid Cymru described
            elif (
                subject is not None
                and subject.rule == "speaker not identified"
                and _UNKNOWN_NAME.match(lead.strip().split(",")[0])
                and _named_at(ctx, start, start + len(lead.split(",")[0]), first=True) is None
            ):
                found.append((verb.end(), None))  # someone we cannot identify is speaking
    return found


# A subject that looks like a person's name the knowledge base and discovery missed.
_UNKNOWN_NAME = re.compile(
    rf"(?:[{names.UPPER}]\S*\s+)?[{names.UPPER}][{names.LOWER}]+(?:[-'’][{names.UPPER}]?[{names.LOWER}]+)*(?:,|$)"
)


_NOT_SUBJECT_START = re.compile(
    r"(?i)^(?:under|in|at|on|for|with|after|before|like|unlike|according|despite|as|asked|by|from|to|of|"
    r"about|against|since|during|without)\b"
)


def _opens_sentence(ctx: Context, named: Named) -> bool:
    """Whether a name stands as the subject at the start of its sentence ('Labour leader
    Jo Bloggs said'), not in a phrase ('Under Jo Bloggs, ...')."""
    start = _sentence_start(ctx, named.start, ctx.paras[_paragraph_of(ctx, named.start)][0])
    lead = ctx.masked[start : named.start]
    if re.search(r"^[^,]{1,40},\s*$", lead):
        lead = ""  # 'In his speech, Jo Bloggs ...'
    if word_count(lead) > 3 or "," in lead or _NOT_SUBJECT_START.match(lead.strip()):
        return False
    descriptor = _patterns()["descriptor"]
    return all(w[:1].isupper() or descriptor.search(w) for w in lead.split())


def _in_prose(ctx: Context, named: Named) -> bool:
    """Whether a name stands in a paragraph of prose, not a caption or sub-heading."""
    return is_prose_paragraph(ctx, _paragraph_of(ctx, named.start))


def is_prose_paragraph(ctx: Context, index: int) -> bool:
    """A paragraph of prose ends as a sentence does, or (cut off where the page was cut)
    runs on for several sentences; captions, sub-headings and labels ('JM', 'image
    caption...') do neither."""
    if index not in ctx.prose:
        p_start, p_end = ctx.paras[index]
        text = ctx.body[p_start:p_end]
        ctx.prose[index] = bool(re.search(r"[.!?:”\"’']\s*$", text)) or (
            word_count(text) >= 20 and bool(_SENTENCE_END.search(text))
        )
    return ctx.prose[index]


def paragraphs_apart(ctx: Context, earlier: int, later: int) -> int:
    """How many paragraphs of prose separate two offsets: captions and sub-headings in
    between do not count ('Jo Bloggs wrote ...' / 'JM' / 'She said ...' is one apart)."""
    a, b = _paragraph_of(ctx, earlier), _paragraph_of(ctx, later)
    return sum(1 for i in range(a + 1, b + 1) if i == b or is_prose_paragraph(ctx, i))


def previous_prose_paragraph(ctx: Context, index: int) -> int:
    """The nearest paragraph of prose before paragraph ``index`` (-1: none), passing over
    captions and sub-headings between."""
    index -= 1
    while index >= 0 and not is_prose_paragraph(ctx, index):
        index -= 1
    return index


def resolve_descriptor(
    ctx: Context,
    description: str,
    position: int,
    cue: str,
    *,
    qualified: bool = False,
    parties: frozenset[str] = frozenset(),
    party_words: frozenset[str] = frozenset(),
) -> Attribution:
    """'the chancellor': the person named earlier with that title ('Chancellor Rachel
    Reeves'), else the one person the article names who held that office on its date
    (``office_holders``), else the person speaking, else the person most often named as a subject so
    far (never for an office qualified by an organisation, 'the TUV leader'; for another
    description qualified by a party, 'the long-time Tory politician', only someone who has
    been a member of that party)."""
    description = re.sub(r"\s+", " ", description).strip()
    before = [n for n in ctx.named if n.end <= position and n.speaker.kind == PERSON]
    for named in reversed(before):
        titled = ctx.body[max(0, named.start - len(description) - 12) : named.start]
        if re.search(rf"(?i)\b{re.escape(description)}\s+(?:(?:{_HONORIFIC_WORDS})\.?\s+)?$", titled):
            return Attribution(named.speaker, f"'{description}': the person named with that title", cue)
    if _patterns()["foreign_office"].search(description):
        return Attribution(None, f"'{description}': another country's office", cue)
    former = re.match(r"(?i)(?:former|ex-)\s*", description)
    office = description[former.end() :] if former else description
    holders = office_holders(ctx, office, parties, party_words, former=bool(former))
    holder = holders.pop() if len(holders) == 1 else None
    if holder is not None:
        when = "before" if former else "on"
        return Attribution(
            holder, f"'{description}': the person named who held that office {when} the article's date", cue
        )
    # 'the former prime minister' is not whoever is prime minister now; 'the presenter' is
    # not the politician being interviewed.
    now = office_holders(ctx, office, parties, party_words) if former else set()
    if _patterns()["occupation"].search(description):
        now |= {n.speaker for n in ctx.named if n.speaker.parties or n.speaker.roles}
    speaking = _current_speaker(ctx, position)
    if speaking is not None and speaking[1] is None:
        return Attribution(None, f"'{description}': the person speaking is not identified", cue)
    if speaking is not None and speaking[1] in now:
        return Attribution(None, f"'{description}': not the person speaking", cue)
    if speaking is not None and not (parties and not speaking[1].parties & parties):
        return Attribution(speaking[1], f"'{description}': the person speaking", cue)
    if qualified and _patterns()["office"].search(description):
        # 'the TUV leader', 'the Reform leader': only the person named with that title.
        return Attribution(None, f"'{description}': nobody named with that title", cue)
    counts: dict[Speaker, int] = {}
    for named in before:
        if _opens_sentence(ctx, named):
            counts[named.speaker] = counts.get(named.speaker, 0) + 1
    if qualified:
        counts = {speaker: n for speaker, n in counts.items() if speaker.parties & parties}
    counts = {speaker: n for speaker, n in counts.items() if speaker not in now}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return Attribution(ranked[0][0], f"'{description}': the article's main person so far", cue)
    tied = [speaker for speaker, count in ranked if count == ranked[0][1]] if ranked else []
    headline = [speaker for speaker in tied if speaker in ctx.in_headline]
    if len(headline) == 1 and len(ctx.in_headline) == 1:
        return Attribution(headline[0], f"'{description}': the article's main person, named in the headline", cue)
    return Attribution(None, f"'{description}': no one person it describes", cue)


def office_holders(
    ctx: Context,
    description: str,
    parties: frozenset[str] = frozenset(),
    party_words: frozenset[str] = frozenset(),
    *,
    former: bool = False,
) -> set[Speaker]:
    """Who of the people the article names held, on its date, the office ``description``
    names (or, ``former``, held it before and not then): by its title ('the prime
    minister', 'the Scottish Labour leader'), a short form of it ('the health secretary',
    ``office_short_forms``) or the start of it ('the chancellor': Chancellor of the
    Exchequer); failing those, a party's office qualified by the party's name ('the
    Conservative leader'). Nobody when the date is unknown."""
    if ctx.on is None:
        return set()
    wanted = re.sub(r"^(?:new|newly elected|incoming)\s+", "", description.casefold())
    wanted = office_short_forms().get(wanted, wanted)
    # 'the Birmingham Yardley MP' holds the seat 'MP for Birmingham Yardley'.
    seat = re.fullmatch(r"(.+?) (mp|msp|ms|mla)", wanted)
    if seat:
        wanted = f"{seat.group(2)} for {seat.group(1)}"
    # 'leader of Reform UK' is 'Reform UK leader'.
    of_party = re.fullmatch(r"(.+?) of (?:the )?(.+)", wanted)
    if of_party and party_words and all(word in party_words for word in of_party.group(2).split()):
        wanted = f"{of_party.group(2)} {of_party.group(1)}"
    roles = {(n.speaker, role) for n in ctx.named for role in n.speaker.roles}
    held = {(speaker, role) for speaker, role in roles if role.held_on(ctx.on)}
    if former:
        titles_now = {(speaker, role.title) for speaker, role in held}
        held = {
            (speaker, role)
            for speaker, role in roles
            if role.end is not None and role.end < ctx.on and (speaker, role.title) not in titles_now
        }
    by_title = {speaker for speaker, role in held if _titled(wanted, role.title.casefold())}
    if not by_title:
        by_title = {
            speaker
            for speaker, role in held
            if role.organisation in parties and _qualified_by(wanted, role.title.casefold(), party_words)
        }
    return by_title


def _titled(wanted: str, title: str) -> bool:
    title = title.replace(",", "")  # 'MP for Birmingham, Yardley', as the 2019 results name the seat
    return wanted == title or title.startswith(wanted + " of ")


def _qualified_by(wanted: str, title: str, party_words: frozenset[str]) -> bool:
    """'conservative leader' is the title 'leader' qualified by the words of a party's name."""
    qualifier = wanted.removesuffix(" " + title)
    return qualifier != wanted and all(word in party_words for word in qualifier.split())


def cue_after(ctx: Context, span: Span, limit: int) -> Attribution | None:
    """', said X' / ', X said' / ', she said' / 'X told the BBC' after the quote."""
    end = min(limit, span.end + 120)
    complete = re.search(r"[,.!?…]\s*$", ctx.body[span.pieces[-1][0] : span.pieces[-1][1]]) if span.pieces else None
    if not complete and not re.match(r"\s*,", ctx.masked[span.end : end]):
        return None  # a phrase inside a sentence: 'he wanted to see “...” and ...'
    gap = ctx.masked[span.end : limit]
    if (
        complete
        and complete.group(0).strip()[:1] in ".!?…"
        and gap.rstrip().endswith(":")
        and not _SENTENCE_END.search(gap.rstrip())
    ):
        return None  # '“...” Jo Bloggs hit back: “...”': the next quote's lead-in, straight after it
    sentence_end = _SENTENCE_END.search(ctx.masked, span.end, end)
    if sentence_end:
        end = sentence_end.start() + 1
    return _cue_in_gap(ctx, span.end, end, span.start)


def _cue_in_gap(ctx: Context, start: int, end: int, position: int) -> Attribution | None:
    own_words = _patterns()["own_words_after"].match(ctx.masked, start, end)
    if own_words:
        spoken = {"his": "he", "her": "she"}[own_words.group(1).lower()]
        found = resolve_pronoun(ctx, spoken, position, own_words.group(0).strip())
        return _with_rule(found, "speaker after the quote: their own words")
    verb = next(_verbs(ctx, start, end), None)
    if verb is None:
        return None
    lead = ctx.masked[start : verb.start()]
    if word_count(lead) > 10 or re.search(r"[“\"‘]", lead) or _PASSIVE.search(lead):
        return None
    if re.search(r"(?i)\b(?:and|but|which|that|who|while|because|so|if|when)\b|[–—-]\s", lead):
        return None
    subject = resolve_subject(ctx, start, verb.start(), position)
    if subject is not None:
        return _with_rule(subject, "speaker after the quote")
    return _inverted(ctx, verb, end, position, "speaker after the quote")


def cue_before(ctx: Context, span: Span, floor: int) -> Attribution | None:
    """'X said: “', 'X said the plan was “...”', 'said X: “', 'X: “' before the quote."""
    start = _sentence_start(ctx, span.start, floor)
    verbs = list(_verbs(ctx, start, span.start))
    if verbs:
        verb = verbs[-1]
        lead = ctx.masked[start : verb.start()]
        if _PASSIVE.search(lead):
            return Attribution(None, "passive verb: speaker not named", ctx.masked[start : span.start].strip()[:80])
        clause = start
        for boundary in _CLAUSE_BOUNDARY.finditer(ctx.masked, start, verb.start()):
            if not _inside_appositive(ctx.masked, boundary.start(), verb.start()) and not _joins_a_name(
                ctx.masked, boundary
            ):
                clause = boundary.end()
        if len(verbs) > 1 and not _appositive_participle(ctx, verbs[-2], verb):
            clause = max(clause, verbs[-2].end())  # 'X said he hoped': the subject of 'hoped'
        lead = ctx.masked[clause : verb.start()]
        participle = verb.group(0).lower().endswith("ing") and lead.rstrip().endswith(",")
        to_say = bool(re.search(r"(?i)\bto\s+$", lead))
        if to_say and word_count(lead) > 2:  # 'X took to social media to say'
            subject = _subject_of_to_say(ctx, start, verb)
            if subject is not None:
                return subject
        if lead.strip().lower() == "by" and len(verbs) > 1:  # 'X responded by saying'
            return _with_rule(_subject_of(ctx, start, verbs[-2], span.start), "speaker before the quote")
        bare = not lead.strip() or bool(_FILLER.match(lead))  # 'and said', 'and later said'
        if participle or (bare and clause > start):
            return _with_rule(sentence_subject(ctx, start, verb.start(), span.start), "speaker before the quote")
        subject = resolve_subject(ctx, clause, verb.start(), span.start)
        if (
            subject is not None
            and subject.speaker is None
            and subject.rule == "speaker not identified"
            and len(verbs) > 1
            and not to_say  # 'asked the union to say': the union's words
        ):
            # 'Boris Johnson said the party would promise “...”': the inner subject is no one
            # we can name, so the words are the reporting verb's subject's.
            outer = resolve_subject(ctx, start, verbs[-2].start(), span.start)
            if outer is not None and outer.speaker is not None and outer.speaker.kind == PERSON:
                return _with_rule(outer, "speaker before the quote: the reporting verb's subject")
        if subject is not None:
            return _with_rule(subject, "speaker before the quote")
        inverted = _inverted(ctx, verb, span.start, span.start, "speaker before the quote")
        if inverted is not None:
            return inverted
        return Attribution(None, "speech verb without a speaker", ctx.masked[start : span.start].strip()[:80])
    lead = ctx.masked[start : span.start].rstrip()
    if lead.endswith(":"):
        named = _named_at(ctx, start, len(lead) + start, first=False)
        if named is not None and _ends_phrase(ctx, named, start + len(lead) - 1) and word_count(lead) <= 8:
            return Attribution(named.speaker, "colon after the speaker", lead[-80:])
        pronoun = re.match(r"(?i)(?:[^,]{1,40},\s*)?(he|she|his|her)\s", lead)
        if pronoun and pronoun.group(1).lower() in ("his", "her") and not _patterns()["own_words"].match(lead):
            pronoun = None  # 'His critics put it bluntly:' is not his own words
        if pronoun:
            # 'Her message was simple: “': the possessive's owner speaks.
            spoken = {"his": "he", "her": "she"}.get(pronoun.group(1).lower(), pronoun.group(1).lower())
            found = resolve_pronoun(ctx, spoken, span.start, pronoun.group(1))
            return _with_rule(found, "colon after a sentence whose subject is the speaker")
        first = _named_at(ctx, start, start + len(lead), first=True)
        people = [n for n in _named_in(ctx, start, start + len(lead)) if n.speaker.kind == PERSON]
        sole = first is not None and all(n.speaker == first.speaker for n in people)
        if sole and first.speaker.kind == PERSON and _opens_sentence(ctx, first):
            return Attribution(first.speaker, "colon after a sentence whose subject is the speaker", lead[-80:])
    if lead.endswith(",") and span.text(ctx.body)[:1].isupper():
        # 'Hannah Blythyn was firm in her denial, “I am clear ...”': a sentence about one
        # person, its subject, runs into their words.
        first = _named_at(ctx, start, start + len(lead), first=True)
        people = {n.speaker for n in _named_in(ctx, start, start + len(lead)) if n.speaker.kind == PERSON}
        if (
            first is not None
            and people == {first.speaker}
            and _opens_sentence(ctx, first)
            and word_count(lead) > 3
            and not _DONE_TO.search(lead)  # 'X was heckled by protesters, “...”'
            and not _possessive(ctx, first)  # 'X's speech was interrupted'
        ):
            return Attribution(first.speaker, "comma after a sentence whose subject is the speaker", lead[-80:])
    return subject_before_the_quote(ctx, span, start)


def _joins_a_name(masked: str, boundary: re.Match) -> bool:
    """'and' inside the name of a seat or an office: 'the MP for Ochil and South Perthshire',
    'the Secretary of State for Business and Trade' (not 'the Labour Party and Graham')."""
    return (
        boundary.group(0).strip().lower() == "and"
        and bool(
            re.search(
                r"\b(?:for|of)\s+(?:[A-Z][\w'’-]*\s+){1,3}$", masked[max(0, boundary.start() - 40) : boundary.start()]
            )
        )
        and masked[boundary.end() : boundary.end() + 1].isupper()
    )


def _subject_of_to_say(ctx: Context, start: int, verb: re.Match) -> Attribution | None:
    """'X took to social media to say: “': the sentence's subject, when it is the one person
    named before the verb, opens the sentence (not 'X's critics'), and nothing between makes
    someone else the one who says it ('X asked the union to say', 'waiting for Labour to')."""
    between = ctx.masked[start : verb.start()]
    first = _named_at(ctx, start, verb.start(), first=True)
    if first is None or first.speaker.kind != PERSON or not _opens_sentence(ctx, first):
        return None
    if _possessive(ctx, first) or _patterns()["others_say"].search(between):
        return None
    if any(n.speaker != first.speaker for n in _named_in(ctx, start, verb.start())):
        return None
    return Attribution(first.speaker, "speaker before the quote: subject of 'to ...'", between.strip()[:80])


def _subject_of(ctx: Context, start: int, verb: re.Match, position: int) -> Attribution:
    """The subject of ``verb`` in a sentence from ``start``: the name before ', which' or
    ', who' when the verb opens a relative clause ('criticised Unite, which responded'), the
    words after the last 'and' or 'but', else the sentence's subject."""
    lead = ctx.masked[start : verb.start()]
    relative = re.search(r",\s*(?:which|who)\s+$", lead)
    if relative:
        named = _named_at(ctx, start, start + relative.start(), first=False)
        if named is not None and _ends_phrase(ctx, named, start + relative.start()):
            return Attribution(named.speaker, "relative clause: named speaker", named.matched)
        return Attribution(None, "speaker not identified", lead.strip()[-60:])
    joined = list(re.finditer(r"\b(?:and|but)\s+", lead))
    if joined:
        subject = resolve_subject(ctx, start + joined[-1].end(), verb.start(), position)
        return subject or Attribution(None, "speaker not identified", lead.strip()[-60:])
    return sentence_subject(ctx, start, verb.start(), position)


def _appositive_participle(ctx: Context, participle: re.Match, verb: re.Match) -> bool:
    """'X, speaking on Radio 4's Today programme, said', 'X, asked about the row, said', 'X,
    who was speaking in Kent, said': a participle set off by commas before the verb
    describes the subject; it starts no clause of its own."""
    before = ctx.masked[max(0, participle.start() - 30) : participle.start()]
    return bool(_APPOSITIVE_OPENING.search(before)) and ctx.masked[participle.end() : verb.start()].rstrip().endswith(
        ","
    )


_APPOSITIVE_OPENING = re.compile(r",\s*(?:who\s+(?:was|is|were|are|had been|has been)\s+)?$", re.IGNORECASE)


def subject_before_the_quote(ctx: Context, span: Span, start: int) -> Attribution | None:
    """'Farage “will not apologise”', 'she “would never rule it out”': a quote that is the
    predicate of a name or pronoun just before it."""
    if not span.text(ctx.body)[:1].islower():
        return None
    lead = ctx.masked[start : span.start]
    pronoun = re.search(r"(?i)(?:^|\s)(he|she)\s*$", lead)
    if pronoun:
        found = resolve_pronoun(ctx, pronoun.group(1).lower(), span.start, pronoun.group(1))
        return _with_rule(found, "subject just before the quote")
    named = _named_at(ctx, start, span.start, first=False)
    if named is not None and named.speaker.kind == PERSON and not ctx.masked[named.end : span.start].strip():
        return Attribution(named.speaker, "subject just before the quote: named speaker", named.matched)
    return None


def _inside_appositive(masked: str, position: int, verb_start: int) -> bool:
    """Whether ``position`` lies in ', ... ,' just before the verb."""
    tail = masked[position:verb_start]
    return tail.rstrip().endswith(",") and "," in masked[max(0, position - 80) : position]


def sentence_subject(ctx: Context, start: int, end: int, position: int) -> Attribution:
    """The subject of the sentence's first speech verb, for a verb that shares it: 'Jo
    Bloggs hit out at the plan, saying “...”', 'the chancellor touted ... but warned of “...”'."""
    first = next(_verbs(ctx, start, end), None)
    lead_end = first.start() if first is not None else end
    lead = re.match(r"\s*(?:(?:and|but|so|yet|meanwhile|however),?\s+)?", ctx.masked[start:lead_end], re.IGNORECASE)
    subject = resolve_subject(ctx, start + lead.end(), lead_end, position)
    if subject is None or (subject.speaker is None and subject.rule == "speaker not identified"):
        subject = opening_subject(ctx, start + lead.end(), lead_end, position) or subject
    if subject is None:
        return Attribution(None, "speaker not identified", ctx.masked[start:end].strip()[:60])
    return Attribution(subject.speaker, subject.rule + " (subject of the sentence)", subject.cue)


_OPENING_PRONOUN = re.compile(r"\s*([Hh]e|[Ss]he)\s+(?:[a-z]+ly\s+)?[a-z]")
_OPENING_DESCRIPTION = re.compile(r"(?i)\s*(?:the\s+)?[\w'’ -]{1,40},\s*$")
# 'In an interview on ITV's Tonight programme this week, ': a phrase set off before the subject.
_FRONTED_PHRASE = re.compile(r"(?i)\s*(?:in|on|at|during|after|before|speaking|asked|writing)\b[^,]{1,80},\s*")


def opening_subject(ctx: Context, start: int, end: int, position: int) -> Attribution | None:
    """The subject that opens a sentence whose speech verb comes late, after a verb of its
    own: 'She refused to be drawn on the cuts, saying', 'Ed Davey dodged questions and
    said', 'The Deputy Speaker, Jo Bloggs, intervened, before saying': a pronoun, or a
    person named first (after a description set off by commas), followed by a verb."""
    pronoun = _OPENING_PRONOUN.match(ctx.masked, start, end)
    if pronoun:
        return resolve_pronoun(ctx, pronoun.group(1).lower(), position, pronoun.group(0).strip())
    first = next((n for n in _named_in(ctx, start, end) if n.speaker.kind == PERSON), None)
    if first is None:
        return None
    before = ctx.masked[start : first.start]
    after = ctx.masked[first.end : end]
    described = _OPENING_DESCRIPTION.fullmatch(before) and after.startswith(",")
    if described:
        after = after[1:]
    elif before.strip() and not _opens_sentence(ctx, first) and not _FRONTED_PHRASE.fullmatch(before):
        return None
    if not re.match(r"\s+(?:[a-z]+ly\s+)?[a-z]", after) or _possessive(ctx, first):
        return None  # 'Jo Bloggs's critics', 'Jo Bloggs and Owen Pryce'
    if re.match(r"\s+(?:and|or|of|for|to|in|on|at|by|with|from)\b", after):
        return None
    rest = ctx.masked[first.end : max(end, position)]  # up to the quote
    others = [
        n
        for n in _named_in(ctx, first.end, max(end, position))
        if n.speaker.kind == PERSON
        and n.speaker != first.speaker
        and not _AFTER_A_PREPOSITION.search(ctx.masked, max(0, n.start - 60), n.start)  # 'saying to Rayner'
    ]
    if _DONE_TO.search(rest) or others:
        return None  # 'X was criticised by Y, who accused him of lying, saying': Y's words, or nobody's
    return Attribution(first.speaker, "named speaker opening the sentence", first.matched)


# 'was criticised by', 'were heckled by': the subject is not the one acting.
_DONE_TO = re.compile(r"\b(?:was|were|is|are|been|being|got)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\s+by\b")


def _inverted(ctx: Context, verb: re.Match, end: int, position: int, rule: str) -> Attribution | None:
    """'said Labour councillor Jo Bloggs': the subject after an inverting verb."""
    if not _patterns()["inverting"].match(verb.group(0)):
        return None
    tail = re.match(r"[^,.;:!?“\"‘”’]*", ctx.masked[verb.end() : end])
    phrase_end = verb.end() + tail.end()
    # 'says Nigel Farage in a video': the subject ends where a preposition follows a name.
    named = _named_at(ctx, verb.end(), phrase_end, first=True)
    if named is not None and _AFTER_INVERTED_SUBJECT.match(ctx.masked, named.end, phrase_end):
        phrase_end = named.end
    subject = resolve_subject(ctx, verb.end(), phrase_end, position)
    return _with_rule(subject, rule) if subject is not None else None


_AFTER_INVERTED_SUBJECT = re.compile(
    r"\s+(?:in|on|at|during|from|to|for|with|after|before|outside|inside|last|this|yesterday|today|tonight|"
    r"earlier|later|when|as|while)\b",
    re.IGNORECASE,
)


def _with_rule(attribution: Attribution, place: str) -> Attribution:
    if attribution.speaker is None:
        return attribution
    return Attribution(attribution.speaker, f"{place}: {attribution.rule}", attribution.cue)


def _paragraph_of(ctx: Context, position: int) -> int:
    for index, (p_start, p_end) in enumerate(ctx.paras):
        if p_start <= position <= p_end:
            return index
    return -1


def attribute(ctx: Context, spans: list[Span]) -> list[Attribution | None]:
    """One attribution per span (None: no cue at all), by the rules in the module's order."""
    found: list[Attribution | None] = []
    so_far: list[Speaker | None] = []  # speakers so far, with those the same-speaker rules will give
    for index, span in enumerate(spans):
        paragraph = _paragraph_of(ctx, span.start)
        p_start, p_end = ctx.paras[paragraph]
        next_start = spans[index + 1].start if index + 1 < len(spans) else len(ctx.body)
        limit = min(next_start, ctx.paras[_paragraph_of(ctx, span.end)][1])
        result = None
        for gap_start, gap_end in span.gaps:
            result = _cue_in_gap(ctx, gap_start, gap_end, span.start)
            if result is not None:
                result = Attribution(
                    result.speaker, result.rule.replace("after the quote", "between the parts"), result.cue
                )
                break
        result = result or cue_after(ctx, span, limit) or cue_before(ctx, span, p_start)
        if result is None and not ctx.body[p_start : span.start].strip() and paragraph > 0:
            lead_start, lead_end = ctx.paras[paragraph - 1]
            if ctx.masked[lead_start:lead_end].rstrip().endswith((":", ",")):
                lead = Span([], lead_end, lead_end)
                result = cue_before(ctx, lead, lead_start)
                if result is not None:
                    result = Attribution(
                        result.speaker, "lead-in in the previous paragraph: " + result.rule, result.cue
                    )
        running_on = _running_on_speaker(ctx, spans[:index], so_far, span) if result is None else None
        if (
            result is None
            and running_on is None  # a speaker's words running on are theirs, whatever follows
            and not ctx.body[p_start : span.start].strip()
            and paragraph + 1 < len(ctx.paras)
        ):
            result = credit_line_under(ctx, span, paragraph)
        speaker = result.speaker if result is not None else running_on
        if speaker is not None:
            ctx.speakers.append((span.end, speaker))
        so_far.append(speaker)
        found.append(result)
    _same_speaker_rules(ctx, spans, found)
    return found


# A pull quote's credit: '— Jo Bloggs, councillor', 'UKIP manifesto', 'Unite spokesperson'.
_CREDIT_LINE_WORDS = 6


def credit_line_under(ctx: Context, span: Span, paragraph: int) -> Attribution | None:
    """A quotation that is a whole paragraph, with a short line under it naming one person
    or organisation and nothing that reads as a sentence: that line credits the quote."""
    if ctx.body[span.end : ctx.paras[paragraph][1]].strip(" \t.,”\"’'"):
        return None
    c_start, c_end = ctx.paras[paragraph + 1]
    line = ctx.body[c_start:c_end].strip()
    if not line or word_count(line) > _CREDIT_LINE_WORDS or re.search(r"[.!?:;“\"]\s*$|[“\"‘]", line):
        return None
    named = {n.speaker for n in _named_in(ctx, c_start, c_end)}
    if len(named) != 1:
        return None
    speaker = named.pop()
    if any(n.speaker != speaker for n in ctx.named if c_start <= n.start < c_end):
        return None
    # The line is the name, with a role or a document after it: not a subhead that
    # mentions it ('Reaction to Keir Starmer', 'Labour: the verdict').
    first = _named_at(ctx, c_start, c_end, first=True)
    if ctx.body[c_start : first.start].strip(" \t—–-") or not _CREDIT_AFTER_NAME.match(ctx.body[first.end : c_end]):
        return None
    return Attribution(speaker, "credit line under the quote", line[:80])


_CREDIT_AFTER_NAME = re.compile(
    r"\s*(?:$|[,(–—-]|(?i:MP|MSP|MS|MLA|manifesto|statement|spokesperson|spokesman|spokeswoman|press release|"
    r"leaflet|website|source)\b)"
)


def _running_on_speaker(
    ctx: Context, earlier: list[Span], speakers: list[Speaker | None], span: Span
) -> Speaker | None:
    """While attributing in text order: the speaker a cue-less quote that opens a paragraph
    will get from the previous paragraph's last quote (``_same_speaker_rules`` decides it
    at the end), so that a 'he said' after a long run of that person's quotes finds them
    still speaking."""
    paragraph = _paragraph_of(ctx, span.start)
    if ctx.body[ctx.paras[paragraph][0] : span.start].strip():
        return None
    previous = previous_prose_paragraph(ctx, paragraph)
    last = None
    for other, speaker in zip(earlier, speakers, strict=True):
        if _paragraph_of(ctx, other.end) == previous:
            last = speaker
    return last


def _same_speaker_rules(ctx: Context, spans: list[Span], found: list[Attribution | None]) -> None:
    """A quote with no cue of its own: the one speaker of its paragraph's other quotes,
    or, opening a paragraph, the speaker of the previous paragraph's last quote."""
    by_paragraph: dict[int, set[Speaker]] = {}
    for span, result in zip(spans, found, strict=True):
        if result is not None and result.speaker is not None:
            by_paragraph.setdefault(_paragraph_of(ctx, span.start), set()).add(result.speaker)
    last_speaker: dict[int, Speaker | None] = {}
    for index, span in enumerate(spans):
        paragraph = _paragraph_of(ctx, span.start)
        end_paragraph = _paragraph_of(ctx, span.end)
        if found[index] is None:
            speakers = by_paragraph.get(paragraph, set())
            p_start = ctx.paras[paragraph][0]
            reported = _reported_just_before(ctx, span, p_start)
            if len(speakers) == 1:
                found[index] = Attribution(next(iter(speakers)), "same paragraph as another quote", "")
            elif reported is not None:
                rule = "after the speaker's reported speech in the paragraph"
                found[index] = Attribution(reported[0], rule + ("" if reported[0] else ": speaker not identified"), "")
            elif not ctx.body[p_start : span.start].strip() and previous_prose_paragraph(ctx, paragraph) >= 0:
                previous = previous_prose_paragraph(ctx, paragraph)
                if previous in last_speaker:
                    speaker, rule = last_speaker[previous], "continues the previous paragraph's speaker"
                else:
                    speaker, rule = (
                        _reported_speaker(ctx, previous),
                        "continues the previous paragraph's reported speech",
                    )
                if speaker is not None:
                    found[index] = Attribution(speaker, rule, "")
        result = found[index]
        last_speaker[end_paragraph] = result.speaker if result is not None else None


def _reported_just_before(ctx: Context, span: Span, p_start: int) -> tuple[Speaker | None] | None:
    """'Jo Bloggs said members were upset. “...”': (the person whose reported speech comes
    just before the quote in its paragraph, nobody else named in between), with None for
    a speaker who could not be identified; None when there is no such speech."""
    if ctx.masked[_sentence_start(ctx, span.start, p_start) : span.start].strip():
        return None  # inside a sentence with a subject of its own
    before = [(end, speaker) for end, speaker in ctx.reported if p_start <= end <= span.start]
    if not before:
        return None
    end, speaker = before[-1]
    between = [n for n in ctx.named if end <= n.start < span.start and n.speaker.kind == PERSON]
    return (speaker,) if all(n.speaker == speaker for n in between) else None


def _reported_speaker(ctx: Context, paragraph: int) -> Speaker | None:
    """The speaker of a paragraph of reported speech: the subject of its last speech verb
    ('..., Mr Bloggs said.')."""
    p_start, p_end = ctx.paras[paragraph]
    verbs = list(_verbs(ctx, p_start, p_end))
    if not verbs:
        return None
    result = cue_before(ctx, Span([], verbs[-1].end(), verbs[-1].end()), p_start)
    return result.speaker if result is not None and result.speaker and result.speaker.kind == PERSON else None


def _mask(body: str, spans: list[Span]) -> str:
    chars = list(body)
    for span in spans:
        for a, b in span.pieces:
            for i in range(a, b):
                if chars[i] != "\n":
                    chars[i] = "_"
    return "".join(chars)


def extract_quotes(body: str, entities: list[FoundEntity], on: datetime.date | None = None) -> list[FoundQuote]:
    """Quotations in ``body`` (offsets in ``body``), each with its speaker (a person or an
    organisation among ``entities``) or none, and the rule that decided it; ``on`` is the
    article's date, when known ('the prime minister' is whoever held the office then)."""
    spans, every = find_quotations(body)
    if not spans:
        return []
    quoted = [piece for s in every for piece in s.pieces]
    named = [n for n in named_in_body(body, entities) if not _inside(n.start, quoted)]
    ctx = Context(body, _mask(body, every), named, paragraphs(body), on=on)
    ctx.in_headline = frozenset(Speaker(e.key, e.name, e.kind) for e in entities if e.kind == PERSON and e.in_headline)
    ctx.reported = reported_speakers(ctx)
    quotes = []
    for span, result in zip(spans, attribute(ctx, spans), strict=True):
        speaker = result.speaker if result is not None else None
        quotes.append(
            FoundQuote(
                speaker_key=speaker.key if speaker else "",
                speaker_name=speaker.name if speaker else "",
                text=span.text(body),
                start=span.start,
                end=span.end,
                cue=result.cue[:200] if result is not None else "",
                rule=result.rule if result is not None else "no attribution cue: unattributed",
                speaker_kind=speaker.kind if speaker else "",
            )
        )
    return quotes
