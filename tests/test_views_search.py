"""The search page: words, filters, sorting, paging, snippets and suggestions.

Searches run against the real (per-test) Whoosh index, filled by ingesting original files:
the seed pages (through the ``seeds`` fixture, skipped without ../shared), the ``demo/``
articles, and small pages written here.
"""

import datetime
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from archive.models import Article

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"  # Red Rose Review, 12 April 2025
WELFARE_REBELLION = DEMO / "2025-07-02-welfare-rebellion.txt"  # Red Rose Review, 2 July 2025
RUNCORN = DEMO / "2025-05-02-runcorn-by-election.txt"  # Northern Dispatch, 2 May 2025
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"  # Westminster Ledger, 5 July 2024
LABOUR_JSONL = DEMO / "labour-internal-elections.jsonl"  # Red Rose Review 29 Sept 2025, and an undated one

SEEDS_NAMING_RAHMAN = {"000_23302f50f732d927.txt", "002_b66fa1dca982ed92.txt", "004_19698d48a980bf77.txt"}


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response


def results(response):
    return response.context["results"]


def file_names(response) -> set[str]:
    return {r.article.file_name for r in results(response).results}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", lxml.html.fromstring(response.content.decode()).text_content())


def page_with(write_file, name: str, headline: str, body: str, date: str = "3 March 2025") -> Path:
    return write_file(name, f"THE TEST GAZETTE\n\n{headline}\n\nPosted on {date} by Jo Tester\n\n{body}\n")


# ----------------------------------------------------------------------------- seeds


def test_words_find_the_seed_articles_about_mish_rahman(ingest, seeds, client):
    ingest(seeds)

    response = search(client, q="Rahman")

    assert results(response).total >= 3
    assert file_names(response) >= SEEDS_NAMING_RAHMAN
    assert "003_96deb0eba484b6e9.txt" not in file_names(response)  # the BBC piece never names him
    titles = lxml.html.fromstring(response.content.decode()).xpath("//ol[@class='results']//a[@class='article-title']")
    assert len(titles) == results(response).total


def test_person_filter_finds_the_seed_articles_mentioning_mish_rahman(ingest, seeds, client):
    ingest(seeds)

    response = search(client, person="mish-rahman")

    assert results(response).total >= 3
    assert file_names(response) >= SEEDS_NAMING_RAHMAN
    assert all("mish-rahman" in [p.slug for p in r.people] for r in results(response).results)


def test_party_filter_finds_all_five_seed_articles(ingest, seeds, client):
    ingest(seeds)

    response = search(client, party="labour-party")

    assert results(response).total == 5
    assert file_names(response) == {path.name for path in seeds.glob("*.txt")}


# ----------------------------------------------------------------------------- filters


@pytest.fixture
def labour_spring(ingest):
    """Five dated Labour articles from three sources, and one undated."""
    ingest(RAHMAN_QUITS, WELFARE_REBELLION, RUNCORN, STARMER_ENTERS, LABOUR_JSONL)


def test_filters_combine_party_dates_and_source(labour_spring, client):
    everything = search(client, party="labour-party")
    in_dates = search(client, party="labour-party", **{"from": "2025-04", "to": "2025-07"})
    from_source = search(client, party="labour-party", source="red-rose-review")
    combined = search(client, party="labour-party", source="red-rose-review", **{"from": "2025-04", "to": "2025-07"})

    assert results(everything).total == 6
    assert file_names(in_dates) == {RAHMAN_QUITS.name, WELFARE_REBELLION.name, RUNCORN.name}
    assert file_names(from_source) == {RAHMAN_QUITS.name, WELFARE_REBELLION.name, "labour-internal-elections.jsonl#2"}
    assert file_names(combined) == {RAHMAN_QUITS.name, WELFARE_REBELLION.name}
    assert "2 results" in page_text(combined)


def test_a_to_date_includes_the_whole_month(labour_spring, client):
    response = search(client, party="labour-party", **{"from": "2025-07-02", "to": "2025-07"})

    assert file_names(response) == {WELFARE_REBELLION.name}


def test_words_and_person_filter_combine(labour_spring, client):
    response = search(client, q="welfare", person="mish-rahman")

    assert file_names(response) == {RAHMAN_QUITS.name, WELFARE_REBELLION.name}
    assert results(search(client, q="recount", person="mish-rahman")).total == 0


def test_party_with_members_includes_articles_naming_a_member_of_the_party_at_the_time(ingest, write_file, client):
    """Zack Polanski was a Liberal Democrat until the end of 2017 and a Green from 2017:
    a 2016 article naming only him counts for the Lib Dems, not the Greens, with members=1."""
    ingest(
        page_with(
            write_file,
            "polanski-2016.txt",
            "Assembly hopeful sets out housing plan",
            "Zack Polanski told a packed meeting in Camden that renters needed far stronger protection "
            "and promised to campaign on the issue all year.",
            date="14 June 2016",
        )
    )
    assert Article.objects.get().published == datetime.date(2016, 6, 14)

    assert results(search(client, party="liberal-democrats")).total == 0
    assert results(search(client, party="liberal-democrats", members="1")).total == 1
    assert results(search(client, party="green-party-of-england-and-wales", members="1")).total == 0


@pytest.fixture
def one_article(ingest):
    ingest(RAHMAN_QUITS)


def test_unknown_filter_value_finds_nothing_and_says_so(one_article, client):
    response = search(client, person="nobody-at-all")

    assert results(response).total == 0
    assert results(response).description == "Articles mentioning “nobody-at-all” (not in the archive); newest first."


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13"}, "That date does not exist."),
        ({"to": "2025-02-30"}, "That date does not exist."),
        ({"from": "April 2025"}, "Use a year, a month or a day: 2025, 2025-04 or 2025-04-11."),
        ({"from": "2025-06", "to": "2025-01"}, "The 'from' date is after the 'to' date."),
        ({"sort": "random"}, "Select a valid choice."),
    ],
)
def test_invalid_filters_show_a_form_error_not_a_server_error(one_article, client, params, message):
    response = search(client, party="labour-party", **params)

    assert results(response) is None
    errors = lxml.html.fromstring(response.content.decode()).xpath("//div[@class='errors' and @role='alert']")
    assert len(errors) == 1
    assert message in errors[0].text_content()
    # The form keeps what was typed, so it can be corrected.
    assert 'value="labour-party"' in response.content.decode()


@pytest.mark.parametrize(
    "q", ["*", "AND", "NOT", "OR OR", '"', "((((", "title:x", "people:mish-rahman", "\\", "~", "^2", "{}[]", "the"]
)
def test_query_syntax_and_odd_input_never_cause_a_server_error(one_article, client, q):
    response = search(client, q=q)

    assert results(response) is not None


def test_an_overlong_query_is_a_form_error(one_article, client):
    response = search(client, q="labour " * 100)

    assert results(response) is None
    assert "at most 500 characters" in page_text(response)


# ----------------------------------------------------------------------------- description


def test_the_search_is_described_in_plain_english(labour_spring, client):
    response = search(
        client,
        q="welfare",
        person="mish-rahman",
        party="labour-party",
        sort="newest",
        **{"from": "2025-04", "to": "2025-07"},
    )

    expected = (
        "Articles containing “welfare”, mentioning Mish Rahman, naming Labour Party, "
        "from 1 April 2025, until 31 July 2025; newest first."
    )
    assert results(response).description == expected
    assert expected in page_text(response)


def test_the_description_of_a_party_search_with_members_says_so(labour_spring, client):
    response = search(client, party="labour-party", members="1", source="red-rose-review")

    assert results(response).description == (
        "Articles naming Labour Party or any of its members at the time, published by Red Rose Review; newest first."
    )


# ----------------------------------------------------------------------------- sorting and paging


def test_sort_newest_orders_dated_results_by_date_descending(labour_spring, client):
    response = search(client, q="Labour", sort="newest")

    dates = [r.article.published for r in results(response).results if r.article.published]
    assert len(dates) == 5
    assert dates == sorted(dates, reverse=True)


def test_sort_oldest_orders_by_date_ascending(labour_spring, client):
    response = search(client, q="Labour", sort="oldest")

    dates = [r.article.published for r in results(response).results]
    assert dates[:5] == sorted(d for d in dates if d)
    assert dates[0] == datetime.date(2024, 7, 5)


def test_sort_newest_puts_undated_articles_last(labour_spring, client):
    response = search(client, q="Labour", sort="newest")

    dates = [r.article.published for r in results(response).results]
    assert dates[0] == datetime.date(2025, 9, 29)
    assert dates[-1] is None


def test_pagination_links_keep_the_query_and_filters(labour_spring, client, monkeypatch):
    monkeypatch.setattr("archive.search.query.RESULTS_PER_PAGE", 2)
    params = {"q": "Labour", "party": "labour-party", "sort": "newest", "from": "2024"}

    first = search(client, **params)

    assert results(first).total == 5
    page = lxml.html.fromstring(first.content.decode())
    next_links = page.xpath("//nav[@class='pagination']//a[@rel='next']/@href")
    assert len(next_links) == 1
    query = parse_qs(urlsplit(next_links[0]).query)
    assert query == {**{k: [v] for k, v in params.items()}, "page": ["2"]}
    assert "Page 1 of 3" in page_text(first)

    second = client.get("/search/" + next_links[0])

    assert "Page 2 of 3" in page_text(second)
    assert results(second).total == 5
    first_ids = {r.article.pk for r in results(first).results}
    second_ids = {r.article.pk for r in results(second).results}
    assert len(second_ids) == 2 and not first_ids & second_ids
    prev_links = lxml.html.fromstring(second.content.decode()).xpath("//a[@rel='prev']/@href")
    assert parse_qs(urlsplit(prev_links[0]).query)["party"] == ["labour-party"]


# ----------------------------------------------------------------------------- snippets and escaping

HOSTILE_PAGE = """THE TEST GAZETTE

Councillor condemns welfare plan in angry blog post

Posted on 3 March 2025 by Jo Tester

Priya Okonkwo-Lane, a Labour councillor in Leeds, said the welfare plan would hurt families. Her blog post ended with <script>alert(1)</script> and made <b>bold</b> claims about Keir Starmer.

"We will not be silenced <script>alert(2)</script> by anyone," said Okonkwo-Lane. The page also carried <img src=x onerror=alert(3)> in its footer.
"""


@pytest.fixture
def hostile_article(ingest, write_file):
    ingest(write_file("hostile.txt", HOSTILE_PAGE))
    stored = Article.objects.get()
    assert "<script>alert(1)</script>" in stored.body  # the archive keeps the text as written
    return stored


def assert_never_raw_markup(html: str):
    for raw in ("<script>alert", "<b>bold", "<img src=x", "onerror=alert(3)>"):
        assert raw not in html


def test_search_snippets_escape_markup_from_article_text(hostile_article, client):
    response = search(client, q="bold")
    html = response.content.decode()

    assert results(response).total == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;" in html
    assert_never_raw_markup(html)


def test_search_snippet_around_a_script_word_stays_escaped(hostile_article, client):
    html = search(client, q="script alert").content.decode()

    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<script" not in html  # no script tag of any kind: the site itself uses none
    assert_never_raw_markup(html)


def test_article_page_escapes_markup_from_article_text(hostile_article, client):
    response = client.get(hostile_article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert_never_raw_markup(html)
    assert "<script" not in html


def test_person_page_escapes_markup_in_quotes(hostile_article, client):
    assert hostile_article.quotes.filter(text__contains="<script>").exists()

    html = client.get("/people/priya-okonkwo-lane/").content.decode()

    assert "We will not be silenced &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "<script" not in html


def test_the_query_itself_is_escaped_wherever_it_is_shown(hostile_article, client):
    q = '"><script>alert(4)</script>'

    html = search(client, q=q).content.decode()

    assert "<script>alert(4)" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # in the description and the title
    assert 'value="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"' in html  # the search box


def test_marking_a_word_never_splits_an_html_entity(ingest, write_file, client):
    ingest(
        page_with(
            write_file,
            "amp.txt",
            "Sound system fails at Batley rally",
            "The rally in Batley & Spen went quiet when the borrowed amp failed, Labour organisers said.",
        )
    )

    html = search(client, q="amp").content.decode()

    assert "Batley &amp; Spen" in html
    assert "borrowed <mark>amp</mark> failed" in html


# ----------------------------------------------------------------------------- did you mean


@pytest.fixture
def typo_archive(ingest, write_file):
    """'government' in three articles, misspelt 'goverment' in one."""
    bodies = [
        ("one.txt", "Council budget row deepens in Leeds", "The government said the council must balance its books."),
        ("two.txt", "Rail talks resume after long pause", "Union leaders met the government again on Monday."),
        ("three.txt", "Schools funding promise questioned", "The government promised more money for schools."),
        ("typo.txt", "Housing plan criticised by tenants", "Tenants said the goverment had ignored them for years."),
    ]
    ingest(*(page_with(write_file, name, headline, body) for name, headline, body in bodies))


def test_a_misspelt_word_with_few_results_offers_did_you_mean(typo_archive, client):
    response = search(client, q="goverment")

    assert results(response).total == 1
    assert results(response).suggestion == "government"
    link = lxml.html.fromstring(response.content.decode()).xpath("//p[@class='count']/a")
    assert "Did you mean" in page_text(response)
    assert link[0].get("href") == "?q=government"
    assert results(client.get(link[0].get("href").replace("?", "/search/?"))).total == 3


def test_a_misspelt_word_with_no_results_offers_did_you_mean(typo_archive, client):
    response = search(client, q="govenrment")

    assert results(response).total == 0
    assert results(response).suggestion == "government"


def test_a_correctly_spelt_word_with_few_results_gets_no_suggestion(typo_archive, client):
    response = search(client, q="rail")  # "said" is two edits away

    assert results(response).total == 1
    assert results(response).suggestion == ""
    assert "Did you mean" not in page_text(response)
