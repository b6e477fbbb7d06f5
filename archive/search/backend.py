"""Our Whoosh engine: Haystack's, with the traps of the stock backend closed.

Everything Whoosh-specific lives here; the rest of the code talks to Haystack's API
(``SearchQuerySet``, ``facet()``/``date_facet()``, ``facet_counts()``), so it runs on
Elasticsearch too (docs/scaling.md).

- One writer at a time with a bounded wait and a clear error (the stock AsyncWriter waits
  or buffers without limit, and a removal fails at once with LockError); documents not yet
  in the index are added, not "updated" (an update opens a searcher per document).
- Non-compound segments, so opening a searcher does not copy segments into memory.
- Writers sort postings in ``ARCHIVE_INDEX_MEMORY_MB`` (Whoosh's 128 MB spills a batch's
  postings to temporary files and reads them back, several times per rebuild batch and
  in most merges), and a rebuild writes through one process per core.
- One searcher per process and thread, reopened only when the index changed (the stock
  backend opens two per query).
- The empty search (Haystack sends ``*``, which Whoosh expands over every term of the text
  field) is a cheap match-all.
- No ``django_ct`` narrowing while the index holds one model.
- The schema stores no copy of the text (the database has it: no stored field and no
  sortable column) and has no spelling column of Whoosh's; our own unstemmed, unscored
  ``spelling`` field serves ``suggest()``.
- Facets are counted from every (document, value) pair of a field, loaded once per
  searcher, with one ``numpy.bincount`` over the hits, not by Whoosh's grouping (which
  sorts every hit for every facet) nor a Python count (90-125 ms a page at 100,000).
- Queries of words, phrases, AND, OR, NOT, match-all and date ranges are answered with
  arrays, a posting block at a time (``arrays.py``): the same documents and scores as
  Whoosh's matchers, 2-5 times sooner at 100,000 articles. Wildcards, fuzzy and
  proximity searches and the like go to Whoosh's matchers, in one pass that gives the page, the count and the facets'
  documents (``AllHitsTopCollector``; Whoosh's top-N collector skips almost nothing on
  our documents and then matches the whole query again for the count).
- BM25F reads each hit's text length from a table decoded once per segment
  (``LengthTableBM25F``) instead of through Whoosh's column reader: a third of the time
  of a common word's search at 100,000 articles, for the same scores.
- A search stops at a time budget (``ARCHIVE_SEARCH_TIME_LIMIT``, 0.5 s): through
  Whoosh's matchers, a phrase of common words checked word positions in most documents
  and took up to 6.7 s at 10,000 articles (proximity searches still can). Whoosh's own ``TimeLimitCollector`` checks the clock only between hits, loses
  the top-N block skipping and uses SIGALRM (not allowed outside the main thread), so the
  budget is checked by the query's outermost matcher instead, for every pass over the hits.
"""

from __future__ import annotations

import datetime
import heapq
import os
import re
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter

import numpy
from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import collectors, fields, formats, matching, query, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield, byte_to_length
from whoosh.index import LockError
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from archive.search import arrays

WRITER_TIMEOUT_SECONDS = 30
SPELLING_BELOW_HITS = 5
COMMON_FACTOR = 3  # a known word is corrected only to a neighbour this many times as common
SPELLING_FIELD = "spelling"
WORD = r"[\w'’]+"
SUGGESTION_CACHE_SIZE = 500
SEARCH_TIME_LIMIT_SECONDS = 0.5
# Sortable numeric fields whose ranges are answered from their column (ColumnRange).
RANGE_COLUMNS = {"date"}
clock = time.monotonic  # the budget's clock (a test moves its own)


class IndexBusy(RuntimeError):
    """Another process holds the index writer for longer than we wait."""


class SpellingField(fields.FieldType):
    """Unstemmed, lower-cased words of the text, indexed for 'did you mean' only: no
    positions, no frequencies, nothing stored.

    It is "scorable" only so that Whoosh writes its one-byte length column: for a field
    without one, Whoosh's segment writer asks the file system whether the column exists
    once per posting (hundreds of times per article)."""

    def __init__(self):
        self.format = formats.Existence()
        self.analyzer = RegexTokenizer(WORD) | LowercaseFilter()
        self.scorable = True
        self.stored = False
        self.unique = False
        self.column_type = None
        self.spelling = False


class Budget:
    """The time one search may take; ``cut`` is set once a pass over the hits stopped at it."""

    def __init__(self, seconds: float):
        self.deadline = clock() + seconds
        self.cut = False

    def spent(self) -> bool:
        if not self.cut and clock() >= self.deadline:
            self.cut = True
        return self.cut


class BudgetMatcher(matching.WrappingMatcher):
    """A matcher that reports itself finished once the budget is spent."""

    def __init__(self, child, budget: Budget):
        super().__init__(child)
        self.budget = budget

    def _replacement(self, newchild):
        return BudgetMatcher(newchild, self.budget)

    def copy(self):
        return BudgetMatcher(self.child.copy(), self.budget)

    def is_active(self):
        return not self.budget.spent() and self.child.is_active()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()


class BudgetQuery(query.WrappingQuery):
    """Wraps the whole parsed query so that every pass over its hits obeys one budget."""

    def __init__(self, child, budget: Budget):
        super().__init__(child)
        self.budget = budget

    def _rewrap(self, child):
        return BudgetQuery(child, self.budget)

    def matcher(self, searcher, context=None):
        return BudgetMatcher(self.child.matcher(searcher, context), self.budget)


def length_table(reader, fieldname: str) -> list[int] | None:
    """Each document's length of ``fieldname`` in one segment (``reader``), decoded once
    and kept with the segment's reader, which a refreshed searcher reuses while the
    segment lasts. None when the reader is not one segment's or the field has no lengths."""
    tables = reader.__dict__.setdefault("_archive_lengths", {})
    if fieldname not in tables:
        perdoc = getattr(reader, "_perdoc", None)
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc is not None else None
        # Whoosh stores a length as one byte (0: no such field; it scores those as 1).
        tables[fieldname] = None if column is None else [byte_to_length(b) if b else 1 for b in column]
    return tables[fieldname]


def length_array(reader, fieldname: str):
    """``length_table`` as a numpy array of floats (for ``arrays``), kept likewise."""
    tables = reader.__dict__.setdefault("_archive_lengths", {})
    key = (fieldname, "array")
    if key not in tables:
        lengths = length_table(reader, fieldname)
        tables[key] = None if lengths is None else numpy.array(lengths, dtype=numpy.float64)
    return tables[key]


class LengthTableBM25F(scoring.BM25F):
    """Whoosh's BM25F, with each hit's field length read from ``length_table``: the same
    scores, without a column read per hit."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = length_table(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


class AllHitsTopCollector(collectors.TopCollector):
    """The top ``limit`` hits by score, and every hit's document number, from one pass.

    Whoosh's ``TopCollector`` may skip blocks and prune the query that cannot reach its
    current top N, so for the count and the facets it matches the whole query a second
    time. This one never skips or prunes (minimum score 0 throughout): every hit is scored
    once, which on our documents costs less than that second pass."""

    def __init__(self, limit: int):
        super().__init__(limit=limit, usequality=False)

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.hits: list[int] = []

    def _collect(self, global_docnum, score):
        self.hits.append(global_docnum)
        entry = (score, 0 - global_docnum)
        if len(self.items) < self.limit:
            heapq.heappush(self.items, entry)
        elif entry > self.items[0]:
            heapq.heapreplace(self.items, entry)
        return 0 - score

    def all_ids(self):
        return self.hits

    def count(self):
        return len(self.hits)


def hit_mask(searcher, docs):
    """A flag for each document of the searcher's index, set for ``docs`` (document
    numbers: an array or any collection)."""
    mask = numpy.zeros(searcher.reader().doc_count_all(), dtype=bool)
    if not isinstance(docs, numpy.ndarray):
        docs = numpy.fromiter(docs, dtype=numpy.int64, count=len(docs))
    mask[docs] = True
    return mask


class ColumnRange(query.Query):
    """A range on a sortable numeric field (the article's date) answered from the field's
    column instead of its terms. Whoosh matches a NumericRange as the union of its tiered
    terms' posting lists, which for six months or more of dates costs 100-400 ms at 10,000
    articles; the column, loaded once per segment and sorted, gives the same documents by
    bisection in about a millisecond. Documents without a value never match."""

    MISSING = 2**64 - 1  # what a NUMERIC column holds for a document without the field

    def __init__(self, fieldname, start, end, startexcl=False, endexcl=False, cache=None):
        self.fieldname, self.start, self.end = fieldname, start, end
        self.startexcl, self.endexcl = startexcl, endexcl
        self.cache = {} if cache is None else cache  # per segment: (sorted values, their docnums)

    def __eq__(self, other):
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {self.start!r}, {self.end!r})"

    def __unicode__(self):
        return f"{self.fieldname}:[{self.start} TO {self.end}]"

    __str__ = __unicode__

    def _key(self):
        return (self.fieldname, self.start, self.end, self.startexcl, self.endexcl)

    def is_leaf(self):
        return True

    def field(self):
        return self.fieldname

    def estimate_size(self, ixreader):
        return sum(len(self._ids(reader)) for reader, _ in ixreader.leaf_readers())

    def _sorted(self, reader):
        key = ("range", self.fieldname, id(reader))
        if key not in self.cache:
            pairs = []
            if reader.has_column(self.fieldname):
                column = reader.column_reader(self.fieldname, translate=False)
                deleted = reader.is_deleted if reader.has_deletions() else None
                pairs = sorted(
                    (value, docnum)
                    for docnum, value in enumerate(column)
                    if value != self.MISSING and not (deleted and deleted(docnum))
                )
            self.cache[key] = ([v for v, _ in pairs], [d for _, d in pairs])
        return self.cache[key]

    def _ids(self, reader) -> list[int]:
        values, docnums = self._sorted(reader)
        lo = 0 if self.start is None else (bisect_right if self.startexcl else bisect_left)(values, self.start)
        hi = len(values) if self.end is None else (bisect_left if self.endexcl else bisect_right)(values, self.end)
        return sorted(docnums[lo:hi])

    def matcher(self, searcher, context=None):
        ids = self._ids(searcher.reader())
        return matching.ListMatcher(ids) if ids else matching.NullMatcher()


def columns_for_ranges(parsed, sortable: set[str], cache: dict):
    """``parsed`` with each NumericRange on a field in ``sortable`` answered from its column."""

    def swap(node):
        if isinstance(node, query.NumericRange) and node.fieldname in sortable:
            return ColumnRange(node.fieldname, node.start, node.end, node.startexcl, node.endexcl, cache)
        return node

    return parsed.accept(swap)


class _SubWriter(SubWriterTask):
    """Whoosh's writing process, which also leaves when the process that started it is
    gone (Whoosh's waits on its job queue for ever after a ``kill -9`` of a rebuild)."""

    parent = 0  # the pid of the process that started it, set before the fork

    def run(self):
        # Not os.getppid() here: a parent killed in the instant after the fork has already
        # made this process an orphan, and it would wait for a parent of pid 1 to leave.
        threading.Thread(target=_leave_when_orphaned, args=(self.parent,), daemon=True).start()
        super().run()


def _leave_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


class ParallelWriter(MpWriter):
    """Whoosh's multi-process writer, with its processes stopped when the writer is
    cancelled: Whoosh's ``cancel()`` only flags its own copy of each process object, which
    leaves the processes waiting on the job queue and the parent waiting for them at exit.
    Its processes are daemons, so an exception never leaves one behind either."""

    def _new_task(self):
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.daemon = True
        task.parent = os.getpid()
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self):
        for task in self.tasks:
            task.terminate()
        for task in self.tasks:
            task.join()
        SegmentWriter.cancel(self)


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._local = threading.local()

    # ---------------------------------------------------------------------- schema

    def build_schema(self, search_fields):
        content_field_name, schema = super().build_schema(search_fields)
        for field_class in search_fields.values():
            name = field_class.index_fieldname
            if getattr(field_class, "facet_for", None):
                # Facet values are exact slugs, never stemmed words.
                schema.remove(name)
                if field_class.is_multivalued:
                    schema.add(name, fields.KEYWORD(commas=True, scorable=True))
                else:
                    schema.add(name, fields.ID())
        text = schema[content_field_name]
        text.stored = False
        text.spelling = False
        # Haystack makes every text field sortable, which keeps the whole text of each
        # document in a column: a third of the index at 100,000 articles, never read.
        text.column_type = None
        schema.add(SPELLING_FIELD, SpellingField())
        return content_field_name, schema

    # ---------------------------------------------------------------------- writing

    def _writer(self, procs: int = 1, **options):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        options = {
            "timeout": WRITER_TIMEOUT_SECONDS,
            "compound": False,
            "limitmb": settings.ARCHIVE_INDEX_MEMORY_MB,
            **options,
        }
        try:
            if procs > 1:
                return ParallelWriter(self.index, procs=procs, multisegment=True, **options)
            return self.index.writer(**options)
        except LockError as exc:
            raise IndexBusy(
                f"The search index at {self.path} is locked by another writer "
                f"(waited {WRITER_TIMEOUT_SECONDS}s). Try again when the other ingest finishes."
            ) from exc

    def prepare_documents(self, index, iterable) -> list[dict]:
        documents = []
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc[SPELLING_FIELD] = doc.get(self.content_field_name, "")
            documents.append(doc)
        return documents

    def build(self, index, batches, commit_every: int, *, procs: int = 1) -> None:
        """Write the documents of ``batches`` (iterables of objects, in turn) into this
        index, new and empty, through one writer that commits every ``commit_every``
        documents and at the end: a commit per batch of 200 re-merged the segments
        written so far, hundreds of times over at 100,000 articles. With ``procs`` above
        1 the writer hands the documents to that many processes, each writing segments of
        its own. Segments are never merged during a build: Whoosh's policy would, past
        twenty of them, merge most of the index in this one process."""
        writer, written = self._writer(procs=procs), 0
        try:
            for batch in batches:
                for doc in self.prepare_documents(index, batch):
                    writer.add_document(**doc)
                    written += 1
                if written >= commit_every:
                    writer.commit(merge=False)
                    writer, written = self._writer(procs=procs), 0
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        documents = self.prepare_documents(index, iterable)
        if not documents:
            return
        writer = self._writer()
        try:
            self._replace(writer, documents, [doc[ID] for doc in documents])
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    def update_from(self, index, pks, load) -> None:
        """Make the index hold what ``load()`` returns now for the objects ``pks`` (their
        documents replaced, and removed for those it no longer returns), reading them only
        once this process holds the index's writer. Read before the lock, a process that
        waited for it would write what it read over a newer version another process had
        indexed meanwhile (an editor's save during an ingest: a stale document)."""
        if not self.setup_complete:
            self.setup()
        label = index.get_model()._meta.label_lower
        writer = self._writer()
        try:
            documents = self.prepare_documents(index, load())
            self._replace(writer, documents, [f"{label}.{pk}" for pk in pks])
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    @staticmethod
    def _replace(writer, documents, identifiers) -> None:
        # One lookup searcher for the whole batch: documents already indexed are deleted
        # (and added again when they are among ``documents``), new ones simply added.
        with writer.searcher() as searcher:
            for identifier in identifiers:
                docnum = searcher.document_number(**{ID: identifier})
                if docnum is not None:
                    writer.delete_document(docnum)
        for doc in documents:
            writer.add_document(**doc)

    def remove(self, obj_or_string, commit=True):
        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    # ---------------------------------------------------------------------- reading

    def searcher(self):
        """This thread's searcher, reopened only when the index has changed."""
        if not self.setup_complete:
            self.setup()
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher(weighting=LengthTableBM25F())
        elif not searcher.up_to_date():
            searcher = searcher.refresh()
            self._local.facets = {}
        self._local.searcher = searcher
        return searcher

    def _parse(self, query_string: str):
        if query_string.strip() in ("*", "*:*", "(*)"):
            return query.Every()
        return self.parser.parse(query_string)

    def _model_filter(self, models, limit_to_registered_models):
        """A django_ct filter, only when the index holds more than the models asked for."""
        from haystack import connections

        registered = sorted(
            get_model_ct(m) for m in connections[self.connection_alias].get_unified_index().get_indexed_models()
        )
        wanted = sorted(get_model_ct(m) for m in models) if models else registered
        if limit_to_registered_models is False and not models:
            return None
        if set(wanted) >= set(registered):
            return None
        return query.Or([query.Term(DJANGO_CT, ct) for ct in wanted])

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        query_string = force_str(query_string)
        if not query_string.strip():
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        searcher = self.searcher()
        parsed = self._parse(query_string)
        if parsed is None or searcher.doc_count() == 0:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        filters = [self._parse(force_str(q)) for q in narrow_queries or ()]
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        if filters:
            parsed = query.And([parsed, *filters])
        parsed = columns_for_ranges(parsed, RANGE_COLUMNS, self._cache())
        budget = Budget(getattr(settings, "ARCHIVE_SEARCH_TIME_LIMIT", SEARCH_TIME_LIMIT_SECONDS))
        self._local.cut = False
        parsed = BudgetQuery(parsed, budget)

        sortedby, reverse = None, False
        if sort_by:
            names = [name.lstrip("-") for name in sort_by]
            reverse = sort_by[0].startswith("-")
            sortedby = names if len(names) > 1 else names[0]
        start = start_offset or 0
        end = end_offset if end_offset is not None else max(searcher.doc_count(), 1)
        end = max(end, start + 1)
        top, docs = self._hits(searcher, parsed, sortedby, reverse, end)
        hits = len(docs)
        counted = {}
        if facets or date_facets:
            mask = hit_mask(searcher, docs)
            counted = {
                "fields": {name: self._field_counts(searcher, name, mask) for name in facets or ()},
                "dates": {
                    name: self._date_counts(searcher, name, docs, spec) for name, spec in (date_facets or {}).items()
                },
                "queries": {},
            }
        self._local.cut = budget.cut
        documents = [self._result(searcher.stored_fields(n), score, result_class) for n, score in top[start:end]]
        suggestion = None
        if self.include_spelling and hits < SPELLING_BELOW_HITS:
            suggestion = self.suggest(spelling_query or query_string) or None
        return {
            "results": [d for d in documents if d is not None],
            "hits": hits,
            "facets": counted,
            "spelling_suggestion": suggestion,
        }

    def last_search_was_cut(self) -> bool:
        """Whether this thread's last search stopped at its time budget (its hits and
        counts then cover only part of the index)."""
        return getattr(self._local, "cut", False)

    def _hits(self, searcher, parsed, sortedby, reverse: bool, limit: int):
        """One pass over the matches of ``parsed``: the first ``limit`` hits as (document
        number, score) pairs, in order, and every hit's document number."""
        by_column = isinstance(sortedby, str) and searcher.reader().has_column(sortedby)
        if by_column or not sortedby:
            found = arrays.evaluate(parsed, searcher, getattr(parsed, "budget", None))
            if found is not None and by_column:
                picked = arrays.by_key(found.ids, self._column(searcher, sortedby)[found.ids], limit, reverse)
                return [(n, None) for n in picked.tolist()], found.ids
            if found is not None:
                picked = arrays.top(found, limit)
                return list(zip(found.ids[picked].tolist(), found.scores[picked].tolist(), strict=True)), found.ids
        if by_column:
            # Keys from the column loaded once per searcher (Whoosh's sorting collector
            # asks the column for each hit through its categorizer). Ties as Whoosh orders them.
            column = self._column(searcher, sortedby)
            docs = list(searcher.docs_for_query(parsed))
            pick = heapq.nlargest if reverse else heapq.nsmallest
            return [(n, None) for n in pick(limit, docs, key=lambda n: (column[n], n))], docs
        if sortedby:
            collector = collectors.SortingCollector(sortedby, limit=limit, reverse=reverse)
        else:
            collector = AllHitsTopCollector(limit)
        searcher.search_with_collector(parsed, collector)
        return [(hit.docnum, hit.score) for hit in collector.results()], collector.all_ids()

    def _column(self, searcher, field_name):
        """The raw (sortable) values of one column for every document, as a numpy array,
        loaded once per searcher."""
        cache = self._cache()
        key = ("column", field_name)
        if key not in cache:
            column = searcher.reader().column_reader(field_name, translate=False)
            cache[key] = numpy.fromiter(column, dtype=numpy.uint64, count=searcher.reader().doc_count_all())
        return cache[key]

    def _result(self, stored, score, result_class):
        from haystack import connections

        app_label, model_name = stored[DJANGO_CT].split(".")
        model = haystack_get_model(app_label, model_name)
        unified = connections[self.connection_alias].get_unified_index()
        if model is None or model not in unified.get_indexed_models():
            return None
        index = unified.get_index(model)
        values = {}
        for key, value in stored.items():
            if key in (DJANGO_CT, DJANGO_ID):
                continue
            field = index.fields.get(key)
            if field is not None and field.is_multivalued:
                values[key] = value.split(",") if value else []
            elif field is not None and hasattr(field, "convert"):
                values[key] = field.convert(value)
            else:
                values[key] = self._to_python(value)
        return (result_class or SearchResult)(app_label, model_name, stored[DJANGO_ID], score or 0, **values)

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Articles sharing the key words of this one (the text is not stored in the
        index, so it is read again from the model's title and body)."""

        searcher = self.searcher()
        docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
        if docnum is None:
            return {"results": [], "hits": 0}
        # The title and body carry the key words; preparing the whole document would read
        # every mention, quote and membership again (about 50 queries on an article page).
        text = " ".join(filter(None, [getattr(model_instance, "title", ""), getattr(model_instance, "body", "")]))
        end = end_offset or 20
        similar = searcher.more_like(docnum, self.content_field_name, text=text, top=end)
        documents = [
            self._result(hit.fields(), hit.score, result_class) for hit in list(similar)[start_offset or 0 : end]
        ]
        documents = [d for d in documents if d is not None]
        return {"results": documents, "hits": len(documents)}

    # ---------------------------------------------------------------------- facets

    def _cache(self) -> dict:
        """This thread's tables derived from its searcher's segments (facet values, date
        columns), emptied when the searcher is reopened."""
        cache = getattr(self._local, "facets", None)
        if cache is None:
            cache = self._local.facets = {}
        return cache

    def _facet_table(self, searcher, field_name):
        """Every (document, value) pair of one field, loaded once per searcher: (values,
        documents, value numbers), the last two parallel arrays indexing into values."""
        cache = self._cache()
        if field_name in cache:
            return cache[field_name]
        reader = searcher.reader()
        values, documents, numbers = [], [], []
        if field_name in reader.schema and reader.schema[field_name].indexed:
            for value in reader.field_terms(field_name):
                ids = list(reader.postings(field_name, value).all_ids())
                documents.extend(ids)
                numbers.extend([len(values)] * len(ids))
                values.append(value)
        table = (values, numpy.array(documents, dtype=numpy.int32), numpy.array(numbers, dtype=numpy.int32))
        cache[field_name] = table
        return table

    def _field_counts(self, searcher, field_name, mask) -> list[tuple[str, int]]:
        """How many of the hits (``mask``: a flag per document) have each value, most first."""
        values, documents, numbers = self._facet_table(searcher, field_name)
        counts = numpy.bincount(numbers[mask[documents]], minlength=len(values))
        found = numpy.flatnonzero(counts)
        pairs = zip([values[n] for n in found.tolist()], counts[found].tolist(), strict=True)
        return sorted(pairs, key=lambda item: (-item[1], item[0]))

    def _date_counts(self, searcher, field_name, docs, spec) -> list[tuple[datetime.datetime, int]]:
        """Counts per gap (year, month or day) between start_date and end_date, oldest first."""
        cache = self._cache()
        key = ("dates", field_name)
        if key not in cache:
            column = searcher.reader().column_reader(field_name) if searcher.reader().has_column(field_name) else None
            cache[key] = list(column) if column is not None else []
        dates = cache[key]
        gap = spec.get("gap_by", "month")
        start, end = _as_datetime(spec["start_date"]), _as_datetime(spec["end_date"])

        def bucket(value):
            if gap == "year":
                return datetime.datetime(value.year, 1, 1)
            if gap == "month":
                return datetime.datetime(value.year, value.month, 1)
            return datetime.datetime(value.year, value.month, value.day)

        counts = Counter(
            bucket(value) for value in map(dates.__getitem__, docs) if value is not None and start <= value < end
        )
        return sorted(counts.items())

    # ---------------------------------------------------------------------- spelling

    def suggest(self, text: str) -> str:
        """'Did you mean': each word the index does not know, replaced by the closest word
        it does; a word it knows is kept unless a one-letter neighbour is far more common
        (Whoosh's corrector alone always proposes a different word, 'rail' -> 'said').
        Empty when there is nothing to correct. Cached until the index changes."""
        words = tuple(re.findall(WORD, text.lower()))
        if not words:
            return ""
        searcher = self.searcher()
        cache = getattr(self._local, "suggestions", None)
        generation = searcher.reader().generation()
        if cache is None or cache[0] != generation:
            cache = self._local.suggestions = (generation, {})
        if words not in cache[1]:
            if len(cache[1]) >= SUGGESTION_CACHE_SIZE:
                cache[1].clear()
            cache[1][words] = self._suggest(searcher.reader(), words)
        return cache[1][words]

    def _suggest(self, reader, words) -> str:
        suggested = []
        for word in words:
            if (SPELLING_FIELD, word) not in reader:
                corrections = self._neighbours(reader, word, maxdist=2, limit=1)
                suggested.append(corrections[0] if corrections else word)
                continue
            # A word the index knows may still be a typo the archive repeats
            # ("goverment"): offer a one-letter neighbour that is far more common.
            frequency = reader.doc_frequency(SPELLING_FIELD, word)
            common = [
                c
                for c in self._neighbours(reader, word, maxdist=1, limit=3)
                if reader.doc_frequency(SPELLING_FIELD, c) >= COMMON_FACTOR * frequency
            ]
            suggested.append(common[0] if common else word)
        return "" if list(suggested) == list(words) else " ".join(suggested)

    def _neighbours(self, reader, word: str, maxdist: int, limit: int) -> list[str]:
        """The index's words within ``maxdist`` edits of ``word`` (optimal string alignment,
        as Whoosh's corrector counts them), the nearest first, then the most frequent: the
        ranking Whoosh's ReaderCorrector documents (its code ranks by frequency alone, so a
        word two edits away could beat one a single edit away). Found with rapidfuzz over
        the field's words, loaded once per searcher; Whoosh walks every term with a Python
        edit distance, 450 ms a word at 10,000 articles."""
        cache = self._cache()
        key = ("lexicon", SPELLING_FIELD)
        if key not in cache:
            cache[key] = [term.decode("utf-8") for term in reader.lexicon(SPELLING_FIELD)]
        found = process.extract(word, cache[key], scorer=OSA.distance, score_cutoff=maxdist, limit=None)
        ranked = sorted((distance, -reader.frequency(SPELLING_FIELD, term), term) for term, distance, _ in found)
        return [term for _, _, term in ranked[:limit]]


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime(value.year, value.month, value.day)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
