"""The query language of the search box, parsed by us (docs/query-language.md).

Pure: text in, a tree out, no database. ``parse(text)`` returns a ``Parsed`` with the
tree, the notices to show, and the query as searched (cut to the caps). ``to_sq`` turns
the tree into Haystack ``SQ`` objects; the only values that reach the engine are words
made of letters and digits, slugs, and dates, so nothing the user types is read by the
engine as syntax.

    words            all must match (AND is implied; writing AND is allowed)
    "exact phrase"   the words in order; "a b"~5 in order, at most five words apart
    a OR b           either; OR binds tighter than the space: `x a OR b` is x AND (a OR b)
    NOT a, -a        must not match
    ( )              grouping
    person: party: org: source: quotedby:   a name, alias or slug (quoted when it has spaces)
    author: title:   words in the byline or the headline
    from: to:        2025, 2025-04 or 2025-04-11; year:2024
    members:then     party: also finds articles mentioning anyone who was a member then

Bounded work: the text is capped at MAX_QUERY_CHARS before it is read (the form says
so), brackets deeper than MAX_DEPTH are refused, and a query with more than MAX_TERMS
terms is cut to its first MAX_TERMS, with a notice. Everything is linear in the text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_TERMS = 30
MAX_DEPTH = 8
MAX_SLOP = 50

ENTITY_FIELDS = {"person": "person", "party": "party", "org": "organisation", "source": "source", "quotedby": "person"}
TEXT_FIELDS = {"author", "title"}
DATE_FIELDS = {"from", "to", "year"}
FIELDS = {*ENTITY_FIELDS, *TEXT_FIELDS, *DATE_FIELDS, "members"}
FIELD_LIST = "person:, party:, org:, source:, quotedby:, author:, title:, from:, to:, year:, members:then"

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<phrase>"(?P<phrase_text>[^"]*)(?:"|$)(?:~(?P<slop>\d{1,6}))?)
  | (?P<field>(?P<name>[A-Za-z]+):(?:"(?P<quoted>[^"]*)(?:"|$)|(?P<bare>[^\s()"]+)))
  | (?P<neg>-(?=[^\s-]))
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


class QueryError(ValueError):
    """A query we will not run, with a message for the person who typed it."""


def words_of(text: str) -> tuple[str, ...]:
    """The searchable pieces of a word or phrase: runs of letters and digits."""
    return tuple(re.findall(r"\w+", text.replace("’", "").replace("'", "")))


# ----------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Word:
    text: str

    @property
    def pieces(self) -> tuple[str, ...]:
        return words_of(self.text)

    def to_query(self) -> str:
        return self.text


@dataclass(frozen=True)
class Phrase:
    text: str
    slop: int | None = None

    @property
    def pieces(self) -> tuple[str, ...]:
        return words_of(self.text)

    def to_query(self) -> str:
        return f'"{self.text}"' + (f"~{self.slop}" if self.slop else "")


@dataclass(frozen=True)
class Field:
    name: str  # lower case, one of FIELDS
    value: str

    def to_query(self) -> str:
        value = f'"{self.value}"' if re.search(r'[\s()"]', self.value) or not self.value else self.value
        return f"{self.name}:{value}"


@dataclass(frozen=True)
class Not:
    node: object

    def to_query(self) -> str:
        inner = self.node.to_query()
        return f"-{inner}" if isinstance(self.node, (Word, Phrase, Field)) else f"NOT ({inner})"


@dataclass(frozen=True)
class Or:
    items: tuple

    def to_query(self) -> str:
        return " OR ".join(f"({i.to_query()})" if isinstance(i, And) else i.to_query() for i in self.items)


@dataclass(frozen=True)
class And:
    items: tuple

    def to_query(self) -> str:
        return " ".join(i.to_query() for i in self.items)


LEAVES = (Word, Phrase, Field)


@dataclass
class Parsed:
    tree: object | None  # None: nothing to search for in the text
    notices: list[str] = field(default_factory=list)
    terms: int = 0

    @property
    def parts(self) -> list:
        """The top-level parts, each of which must match: what the chips show and remove."""
        if self.tree is None:
            return []
        return list(self.tree.items) if isinstance(self.tree, And) else [self.tree]

    @property
    def query(self) -> str:
        """The query as searched: normalised, and cut when it was too long."""
        return self.tree.to_query() if self.tree is not None else ""

    def fields(self, *names) -> list[Field]:
        """The top-level fields with these names (filters that apply to the whole query)."""
        return [p for p in self.parts if isinstance(p, Field) and p.name in names]

    def without(self, index: int) -> str:
        """The query text without its ``index``-th top-level part (a chip's remove link)."""
        return " ".join(p.to_query() for i, p in enumerate(self.parts) if i != index)


# ----------------------------------------------------------------------------- reading


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind in ("phrase_text", "slop"):
            kind = "phrase"
        if kind == "phrase":
            slop = match.group("slop")
            tokens.append(("leaf", Phrase(match.group("phrase_text").strip(), int(slop) if slop else None)))
        elif kind in ("field", "name", "quoted", "bare"):
            name = match.group("name").lower()
            value = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
            if name in FIELDS:
                tokens.append(("leaf", Field(name, (value or "").strip())))
            else:
                tokens.append(("unknown-field", (name, value or "")))
        elif kind == "word" and match.group(0) in ("AND", "OR", "NOT"):
            tokens.append((match.group(0), None))
        elif kind == "word":
            tokens.append(("leaf", Word(match.group(0))))
        else:  # open, close, neg
            tokens.append((kind, None))
    return tokens


class _Reader:
    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0

    def peek(self):
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.at]
        self.at += 1
        return token

    def conjunction(self, depth: int):
        items = []
        while self.peek() is not None and (self.peek() != "close" or depth == 0):
            if self.peek() in ("AND", "OR") or self.peek() == "close":
                # AND is the default; a stray OR joins nothing; an unmatched ")" is ignored.
                self.take()
                continue
            node = self.disjunction(depth)
            if node is not None:
                items.append(node)
        return _join(And, items)

    def disjunction(self, depth: int):
        items = [self.unary(depth)]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, "close", "AND", "OR"):
                break
            items.append(self.unary(depth))
        return _join(Or, [i for i in items if i is not None])

    def unary(self, depth: int):
        kind = self.peek()
        if kind in ("NOT", "neg"):
            self.take()
            if self.peek() in (None, "close", "AND", "OR"):
                return None
            node = self.unary(depth)
            return Not(node) if node is not None and not isinstance(node, Not) else (node.node if node else None)
        if kind == "open":
            self.take()
            if depth + 1 > MAX_DEPTH:
                raise QueryError(f"Brackets are nested more than {MAX_DEPTH} deep; simplify the query.")
            node = self.conjunction(depth + 1)
            if self.peek() == "close":
                self.take()
            return node
        if kind == "close":  # an unmatched ")" is ignored
            self.take()
            return None
        _, value = self.take()
        return value


def _join(kind, items):
    items = [i for i in items if i is not None]
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    flat = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else [item])
    # "x x" is "x" (and "x OR x" too): a repeated term costs the engine again for nothing
    # (fifteen times "labour party" is fifteen phrase searches).
    flat = list(dict.fromkeys(flat))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def parse(text: str) -> Parsed:
    """Read a query. Raises QueryError for a query we refuse (too long, too deep)."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is {len(text)} characters long; the most is {MAX_QUERY_CHARS}.")
    notices = []
    tokens = []
    for kind, value in _tokens(text):
        if kind == "unknown-field":
            name, rest = value
            notices.append(f"“{name}:” is not a search field, so “{rest}” was searched as words. Fields: {FIELD_LIST}.")
            kind, value = "leaf", Word(rest) if rest else None
            if value is None:
                continue
        if kind == "leaf" and isinstance(value, (Word, Phrase)) and not value.pieces:
            continue  # punctuation alone (*, ~, ^2, {}) searches for nothing
        tokens.append((kind, value))
    leaves = [i for i, (kind, _) in enumerate(tokens) if kind == "leaf"]
    if len(leaves) > MAX_TERMS:
        notices.append(f"The query has {len(leaves)} terms; only the first {MAX_TERMS} were searched.")
        tokens = tokens[: leaves[MAX_TERMS - 1] + 1]
    tree = _Reader(tokens).conjunction(0)
    for node in _walk(tree):
        if isinstance(node, Phrase) and node.slop and node.slop > MAX_SLOP:
            raise QueryError(f"A proximity of ~{node.slop} is too wide; the most is ~{MAX_SLOP}.")
    return Parsed(tree, notices, min(len(leaves), MAX_TERMS))


def _walk(node):
    if node is None:
        return
    yield node
    for child in getattr(node, "items", ()):
        yield from _walk(child)
    if isinstance(node, Not):
        yield from _walk(node.node)


def leaves(node) -> list:
    return [n for n in _walk(node) if isinstance(n, LEAVES)]


# ----------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateBound:
    """A year, month or day typed as a bound, read as its first or last day."""

    text: str
    date: datetime.date
    precision: str  # year, month, day


def read_date(text: str, *, end: bool, label: str) -> DateBound:
    """'2025', '2025-04' or '2025-04-11'; ``label`` names the field in messages ('from')."""
    from archive.ingest.dates import parse_partial_date

    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", text):
        raise QueryError(
            f"The '{label}' date “{text}” is not a date: use a year, a month or a day, like 2025, 2025-04 or 2025-04-11."
        )
    try:
        date = parse_partial_date(text, end=end)
    except ValueError as exc:
        raise QueryError(f"The '{label}' date “{text}” does not exist.") from exc
    precision = {0: "year", 1: "month", 2: "day"}[text.count("-")]
    return DateBound(text, date, precision)


def describe_dates(start: DateBound | None, end: DateBound | None) -> str:
    """'from January to April 2025', 'in 2024', 'from 3 March 2025', 'until May 2025'."""

    def say(bound: DateBound, with_year=True) -> str:
        if bound.precision == "year":
            return str(bound.date.year)
        fmt = {"month": "%B", "day": "%-d %B"}[bound.precision]
        return bound.date.strftime(fmt + (" %Y" if with_year else ""))

    if start and end:
        if start.text == end.text:
            return ("in " if start.precision != "day" else "on ") + say(start)
        same_year = start.date.year == end.date.year and start.precision != "year" and end.precision != "year"
        return f"from {say(start, with_year=not same_year)} to {say(end)}"
    if start:
        return f"from {say(start)}"
    if end:
        return f"until {say(end)}"
    return ""
