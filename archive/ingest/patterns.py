"""Cheap guards for regular expressions searched over whole lines and pages.

Python's engine tries a pattern at every position of the text, so a rule such as
``\\bwe value your privacy\\b`` costs tens of microseconds a paragraph even where the page
never says "privacy". Most rules must contain some plain text; a ``Guarded`` pattern tests
that the text contains it (a substring test, in lower case) before it searches. The guard
is derived from the pattern itself, so a rule is written once, as a regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Guarded:
    """A compiled pattern and the lower-case text every match of it contains ('' if none)."""

    needed: str
    pattern: re.Pattern

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Guarded:
        return cls(required_text(pattern), re.compile(pattern, flags))

    def search(self, text: str, folded: str) -> re.Match | None:
        """``pattern.search(text)``; ``folded`` is ``text.lower()``, made once by the caller."""
        return self.pattern.search(text) if self.needed in folded else None


def _pieces(pattern: str):
    """(offset, piece, depth, in_class) for each piece of a pattern: an escape ('\\b',
    '\\u00a0'), a repeat count ('{0,3}') or one character; ``depth`` counts the groups
    around it (a parenthesis itself counts as outside its group) and ``in_class`` says
    whether it stands in a character class."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            size = {"u": 6, "x": 4}.get(pattern[i + 1 : i + 2], 2)
        elif char == "{" and not in_class and "}" in pattern[i:]:
            size = pattern.index("}", i) + 1 - i
        else:
            size = 1
        if char == ")" and not in_class:
            depth -= 1
        yield i, pattern[i : i + size], depth, in_class
        if size == 1:
            if in_class:
                in_class = char != "]"
            elif char == "[":
                in_class = True
            elif char == "(":
                depth += 1
        i += size


def top_level_branches(pattern: str) -> list[str]:
    """``a|b(c|d)`` -> ``['a', 'b(c|d)']``: the alternatives outside any group or class."""
    cuts = [i for i, piece, depth, in_class in _pieces(pattern) if piece == "|" and depth == 0 and not in_class]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[start + 1 : end] for start, end in zip(bounds, bounds[1:], strict=False)]


_PLAIN = re.compile(r"[\w '’,:&/@-]")
_OPTIONAL = ("?", "*", "{")  # what makes the piece before it optional


def required_text(pattern: str) -> str:
    """The longest run of plain characters, lower case, that every match of ``pattern``
    contains; '' when there is none of three or more, or the pattern has alternatives at
    its top level. Text in a group counts only where the group is plain ('(?:from )',
    '(?i:more from )': no alternatives, no quantifier, no lookaround); a character a
    quantifier makes optional ('s?', 'x*', 'y{0,2}') ends a run without belonging to it."""
    if len(top_level_branches(pattern)) > 1:
        return ""
    pieces = [(piece, depth, in_class) for _, piece, depth, in_class in _pieces(_unwrap_plain_groups(pattern))]
    runs, run = [], ""
    for index, (piece, depth, in_class) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
        if len(piece) == 2 and piece[0] == "\\" and not piece[1].isalnum():
            literal = piece[1]  # an escaped character: '\.', '\['
        else:
            literal = piece if _PLAIN.fullmatch(piece) else ""
        if literal and depth == 0 and not in_class and not following.startswith(_OPTIONAL):
            run += literal
            if following != "+":
                continue
        runs.append(run)
        run = ""
    runs.append(run)
    longest = max(runs, key=len).lower()
    return longest if len(longest) >= 3 else ""


_GROUP_OPENING = re.compile(r"\((?:\?(?:[aiLmsux-]*:)?)?")


def _unwrap_plain_groups(pattern: str) -> str:
    """``(?i:\\bmore from )(x|y)`` -> ``\\bmore from (x|y)``: the parentheses of groups whose
    text must appear as written (no alternatives, no quantifier after, not a lookaround)
    removed, so that ``required_text`` reads their text."""
    drop: set[int] = set()
    stack: list[list] = []  # [open offset, content offset, opaque] of each open group
    for i, piece, _depth, in_class in _pieces(pattern):
        if in_class:
            continue
        if piece == "(":
            prefix = _GROUP_OPENING.match(pattern, i).group(0)
            # Lookarounds, named groups and conditionals keep their parentheses.
            stack.append([i, i + len(prefix), prefix == "(?"])
        elif piece == "|" and stack:
            stack[-1][2] = True
        elif piece == ")" and stack:
            start, content, opaque = stack.pop()
            if not opaque and pattern[i + 1 : i + 2] not in (*_OPTIONAL, "+"):
                drop.update(range(start, content))
                drop.add(i)
    return "".join(char for position, char in enumerate(pattern) if position not in drop)


def trie_alternation(words) -> str:
    """A regular expression matching exactly ``words``, written as a trie ("Daily (?:Mail|
    Record)") so that the engine tests one character per branch instead of a thousand
    names at every position of a page. Where several words match at the same place the
    longest is tried first, as in an alternation sorted longest first, so every match
    and every group is the same as that alternation's."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer words first, then this one
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return pattern(trie)
