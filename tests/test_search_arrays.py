"""Queries answered with arrays (archive/search/arrays.py) find the documents Whoosh's
own matchers find, with Whoosh's scores, on an index of several segments with a
deletion; what they cannot answer is left to Whoosh."""

import random

import pytest
from whoosh import formats, query
from whoosh.qparser import QueryParser

from archive.search import arrays
from archive.search.backend import AllHitsTopCollector, Budget, BudgetQuery, LengthTableBM25F

WORDS = ["rail", "budget", "council", "strike", "vote", "union", "tax", "school", "absent"]


def random_query(chance: random.Random, depth: int = 0) -> str:
    if depth > 2 or chance.random() < 0.35:
        word = chance.choice(WORDS)
        return word + (f"^{chance.choice([2, 0.5])}" if chance.random() < 0.15 else "")
    operator = chance.choice([" AND ", " OR ", " AND NOT "])
    parts = [random_query(chance, depth + 1) for _ in range(chance.randint(2, 3))]
    if operator == " AND NOT ":
        return f"({parts[0]} AND NOT {parts[1]})"
    return "(" + operator.join(parts) + ")"


def whoosh_hits(searcher, parsed) -> dict[int, float]:
    collector = AllHitsTopCollector(10_000)
    searcher.search_with_collector(parsed, collector)
    return {hit.docnum: hit.score for hit in collector.results()}


def test_terms_and_or_not_find_whooshs_documents_with_its_scores(segmented_index):
    chance = random.Random(3)
    parser = QueryParser("body", segmented_index.schema)
    with segmented_index.searcher(weighting=LengthTableBM25F()) as searcher:
        assert len(searcher.leaf_searchers()) == 3
        answered = 0
        for _ in range(150):
            text = random_query(chance)
            parsed = parser.parse(text)
            found = arrays.evaluate(parsed, searcher)
            if found is None:
                continue
            answered += 1
            expected = whoosh_hits(searcher, parsed)
            assert found.ids.tolist() == sorted(expected), text
            assert found.scores.tolist() == pytest.approx([expected[n] for n in found.ids.tolist()], rel=1e-12), text
    assert answered > 120


def test_the_top_hits_are_whooshs_in_whooshs_order(segmented_index):
    parser = QueryParser("body", segmented_index.schema)
    with segmented_index.searcher(weighting=LengthTableBM25F()) as searcher:
        for text in ["rail", "budget AND strike", "union OR tax OR school", "council AND NOT vote"]:
            parsed = parser.parse(text)
            found = arrays.evaluate(parsed, searcher)
            stock = [hit.docnum for hit in searcher.search(parsed, limit=10)]
            assert found.ids[arrays.top(found, 10)].tolist() == stock, text


def test_the_deleted_document_and_the_match_all_query(segmented_index):
    with segmented_index.searcher() as searcher:
        every = arrays.evaluate(query.Every(), searcher)
        rail = arrays.evaluate(query.Term("body", "rail"), searcher)
    assert len(every) == 179 and 61 not in every.ids
    assert 61 not in rail.ids and len(rail) > 100


def test_phrases_find_whooshs_documents_with_its_scores(segmented_index):
    chance = random.Random(5)
    parser = QueryParser("body", segmented_index.schema)
    with segmented_index.searcher(weighting=LengthTableBM25F()) as searcher:
        texts = ['"rail rail"', '"rail budget rail"', 'rail AND "tax vote"', '"union tax" OR "school vote"^2']
        texts += ['"' + " ".join(chance.choices(WORDS[:6], k=chance.randint(2, 4))) + '"' for _ in range(60)]
        matched = 0
        for text in texts:
            parsed = parser.parse(text)
            found = arrays.evaluate(parsed, searcher)
            expected = whoosh_hits(searcher, parsed)
            matched += bool(expected)
            assert found.ids.tolist() == sorted(expected), text
            assert found.scores.tolist() == pytest.approx([expected[n] for n in found.ids.tolist()], rel=1e-12), text
    assert matched > 30  # phrases that match somewhere, not only empty answers


def test_a_phrase_matches_only_words_in_their_order(segmented_index):
    parser = QueryParser("body", segmented_index.schema)
    with segmented_index.searcher() as searcher:
        forward = arrays.evaluate(parser.parse('"strike vote"'), searcher)
        backward = arrays.evaluate(parser.parse('"vote strike"'), searcher)
        both = arrays.evaluate(parser.parse("strike AND vote"), searcher)
    assert set(forward.ids) < set(both.ids) and set(forward.ids) != set(backward.ids)
    assert len(forward) > 3


def test_prefixes_and_sloppy_phrases_are_left_to_whoosh(segmented_index):
    parser = QueryParser("body", segmented_index.schema)
    with segmented_index.searcher() as searcher:
        for text in ['"rail budget"~3', "bud*", "rail AND bud*", 'rail AND "tax vote"~2']:
            assert arrays.evaluate(parser.parse(text), searcher) is None, text
        assert arrays.evaluate(parser.parse("rail OR bud*"), searcher) is None


def test_a_spent_budget_keeps_the_segments_answered_in_full(segmented_index, monkeypatch):
    # A clock that moves one second each time it is read: three and a half allow the
    # first segment, not the second.
    ticks = iter(range(1_000_000))
    monkeypatch.setattr("archive.search.backend.clock", lambda: float(next(ticks)))
    term = query.Term("body", "rail")
    with segmented_index.searcher() as searcher:
        budget = Budget(3.5)
        found = arrays.evaluate(BudgetQuery(term, budget), searcher, budget)
        first, offset = searcher.leaf_searchers()[0][0], searcher.leaf_searchers()[0][1]
        expected = [n + offset for n in first.docs_for_query(term)]
    assert budget.cut is True
    assert found.ids.tolist() == expected and len(expected) > 10


@pytest.mark.parametrize("longest", [40, 1000, 2500])
def test_positions_are_decoded_as_whoosh_decodes_them(longest):
    # Gaps of one, two and four bytes; lists past 1,000 are pickled in batches, which
    # the array reader leaves to unpickling.
    chance = random.Random(longest)
    lists = [
        sorted(chance.sample(range(chance.choice([3_000, 70_000, 10**7])), chance.randint(1, 40))) for _ in range(500)
    ]
    lists.append(list(range(longest)))
    values = [formats.Positions().encode(positions) for positions in lists]
    rows, positions = arrays._positions(values)
    decoded = [[] for _ in values]
    for row, position in zip(rows.tolist(), positions.tolist()):
        decoded[row].append(position)
    assert decoded == [formats.Positions().decode_positions(value) for value in values]
    assert (arrays._gaps_read_as_arrays(values) is None) == (longest > 1000)
