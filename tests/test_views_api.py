"""The JSON API and the streamed CSV and JSON exports of a search."""

import csv
import io
import json
from pathlib import Path

import pytest

from archive.export import EXPORT_FIELDS
from archive.models import Article

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"
WELFARE_REBELLION = DEMO / "2025-07-02-welfare-rebellion.txt"
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"
RUNCORN = DEMO / "2025-05-02-runcorn-by-election.txt"
PAYLOAD = "<img src=x onerror=alert(1)>"


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def four(ingest):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION, RUNCORN)


# ----------------------------------------------------------------------------- /api/search/


def test_api_search_returns_results_total_filters_and_paging_like_the_page(four, client):
    page = client.get("/search/", {"q": "Labour", "person": "keir-starmer"}).context["results"]

    body = get_json(client, "/api/search/", {"q": "Labour", "person": "keir-starmer"})

    assert body["total"] == page.total == body["count"]
    assert [r["title"] for r in body["results"]] == [r.article.title for r in page.results]
    first = body["results"][0]
    assert set(EXPORT_FIELDS) <= set(first)
    assert first["archive_url"].startswith("http://testserver/articles/")
    assert "Keir Starmer" in first["people"]
    assert body["filters"]["q"] == "Labour"
    assert body["filters"]["person"] == {
        "name": "Keir Starmer",
        "kind": "person",
        "slug": "keir-starmer",
        "url": "/people/keir-starmer/",
    }
    assert body["description"] == page.description
    assert body["page"] == 1 and body["next"] is None and body["previous"] is None
    assert "facets" in body and "suggestion" in body


def test_api_search_pages_link_to_each_other(four, client, monkeypatch):
    from archive.search import query

    monkeypatch.setattr(query, "RESULTS_PER_PAGE", 2)

    first = get_json(client, "/api/search/", {"party": "labour-party"})
    second = get_json(client, "/api/search/", {"party": "labour-party", "page": 2})

    assert first["total"] == 4 and first["pages"] == 2 and len(first["results"]) == 2
    assert first["next"] == "http://testserver/api/search/?party=labour-party&page=2"
    assert second["previous"] == "http://testserver/api/search/?party=labour-party&page=1"
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_api_search_with_a_bad_date_answers_400_with_the_reason(four, client):
    body = get_json(client, "/api/search/", {"from": "2025-13"}, status=400)

    assert body == {"errors": ["The 'from' date “2025-13” does not exist."]}


# ----------------------------------------------------------------------------- detail endpoints


def test_api_article_has_its_rows_fields_body_citation_urls_and_retrieval_time(four, client):
    article = Article.objects.get(file_name=RAHMAN_QUITS.name)

    body = get_json(client, f"/api/articles/{article.pk}/")

    assert body["id"] == article.pk
    assert body["title"] == article.title
    assert body["date"] == "2025-04-12"
    assert body["source"] == "Red Rose Review"
    assert "Mish Rahman" in body["people"] and "Labour Party" in body["parties"]
    assert "Labour National Executive Committee" in body["organisations"]
    assert body["quotes"][0]["speaker"] == "Sana Choudhury"
    assert body["body_text"] == article.body
    assert body["original_text_url"] == "http://testserver" + article.get_original_url()
    assert body["retrieved"] == article.created.isoformat()


def test_api_unknown_things_answer_404_in_json(four, client):
    assert get_json(client, "/api/articles/999999/", status=404) == {"errors": ["There is no article 999999."]}
    assert get_json(client, "/api/people/nobody/", status=404)["errors"]
    assert get_json(client, "/api/organisations/nothing/", status=404)["errors"]


def test_api_person_has_aliases_memberships_and_paginated_articles(four, client):
    body = get_json(client, "/api/people/keir-starmer/")

    assert body["name"] == "Keir Starmer" and body["kind"] == "person"
    assert "Sir Keir" in body["aliases"]
    roles = {(m["organisation"]["slug"], m["role"], m["start"]) for m in body["memberships"]}
    assert ("uk-government", "Prime Minister", "2024-07-05") in roles
    assert body["articles"]["count"] == 4
    dates = [a["date"] for a in body["articles"]["results"]]
    assert dates == sorted(dates, reverse=True)


def test_api_organisation_lists_members_now_and_its_articles(four, client):
    body = get_json(client, "/api/organisations/labour-party/")

    assert body["kind"] == "party"
    members = {m["person"]["slug"]: m for m in body["members_now"]}
    assert "keir-starmer" in members
    assert "jeremy-corbyn" not in members
    assert all(m["end"] is None or m["end"] >= "2025" for m in body["members_now"])
    assert body["articles"]["count"] == 4


# ----------------------------------------------------------------------------- /api/entities/


def test_api_entities_finds_people_parties_organisations_and_sources_by_part_of_a_name(four, client):
    people = get_json(client, "/api/entities/", {"q": "starm"})["results"]
    matched = people[0].pop("matched")
    assert people[0] == {
        "name": "Keir Starmer",
        "kind": "person",
        "slug": "keir-starmer",
        "article_count": 4,
    }
    assert "Starmer" in matched  # an alias of his that starts 'starm'... or a word of it

    kinds = {(r["slug"], r["kind"]) for r in get_json(client, "/api/entities/", {"q": "red rose"})["results"]}
    assert ("red-rose-review", "source") in kinds

    labour = get_json(client, "/api/entities/", {"q": "Labour"})["results"]
    assert ("labour-party", "party") in {(r["slug"], r["kind"]) for r in labour}
    assert ("labour-nec", "organisation") in {(r["slug"], r["kind"]) for r in labour}


def test_api_entities_matches_aliases(four, client):
    found = get_json(client, "/api/entities/", {"q": "Tories"})["results"]

    assert "conservative-party" in [r["slug"] for r in found]


def test_api_entities_can_ask_for_one_kind(four, client):
    found = get_json(client, "/api/entities/", {"q": "Labour", "kind": "party"})["results"]

    assert found and {r["kind"] for r in found} == {"party"}


def test_api_entities_suggests_nothing_until_two_letters_are_typed(four, client):
    assert get_json(client, "/api/entities/", {"q": "  "})["results"] == []
    assert get_json(client, "/api/entities/", {"q": "k"})["results"] == []
    assert get_json(client, "/api/entities/", {"q": "ke"})["results"]


# ----------------------------------------------------------------------------- exports


def test_csv_export_streams_every_result_not_just_the_first_page(four, client, monkeypatch):
    from archive.search import query

    monkeypatch.setattr(query, "RESULTS_PER_PAGE", 1)

    response = client.get("/search/export.csv", {"party": "labour-party", "sort": "oldest"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cuttings-search.csv"'
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert [r["date"] for r in rows] == ["2024-07-05", "2025-04-12", "2025-05-02", "2025-07-02"]
    assert list(rows[0]) == EXPORT_FIELDS
    rahman = rows[1]
    assert "Mish Rahman" in rahman["people"].split("; ")
    assert "Labour Party" in rahman["parties"].split("; ")
    assert "Labour National Executive Committee" in rahman["organisations"].split("; ")


def test_json_export_is_one_array_of_the_same_rows(four, client):
    csv_rows = list(csv.DictReader(io.StringIO(streamed(client.get("/search/export.csv", {"q": "Rahman"})))))

    response = client.get("/search/export.json", {"q": "Rahman"})

    assert response["Content-Type"] == "application/json"
    rows = json.loads(streamed(response))
    assert [r["title"] for r in rows] == [r["title"] for r in csv_rows]
    assert len(rows) == 2
    assert all(isinstance(r["people"], list) for r in rows)


def test_export_of_a_search_finding_nothing_is_a_header_or_an_empty_array(four, client):
    assert streamed(client.get("/search/export.csv", {"q": "zyzzyva"})).strip() == ",".join(EXPORT_FIELDS)
    assert json.loads(streamed(client.get("/search/export.json", {"q": "zyzzyva"}))) == []


def test_export_of_a_bad_search_says_why(four, client):
    response = client.get("/search/export.csv", {"to": "2025-02-30"})

    assert response.status_code == 400
    assert response.content.decode() == "This search cannot be run. The 'to' date “2025-02-30” does not exist."


def test_export_reads_the_database_a_chunk_at_a_time(four, client, django_assert_max_num_queries, monkeypatch):
    from archive import export

    monkeypatch.setattr(export, "CHUNK", 2)
    with django_assert_max_num_queries(24):  # two chunks of four queries, plus the name resolver and search (about 13)
        rows = json.loads(streamed(client.get("/search/export.json", {"party": "labour-party"})))
    assert len(rows) == 4


# ----------------------------------------------------------------------------- escaping


def test_markup_in_an_article_is_data_in_the_api_and_exports(ingest, write_file, client):
    ingest(
        write_file(
            "xss.txt",
            f"THE TEST GAZETTE\n\nThe {PAYLOAD} minutes\n\nPosted on 3 March 2025 by Jo Tester\n\n"
            f"Keir Starmer said {PAYLOAD} had been found in the minutes, and nobody could say who had put it there.\n",
        )
    )
    article = Article.objects.get()

    for response in (client.get(f"/api/articles/{article.pk}/"), client.get("/api/search/", {"q": "minutes"})):
        assert response["Content-Type"] == "application/json"  # never rendered as a page
        assert PAYLOAD in json.dumps(response.json())
    assert PAYLOAD in json.loads(streamed(client.get("/search/export.json", {"q": "minutes"})))[0]["title"]
    assert PAYLOAD in streamed(client.get("/search/export.csv", {"q": "minutes"}))


def test_csv_export_makes_cells_a_spreadsheet_would_run_as_formulas_text(ingest, write_file, client):
    title = '=HYPERLINK("http://evil.example/","Minutes")'
    body = "Keir Starmer said the minutes had been found, and nobody could say who had put them there."
    ingest(
        write_file("formula.json", json.dumps({"title": title, "author": "@jo", "date": "2025-03-03", "text": body}))
    )
    [row] = csv.DictReader(io.StringIO(streamed(client.get("/search/export.csv", {"q": "minutes"}))))
    assert row["title"] == "'" + title
    assert row["author"] == "'@jo"
    assert row["people"] == "Keir Starmer"  # ordinary cells are untouched
    exported = json.loads(streamed(client.get("/search/export.json", {"q": "minutes"})))
    assert exported[0]["title"] == title  # JSON is data, not a sheet


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_like_a_formula_are_marked_as_text(start):
    from archive.export import csv_lines

    row = dict.fromkeys(EXPORT_FIELDS, None) | {
        "title": f"{start}1+1",
        "people": [f"{start}cmd", "Jo"],
        "file": "a.txt",
    }
    [parsed] = csv.DictReader(io.StringIO("".join(csv_lines([row]))))
    assert parsed["title"] == f"'{start}1+1"
    assert parsed["people"] == f"'{start}cmd; Jo"
    assert parsed["file"] == "a.txt"
