"""The query language parser: pure, no database."""

import pytest

from archive.search.language import (
    MAX_DEPTH,
    MAX_TERMS,
    And,
    Field,
    Not,
    Or,
    Phrase,
    QueryError,
    Word,
    describe_dates,
    parse,
    read_date,
)


def tree(text):
    return parse(text).tree


def test_words_are_all_required():
    assert tree("welfare cuts") == And((Word("welfare"), Word("cuts")))
    assert tree("welfare AND cuts") == tree("welfare cuts")


def test_or_binds_tighter_than_the_space_between_words():
    assert tree("Polanski OR Rayner") == Or((Word("Polanski"), Word("Rayner")))
    assert tree("welfare Polanski OR Rayner") == And((Word("welfare"), Or((Word("Polanski"), Word("Rayner")))))


def test_not_and_minus_exclude():
    assert tree("Reform NOT Labour") == And((Word("Reform"), Not(Word("Labour"))))
    assert tree("Reform -Labour") == tree("Reform NOT Labour")


def test_lower_case_operators_are_words():
    assert tree("reform or labour") == And((Word("reform"), Word("or"), Word("labour")))


def test_phrases_and_proximity():
    assert tree('"welfare bill"') == Phrase("welfare bill")
    assert tree('"starmer rayner"~5') == Phrase("starmer rayner", 5)


def test_parentheses_group():
    assert tree("(Polanski OR Rayner) welfare") == And((Or((Word("Polanski"), Word("Rayner"))), Word("welfare")))
    assert tree("NOT (a OR b)") == Not(Or((Word("a"), Word("b"))))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("person:starmer", Field("person", "starmer")),
        ('person:"Keir Starmer"', Field("person", "Keir Starmer")),
        ("PERSON:keir-starmer", Field("person", "keir-starmer")),
        ("party:labour", Field("party", "labour")),
        ('org:"the NEC"', Field("org", "the NEC")),
        ("quotedby:rahman", Field("quotedby", "rahman")),
        ("from:2025-01", Field("from", "2025-01")),
        ("year:2024", Field("year", "2024")),
        ("members:then", Field("members", "then")),
    ],
)
def test_field_prefixes(text, field):
    assert tree(text) == field


def test_an_unknown_field_prefix_is_searched_as_words_with_a_notice():
    parsed = parse("people:mish-rahman")

    assert parsed.tree == Word("mish-rahman")
    assert parsed.notices[0].startswith("“people:” is not a search field")


def test_the_query_reads_back_as_it_was_meant():
    text = '(Polanski OR Rayner) -Labour "welfare bill"~5 person:"Keir Starmer" from:2025-01'

    assert parse(parse(text).query).tree == parse(text).tree


def test_without_removes_one_top_level_part():
    parsed = parse("welfare person:starmer -Labour")

    assert parsed.without(1) == "welfare -Labour"
    assert parsed.without(2) == "welfare person:starmer"


@pytest.mark.parametrize("text", ["", "   ", "*", "~", "^2", "{}[]", "\\", "AND", "OR OR", "NOT", "(((", ")))", '"'])
def test_odd_input_parses_to_nothing_or_words_without_error(text):
    parsed = parse(text)

    assert parsed.tree is None or parsed.query


def test_unbalanced_brackets_and_quotes_are_tolerated():
    assert tree("(welfare cuts") == And((Word("welfare"), Word("cuts")))
    assert tree('"welfare cuts') == Phrase("welfare cuts")
    assert tree("welfare) cuts") == And((Word("welfare"), Word("cuts")))


def test_brackets_too_deep_are_refused_with_a_message():
    parse("(" * MAX_DEPTH + "x")

    with pytest.raises(QueryError, match="nested more than 8 deep"):
        parse("(" * (MAX_DEPTH + 1) + "x")


def test_too_many_terms_are_cut_to_the_cap_with_a_notice():
    parsed = parse(" ".join(f"w{i}" for i in range(100)))

    assert parsed.terms == MAX_TERMS
    assert parsed.query == " ".join(f"w{i}" for i in range(MAX_TERMS))
    assert parsed.notices == ["The query has 100 terms; only the first 30 were searched."]


def test_too_long_is_refused_before_it_is_read():
    with pytest.raises(QueryError, match="the most is 500"):
        parse("a" * 501)


def test_a_wide_proximity_is_refused():
    with pytest.raises(QueryError, match="too wide"):
        parse('"a b"~999')


@pytest.mark.parametrize(
    "text",
    [
        "(" * 499,
        "a* " * 166,
        "person:x " * 55,
        '"' * 500,
        "NOT " * 125,
        "-" * 500,
        "a OR " * 100,
        "x:" * 250,
    ],
)
def test_hostile_queries_parse_or_get_a_message_never_another_error(text):
    try:
        parsed = parse(text)
    except QueryError as exc:
        assert str(exc)
    else:
        assert parsed.terms <= MAX_TERMS


def test_dates_read_years_months_and_days():
    assert str(read_date("2025", end=False, label="from").date) == "2025-01-01"
    assert str(read_date("2025-02", end=True, label="to").date) == "2025-02-28"
    with pytest.raises(QueryError, match="The 'from' date “2025-13” does not exist."):
        read_date("2025-13", end=False, label="from")
    with pytest.raises(QueryError, match="The 'to' date “April” is not a date"):
        read_date("April", end=True, label="to")


def test_dates_described_in_plain_english():
    def bound(text, end=False):
        return read_date(text, end=end, label="from")

    assert describe_dates(bound("2025-01"), bound("2025-04", True)) == "from January to April 2025"
    assert describe_dates(bound("2024"), bound("2024", True)) == "in 2024"
    assert describe_dates(bound("2025-03-03"), None) == "from 3 March 2025"
    assert describe_dates(None, bound("2025-05", True)) == "until May 2025"
    assert describe_dates(bound("2024-11"), bound("2025-02", True)) == "from November 2024 to February 2025"


def test_a_repeated_term_is_searched_once():
    assert tree("labour labour party labour") == And((Word("labour"), Word("party")))
    assert tree("labour OR labour") == Word("labour")
    assert parse('"labour party" ' * 20).query == '"labour party"'
