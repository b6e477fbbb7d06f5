"""Whoosh queries answered with arrays: the documents and BM25F scores of a query made of
terms, phrases, AND, OR, NOT, match-all and date ranges, computed a posting block at a time
instead of a posting at a time. Part of our Whoosh backend (``backend.py`` is its only
user); it reads Whoosh's segments through the same internals Whoosh's own matchers use.

Whoosh matches and scores in Python, one posting after another (about 4 microseconds
each): a word in most of 100,000 articles costs 0.4 s, two such words over 0.6 s, past
the search's time budget. Here each segment's postings of a term are read block by
block into arrays (the unpickling of the block is most of the cost that is left), the
scores are computed for the whole array with Whoosh's own BM25F parameters, and AND, OR
and NOT are set operations on sorted arrays. A phrase is the AND of its words, kept
where their positions follow each other; only the positions of the documents holding
every word are decoded. The scores are Whoosh's (sums may differ in the last bits, as
Whoosh adds them in the order of its matcher tree). Any other query (wildcards, fuzzy
and proximity searches) returns None, and Whoosh matches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pickle import loads

import numpy
from whoosh import formats, matching, query, scoring
from whoosh.system import _INT_SIZE

EMPTY_IDS = numpy.zeros(0, dtype=numpy.int64)


@dataclass
class Hits:
    """Document numbers (sorted, unique) and their scores, parallel arrays."""

    ids: numpy.ndarray
    scores: numpy.ndarray

    @classmethod
    def empty(cls) -> Hits:
        return cls(EMPTY_IDS, numpy.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)


class Unsupported(Exception):
    """A query this module does not answer: Whoosh's matchers do."""


def evaluate(parsed, searcher, budget=None) -> Hits | None:
    """Every hit of ``parsed`` in the searcher's index (global document numbers), or
    None when the query has a part answered only by Whoosh.

    With a ``budget``, segments are answered in turn until it is spent: the hits are then
    those of the segments answered in full (a part of the archive, as a cut search of
    Whoosh's gives), never those of a segment left half done."""
    parts = []
    try:
        for sub, offset in searcher.leaf_searchers():
            if budget is not None and budget.spent():
                break
            hits = _evaluate(parsed, sub, budget, {})
            if budget is not None and budget.cut:
                break
            parts.append(Hits(hits.ids + offset, hits.scores))
    except Unsupported:
        return None
    if not parts:
        return Hits.empty()
    return Hits(numpy.concatenate([p.ids for p in parts]), numpy.concatenate([p.scores for p in parts]))


def top(hits: Hits, limit: int) -> numpy.ndarray:
    """Positions in ``hits`` of the first ``limit`` by score, highest first, ties by
    document number (as Whoosh orders them)."""
    scores = hits.scores
    if len(scores) > 4 * limit:
        threshold = numpy.partition(scores, len(scores) - limit)[len(scores) - limit]
        candidates = numpy.flatnonzero(scores >= threshold)
    else:
        candidates = numpy.arange(len(scores))
    order = numpy.lexsort((hits.ids[candidates], -scores[candidates]))
    return candidates[order[:limit]]


def by_key(ids: numpy.ndarray, keys: numpy.ndarray, limit: int, reverse: bool) -> numpy.ndarray:
    """The first ``limit`` of ``ids`` ordered by ``keys`` (one per id), ties by document
    number; ``reverse`` reverses both, as Whoosh's sorting collector does."""
    order = numpy.lexsort((ids, keys))
    return ids[order[::-1][:limit] if reverse else order[:limit]]


# ----------------------------------------------------------------------------- per segment


def _evaluate(q, searcher, budget, memo: dict) -> Hits:
    """``q`` in one segment; ``memo`` keeps each term's hits for the rest of the query."""
    from archive.search.backend import BudgetQuery, ColumnRange

    if isinstance(q, BudgetQuery):
        return _evaluate(q.child, searcher, budget, memo)
    if budget is not None and budget.spent():
        return Hits.empty()
    if type(q) is query.Term:
        return _term(q, searcher, memo)
    if type(q) is query.Phrase:
        return _phrase(q, searcher, budget, memo)
    if type(q) in (query.And, query.Or):
        return _compound(q, searcher, budget, memo)
    if type(q) is query.AndNot:
        positive = _evaluate(q.a, searcher, budget, memo)
        return _without(positive, _evaluate(q.b, searcher, budget, memo).ids)
    if type(q) is query.Every and q.fieldname in (None, "", "*"):
        ids = numpy.fromiter(searcher.reader().all_doc_ids(), dtype=numpy.int64)
        return Hits(ids, numpy.full(len(ids), float(q.boost)))
    if type(q) is ColumnRange:
        ids = numpy.asarray(q._ids(searcher.reader()), dtype=numpy.int64)
        return Hits(ids, numpy.ones(len(ids)))
    if q is query.NullQuery:
        return Hits.empty()
    raise Unsupported(type(q).__name__)


def _compound(q, searcher, budget, memo: dict) -> Hits:
    subs = q.subqueries
    if not subs:
        return Hits.empty()
    if len(subs) == 1:  # Whoosh matches the one subquery alone (its boost is not applied)
        return _evaluate(subs[0], searcher, budget, memo)
    if isinstance(q, query.Or):
        if q.scale or q.minmatch:
            raise Unsupported("Or with a coordination bonus")
        return _boosted(_union([_evaluate(s, searcher, budget, memo) for s in subs]), q.boost)
    positives = [s for s in subs if not isinstance(s, query.Not)]
    negatives = [s.query for s in subs if isinstance(s, query.Not)]
    if not positives:
        raise Unsupported("And of negations only")
    # The smallest first; a term after it reads only the posting blocks that can hold
    # one of the documents already found.
    reader = searcher.reader()
    positives.sort(key=lambda s: s.estimate_size(reader))
    parts = [_evaluate(positives[0], searcher, budget, memo)]
    for sub in positives[1:]:
        if type(sub) is query.Term:
            if budget is not None and budget.spent():
                return Hits.empty()
            parts.append(_term(sub, searcher, memo, within=parts[-1].ids))
        else:
            parts.append(_evaluate(sub, searcher, budget, memo))
    hits = _intersection(parts)
    for negative in negatives:
        # Whoosh scores a NOT inside an AND as 1 for every document it lets through.
        hits = _without(hits, _evaluate(negative, searcher, budget, memo).ids)
        hits = Hits(hits.ids, hits.scores + 1.0)
    return _boosted(hits, q.boost)


def _phrase(q, searcher, budget, memo: dict) -> Hits:
    """Whoosh's ``Phrase`` (a ``SpanNear2`` of its words, scored as the AND of them): the
    documents where the words stand one after another, with the sum of their scores.
    Each word's postings are read once, their positions kept undecoded until the
    documents holding every word are known."""
    if q.slop != 1:
        raise Unsupported("a phrase with slop")
    if q.fieldname in searcher.schema and type(searcher.schema[q.fieldname].format) is not formats.Positions:
        raise Unsupported("a field without plain positions")
    terms = [query.Term(q.fieldname, word) for word in q.words if word is not None]
    if len(terms) < 2:
        return _evaluate(terms[0] if terms else query.NullQuery, searcher, budget, memo)
    reader = searcher.reader()
    read = {}  # place in the phrase -> (hits, the postings' values)
    ids = None
    for place in sorted(range(len(terms)), key=lambda n: terms[n].estimate_size(reader)):
        if budget is not None and budget.spent():
            return Hits.empty()
        values = []
        hits = _read_term(terms[place], searcher, ids, values)
        read[place] = hits, values
        ids = hits.ids if ids is None else numpy.intersect1d(ids, hits.ids, assume_unique=True)
        if not len(ids):
            return Hits.empty()
    # A key per (candidate, position - the word's place in the phrase): the phrase
    # starts where every word has the same key.
    scores = numpy.zeros(len(ids))
    starts = None
    for place, (hits, values) in read.items():
        rows = numpy.searchsorted(hits.ids, ids)
        scores += hits.scores[rows]
        positions_of, positions = _positions([values[n] for n in rows.tolist()])
        keys = positions_of * _POSITION_SPAN + (positions - place)
        if starts is None:
            starts = keys
        else:
            found = numpy.minimum(numpy.searchsorted(keys, starts), len(keys) - 1)
            starts = starts[keys[found] == starts]
    keep = numpy.unique(starts // _POSITION_SPAN)
    return _boosted(Hits(ids[keep], scores[keep]), q.boost)


# Larger than any position in a document (Whoosh numbers words from 0; a phrase's words
# are fewer than this).
_POSITION_SPAN = 1 << 32


def _positions(values: list[bytes]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Decode ``whoosh.formats.Positions`` values (a count, then the list of gaps between
    positions pickled with protocol 2) into two parallel, sorted arrays: the index of the
    value each position came from, and the position."""
    decoded = _gaps_read_as_arrays(values)
    counts, gaps = decoded if decoded is not None else _gaps_unpickled(values)
    # Positions are running sums of the gaps, restarted at each value.
    running = numpy.cumsum(gaps)
    firsts = numpy.cumsum(counts) - counts
    restart = running[firsts] - gaps[firsts]
    return numpy.repeat(numpy.arange(len(counts)), counts), running - numpy.repeat(restart, counts)


def _gaps_unpickled(values: list[bytes]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The gaps of each value, unpickled one value at a time (as Whoosh does)."""
    # Our own index's posting values, unpickled exactly as Whoosh's Positions.decode_positions does.
    lists = [loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".") for value in values]  # noqa: S301
    counts = numpy.fromiter(map(len, lists), dtype=numpy.int64, count=len(lists))
    return counts, numpy.fromiter(chain.from_iterable(lists), dtype=numpy.int64, count=int(counts.sum()))


# A value's pickle: PROTO 2, EMPTY_LIST, BINPUT 0, then one integer and APPEND, or MARK,
# the integers and APPENDS (up to 1,000 of them: Python's pickler batches longer lists).
_LIST_OPENING = numpy.frombuffer(b"\x80\x02]q\x00", dtype=numpy.uint8)
_MARK, _APPEND, _APPENDS = b"(ae"
# Bytes taken by an integer opcode and its argument (BININT1, BININT2, BININT), by opcode.
_INTEGER_SIZE = numpy.zeros(256, dtype=numpy.int64)
_INTEGER_SIZE[list(b"KMJ")] = (2, 3, 5)


def _gaps_read_as_arrays(values: list[bytes]) -> tuple[numpy.ndarray, numpy.ndarray] | None:
    """The gaps of all values at once, read from the pickles' bytes with array
    operations, one step per integer of the longest list; None when a value is not of
    the expected shape (the caller unpickles them instead)."""
    if not values:
        return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
    lengths = numpy.fromiter(map(len, values), dtype=numpy.int64, count=len(values))
    data = numpy.frombuffer(b"".join(values) + bytes(8), dtype=numpy.uint8)
    starts = numpy.cumsum(lengths) - lengths
    header = data[starts[:, None] + numpy.arange(_INT_SIZE + len(_LIST_OPENING))].astype(numpy.int64)
    counts = (header[:, 0] << 24) | (header[:, 1] << 16) | (header[:, 2] << 8) | header[:, 3]
    if (header[:, _INT_SIZE:] != _LIST_OPENING).any() or counts.max() > 1000 or counts.min() < 1:
        return None
    cursor = starts + _INT_SIZE + len(_LIST_OPENING)
    several = counts > 1
    if (data[cursor[several]] != _MARK).any():
        return None
    cursor += several
    gaps = numpy.zeros(int(counts.sum()), dtype=numpy.int64)
    slots = numpy.cumsum(counts) - counts
    active = numpy.arange(len(values))
    step = 0
    while len(active):
        at = cursor[active]
        size = _INTEGER_SIZE[data[at]]
        if not size.all():
            return None  # another opcode
        one, two = data[at + 1].astype(numpy.int64), data[at + 2].astype(numpy.int64)
        three, four = data[at + 3].astype(numpy.int64), data[at + 4].astype(numpy.int64)
        wide = size == 5
        if (four[wide] > 127).any():
            return None  # a negative number
        value = one + (two << 8) * (size > 2) + ((three << 16) | (four << 24)) * wide
        gaps[slots[active] + step] = value
        cursor[active] = at + size
        step += 1
        active = active[counts[active] > step]
    # Every list ends where its pickle says it does.
    closing = numpy.where(several, _APPENDS, _APPEND)
    if (data[cursor] != closing).any() or (cursor + 2 != starts + lengths).any():
        return None
    return counts, gaps


def _boosted(hits: Hits, boost: float) -> Hits:
    return hits if boost == 1.0 else Hits(hits.ids, hits.scores * boost)


def _intersection(parts: list[Hits]) -> Hits:
    parts = sorted(parts, key=len)
    ids = parts[0].ids
    for part in parts[1:]:
        ids = numpy.intersect1d(ids, part.ids, assume_unique=True)
    scores = numpy.zeros(len(ids))
    for part in parts:
        scores += part.scores[numpy.searchsorted(part.ids, ids)]
    return Hits(ids, scores)


def _union(parts: list[Hits]) -> Hits:
    parts = [p for p in parts if len(p)]
    if not parts:
        return Hits.empty()
    ids = numpy.unique(numpy.concatenate([p.ids for p in parts]))
    scores = numpy.zeros(len(ids))
    for part in parts:
        scores[numpy.searchsorted(ids, part.ids)] += part.scores
    return Hits(ids, scores)


def _without(hits: Hits, ids: numpy.ndarray) -> Hits:
    if not len(ids) or not len(hits):
        return hits
    keep = ~numpy.isin(hits.ids, ids, assume_unique=True)
    return Hits(hits.ids[keep], hits.scores[keep])


def _term(q, searcher, memo: dict, within: numpy.ndarray | None = None) -> Hits:
    """One term's postings in one segment, scored as Whoosh's matcher would score them;
    with ``within`` (sorted document numbers), only the blocks that may hold one of them
    are read (the hits are then a superset of the term's hits among ``within``)."""
    key = (q.fieldname, q.text, q.boost)
    if key in memo:
        return memo[key]
    hits = _read_term(q, searcher, within)
    if within is None:
        memo[key] = hits
    return hits


def _read_term(q, searcher, within: numpy.ndarray | None, values: list | None = None) -> Hits:
    """See ``_term``; with a ``values`` list, the postings' raw values are added to it,
    one per hit."""
    from archive.search.backend import length_array

    if q.fieldname not in searcher.schema:
        return Hits.empty()
    try:
        text = searcher.schema[q.fieldname].to_bytes(q.text)
    except ValueError:
        return Hits.empty()
    reader = searcher.reader()
    if (q.fieldname, text) not in reader:
        return Hits.empty()
    if q.minquality:
        raise Unsupported("Term with a minimum quality")
    postings = searcher.postings(q.fieldname, text, weighting=searcher.weighting)
    leaf = postings.child if isinstance(postings, matching.FilterMatcher) else postings
    ids, weights = _blocks(leaf, within, values)
    if isinstance(postings, matching.FilterMatcher):  # it excludes the segment's deleted documents
        keep = numpy.isin(ids, numpy.fromiter(postings._ids, dtype=numpy.int64), invert=postings._exclude)
        ids, weights = ids[keep], weights[keep]
        if values is not None:
            values[:] = [value for value, kept in zip(values, keep.tolist(), strict=True) if kept]
    scorer = leaf.scorer
    if type(scorer) is scoring.BM25FScorer:
        lengths = length_array(reader, q.fieldname)
        if lengths is None:
            raise Unsupported("no length table")
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # whoosh.scoring.bm25, the same operations in the same order
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths[ids] / avgfl)))
    elif type(scorer) is scoring.WeightScorer:
        scores = weights
    else:
        raise Unsupported(type(scorer).__name__)
    return _boosted(Hits(ids, scores), q.boost)


def _blocks(leaf, within: numpy.ndarray | None = None, values: list | None = None):
    """The ids and weights of a segment's postings of one term, block by block; with
    ``within``, the blocks whose range of ids holds none of those are skipped unread (a
    block's header gives its last id; its first is past the previous block's last).
    With a ``values`` list, each posting's value is added to it."""
    if not hasattr(leaf, "_read_ids"):
        raise Unsupported(type(leaf).__name__)
    ids, weights = [], []
    low = 0
    while leaf.is_active():
        high = leaf.block_max_id()
        if within is not None:
            start = numpy.searchsorted(within, low)
            if start == len(within):
                break
            skip = within[start] > high
            low = high + 1
            if skip:
                leaf._next_block()
                continue
        leaf._read_ids()
        leaf._read_weights()
        if values is not None:
            leaf._read_values()
            values.extend(leaf._values)
        ids.append(numpy.asarray(leaf._ids, dtype=numpy.int64))
        weights.append(numpy.asarray(leaf._weights, dtype=numpy.float64))
        leaf._next_block()
    if not ids:
        return EMPTY_IDS, numpy.zeros(0)
    return numpy.concatenate(ids), numpy.concatenate(weights)
