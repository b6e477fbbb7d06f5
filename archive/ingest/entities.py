"""People, parties and organisations named in an article.

Three sources of evidence, in order:

1. the knowledge base (a ``Gazetteer``): every alias of every person and organisation,
   matched in one pass with Aho-Corasick, case-sensitively and on word boundaries, the
   longest match winning ("Jewish Labour Movement" is not also "Labour");
   aliases that are also ordinary words (Unite, Reform, Resist) pass context guards;
2. discovery of people the knowledge base does not know: capitalised name sequences that
   start with a known first name or follow an honorific (Cllr, Sir, Baroness ...);
3. coreference inside the article: a surname ("Starmer", "Mr Sarwar"), an honorific with
   a first name ("Sir Keir") or a first name alone refers to the person named in full.

Pure: the gazetteer is plain data built by the caller (from the database or from files).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import yaml

from archive.ingest import names

PERSON = "person"
ORGANISATION = "organisation"


@dataclass(frozen=True)
class Role:
    """An office a person held: 'Prime Minister' in uk-government, 'leader' of a party."""

    organisation: str  # slug
    title: str
    start: datetime.date | None = None
    end: datetime.date | None = None  # None: still held

    def held_on(self, day: datetime.date) -> bool:
        """Held on ``day``; a role whose start is unknown is never placed on a date."""
        return self.start is not None and self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Entity:
    key: str  # slug
    name: str
    kind: str  # PERSON or ORGANISATION
    org_kind: str = ""  # party, union, media ... for organisations
    surname_alias: bool = False  # "Starmer" alone means this person
    domains: tuple[str, ...] = ()  # web domains of a publication or organisation
    # When a person held a seat or a role, as (start, end) pairs (None: open): of two people
    # with one name, an article means the one in office at its date.
    in_office: tuple[tuple[datetime.date | None, datetime.date | None], ...] = ()
    # The parties a person has been a member of (slugs): 'the long-time Tory politician'
    # can describe only someone who was ever a Conservative.
    parties: frozenset[str] = frozenset()
    # The roles a person held, with dates: 'the prime minister' in an article of March 2025
    # is whoever of the people it names held that office then.
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class AliasEntry:
    text: str
    key: str
    guarded: bool = False
    rule: str = "alias"
    chosen_on: datetime.date | None = None  # set when this person was chosen among namesakes by date


class Gazetteer:
    """Every name the knowledge base knows, compiled for one-pass matching."""

    def __init__(self, entities: Iterable[Entity], aliases: Iterable[AliasEntry]):
        self.entities: dict[str, Entity] = {e.key: e for e in entities}
        self.aliases: dict[str, list[AliasEntry]] = {}
        for entity in self.entities.values():
            self._add(AliasEntry(entity.name, entity.key, rule="name"))
            if entity.kind == PERSON and entity.surname_alias:
                _, surname = names.split_name(entity.name)
                self._add(AliasEntry(surname, entity.key, rule="surname"))
        for alias in aliases:
            if alias.key in self.entities and alias.text.strip():
                self._add(alias)
        for entity in self.entities.values():
            # "Kirklees councillor" names Kirklees Council.
            place = entity.name.removesuffix(" Council") if entity.kind == ORGANISATION else entity.name
            if place != entity.name and " " not in place.strip():
                for word in ("councillor", "Councillor", "councillors", "Councillors"):
                    self._add(AliasEntry(f"{place} {word}", entity.key, rule="council member"))
        # Everyone the knowledge base knows teaches discovery a first name.
        self.first_names = (
            frozenset(names.split_name(e.name)[0] for e in self.entities.values() if e.kind == PERSON)
            - names.NOT_NAME_TOKENS
            - {""}
        )
        self._automaton = None
        self._folded = None
        # Tables other modules derive from this gazetteer (e.g. publication names for
        # metadata), computed once per gazetteer rather than once per page.
        self.derived: dict = {}

    def namesakes_by_date(self, entries: list[AliasEntry], on: datetime.date | None) -> list[AliasEntry]:
        """The entries of one name, the person in office nearest ``on`` first (in office
        that day, else the fewest days from it); unchanged without a date or a namesake."""
        if on is None or sum(self.entities[e.key].kind == PERSON for e in entries) < 2:
            return entries
        return sorted(entries, key=lambda e: _days_from_office(self.entities[e.key], on))

    def _add(self, alias: AliasEntry) -> None:
        text = normalise(alias.text.strip())
        entries = self.aliases.setdefault(text, [])
        if all(e.key != alias.key for e in entries):
            entries.append(AliasEntry(text, alias.key, alias.guarded, alias.rule))
        elif alias.guarded:
            # A name listed as guarded too (e.g. the organisation called "Unite") is guarded.
            entries[:] = [AliasEntry(text, e.key, True, e.rule) if e.key == alias.key else e for e in entries]

    def automaton(self):
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for text, entries in self.aliases.items():
                automaton.add_word(text, (text, tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def folded_automaton(self):
        """Aliases matched in any case where that is safe: names of two or more words,
        not guarded, lower-cased ("national policy forum", "Home Affairs select
        committee"); ``match_gazetteer`` says when a match in another case counts."""
        if self._folded is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for text, entries in self.aliases.items():
                if " " in text and len(text) >= 8 and not any(e.guarded for e in entries):
                    automaton.add_word(text.lower(), (text, tuple(entries)))
            automaton.make_automaton()
            self._folded = automaton
        return self._folded

    def entity(self, key: str) -> Entity | None:
        return self.entities.get(key)


def normalise(text: str) -> str:
    """Curly quotes to straight ones and a first name printed in capitals at a paragraph's
    start to its usual case, keeping every offset where it was (one character for one:
    ``str.replace`` of each, which runs at C speed where ``str.translate`` looks up every
    character of a whole article in a table)."""
    for curly, straight in _QUOTES:
        if curly in text:
            text = text.replace(curly, straight)
    return _DROP_CAP.sub(_drop_cap, text)


# A paragraph opening in capitals, as papers print it: "SUSAN Aitken was confident ...".
_DROP_CAP = re.compile(r"(?m)^([A-Z])([A-Z]+)(?= [A-Z][a-z])")


def _drop_cap(match: re.Match) -> str:
    word = match.group(1) + match.group(2).lower()
    return word if names.is_first_name(word) else match.group(0)


_QUOTES = [("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " ")]


@dataclass
class Hit:
    key: str  # an Entity key, or "new:<Name>" for a discovered person
    name: str
    kind: str
    start: int
    end: int
    matched: str
    rule: str
    segment: str  # "headline", "body", "caption" or "furniture"
    org_kind: str = ""  # for organisations discovered in the text


@dataclass
class FoundEntity:
    key: str
    name: str
    kind: str
    org_kind: str = ""
    count: int = 0
    first_offset: int = 0
    in_headline: bool = False
    boilerplate_only: bool = True
    matched_text: str = ""
    rule: str = ""
    is_new: bool = False
    hits: list[Hit] = field(default_factory=list, repr=False)
    parties: frozenset[str] = frozenset()  # as Entity.parties
    roles: tuple[Role, ...] = ()  # as Entity.roles


class Occupied:
    """The characters of a text that a name already took: overlap tests cost the length of
    the span asked about, not the number of names found (a page naming someone thousands
    of times stays linear)."""

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()):
        self.marks = bytearray(length + 1)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self.marks[start:end]

    def __contains__(self, position: int) -> bool:
        return 0 <= position < len(self.marks) and bool(self.marks[position])


# ---------------------------------------------------------------- matching the gazetteer

_WORD = re.compile(r"\w")
_VERB_CONTEXT = re.compile(
    r"(?:\b(?:will|would|can|could|must|should|may|might|shall|not|we|they|i|you|"
    r"helps?|helped|let's|lets|'ll|n't)\s+)$",
    re.IGNORECASE,
)
_OBJECT_AFTER = re.compile(
    r"^\s+(?:the|a|an|this|that|these|those|our|your|their|his|her|its|them|us|people|all|"
    r"behind|against|together|around|across|every|any|both|voters|communities|members|"
    r"of|to|is needed|are needed)\b"
)
_STATE_VERB_AFTER = re.compile(
    r"^\s+(?:is|was|has|had|have|will|would|can|could|must|may|might|seems?|appears?|remains?|"
    r"continues?|matters?|builds?|building|grows?|growing|gathers?|gathering|shifts?|shifted|swung)\b"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"]\s+|\n\s*)$")


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.85


def _guard_allows(text: str, start: int, end: int, title_case: bool) -> bool:
    """Whether a guarded alias (also an ordinary word) is used as a name here."""
    if title_case:
        return False
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if _VERB_CONTEXT.search(before):
        return False
    if _OBJECT_AFTER.match(after):
        return False
    # Part of a longer capitalised name ("Community Wealth Building", "Local Momentum").
    return not (re.match(r"^ [A-Z][a-z]", after) or re.search(r"(?<![.!?:;\"'–—-]) [A-Z][a-z]+ $", before))


def _boundaries_ok(text: str, start: int, end: int) -> bool:
    if start > 0 and (_WORD.match(text[start - 1]) or text[start - 1] in "@#"):
        return False
    if end < len(text) and _WORD.match(text[end]):
        return False
    # "Tom Ellery" inside "Tom Ellery-Hart": a hyphen and a capital carry the name on.
    return not (text[end : end + 1] == "-" and text[end + 1 : end + 2].isupper())


# The last word of a name that is an institution's, so that the name written in lower
# case still names it ("the national policy forum", "the Social Democratic and Labour party").
INSTITUTION_WORDS = names.word_file("institution_words.txt")


def _case_insensitive_match_counts(found: str, alias: str) -> bool:
    """A name matched in another case than its alias counts when its first word is
    written as in the alias ("Home Affairs select committee"), or when it ends with an
    institution's word ("national executive committee"); "what's best for Britain" is
    not Best for Britain, and "for Labour to win power" is not Labour to Win: past the
    first word, a capital of the alias must stay ("Labour Party conference")."""
    found_words, alias_words = found.split(), alias.split()
    if found_words[0] == alias_words[0] and any(
        a[0].isupper() and f[0] == a[0] for f, a in zip(found_words[1:], alias_words[1:], strict=False)
    ):
        return True
    return alias.split()[-1].lower() in INSTITUTION_WORDS and len(alias.split()) >= 2


# "shadow Treasury minister", "shadow Home Secretary": a role, not the department.
_ROLE_BEFORE = re.compile(r"\b(?i:shadow)\s+$")


def _days_from_office(entity: Entity, on: datetime.date) -> tuple[int, int]:
    """(days from ``on`` to the nearest span in office, that span's length in days): 0 days
    when they held a seat or a role that day, and of two people in office, the one in the
    shorter office (an MP's term rather than a peerage for life) first. A person with no
    spans recorded comes last."""
    if not entity.in_office:
        return (1 << 30, 0)
    return min(
        (
            max(((start or on) - on).days, (on - (end or on)).days, 0),
            ((end or datetime.date.max) - (start or datetime.date.min)).days,
        )
        for start, end in entity.in_office
    )


def match_gazetteer(
    text: str, gazetteer: Gazetteer, segment: str, on: datetime.date | None = None
) -> list[tuple[int, int, AliasEntry, bool]]:
    """Longest, non-overlapping alias matches in ``text`` (already normalised), each
    with a flag for weak evidence: an ordinary word that opens a sentence ("Momentum
    is building") names the organisation only if the article names it elsewhere too.
    A name two people share is the one in office nearest the article's date ``on``."""
    candidates = []
    for end_index, (alias_text, entries) in gazetteer.automaton().iter(text):
        start = end_index - len(alias_text) + 1
        end = end_index + 1
        if _boundaries_ok(text, start, end):
            candidates.append((start, end, entries))
    lowered = text.lower()
    if len(lowered) == len(text):
        for end_index, (alias_text, entries) in gazetteer.folded_automaton().iter(lowered):
            start = end_index - len(alias_text) + 1
            end = end_index + 1
            found = text[start:end]
            if (
                found != alias_text
                and _boundaries_ok(text, start, end)
                and _case_insensitive_match_counts(found, alias_text)
            ):
                candidates.append((start, end, entries))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen = []
    last_end = -1
    for start, end, entries in candidates:
        if start >= last_end:
            chosen.append((start, end, entries))
            last_end = end
    title_case = segment == "headline" and _is_title_case(text)
    results = []
    for start, end, entries in chosen:
        ordered = gazetteer.namesakes_by_date(entries, on)
        for entry in ordered:
            if ordered is not entries:
                entry = replace(entry, chosen_on=on)
            if entry.guarded and not _guard_allows(text, start, end, title_case):
                continue
            if _inside_longer_name(text, start, end, entry, gazetteer):
                continue
            if _ROLE_BEFORE.search(text[max(0, start - 8) : start]):
                continue
            weak = (
                entry.guarded
                and bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
                and bool(_STATE_VERB_AFTER.match(text[end : end + 20]))
            )
            results.append((start, end, entry, weak))
            break
    return results


def _inside_longer_name(text: str, start: int, end: int, entry: AliasEntry, gazetteer: Gazetteer) -> bool:
    """A publication's name inside a longer name ('Cornish Guardian', 'The National
    Education Union')."""
    entity = gazetteer.entities[entry.key]
    if entity.org_kind != "media":
        return False
    # "The National Education Union", "the Socialist Councillors Network"; but a
    # broadcaster's initials before a programme are the broadcaster ("BBC Question Time").
    if re.match(r"^ [A-Z][a-z]", text[end : end + 3]) and not re.fullmatch(r"[A-Z]{2,5}", entry.text):
        return True
    if " " in entry.text:
        return False
    return bool(re.search(r"(?<![.!?:;\"'–—-]) [A-Z][a-z]+ $", text[max(0, start - 30) : start]))


# ------------------------------------------------------------------ discovering people

_HONORIFIC = "|".join(sorted(names.HONORIFICS, key=len, reverse=True))
# A name stays on one line: tokens are joined by spaces, never by a line break. A full
# stop straight before it ends a glued sentence ("by Labour.Andy Brown – who") when a
# lower-case letter is before the stop, and is part of something else ("J.Smith") otherwise.
_CANDIDATE = re.compile(
    rf"(?:\b(?P<honorific>{_HONORIFIC})\.?[ \t]+)?"
    rf"(?<![\w'’])(?<![^a-z]\.)(?P<name>{names.NAME_TOKEN}(?:[ \t]+(?:(?:{'|'.join(names.PARTICLES)})[ \t]+)?{names.NAME_TOKEN}){{0,3}})"
)


def discover_people(
    text: str, taken: Occupied, segment: str, known_first_names: frozenset[str] = frozenset()
) -> list[tuple[int, int, str, str]]:
    """Unknown people: (start, end, canonical name, rule) for name-shaped sequences that
    no knowledge-base match already covers."""
    if segment == "headline" and _is_title_case(text):
        return []
    found = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span("name")
        tokens = match["name"].split()
        # Skip leading institution words and known names ("Labour's John O'Farrell"), and
        # cut the sequence where one begins after the name has started.
        kept: list[str] = []
        skipped_leading = surname_word = False
        position = start
        for token in tokens:
            token_start = text.index(token, position)
            position = token_start + len(token)
            if token in names.NOT_NAME_TOKENS or token_start in taken or token.endswith(("'s", "’s")) and not kept:
                if _surname_despite_the_word(text, kept, token, token_start, taken, known_first_names):
                    kept.append(token)
                    surname_word = True
                    break
                if kept:
                    break
                skipped_leading = True
                continue
            kept.append(token)
        # Drop leading words that only start a sentence ("Speaking ...") or describe the
        # person ("Pensioner Ron Beddows", "Mum-of-three Tracey Mullins").
        while kept and kept[0] in names.SENTENCE_STARTERS:
            kept.pop(0)
        at_sentence_start = bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
        while at_sentence_start and len(kept) > 2 and not names.is_first_name(kept[0]) and names.is_first_name(kept[1]):
            kept.pop(0)
        if kept and kept[0] == "St":
            continue  # St Pancras, St Ives: places
        if len(kept) < 2:
            continue
        kept = kept[:4]
        if kept[-1].endswith(("'s", "’s")):
            kept[-1] = kept[-1][:-2]
        name = " ".join(kept)
        name_start = text.index(kept[0], start)
        name_end = name_start + len(name)
        if taken.overlaps(name_start, name_end):
            continue
        if _SEAT_BEFORE_ITS_MEMBER.search(text, max(0, name_start - 4), name_start) and _MEMBER_OF_A_SEAT.match(
            text, name_end
        ):
            continue  # 'the Mid Ulster MLA', 'the Birmingham Yardley MP': a constituency
        honorific = None if skipped_leading else match["honorific"]
        cue = _person_cue(text, name_start, name_end)
        if surname_word:
            found.append(
                (name_start, name_end, name, f"cue: {cue}; a known first name before a surname that is a word")
            )
        elif honorific and names.looks_like_person_name(name, require_first_name=False):
            found.append((name_start, name_end, name, f"honorific: {honorific}"))
        elif cue and names.looks_like_person_name(name, require_first_name=False):
            found.append((name_start, name_end, name, f"cue: {cue}"))
        elif names.looks_like_person_name(name) or (
            kept[0] in known_first_names and names.looks_like_person_name(name, require_first_name=False)
        ):
            found.append((name_start, name_end, name, "name shape: known first name"))
    return found


_SEAT_BEFORE_ITS_MEMBER = re.compile(r"\b[Tt]he\s+$")
_MEMBER_OF_A_SEAT = re.compile(r"\s+(?:MP|MSP|MS|MLA|AM|TD|MEP)\b")
# A peer by title: 'Lord Lee of Trafford', then 'Lord Lee'; 'Baroness Chapman of Darlington'.
# Not an office ('Lord Chancellor', 'Lord Mayor': their words are not names).
_PEER = re.compile(
    r"\b(?P<title>Lord|Baroness|Viscount|Viscountess|Earl|Countess) (?P<name>[A-Z][a-z'’-]+)"
    r"(?P<place> of [A-Z][a-z'’-]+(?: [A-Z][a-z]+(?![\w'’]))?)?"
)


def _surname_despite_the_word(
    text: str, kept: list[str], token: str, token_start: int, taken: Occupied, first_names: frozenset[str]
) -> bool:
    """'Sarah Church, who has led the campaign, said', 'Sheila Lock said': a word that is no
    name on its own ('Church', 'Lock') is a surname after a known first name when the words
    after it mark a person (a speech verb, an appositive)."""
    return (
        len(kept) == 1
        and (kept[0] in first_names or names.is_first_name(kept[0]))
        and token not in BUILDING_WORDS
        and token_start not in taken
        and token[:1].isupper()
        and token.isalpha()
        and bool(_SURNAME_CUE_AFTER.match(text, token_start + len(token)))
    )


BUILDING_WORDS = names.word_file("building_words.txt")
# What only a person does next: speaks, or is described by 'who' ('Tate Modern, the
# gallery' is no person; 'Sarah Church, who led the campaign' is).
_SURNAME_CUE_AFTER = re.compile(
    r"\s+(?:said|says|told|added|explained|warned|argued|insisted|wrote|tweeted)\b|,\s+who\b|,\s+\d{1,3},"
)


# 'Lord Provost', 'Lord Lieutenant', 'Lord Advocate': offices, not peers' names.
PEER_OFFICES = names.word_file("peer_offices.txt")


def discover_peers(text: str, taken: Occupied) -> list[tuple[int, int, str, str]]:
    """Peers the knowledge base does not know, by their titles: 'Lord Lee of Trafford', and
    'Lord Lee' for the same peer when the text names them in full."""
    matches = [
        m
        for m in _PEER.finditer(text)
        if m["name"] not in names.NOT_NAME_TOKENS
        and m["name"] not in PEER_OFFICES
        and not taken.overlaps(m.start(), m.end())
    ]
    full = {f"{m['title']} {m['name']}": m.group(0) for m in matches if m["place"]}
    found = []
    for m in matches:
        short = f"{m['title']} {m['name']}"
        name = m.group(0) if m["place"] else full.get(short)
        if name:
            found.append((m.start(), m.end(), name, f"peer's title: {m['title']}"))
    return found


_CUE_BEFORE = re.compile(
    r"(?:\b(?:MP|MSP|MS|MLA|TD|MEP|AM|[Cc]ouncillor|[Cc]llr|leader|secretary|minister|spokes(?:man|woman|person)|"
    r"chair(?:man|woman)?|candidate|activist|campaigner|organiser|president|director|executive|founder|"
    r"[Mm]ayor|convenor|steward|rep|officer|member|resident|chief|analyst|economist|professor|lecturer|"
    r"editor|correspondent|reporter|pollster|strategist|adviser|aide|colleague|widow|widower|wife|husband|"
    r"commuter|voter|worker|nurse|teacher|doctor|parent|pensioner|student|owner|landlord|shopkeeper|volunteer)"
    r"\s+)$"
)
_CUE_AFTER = re.compile(
    r"^(?:\s+(?:said|says|told|added|explained|warned|argued|insisted|wrote|tweeted|MP|MSP|MLA|MS|AM)\b|"
    r",\s+(?:the|a|an|who|whose|one|another|chair|leader|secretary|director|councillor|MP)\b|,\s+\d{1,3},|"
    r"\s+\((?:Lab|Con|LD|Lib Dem|SNP|Reform|Green|Plaid|Ind|DUP|SF|Alliance|UUP|SDLP)\b)"
)


def _person_cue(text: str, start: int, end: int) -> str:
    """A word beside a name that says it is a person ('Councillor X', 'X said')."""
    before = _CUE_BEFORE.search(text[max(0, start - 40) : start])
    if before:
        return before.group(0).strip()
    after = _CUE_AFTER.match(text[end : end + 30])
    return after.group(0).strip() if after else ""


# ------------------------------------------------------------ discovering organisations

_PROPER = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"
_UNIVERSITY = re.compile(rf"\bUniversity of (?:the )?{_PROPER}(?: {_PROPER})?|\b{_PROPER}(?: {_PROPER})? University\b")
_COUNCIL = re.compile(
    rf"\b(?P<place>{_PROPER}(?: (?:and |upon |on |under )?{_PROPER}){{0,3}}) "
    r"(?:(?:City|County|Borough|District|Metropolitan Borough|Town|Parish|Unitary) )?Council\b"
)
_LOCAL_PARTY = re.compile(
    rf"\b(?P<place>{_PROPER}(?: (?:and |upon |on |under |of |St )?{_PROPER}){{0,3}}) (?:Constituency Labour Party|CLP)\b"
)
NOT_PLACES = {
    "The",
    "City",
    "County",
    "Borough",
    "District",
    "Town",
    "Parish",
    "International",
    "A",
    "Labour",
    "Conservative",
    "Tory",
    "Reform",
    "Green",
    "Liberal",
    "Lib",
    "Privy",
    "Security",
    "European",
    "Arts",
    "Research",
    "Medical",
    "Local",
    "National",
    "Sentencing",
    "Legal",
    "Food",
    "Fiscal",
    "Press",
    "Police",
    "Health",
    "Cabinet",
    "Executive",
    "Advisory",
    "British",
    "Scottish",
    "Welsh",
    "Irish",
    "Every",
    "Each",
    "Our",
    "Your",
    "Their",
    "His",
    "Her",
    "This",
    "That",
    "Which",
    "Whose",
    "Former",
    "New",
}


# A quoted name called a campaign or slate ("the 'Scrap the Mayor' campaign"): a body
# only discovery can find.
_CAMPAIGN = re.compile(r"['‘\"“](?P<name>[A-Z][\w'’-]*(?: [\w'’-]+){0,5})['’\"”] (?:campaign|slate|group|movement)\b")
# A local campaign named for what it would save: 'the Save Bolton Libraries campaign',
# 'campaign group Save Our Parks said'.
_SAVE_CAMPAIGN = re.compile(
    r"(?:(?<=campaign group )|(?<=campaigners from )|(?<=campaigners at )|\b)"
    r"(?P<name>Save (?:Our |the )?[A-Z][\w-]*(?:['’]s)?(?: [A-Z][\w-]*(?:['’]s)?){0,3})"
    r"(?=\s+(?:campaign|campaigners|group|said|says|told|added)\b)"
)


def discover_organisations(text: str, taken: Occupied) -> list[tuple[int, int, str, str]]:
    """Universities, councils and local Labour parties the knowledge base does not know,
    by their name shape ('University of Leeds', 'Rochdale Borough Council', 'Holborn and
    St Pancras Constituency Labour Party')."""
    found = []
    for pattern, kind in ((_UNIVERSITY, "other"), (_LOCAL_PARTY, "party_body"), (_COUNCIL, "parliament")):
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind in ("parliament", "party_body"):
                place = match["place"].split()
                while place and place[0] in NOT_PLACES | names.SENTENCE_STARTERS:
                    place.pop(0)
                if not place:
                    continue
                start = match.start() + match.group(0).index(place[0])
            if taken.overlaps(start, end):
                continue
            found.append((start, end, text[start:end], kind))
    for pattern, kind in ((_CAMPAIGN, "faction"), (_SAVE_CAMPAIGN, "other")):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if not taken.overlaps(start, end):
                found.append((start, end, match["name"], kind))
    return found


# ------------------------------------------------------------------ the whole article


def extract_entities(
    headline: str,
    body: str,
    furniture: str,
    gazetteer: Gazetteer,
    *,
    captions: str = "",
    discover: bool = True,
    on: datetime.date | None = None,
) -> list[FoundEntity]:
    """Everything named in the headline, body and photo captions (and, flagged as
    boilerplate only, in the furniture), with counts, first offsets and the rule that
    matched each. ``on``, the article's date, chooses between people who share a name."""
    hits: list[Hit] = []
    full_people: dict[str, str] = {}  # key -> name, people named in full outside the furniture
    segments = [
        ("headline", normalise(headline)),
        ("body", normalise(body)),
        ("caption", normalise(captions)),
        ("furniture", normalise(furniture)),
    ]

    surname_hits: list[tuple[str, int, int, AliasEntry]] = []
    weak_hits: list[Hit] = []
    for segment, text in segments:
        taken = Occupied(len(text))
        for start, end, entry, weak in match_gazetteer(text, gazetteer, segment, on):
            entity = gazetteer.entities[entry.key]
            if entry.rule == "surname":
                # A surname alone may belong to a namesake named in full ("Simon Ashdown").
                surname_hits.append((segment, start, end, entry))
                continue
            taken.add(start, end)
            hit = Hit(entity.key, entity.name, entity.kind, start, end, text[start:end], _rule(entry), segment)
            (weak_hits if weak else hits).append(hit)
            if entity.kind == PERSON and segment != "furniture" and " " in text[start:end].strip():
                full_people[entity.key] = entity.name
        if discover and segment != "furniture":
            for start, end, name, org_kind in discover_organisations(text, taken):
                hits.append(
                    Hit(
                        "neworg:" + name,
                        name,
                        ORGANISATION,
                        start,
                        end,
                        name,
                        "name shape: " + org_kind,
                        segment,
                        org_kind,
                    )
                )
                taken.add(start, end)
            peers = discover_peers(text, taken)
            for start, end, _, _ in peers:
                taken.add(start, end)
            for start, end, name, rule in peers + discover_people(text, taken, segment, gazetteer.first_names):
                key = "new:" + name
                hits.append(Hit(key, name, PERSON, start, end, text[start:end], rule, segment))
                full_people[key] = name
                taken.add(start, end)

    # Surname aliases of famous people, unless a namesake is named in full in the article.
    by_surname: dict[str, list[str]] = {}
    for key, name in full_people.items():
        by_surname.setdefault(names.split_name(name)[1], []).append(key)
    for segment, start, end, entry in surname_hits:
        surname = entry.text
        namesakes = by_surname.get(surname, [])
        key = namesakes[0] if namesakes else entry.key
        name = full_people.get(key) or gazetteer.entities[key].name
        rule = "surname of a person named in full" if namesakes else f"surname alias: {surname}"
        hits.append(Hit(key, name, PERSON, start, end, surname, rule, segment))
        if segment != "furniture" and not namesakes:
            full_people.setdefault(key, name)

    _merge_surname_only_discoveries(hits, full_people)
    hits.extend(ballot_labels(dict(segments), hits, gazetteer))
    _national_parties(hits, gazetteer)
    named_elsewhere = {h.key for h in hits if h.segment != "furniture"}
    hits.extend(h for h in weak_hits if h.key in named_elsewhere)
    hits.extend(_coreference(segments, hits, full_people))
    return _aggregate(hits, gazetteer)


BALLOT_LABELS_FILE = names.DATA_DIR / "ballot_labels.yaml"


@functools.lru_cache(maxsize=1)
def _ballot_labels() -> dict[str, str]:
    data = yaml.safe_load(BALLOT_LABELS_FILE.read_text(encoding="utf-8"))
    return {str(label): slug for slug, labels in data.items() for label in labels}


_BRACKETED = re.compile(r"[ \t]*\(([^()\n]{1,20})\)")


def ballot_labels(texts: dict[str, str], hits: list[Hit], gazetteer: Gazetteer) -> list[Hit]:
    """Parties named by a result list's or ballot's label in brackets after a person's
    name: 'Aidan King (LD) – 25,485' names the Liberal Democrats (``ballot_labels.yaml``)."""
    labels = _ballot_labels()
    found = []
    for hit in hits:
        if hit.kind != PERSON or hit.segment == "furniture":
            continue
        text = texts[hit.segment]
        bracket = _BRACKETED.match(text, hit.end)
        slug = labels.get(bracket.group(1).strip()) if bracket else None
        party = gazetteer.entities.get(slug) if slug else None
        if party is not None:
            start, end = bracket.span(1)
            found.append(
                Hit(
                    party.key,
                    party.name,
                    party.kind,
                    start,
                    end,
                    text[start:end],
                    "ballot label after a name",
                    hit.segment,
                )
            )
    return found


# In a Scottish story "the Greens" are the Scottish Greens, a separate party from the
# Green Party of England and Wales: (generic party, national party, what makes a story
# national: it names Holyrood or the Scottish Government; the SNP alone is named in
# UK-wide stories too).
NATIONAL_PARTIES = [
    (
        "green-party-of-england-and-wales",
        "scottish-greens",
        {"scottish-parliament", "scottish-government"},
    ),
]


def _national_parties(hits: list[Hit], gazetteer: Gazetteer) -> None:
    named = {h.key for h in hits if h.segment != "furniture"}
    for generic, national, context in NATIONAL_PARTIES:
        if generic in named and national in gazetteer.entities and named & context:
            full_name = gazetteer.entities[generic].name
            for hit in hits:
                if hit.key == generic and hit.matched != full_name:
                    hit.key, hit.name = national, gazetteer.entities[national].name
                    hit.rule += " (in a story about Scotland)"


def _merge_surname_only_discoveries(hits: list[Hit], full_people: dict[str, str]) -> None:
    """'Ms Ní Chathail' found by its honorific is Órlaith Ní Chathail, named in full."""
    by_surname = {}
    for key, name in full_people.items():
        first, surname = names.split_name(name)
        if first:
            by_surname.setdefault(surname, set()).add(key)
    for hit in hits:
        owners = by_surname.get(hit.name, set()) - {hit.key}
        if hit.key.startswith("new:") and len(owners) == 1:
            owner = owners.pop()
            full_people.pop(hit.key, None)
            hit.key, hit.name, hit.rule = owner, full_people[owner], "surname of a person named in full"


def _rule(entry: AliasEntry) -> str:
    namesake = f"; of people with this name, the one in office nearest {entry.chosen_on}" if entry.chosen_on else ""
    guarded = " (guarded)" if entry.guarded else ""
    if entry.rule == "name":
        return f"canonical name{guarded}{namesake}"
    return f"alias: {entry.text}{guarded}{namesake}"


def _coreference(segments, hits: list[Hit], full_people: dict[str, str]) -> list[Hit]:
    """Surnames, honorific references and first names of people named in full."""
    surname_owner: dict[str, str] = {}
    first_name_owner: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, name in full_people.items():
        first, surname = names.split_name(name)
        for table, token in ((surname_owner, surname), (first_name_owner, first)):
            if not token:
                continue
            if token in table and table[token] != key:
                ambiguous.add(token)
            table[token] = key
    extra: list[Hit] = []
    for segment, text in segments:
        if segment == "furniture":
            continue
        covered = Occupied(len(text), ((h.start, h.end) for h in hits if h.segment == segment))
        for token, owner_table, rule in (
            *((s, surname_owner, "surname") for s in surname_owner),
            *((f, first_name_owner, "first name") for f in first_name_owner),
        ):
            if token in ambiguous or token in names.NOT_NAME_TOKENS:
                continue
            for start, end in _standalone(text, token):
                if start in covered:
                    continue
                key = owner_table[token]
                extra.append(
                    Hit(key, full_people[key], PERSON, start, end, token, f"{rule} of a person named in full", segment)
                )
                covered.add(start, end)
    return extra


def _standalone(text: str, token: str):
    """(start, end) of each place ``token`` stands as a word of its own (not inside
    another word, not an @handle), as ``(?<![\\w@])token(?!\\w)`` would find them, found
    with ``str.find`` instead of one compiled pattern per name per article."""
    start = text.find(token)
    while start != -1:
        end = start + len(token)
        before, after = text[start - 1 : start] if start else "", text[end : end + 1]
        if not (before == "@" or _is_word_char(before)) and not _is_word_char(after):
            yield start, end
            start = text.find(token, end)
        else:
            start = text.find(token, start + 1)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


SEGMENT_ORDER = {"headline": 0, "body": 1, "caption": 2, "furniture": 3}


def _aggregate(hits: list[Hit], gazetteer: Gazetteer) -> list[FoundEntity]:
    found: dict[str, FoundEntity] = {}
    for hit in sorted(hits, key=lambda h: (SEGMENT_ORDER[h.segment], h.start)):
        entity = gazetteer.entity(hit.key)
        item = found.get(hit.key)
        if item is None:
            item = found[hit.key] = FoundEntity(
                key=hit.key,
                name=hit.name,
                kind=hit.kind,
                org_kind=entity.org_kind if entity else hit.org_kind,
                first_offset=hit.start if hit.segment == "body" else 0,
                matched_text=hit.matched,
                rule=hit.rule,
                is_new=entity is None,
                parties=entity.parties if entity else frozenset(),
                roles=entity.roles if entity else (),
            )
        item.hits.append(hit)
        if hit.segment == "furniture":
            continue
        if item.boilerplate_only:
            # The first mention outside the furniture is the one that explains it.
            item.first_offset = hit.start if hit.segment == "body" else 0
            item.matched_text, item.rule = hit.matched, hit.rule
        item.boilerplate_only = False
        item.count += 1
        item.in_headline = item.in_headline or hit.segment == "headline"
    # A discovered name that is only ever a first name or surname reference is no person.
    return [item for item in found.values() if not (item.is_new and item.boilerplate_only)]
