"""Guards on regular expressions: the plain text a pattern needs, tested before it searches."""

from pathlib import Path

import pytest

from archive.ingest import clean
from archive.ingest.patterns import Guarded, required_text, top_level_branches

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bwe value your privacy\b", "we value your privacy"),
        (r"\bcookies?\b.*\b(accept|consent)\b", "cookie"),  # the optional 's' is not needed
        (r"\b(we|this (web)?site) uses? cookies\b", " cookies"),
        (r"(?i:\bmore from )(Daily (?:Mail|Record))\b", "more from daily "),  # plain groups count
        (r"\bwe'?d love to keep you updated\b", "d love to keep you updated"),
        (r"\bsign in\b.{0,20}$", "sign in"),  # a quantifier's digits are not text
        (r"\[email(\s|\u00a0)*protected\]", "protected]"),
        (r"^(?i:source):\s*(BBC|ITV)\s*$", "source:"),
        (r"(?<!\w)(?:abc)(?=x)", "abc"),  # lookarounds are not text the match contains
        (r"(?:ab)?cd", ""),  # an optional group's text is not needed, and 'cd' is too short
        (r"^(share|tweet|email)$", ""),
        (r"\bnews\b|\bprivacy policy\b", ""),  # alternatives at the top: nothing is needed by both
    ],
)
def test_required_text_is_the_longest_plain_run_every_match_contains(pattern, needed):
    assert required_text(pattern) == needed


def test_top_level_branches_split_only_outside_groups_and_classes():
    assert top_level_branches(r"^a(b|c)|[|x]d|\|e") == [r"^a(b|c)", "[|x]d", r"\|e"]


def test_a_guarded_pattern_skips_text_without_its_plain_part():
    guarded = Guarded.compile(r"\bwe value your privacy\b", 0)
    assert guarded.search("We value your privacy", "we value your privacy") is None  # case as compiled
    text = "Notice: we value your privacy."
    assert guarded.search(text, text.lower()).group(0) == "we value your privacy"
    assert guarded.search("nothing here", "nothing here") is None


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="extraction fixtures missing")
def test_every_furniture_rule_finds_the_same_lines_with_its_guard_as_without():
    lines = {
        line.strip()
        for page in FIXTURES.rglob("*.txt")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert len(lines) > 1000
    matched = 0
    for branch in clean.FURNITURE_LINE.branches:
        for line in lines:
            plain = branch.pattern.search(line)
            assert bool(branch.search(line, line.lower())) == bool(plain), (branch.pattern.pattern, line)
            matched += bool(plain)
    assert matched > 50  # the comparison saw lines the rules do match
