"""The contract the pages rely on, run against a real Elasticsearch when ELASTICSEARCH_URL
is set (e.g. http://127.0.0.1:9200); skipped otherwise (none can be installed on the
machine these tests were written on, see docs/scaling.md)."""

import datetime
import os
import uuid

import pytest
from haystack import connections
from haystack.query import SearchQuerySet

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_URL is not set")


@pytest.fixture
def elasticsearch(settings):
    pytest.importorskip("elasticsearch")
    info = connections.connections_info["default"]
    saved = dict(info)
    connections.connections_info["default"] = {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": ES_URL,
        "INDEX_NAME": f"cuttings-test-{uuid.uuid4().hex[:8]}",
    }
    connections.reload("default")
    yield connections["default"].get_backend()
    connections["default"].get_backend().clear()
    connections.connections_info["default"] = saved
    connections.reload("default")


@pytest.fixture
def stories(elasticsearch, ingest, write_file):
    def story(name, date, headline, body):
        return write_file(name, f"{headline}\n\nBy Ann Writer\n\nPublished {date:%-d %B %Y}\n\n{body}\n")

    ingest(
        story(
            "a.txt",
            datetime.date(2019, 3, 4),
            "Keir Starmer sets out rail plan",
            "Keir Starmer said the Labour Party would take the railways back into public hands.",
        ),
        story(
            "b.txt",
            datetime.date(2021, 5, 6),
            "Boris Johnson defends the budget",
            "Boris Johnson said the Conservative Party had kept its promises on the budget.",
        ),
    )
    elasticsearch.conn.indices.refresh(index=elasticsearch.index_name)


@pytest.mark.django_db(transaction=True)
def test_words_filters_and_the_empty_search_behave_as_on_whoosh(stories, client):
    assert SearchQuerySet().all().count() == 2
    assert SearchQuerySet().filter(content="railways").count() == 1
    assert SearchQuerySet().filter(people="boris-johnson").count() == 1
    response = client.get("/search/", {"q": "budget"})
    assert response.status_code == 200
    assert "Boris Johnson defends the budget" in response.content.decode()
    assert client.get("/search/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_facets_have_the_same_shape_as_on_whoosh(stories):
    counts = (
        SearchQuerySet()
        .facet("people")
        .date_facet("date", datetime.date(2010, 1, 1), datetime.date(2027, 1, 1), "year")
        .facet_counts()
    )
    assert dict(counts["fields"]["people"]) == {"keir-starmer": 1, "boris-johnson": 1}
    assert {when.year: n for when, n in counts["dates"]["date"] if n} == {2019: 1, 2021: 1}
