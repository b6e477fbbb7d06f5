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


def test_unknown_filter_value_says_so_plainly(one_article, client):
    response = search(client, person="nobody-at-all")

    assert results(response) is None
    assert "No person called “nobody-at-all” is in the archive." in page_text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13"}, "The 'from' date “2025-13” does not exist."),
        ({"to": "2025-02-30"}, "The 'to' date “2025-02-30” does not exist."),
        ({"from": "April 2025"}, "The 'from' date “April 2025” is not a date: use a year, a month or a day"),
        ({"from": "2025-06", "to": "2025-01"}, "The 'from' date is after the 'to' date."),
        ({"sort": "random"}, "The order “random” is not one of: best match, newest, oldest."),
        ({"page": "0"}, "The page must be 1 or more."),
        ({"page": "9" * 5000}, "The page must be at most 10,000."),
        ({"q": "(" * 20 + "welfare"}, "Brackets are nested more than 8 deep"),
        ({"q": "person:nobody-at-all"}, "No person called “nobody-at-all” is in the archive."),
        ({"q": "from:April"}, "The 'from' date “April” is not a date"),
        ({"q": "members:always"}, "members: takes one value, then"),
        ({"org": "x" * 201}, "The Organisation name has 201 characters; the most is 200."),
        ({"quotedby": "x" * 250}, "The Quoted name has 250 characters; the most is 200."),
    ],
)
def test_invalid_filters_show_a_form_error_not_a_server_error(one_article, client, params, message):
    response = search(client, party="labour-party", **params)

    assert results(response) is None
    errors = lxml.html.fromstring(response.content.decode()).xpath("//div[@class='errors' and @role='alert']")
    assert len(errors) == 1
    assert message in errors[0].text_content()
    assert "date_from" not in response.content.decode().split('class="errors"')[1]  # the user's words only
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
    assert "The query has 699 characters; the most is 500." in page_text(response)


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
        "Articles mentioning Mish Rahman and naming Labour Party, containing “welfare”, "
        "from April to July 2025; newest first."
    )
    assert results(response).description == expected
    assert expected in page_text(response)


def test_the_description_of_a_party_search_with_members_says_so(labour_spring, client):
    response = search(client, party="labour-party", members="1", source="red-rose-review")

    assert results(response).description == (
        "Articles naming Labour Party or any of its members at the time and published by Red Rose Review; newest first."
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


def assert_no_inline_script(html: str):
    """The only scripts are the site's own static files."""
    tags = re.findall(r"<script[^>]*>", html)
    assert len(tags) == html.count("<script")
    own = {'<script src="/static/js/suggest.js" defer>', '<script src="/static/js/like-this.js" defer>'}
    assert set(tags) <= own, tags


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
    assert_no_inline_script(html)
    assert_never_raw_markup(html)


def test_article_page_escapes_markup_from_article_text(hostile_article, client):
    response = client.get(hostile_article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert_never_raw_markup(html)
    assert_no_inline_script(html)


def test_person_page_escapes_markup_in_quotes(hostile_article, client):
    assert hostile_article.quotes.filter(text__contains="<script>").exists()

    html = client.get("/people/priya-okonkwo-lane/").content.decode()

    assert "We will not be silenced &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert_no_inline_script(html)


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


# ----------------------------------------------------------------------------- names, not slugs


def slugs_found(response) -> set[int]:
    return {r.article.pk for r in results(response).results}


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("person", "Mish Rahman"),
        ("person", "mish-rahman"),
        ("person", "Rahman"),
        ("party", "labour"),
        ("party", "Labour Party"),
        ("org", "the NEC"),
        ("org", "NEC"),
        ("source", "Red Rose Review"),
    ],
)
def test_filters_take_a_name_an_alias_or_a_slug(labour_spring, client, name, typed):
    slugs = {"person": "mish-rahman", "quotedby": "mish-rahman", "party": "labour-party", "org": "labour-nec",
             "source": "red-rose-review"}  # fmt: skip
    by_slug = search(client, **{name: slugs[name]})

    by_name = search(client, **{name: typed})

    assert results(by_slug).total > 0
    assert slugs_found(by_name) == slugs_found(by_slug)


@pytest.mark.parametrize("typed", ["Starmer", "Sir Keir", "Kier Starmer", "keir-starmer", "Keir Starmer"])
def test_every_name_for_keir_starmer_finds_the_same_articles(labour_spring, client, typed):
    assert slugs_found(search(client, person=typed)) == slugs_found(search(client, person="keir-starmer"))
    assert results(search(client, person=typed)).total == 6


def test_tories_filter_means_the_conservative_party(labour_spring, client):
    response = search(client, party="Tories")

    assert results(response).total == results(search(client, party="conservative-party")).total > 0
    assert "naming Conservative Party" in results(response).description


def test_a_misspelt_filter_name_is_taken_as_the_closest_and_says_so(labour_spring, client):
    response = search(client, person="Kier Starmr")

    assert results(response).total == 6
    assert "Showing Keir Starmer for “Kier Starmr”." in page_text(response)


def test_an_ambiguous_filter_name_offers_the_candidates_as_links(labour_spring, client):
    from archive.models import Person

    Person.objects.create(name="Jo Fairweather", slug="jo-fairweather-leeds", sort_name="Fairweather, Jo")
    Person.objects.create(name="Jo Fairweather", slug="jo-fairweather-bristol", sort_name="Fairweather, Jo")

    response = search(client, person="Jo Fairweather", q="welfare")

    assert results(response) is None
    links = lxml.html.fromstring(response.content.decode()).xpath("//ul[@class='candidates']//a/@href")
    assert {parse_qs(urlsplit(link).query)["person"][0] for link in links} == {
        "jo-fairweather-leeds",
        "jo-fairweather-bristol",
    }
    assert all(parse_qs(urlsplit(link).query)["q"] == ["welfare"] for link in links)


# ----------------------------------------------------------------------------- the query language


@pytest.fixture
def reform_and_labour(ingest, write_file):
    """Reform UK alone in one article, with Labour in another, Labour alone in a third."""
    pages = [
        ("reform.txt", "Reform UK opens a new office in Clacton", "Reform UK said the office would help voters."),
        ("both.txt", "Reform UK and Labour clash over the budget", "Reform UK attacked Labour over the budget plan."),
        ("labour.txt", "Labour candidate selected for Runcorn seat", "Labour chose its candidate on Tuesday night."),
    ]
    ingest(*(page_with(write_file, name, headline, body) for name, headline, body in pages))


def names_for(client, q, **params) -> set[str]:
    return file_names(search(client, q=q, **params))


def test_or_finds_at_least_as_many_as_either_word(labour_spring, client):
    polanski, rayner = results(search(client, q="Rahman")).total, results(search(client, q="Corbyn")).total
    either = search(client, q="Rahman OR Corbyn")

    assert results(either).total >= max(polanski, rayner) > 0
    assert file_names(either) == names_for(client, "Rahman") | names_for(client, "Corbyn")


def test_not_removes_articles_that_have_both_words(reform_and_labour, client):
    assert names_for(client, "Reform") == {"reform.txt", "both.txt"}
    assert names_for(client, "Reform NOT Labour") == {"reform.txt"}
    assert names_for(client, "Reform -Labour") == {"reform.txt"}
    assert names_for(client, "Labour -Reform") == {"labour.txt"}


def test_phrase_and_proximity(reform_and_labour, client):
    assert names_for(client, '"new office"') == {"reform.txt"}
    assert names_for(client, '"reform office"') == set()
    assert names_for(client, '"reform office"~5') == {"reform.txt"}
    assert names_for(client, '"office reform"~5') == {"reform.txt"}  # in either order


def test_parentheses_group_alternatives(reform_and_labour, client):
    assert names_for(client, "(Clacton OR Runcorn) candidate") == {"labour.txt"}


@pytest.mark.parametrize("q", ["person:starmer", 'person:"Keir Starmer"', "person:keir-starmer", 'person:"Sir Keir"'])
def test_person_prefix_takes_a_name_alias_or_slug(labour_spring, client, q):
    assert file_names(search(client, q=q)) == file_names(search(client, person="keir-starmer"))


def test_prefixes_for_party_org_source_and_quoted(labour_spring, client):
    assert names_for(client, "party:labour") == file_names(search(client, party="labour-party"))
    assert names_for(client, 'org:"the NEC"') == file_names(search(client, org="labour-nec"))
    assert names_for(client, 'source:"red rose review"') == file_names(search(client, source="red-rose-review"))


def test_quoted_filter_and_prefix_take_a_name(hostile_article, client):
    assert results(search(client, quotedby="Okonkwo-Lane")).total == 1
    assert results(search(client, q='quotedby:"Priya Okonkwo-Lane"')).total == 1
    assert results(search(client, q="quotedby:priya-okonkwo-lane")).total == 1
    assert results(search(client, q='quotedby:"Keir Starmer"')).total == 0  # named, not quoted


def test_title_and_author_prefixes(reform_and_labour, client):
    assert names_for(client, "title:clacton") == {"reform.txt"}
    assert names_for(client, "title:budget") == {"both.txt"}
    assert names_for(client, "author:tester") == {"reform.txt", "both.txt", "labour.txt"}


def test_date_prefixes(labour_spring, client):
    assert names_for(client, "from:2025-04 to:2025-07") == {RAHMAN_QUITS.name, WELFARE_REBELLION.name, RUNCORN.name}
    assert names_for(client, "year:2024") == {STARMER_ENTERS.name}
    assert names_for(client, "labour from:2025-07-02 to:2025-07") == {WELFARE_REBELLION.name}
    response = search(client, q="from:2025-01 to:2025-04")
    assert results(response).description == "Articles from January to April 2025; newest first."


def test_party_members_then_says_which_member_matched(ingest, write_file, client):
    ingest(
        page_with(
            write_file,
            "polanski-2016.txt",
            "Assembly hopeful sets out housing plan",
            "Zack Polanski told a packed meeting in Camden that renters needed far stronger protection.",
            date="14 June 2016",
        )
    )

    assert results(search(client, q="party:liberal-democrats")).total == 0
    response = search(client, q='party:"Liberal Democrats" members:then')

    assert results(response).total == 1
    assert results(response).results[0].members_matched == ["Zack Polanski"]
    assert "Member then: Zack Polanski" in page_text(response)
    assert results(search(client, q="party:greens members:then")).total == 0


def test_unknown_field_prefix_searches_the_words_and_says_which_fields_exist(labour_spring, client):
    response = search(client, q="people:rahman")

    assert file_names(response) == names_for(client, "rahman")
    assert "“people:” is not a search field" in page_text(response)


def test_many_terms_are_cut_with_a_notice(labour_spring, client):
    response = search(client, q="labour " + " ".join(f"w{i}" for i in range(60)))

    assert results(response).total == 0
    assert "only the first 30 were searched" in page_text(response)


@pytest.mark.parametrize(
    "q",
    [
        "a* " * 160,
        "(" * 8 + "labour" + ")" * 8,
        "NOT " * 120,
        "person:" * 60,
        '"' * 499,
        "x~5 " * 100,
        "OR " * 160,
        "labour AND " * 45,
    ],
)
def test_hostile_queries_get_an_answer_not_a_server_error(labour_spring, client, q):
    response = client.get("/search/", {"q": q})

    assert response.status_code == 200


# ----------------------------------------------------------------------------- names among the words


def test_a_name_typed_as_words_leads_with_the_entity_filter(labour_spring, client):
    response = search(client, q="Mish Rahman")

    leads = lxml.html.fromstring(response.content.decode()).xpath("//p[@class='lead']/a")
    assert [lead.text_content() for lead in leads] == ["Articles mentioning Mish Rahman (3)"]
    followed = client.get("/search/" + leads[0].get("href"))
    assert results(followed).filters["person"].slug == "mish-rahman"
    assert results(followed).total == 3


def test_an_alias_typed_as_words_finds_the_entitys_articles(labour_spring, client):
    """No article spells 'Kier', but it is an alias of Keir Starmer."""
    response = search(client, q="Kier Starmer")

    assert file_names(response) == file_names(search(client, person="keir-starmer"))


# ----------------------------------------------------------------------------- echo, chips, facets


def test_every_part_of_the_search_is_a_removable_chip(labour_spring, client):
    response = search(client, q="welfare -recount person:starmer", party="labour", **{"from": "2025-04"})

    chips = lxml.html.fromstring(response.content.decode()).xpath("//div[@class='chips']//li")
    labels = [re.sub(r"\s*×$", "", c.text_content().strip()) for c in chips]
    assert labels == [
        "Naming Labour Party",
        "Mentioning Keir Starmer",
        "Containing “welfare”",
        "Not containing “recount”",
        "From April 2025",
    ]
    removes = {label: chip.xpath(".//a/@href")[0] for label, chip in zip(labels, chips, strict=True)}
    without_party = parse_qs(urlsplit(removes["Naming Labour Party"]).query)
    assert "party" not in without_party and without_party["q"] == ["welfare -recount person:starmer"]
    without_person = parse_qs(urlsplit(removes["Mentioning Keir Starmer"]).query)
    assert without_person["q"] == ["welfare -recount"] and without_person["party"] == ["labour"]
    assert "from" not in parse_qs(urlsplit(removes["From April 2025"]).query)


def test_facets_count_and_link_to_the_narrowed_search(labour_spring, client):
    response = search(client, party="labour-party")
    facets = {f.name: f for f in results(response).facets}

    assert set(facets) == {"people", "parties", "organisations", "source", "month"}
    sources = {v.label: v for v in facets["source"].values}
    assert sources["Red Rose Review"].count == 3
    followed = client.get("/search/" + sources["Red Rose Review"].url)
    assert results(followed).total == 3
    assert results(followed).filters["source"].slug == "red-rose-review"
    months = {v.label: v for v in facets["month"].values}
    assert months["April 2025"].count == 1
    assert file_names(client.get("/search/" + months["April 2025"].url)) == {RAHMAN_QUITS.name}
    people = {v.label: v for v in facets["people"].values}
    assert people["Mish Rahman"].count == 3


def test_a_search_over_more_than_two_years_of_months_facets_by_year_and_a_year_narrows_to_its_months(
    ingest, write_file, client
):
    pages = []
    for n in range(25):  # one article a month, January 2023 to January 2025
        year, month = 2023 + n // 12, n % 12 + 1
        date = datetime.date(year, month, 10).strftime("%-d %B %Y")
        body = f"The bypass inquiry sat for the {n + 1}th time and heard from witness number {n * 7}."
        pages.append(page_with(write_file, f"bypass-{n:02}.txt", f"Bypass inquiry, sitting {n + 1}", body, date))
    report = ingest(*pages)
    assert report.count("added") == 25

    dates = next(f for f in results(search(client, q="bypass")).facets if f.name == "month")
    assert dates.label == "Years"
    years = {v.label: v for v in dates.values}
    assert {label: v.count for label, v in years.items()} == {"2025": 1, "2024": 12, "2023": 12}

    in_2024 = client.get("/search/" + years["2024"].url)
    assert results(in_2024).total == 12
    months = next(f for f in results(in_2024).facets if f.name == "month")
    assert months.label == "Months"
    assert [v.label for v in months.values][:2] == ["December 2024", "November 2024"]
    assert len(months.values) == 12


def test_a_person_facet_adds_to_a_search_that_already_has_a_person(labour_spring, client):
    response = search(client, person="keir-starmer")
    rahman = next(
        v for f in results(response).facets if f.name == "people" for v in f.values if v.label == "Mish Rahman"
    )

    followed = client.get("/search/" + rahman.url)

    both = file_names(search(client, person="keir-starmer")) & file_names(search(client, person="mish-rahman"))
    assert len(both) >= 2
    assert file_names(followed) == both


def test_sort_control_and_echo_agree(labour_spring, client):
    response = search(client, q="Labour", sort="oldest")

    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath("//select[@name='sort']/option[@selected]/@value") == ["oldest"]
    assert results(response).description.endswith("; oldest first.")


@pytest.mark.parametrize(
    ("params", "shown", "said"),
    [
        ({"q": "Labour"}, "Best match (newest first without words)", "best match first"),
        ({"party": "labour-party"}, "Best match (newest first without words)", "newest first"),
        ({"party": "labour-party", "sort": "newest"}, "Newest first", "newest first"),
        ({"party": "labour-party", "sort": "oldest"}, "Oldest first", "oldest first"),
    ],
)
def test_sort_control_says_the_order_the_results_are_in(labour_spring, client, params, shown, said):
    response = search(client, **params)

    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath("//select[@name='sort']/option[@selected]/text()") == [shown]
    assert results(response).description.endswith(f"; {said}.")
    assert said in shown.lower() or said == "best match first" and shown.startswith("Best match")
    dates = [r.article.published for r in results(response).results if r.article.published]
    if said != "best match first":
        assert dates == sorted(dates, reverse=said == "newest first")


def test_search_page_draws_articles_per_month_for_the_query_with_a_table(labour_spring, client):
    response = search(client, party="labour-party")

    chart = results(response).chart
    assert chart.total == 5  # the dated ones; the undated article has no month
    page = lxml.html.fromstring(response.content.decode())
    [figure] = page.xpath("//section[@id='results']//figure[@class='volume-chart']")
    assert "Articles per month for this search" in figure.findtext("figcaption")
    assert len(figure.xpath(".//svg//rect")) == len(chart.bars)
    rows = {tr.findtext("th/a"): tr.findtext("td") for tr in figure.xpath(".//table/tbody/tr")}
    assert rows["April 2025"] == "1"
    [link] = figure.xpath(".//table//a[text()='April 2025']/@href")
    assert parse_qs(urlsplit(link).query) == {"party": ["labour-party"], "from": ["2025-04"], "to": ["2025-04"]}
    assert file_names(client.get("/search/" + link)) == {RAHMAN_QUITS.name}


def test_search_chart_counts_the_whole_result_set_not_the_page(labour_spring, client, monkeypatch):
    monkeypatch.setattr("archive.search.query.RESULTS_PER_PAGE", 2)

    response = search(client, party="labour-party")

    assert len(results(response).results) == 2
    assert results(response).chart.total == 5


# ----------------------------------------------------------------------------- did you mean, knowing names


def test_did_you_mean_keeps_a_known_acronym(labour_spring, client):
    response = search(client, q="NEC")

    assert results(response).suggestion == ""
    assert "new" not in results(response).suggestion


def test_did_you_mean_offers_a_known_name_for_a_misspelt_one(labour_spring, client):
    response = search(client, q="Mish Rahmann", party="labour")

    assert results(response).suggestion == "Mish Rahman"
    link = parse_qs(urlsplit(results(response).suggestion_url).query)
    assert link == {"q": ["Mish Rahman"], "party": ["labour"]}  # the filters stay


def test_did_you_mean_keeps_the_fields_of_the_query(typo_archive, client):
    response = search(client, q="goverment from:2025")

    assert results(response).suggestion == "government from:2025"


# ----------------------------------------------------------------------------- the type-ahead API


def test_entities_api_suggests_names_with_kind_slug_and_count(labour_spring, client):
    data = client.get("/api/entities/", {"q": "mish"}).json()

    assert data["results"][0] == {
        "name": "Mish Rahman",
        "kind": "person",
        "slug": "mish-rahman",
        "article_count": 3,
        "matched": "",
    }
    assert client.get("/api/entities/", {"q": "x" * 10_000}).status_code == 200


def test_help_page_is_linked_from_the_search_box(one_article, client):
    page = lxml.html.fromstring(search(client).content.decode())

    assert page.xpath("//form[@role='search']//a/@href") == ["/search/help/"]
    assert "person:keir-starmer" in client.get("/search/help/").content.decode()


def test_one_named_search_landmark_per_page(one_article, client):
    for path in ("/", "/search/?q=labour", "/search/help/", "/people/"):
        forms = lxml.html.fromstring(client.get(path).content.decode()).xpath("//*[@role='search']")
        assert len(forms) == 1, path
        assert forms[0].get("aria-label"), path


def test_did_you_mean_leaves_numbers_and_short_words_alone(typo_archive, client):
    response = search(client, q="w1 w2 w3")

    assert results(response).total == 0
    assert results(response).suggestion == ""
