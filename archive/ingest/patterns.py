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


def top_level_branches(pattern: str) -> list[str]:
    """``a|b(c|d)`` -> ``['a', 'b(c|d)']``: the alternatives outside any group or class."""
    branches, current, depth, in_class, i = [], "", 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        step = 2 if char == "\\" else 1
        if char == "\\":
            pass
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            branches.append(current)
            current, i = "", i + 1
            continue
        current += pattern[i : i + step]
        i += step
    return [*branches, current]


_PLAIN = re.compile(r"[\w '’,:&/@-]")


def required_text(pattern: str) -> str:
    """The longest run of plain characters, lower case, that every match of ``pattern``
    contains; '' when there is none of three or more, or the pattern has alternatives at
    its top level. Text in a group counts only where the group is plain ('(?:from )',
    '(?i:more from )': no alternatives, no quantifier, no lookaround); a character a
    quantifier makes optional ('s?', 'x*', 'y{0,2}') ends a run without belonging to it."""
    if len(top_level_branches(pattern)) > 1:
        return ""
    branch = _unwrap_plain_groups(pattern)
    runs, run, depth, in_class, i = [], "", 0, False, 0
    while i < len(branch):
        char, i = branch[i], i + 1
        literal = ""
        if char == "\\":
            escaped, i = branch[i : i + 1], i + 1
            if escaped in ("u", "x", "N"):
                i = len(branch) if escaped == "N" else i + (4 if escaped == "u" else 2)
            elif escaped and not escaped.isalnum():
                literal = escaped
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "{":
            i = branch.find("}", i) + 1 or len(branch)
        elif _PLAIN.fullmatch(char):
            literal = char
        if literal and depth == 0 and not in_class and branch[i : i + 1] not in ("?", "*", "{"):
            run += literal
            if branch[i : i + 1] != "+":
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
    stack: list[tuple[int, int, bool]] = []  # (open position, content start, has '|')
    in_class, i = False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            prefix = _GROUP_OPENING.match(pattern, i).group(0)
            # Lookarounds, named groups and conditionals keep their parentheses.
            stack.append((i, i + len(prefix), prefix == "(?"))
            i += len(prefix)
            continue
        elif char == "|" and stack:
            start, content, _ = stack[-1]
            stack[-1] = (start, content, True)
        elif char == ")" and stack:
            start, content, opaque = stack.pop()
            if not opaque and pattern[i + 1 : i + 2] not in ("?", "*", "+", "{"):
                drop.update(range(start, content))
                drop.add(i)
        i += 1
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
