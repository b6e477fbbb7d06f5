"""Our Whoosh backend underneath Haystack's API: the behaviour the pages rely on and the
costs it avoids (one search per page, a match-all empty query, facets without grouping,
a searcher reopened only when the index changed)."""

import datetime
from pathlib import Path

import pytest
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh import query as whoosh_query

from archive.search.backend import ArchiveWhooshBackend


def story(write_file, name, date, headline, body):
    return write_file(
        name, f"{headline}\n\nBy Ann Writer\n\nPublished {date:%-d %B %Y}\n\n{body}\n\nMore words to fill the page.\n"
    )


@pytest.fixture
def three(ingest, write_file):
    paths = [
        story(
            write_file,
            "a.txt",
            datetime.date(2019, 3, 4),
            "Keir Starmer sets out rail plan",
            "Keir Starmer said the Labour Party would take the railways back into public hands.",
        ),
        story(
            write_file,
            "b.txt",
            datetime.date(2021, 5, 6),
            "Boris Johnson defends the budget",
            "Boris Johnson said the Conservative Party had kept its promises on the budget this year.",
        ),
        story(
            write_file,
            "c.txt",
            datetime.date(2021, 9, 1),
            "Keir Starmer and Boris Johnson clash",
            "Keir Starmer told Boris Johnson that the Labour Party would not back the Conservative Party plan.",
        ),
    ]
    report = ingest(*paths)
    assert report.count("added") == 3
    return paths


def backend() -> ArchiveWhooshBackend:
    return connections["default"].get_backend()


@pytest.mark.django_db(transaction=True)
def test_the_empty_search_is_a_match_all_not_a_wildcard(three):
    assert isinstance(backend()._parse("*"), whoosh_query.Every)
    assert SearchQuerySet().all().count() == 3


@pytest.mark.django_db(transaction=True)
def test_field_facets_count_every_matching_article(three):
    counts = SearchQuerySet().filter(content="said").facet("people").facet("parties").facet_counts()
    assert dict(counts["fields"]["people"]) == {"keir-starmer": 1, "boris-johnson": 1}
    counts = SearchQuerySet().filter(content="party").facet("people").facet("parties").facet_counts()
    assert counts["fields"]["people"] == [("boris-johnson", 2), ("keir-starmer", 2)]
    assert dict(counts["fields"]["parties"]) == {"labour-party": 2, "conservative-party": 2}


@pytest.mark.django_db(transaction=True)
def test_facets_follow_the_filters(three):
    counts = SearchQuerySet().filter(people="keir-starmer").facet("people").facet_counts()
    people = dict(counts["fields"]["people"])
    assert people == {"keir-starmer": 2, "boris-johnson": 1}


@pytest.mark.django_db(transaction=True)
def test_date_facets_count_per_year(three):
    sqs = SearchQuerySet().date_facet("date", datetime.date(2010, 1, 1), datetime.date(2027, 1, 1), "year")
    years = {when.year: n for when, n in sqs.facet_counts()["dates"]["date"]}
    assert years == {2019: 1, 2021: 2}


@pytest.mark.django_db(transaction=True)
def test_a_results_page_asks_the_engine_once(three, client, monkeypatch):
    calls = []
    original = ArchiveWhooshBackend.search

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ArchiveWhooshBackend, "search", counting)
    for params in ({"q": "budget"}, {}, {"person": "keir-starmer"}):
        calls.clear()
        response = client.get("/search/", params)
        assert response.status_code == 200
        assert len(calls) == 1, (params, calls)


@pytest.mark.django_db(transaction=True)
def test_the_searcher_is_reused_until_the_index_changes(three, ingest, write_file):
    first = backend().searcher()
    assert backend().searcher() is first
    ingest(story(write_file, "d.txt", datetime.date(2022, 1, 2), "A new story on housing", "Housing targets again."))
    assert backend().searcher() is not first
    assert SearchQuerySet().filter(content="housing").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_index_keeps_no_copy_of_the_text_and_no_compound_segments(three, search_index):
    reader = backend().searcher().reader()
    fields = reader.stored_fields(0)
    assert "text" not in fields
    assert fields["title"]
    assert not reader.has_column("text"), "Haystack's sortable text field keeps every text in a column"
    assert reader.has_column("date")
    assert not list(Path(search_index).glob("*.seg"))


@pytest.mark.django_db(transaction=True)
def test_reindexing_an_article_replaces_its_document(three):
    from archive.models import Article
    from archive.search.signals import index_articles_now

    index_articles_now(list(Article.objects.values_list("pk", flat=True)))
    assert SearchQuerySet().all().count() == 3


@pytest.mark.django_db(transaction=True)
def test_suggestions_use_unstemmed_words_and_are_cached(three):
    assert backend().suggest("railwys") == "railways"
    assert backend().suggest("railwys") == "railways"
    assert backend().suggest("budget") == ""


@pytest.mark.django_db(transaction=True)
def test_more_like_this_finds_the_article_sharing_its_words(three):
    from archive.models import Article

    article = Article.objects.get(file_name="b.txt")
    similar = [int(r.pk) for r in SearchQuerySet().more_like_this(article)]
    assert article.pk not in similar
    assert Article.objects.get(file_name="c.txt").pk in similar


@pytest.mark.django_db(transaction=True)
def test_a_search_within_its_time_budget_counts_every_hit(three):
    assert SearchQuerySet().filter(content="party").count() == 3
    assert backend().last_search_was_cut() is False


@pytest.mark.django_db(transaction=True)
def test_a_search_stops_at_its_time_budget_and_keeps_what_it_found(three, settings, monkeypatch):
    # A clock that moves one second each time it is read: the budget allows the first
    # reads only, so the pass over the hits stops part of the way.
    ticks = iter(range(1_000_000))
    monkeypatch.setattr("archive.search.backend.clock", lambda: float(next(ticks)))
    settings.ARCHIVE_SEARCH_TIME_LIMIT = 5
    # A prefix is matched by Whoosh's own matchers, hit by hit (tests/test_search_arrays.py
    # has the cut of the queries answered with arrays).
    found = backend().search("part*", end_offset=20)
    assert backend().last_search_was_cut() is True
    assert 0 < len(found["results"]) < 3
    assert found["hits"] >= len(found["results"])


@pytest.mark.django_db(transaction=True)
def test_a_page_whose_search_was_cut_says_so_and_still_answers(three, client, settings):
    settings.ARCHIVE_SEARCH_TIME_LIMIT = 0
    response = client.get("/search/", {"q": '"the labour party"'})
    assert response.status_code == 200
    assert "took too long and was stopped" in response.content.decode()
    api = client.get("/api/search/", {"q": "party"}).json()
    assert any("took too long" in notice for notice in api["notices"])
    settings.ARCHIVE_SEARCH_TIME_LIMIT = 5
    assert "took too long" not in client.get("/search/", {"q": "party"}).content.decode()


def _undated(write_file, ingest):
    path = write_file("u.txt", "Undated note on the Labour Party\n\nThe Labour Party met again to talk about trains.\n")
    assert ingest(path).count("added") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "start,end",
    [
        ("2021-01-01", "2021-12-31"),
        ("2019-01-01", "2019-12-31"),
        ("2021-05-06", "2021-05-06"),
        ("2020-01-01", None),
        (None, "2020-12-31"),
        ("2030-01-01", None),
    ],
)
def test_a_date_range_is_answered_from_the_date_column_and_finds_what_the_database_finds(
    three, write_file, ingest, start, end
):
    from archive.models import Article
    from archive.search.backend import RANGE_COLUMNS, ColumnRange, columns_for_ranges

    _undated(write_file, ingest)
    sqs, articles = SearchQuerySet().all(), Article.objects.all()
    if start:
        sqs = sqs.filter(date__gte=datetime.date.fromisoformat(start))
        articles = articles.filter(published__gte=start)
    if end:
        sqs = sqs.filter(date__lte=datetime.date.fromisoformat(end))
        articles = articles.filter(published__lte=end)
    assert sorted(int(r.pk) for r in sqs) == sorted(articles.values_list("pk", flat=True))
    parsed = columns_for_ranges(backend()._parse(str(sqs.query)), RANGE_COLUMNS, {})
    assert any(isinstance(node, ColumnRange) for node in parsed.leaves())


@pytest.mark.django_db(transaction=True)
def test_a_date_range_skips_the_replaced_documents_of_reindexed_articles(three):
    from archive.models import Article
    from archive.search.signals import index_articles_now

    in_2021 = SearchQuerySet().filter(date__gte=datetime.date(2021, 1, 1))
    assert in_2021.count() == 2
    index_articles_now(list(Article.objects.values_list("pk", flat=True)))
    assert backend().searcher().reader().has_deletions()
    assert sorted(int(r.pk) for r in SearchQuerySet().filter(date__gte=datetime.date(2021, 1, 1))) == sorted(
        Article.objects.filter(published__year=2021).values_list("pk", flat=True)
    )


class FakeReader:
    """The two things spelling asks of a reader: its words and how often each occurs."""

    def __init__(self, frequencies):
        self.frequencies = frequencies

    def lexicon(self, fieldname):
        return iter(sorted(word.encode() for word in self.frequencies))

    def frequency(self, fieldname, word):
        return self.frequencies.get(word, 0)


def test_a_misspelling_is_corrected_to_the_nearest_word_then_the_most_frequent():
    backend = ArchiveWhooshBackend("default", PATH="/nonexistent")
    reader = FakeReader({"budget": 3, "budgets": 50, "bulging": 900, "nudges": 400})
    # 'budgrt' is one edit from 'budget' and two from 'budgets', which is far more common.
    assert backend._neighbours(reader, "budgrt", maxdist=2, limit=2) == ["budget", "budgets"]
    # At the same distance, the more frequent word first.
    assert backend._neighbours(reader, "budgetz", maxdist=1, limit=3) == ["budgets", "budget"]
    assert backend._neighbours(reader, "zzzzzz", maxdist=2, limit=1) == []


# ------------------------------------------------------------------ the parallel writer


def _parallel_writer_with_a_process(folder: Path):
    """A ParallelWriter on a small index of its own, past its first batch (so one of its
    writing processes has started)."""
    from whoosh import fields as whoosh_fields
    from whoosh.filedb.filestore import FileStorage

    from archive.search.backend import ParallelWriter

    index = FileStorage(str(folder)).create_index(whoosh_fields.Schema(body=whoosh_fields.TEXT))
    writer = ParallelWriter(index, procs=2, multisegment=True, batchsize=10)
    for number in range(25):
        writer.add_document(body=f"document number {number}")
    assert writer.tasks and all(task.is_alive() for task in writer.tasks)
    return index, writer


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # exited, not yet reaped
    except FileNotFoundError:
        return True


def test_a_parallel_writer_writes_every_document_in_segments_of_its_processes(tmp_path):
    index, writer = _parallel_writer_with_a_process(tmp_path)
    writer.commit(merge=False)
    index = index.refresh()
    assert index.doc_count() == 25
    with index.searcher() as searcher:
        assert len(searcher.search(whoosh_query.Term("body", "number"), limit=None)) == 25


def test_a_cancelled_parallel_writer_leaves_no_process_behind(tmp_path):
    index, writer = _parallel_writer_with_a_process(tmp_path)
    tasks = list(writer.tasks)
    writer.cancel()
    assert not any(task.is_alive() for task in tasks)
    assert index.refresh().doc_count() == 0


def test_the_writing_processes_leave_when_the_process_that_started_them_is_killed(tmp_path):
    import multiprocessing
    import os
    import signal
    import time

    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe()

    def start_a_writer_and_wait():
        _index, writer = _parallel_writer_with_a_process(tmp_path)
        child_end.send([task.pid for task in writer.tasks])
        time.sleep(60)  # killed long before this ends

    starter = context.Process(target=start_a_writer_and_wait)
    starter.start()
    assert parent_end.poll(30), "the writer never started its processes"
    writing = parent_end.recv()
    os.kill(starter.pid, signal.SIGKILL)  # as kill -9 would: no cleanup runs
    starter.join()
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in writing) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in writing), "a writing process outlived the rebuild that started it"


# ------------------------------------------------------------------ one pass over the hits


def test_scores_read_from_the_length_table_equal_whooshs_own(segmented_index):
    from whoosh import scoring
    from whoosh.qparser import QueryParser

    from archive.search.backend import LengthTableBM25F

    index = segmented_index
    assert len(index.reader().leaf_readers()) == 3
    parsed = QueryParser("body", index.schema).parse("rail OR (budget AND strike) OR tax")
    with index.searcher(weighting=scoring.BM25F()) as stock, index.searcher(weighting=LengthTableBM25F()) as ours:
        expected = [(hit.docnum, hit.score) for hit in stock.search(parsed, limit=None)]
        found = [(hit.docnum, hit.score) for hit in ours.search(parsed, limit=None)]
    assert len(expected) > 100
    assert found == expected


def test_the_top_hits_and_every_hit_come_from_one_pass_that_prunes_nothing(segmented_index):
    from whoosh.qparser import QueryParser

    from archive.search.backend import AllHitsTopCollector

    index = segmented_index
    # An OR of a common and a rare word: Whoosh's top-N collector may drop the side that
    # can no longer reach its top 5; every hit must still be counted.
    parsed = QueryParser("body", index.schema).parse("rail OR school")
    with index.searcher() as searcher:
        every = set(searcher.docs_for_query(parsed))
        stock = [hit.docnum for hit in searcher.search(parsed, limit=5)]
        collector = AllHitsTopCollector(5)
        searcher.search_with_collector(parsed, collector)
        assert [hit.docnum for hit in collector.results()] == stock
    assert sorted(collector.all_ids()) == sorted(every)
    assert collector.count() == len(every) and 61 not in every


# A word (answered with arrays) and a prefix (Whoosh's matchers).
@pytest.mark.parametrize("text", ["budget", "budget OR vot*"])
def test_a_search_by_one_column_orders_as_whoosh_does_ties_included(segmented_index, tmp_path, text):
    from whoosh import collectors
    from whoosh.qparser import QueryParser

    index = segmented_index
    parsed = QueryParser("body", index.schema).parse(text)
    backend = ArchiveWhooshBackend("default", PATH=str(tmp_path))
    with index.searcher() as searcher:
        for reverse in (True, False):
            whoosh_sorted = collectors.SortingCollector("when", limit=25, reverse=reverse)
            searcher.search_with_collector(parsed, whoosh_sorted)
            top, docs = backend._hits(searcher, parsed, "when", reverse, 25)
            assert [n for n, _ in top] == [hit.docnum for hit in whoosh_sorted.results()]
            assert sorted(docs) == sorted(whoosh_sorted.all_ids())


def test_facet_counts_from_the_pair_table_equal_a_count_of_each_hits_values(segmented_index, tmp_path):
    from archive.search.backend import hit_mask

    index = segmented_index
    backend = ArchiveWhooshBackend("default", PATH=str(tmp_path))
    with index.searcher() as searcher:
        docs = list(searcher.docs_for_query(whoosh_query.Term("body", "strike")))
        counted = backend._field_counts(searcher, "tags", hit_mask(searcher, docs))
        expected: dict = {}
        for docnum in docs:
            for tag in searcher.stored_fields(docnum)["tags"].split(","):
                expected[tag] = expected.get(tag, 0) + 1
    assert counted == sorted(expected.items(), key=lambda item: (-item[1], item[0]))
