"""Atom feeds for a search, a person and an organisation."""

import html
from pathlib import Path
from xml.etree import ElementTree

import pytest

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"
WELFARE_REBELLION = DEMO / "2025-07-02-welfare-rebellion.txt"
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"
ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<img src=x onerror=alert(1)>"


def feed(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def entries(root):
    return [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href")) for e in root.iter(f"{ATOM}entry")]


@pytest.fixture
def three(ingest):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)


def test_search_feed_takes_the_search_pages_parameters_and_lists_newest_first(three, client):
    root = feed(client, "/feeds/search/", {"q": "Labour", "from": "2025-01"})

    found = entries(root)
    assert [title for title, _ in found] == [
        "49 Labour MPs defy the whip as welfare bill scrapes through after late climbdown",
        "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values",
    ]
    assert found[1][1] == "http://testserver/articles/2025/04/12/" + (
        "former-nec-member-mish-rahman-quits-labour-accusing-leadership-of-abandoning-its-values/"
    )
    assert "containing “Labour”" in root.findtext(f"{ATOM}title")
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/search/?q=Labour&from=2025-01"


def test_search_feed_filters_like_the_search_page(three, client):
    page = client.get("/search/", {"person": "mish-rahman"}).context["results"]

    found = entries(feed(client, "/feeds/search/", {"person": "mish-rahman"}))

    assert sorted(title for title, _ in found) == sorted(r.article.title for r in page.results)
    assert len(found) == 2


def test_search_feed_with_a_bad_date_says_why_in_plain_words(three, client):
    response = client.get("/feeds/search/", {"from": "2025-02-30"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "This search cannot be run. The 'from' date “2025-02-30” does not exist."


def test_person_feed_lists_articles_mentioning_them(three, client):
    root = feed(client, "/feeds/people/mish-rahman/")

    assert root.findtext(f"{ATOM}title") == "Cuttings: articles mentioning Mish Rahman"
    titles = [title for title, _ in entries(root)]
    assert titles[0].startswith("49 Labour MPs")
    assert len(titles) == 2
    updated = [e.findtext(f"{ATOM}published") for e in root.iter(f"{ATOM}entry")]
    assert updated[1].startswith("2025-04-12")


def test_organisation_feed_lists_articles_naming_it(three, client):
    root = feed(client, "/feeds/organisations/labour-nec/")

    assert root.findtext(f"{ATOM}title") == "Cuttings: articles naming Labour National Executive Committee"
    assert [t for t, _ in entries(root)] == [
        "49 Labour MPs defy the whip as welfare bill scrapes through after late climbdown",
        "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values",
    ]  # not the July 2024 article, which never names the NEC


def test_feeds_of_unknown_people_and_organisations_are_not_found(three, client):
    assert client.get("/feeds/people/nobody-at-all/").status_code == 404
    assert client.get("/feeds/organisations/no-such-party/").status_code == 404


def test_markup_in_an_article_reaches_a_feed_reader_as_text(ingest, write_file, client):
    ingest(
        write_file(
            "xss.txt",
            f"THE TEST GAZETTE\n\nKeir Starmer and the {PAYLOAD} affair\n\nPosted on 3 March 2025 by Jo Tester\n\n"
            f"Keir Starmer said the Labour Party would look again. {PAYLOAD} was found in the minutes, "
            "and nobody could say who had put it there or why it mattered to anyone.\n",
        )
    )

    for url in ("/feeds/search/?q=minutes", "/feeds/people/keir-starmer/", "/feeds/organisations/labour-party/"):
        root = feed(client, url)
        entry = next(root.iter(f"{ATOM}entry"))
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # What a reader renders as HTML is the escaped text: no element comes out of it.
        assert PAYLOAD not in summary.text
        assert html.unescape(summary.text).count(PAYLOAD) == 1
        title = entry.find(f"{ATOM}title")
        assert title.get("type") in (None, "text")  # plain text: shown as typed
        assert PAYLOAD in title.text
