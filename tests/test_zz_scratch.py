import pytest

from tests.conftest import DEMO


@pytest.mark.parametrize(
    "q",
    [
        "*",
        "AND",
        "the",
        "-",
        '"',
        "title:foo",
        "((((",
        '"Mish Rahman"~3',
        "OR OR",
        "NOT",
        "a" * 499,
        "Rahman AND",
        "\\",
        "?",
        "people:mish-rahman",
        "~",
        "^2",
        "{}[]",
        "&amp;",
        "lt",
        "amp",
    ],
)
def test_weird(ingest, client, q):
    ingest(DEMO / "2025-04-12-mish-rahman-quits-labour.txt")
    r = client.get("/search/", {"q": q})
    assert r.status_code == 200
    res = r.context["results"]
    print(repr(q), res and res.total, res and res.suggestion)


def test_people_letter(ingest, client):
    r = client.get("/people/", {"letter": "R"})
    names = [p.sort_name for p in r.context["page"]]
    print(names[:60])
    assert names == sorted(names)
