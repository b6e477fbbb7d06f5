"""Every page asks the database a bounded number of queries, whatever the archive's size.

Each test measures a page over a small archive and again after it has grown (10 articles,
then 50: a results page of 10 hits and a full one of 20 from 50), with the cache emptied
before each measured request, and asserts the same count both times and a fixed ceiling.
Person, organisation and home pages must also never read an article's body or raw text
(they list titles; the text is most of an article row).
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Article, Mention, Organisation, Person, Quote, Source
from archive.search import entities

# The organisation page's is the most: its page, members and former members, and three
# aggregates each counted from the mentions and then joined to the names.
MAX_QUERIES = 18
PEOPLE = ["keir-starmer", "angela-rayner", "rachel-reeves"]


@pytest.fixture
def grow(knowledge, django_capture_on_commit_callbacks):
    """grow(n): add n more articles, each naming three Labour people (one quoted), the
    Labour party and Unite, indexed as ingest would (after commit)."""
    people = list(Person.objects.filter(slug__in=PEOPLE))
    assert len(people) == len(PEOPLE), "the knowledge base lost a person this test names"
    labour = Organisation.objects.get(slug="labour-party")
    union, _ = Organisation.objects.get_or_create(slug="unite", defaults={"name": "Unite", "kind": "union"})
    source, _ = Source.objects.get_or_create(slug="test-gazette", defaults={"name": "Test Gazette"})
    made = [0]

    def add(n):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                made[0] += 1
                number = made[0]
                body = f"Budget row number {number}. " + " ".join(p.name for p in people) + " of Labour and Unite."
                article = Article.objects.create(
                    title=f"Budget row {number}",
                    slug=f"budget-row-{number}",
                    source=source,
                    published=datetime.date(2015, 1, 1) + datetime.timedelta(days=37 * number),
                    body=body,
                    raw=body,
                    content_hash=f"{number:064d}",
                    file_name=f"row/{number}.txt",
                )
                Mention.objects.bulk_create(
                    [Mention(article=article, person=p, first_offset=i) for i, p in enumerate(people)]
                    + [Mention(article=article, organisation=o, first_offset=9) for o in (labour, union)]
                )
                Quote.objects.create(article=article, speaker=people[0], text=f"Quote {number}", start=0, end=5)
        return list(Article.objects.order_by("pk"))

    return add


@pytest.fixture
def bounded(grow, client, django_assert_max_num_queries, monkeypatch):
    """bounded(url_of, params): the page's queries over 10 articles and over 50 (with the
    cache emptied before each), the same number both times and at most MAX_QUERIES; the
    SQL of the second. (The name table's once-a-second check runs in the warming request,
    not in the measured one, whatever the machine's speed.)"""
    monkeypatch.setattr(entities, "CHECK_SECONDS", 3600)

    def measure(url, params, ceiling):
        client.get(url, params)  # warm: the searcher, the name table, word lists
        cache.clear()
        with ceiling as captured:
            response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return [q["sql"] for q in captured.captured_queries]

    def check(url_of, params=None):
        small = measure(url_of(grow(10)), params or {}, CaptureQueriesContext(connection))
        large = measure(url_of(grow(40)), params or {}, django_assert_max_num_queries(MAX_QUERIES))
        assert len(large) == len(small), "\n".join(large)
        return large

    return check


def reads_article_text(sql: list[str]) -> list[str]:
    return [q for q in sql if re.search(r'"archive_article"\."(body|raw)"', q)]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "budget"},
        {"q": "budget", "facets": "1"},
        {"person": "keir-starmer"},
        {"party": "labour-party", "members": "1"},
        {},
    ],
    ids=["words", "facets", "person", "party-members-then", "empty"],
)
def test_a_results_page_runs_the_same_number_of_queries_for_10_or_50_hits(bounded, params):
    bounded(lambda articles: "/search/", params)


def test_the_api_search_runs_the_same_number_of_queries_for_10_or_50_hits(bounded):
    bounded(lambda articles: "/api/search/", {"q": "budget"})


def test_the_search_feed_runs_a_bounded_number_of_queries(bounded):
    bounded(lambda articles: "/feeds/search/", {"q": "budget"})


@pytest.mark.parametrize("url", ["/feeds/people/keir-starmer/", "/feeds/organisations/labour-party/"])
def test_entity_feeds_run_a_bounded_number_of_queries(bounded, url):
    bounded(lambda articles: url)


def test_the_article_page_runs_a_bounded_number_of_queries(bounded):
    bounded(lambda articles: articles[-1].get_absolute_url())


def test_the_person_page_is_bounded_and_never_reads_article_text(bounded):
    sql = bounded(lambda articles: "/people/keir-starmer/")
    assert reads_article_text(sql) == []


@pytest.mark.parametrize("slug", ["labour-party", "unite"], ids=["party", "organisation"])
def test_the_organisation_page_is_bounded_and_never_reads_article_text(bounded, slug):
    sql = bounded(lambda articles: f"/organisations/{slug}/")
    assert reads_article_text(sql) == []


def test_the_home_page_is_bounded_and_never_reads_article_text(bounded):
    sql = bounded(lambda articles: "/")
    assert reads_article_text(sql) == []


def test_the_person_page_shows_the_party_at_the_time_on_every_row(grow, client):
    grow(25)

    response = client.get("/people/keir-starmer/")

    # Keir Starmer has been in Labour throughout: every listed article (20 a page) and quote says so.
    assert response.content.decode().count("then: Labour") >= 20


def test_the_home_pages_busiest_lists_come_from_the_cache_until_an_article_is_added(grow, client):
    grow(10)
    client.get("/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    assert not [q for q in cached.captured_queries if "archive_mention" in q["sql"]]

    Mention.objects.filter(person__slug="angela-rayner").delete()  # an edit alone: cached for a while
    assert "Angela Rayner" in client.get("/").content.decode()
    grow(1)  # an added article (in any process) changes the key
    with CaptureQueriesContext(connection) as fresh:
        page = client.get("/").content.decode()
    assert [q for q in fresh.captured_queries if "archive_mention" in q["sql"]]
    assert "Angela Rayner" in page  # named by the new article
    assert "Rachel Reeves" in page
