"""Impossible dates and huge page numbers in URLs: a 404 or the last page, never a 500."""

import pytest

from tests.conftest import DEMO


@pytest.mark.parametrize(
    "url",
    [
        "/articles/99999999/01/01/x/",
        "/articles/99999999999999999999999999/01/01/x/",
        "/articles/2025/13/45/x/",
        "/articles/2025/02/30/x/",
        "/articles/0/01/01/x/",
        "/articles/99999999/01/01/x/original/",
    ],
)
def test_an_impossible_date_in_an_article_url_is_a_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/articles/", "/people/", "/organisations/", "/people/keir-starmer/"])
@pytest.mark.parametrize("page", ["99999999999999999999999", "-1", "1e9", "abc", "0"])
def test_a_huge_or_odd_page_number_on_a_list_page_is_never_a_500(client, ingest, url, page):
    ingest(DEMO / "2024-07-05-starmer-enters-downing-street.txt")

    response = client.get(url, {"page": page})

    assert response.status_code in (200, 404)
