"""Browsing: person and organisation pages (timeline, quotes, co-mentions, members),
the people and organisation lists, and browse by date, over ingested demo articles."""

import datetime
import re
from pathlib import Path

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Article, Membership, Organisation, Person

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"  # 12 April 2025
WELFARE_REBELLION = DEMO / "2025-07-02-welfare-rebellion.txt"  # 2 July 2025
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"  # 5 July 2024
LUCY_POWELL = DEMO / "2025-10-25-lucy-powell-deputy-leader.txt"  # 25 October 2025
RUNCORN = DEMO / "2025-05-02-runcorn-by-election.txt"  # 2 May 2025
LOCAL_ELECTIONS = DEMO / "2025-05-03-local-elections-reform-gains.html"  # 3 May 2025
POLANSKI = DEMO / "2025-09-02-polanski-green-leader.json"  # 2 September 2025


def parse(response):
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def chart_table(response) -> list[tuple[str, str]]:
    rows = parse(response).xpath("//figure[@class='volume-chart']//tbody/tr")
    return [(text(row.xpath("./th")[0]), text(row.xpath("./td")[0])) for row in rows]


# ----------------------------------------------------------------------------- person page


def test_person_page_draws_articles_per_month_with_a_table_linking_to_each_months_search(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION, RUNCORN)

    response = client.get("/people/keir-starmer/")

    figure = parse(response).xpath("//figure[@class='volume-chart']")[0]
    svg = figure.xpath(".//*[local-name()='svg']")[0]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "volume-caption"
    # One bar per month from July 2024 to July 2025, empty months included.
    assert len(svg.xpath(".//*[local-name()='rect']")) == 13
    caption = text(figure.xpath(".//figcaption")[0])
    assert "4 dated articles from July 2024 to July 2025" in caption
    assert chart_table(response) == [("July 2024", "1"), ("April 2025", "1"), ("May 2025", "1"), ("July 2025", "1")]
    links = figure.xpath(".//tbody//a/@href")
    assert links[1] == "/search/?person=keir-starmer&from=2025-04&to=2025-04"


def test_person_page_chart_month_link_finds_that_months_articles(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)
    link = parse(client.get("/people/keir-starmer/")).xpath("//figure//tbody//a/@href")[1]

    found = client.get(link).context["results"]

    assert [r.article.published.isoformat() for r in found.results] == ["2025-04-12"]


def test_person_page_without_dated_articles_has_no_chart(ingest, client):
    ingest(DEMO / "your-party-launch.txt")  # undated
    person = Article.objects.get().mentions.filter(person__isnull=False).first().person

    response = client.get(person.get_absolute_url())

    assert response.status_code == 200
    assert not parse(response).xpath("//figure[@class='volume-chart']")


def test_person_page_quotes_say_the_speakers_party_at_the_time(ingest, write_file, client):
    # The demo's quotes come from fictional people; a page of our own quotes a Green MP.
    ingest(
        write_file(
            "ramsay.txt",
            "THE TEST GAZETTE\n\nGreens set out their autumn plans\n\nPosted on 2 September 2025 by Jo Tester\n\n"
            "\u201cWe will spend the autumn knocking on every door in the county,\u201d said Adrian Ramsay, "
            "the Green Party of England and Wales MP for Waveney Valley.\n",
        )
    )

    response = client.get("/people/adrian-ramsay/")

    quotes = parse(response).xpath("//ul[@class='quotes']/li")
    assert quotes
    assert all("then: Green Party of England and Wales" in text(q) for q in quotes)
    assert all("2 Sep 2025" in text(q) for q in quotes)


def test_person_page_counts_the_people_named_in_the_same_articles(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)
    rahman = Person.objects.get(slug="mish-rahman")
    expected = {
        p.slug: Article.objects.mentioning(rahman).filter(pk__in=Article.objects.mentioning(p).values("pk")).count()
        for p in Person.objects.filter(mentions__article__in=Article.objects.mentioning(rahman)).distinct()
        if p != rahman
    }

    response = client.get("/people/mish-rahman/")

    shown = {p.slug: p.article_count for p in response.context["co_mentioned"]}
    assert "mish-rahman" not in shown
    assert shown["keir-starmer"] == 2 == expected["keir-starmer"]
    assert all(expected[slug] == count for slug, count in shown.items())
    counts = list(shown.values())
    assert counts == sorted(counts, reverse=True)
    assert "diane-abbott" not in shown  # named only in the page furniture
    items = [text(li) for li in parse(response).xpath("//ol[@class='ranked']/li")]
    assert "Keir Starmer 2" in items


def test_the_names_alongside_a_person_are_computed_once_until_an_article_is_added(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS)
    first = {p.slug: p.article_count for p in client.get("/people/mish-rahman/").context["co_mentioned"]}
    with CaptureQueriesContext(connection) as again:
        client.get("/people/mish-rahman/")
    assert not [q for q in again.captured_queries if "COUNT(DISTINCT" in q["sql"]], "served from the cache"
    ingest(WELFARE_REBELLION)
    after = {p.slug: p.article_count for p in client.get("/people/mish-rahman/").context["co_mentioned"]}
    assert after != first  # the added article shows at once
    assert after == {
        p.slug: p.article_count for p in Person.objects.co_mentioned_with(Person.objects.get(slug="mish-rahman"))
    }


# ----------------------------------------------------------------------------- organisation pages


@pytest.fixture
def more_former_labour_members(db):
    """Twelve people of our own who left Labour, so that its former members run to two
    pages (the real data has fewer than thirty who really left)."""
    labour = Organisation.objects.get(slug="labour-party")
    for n in range(12):
        person = Person.objects.create(name=f"Ex Member{n}", slug=f"ex-member-{n}", sort_name=f"Member{n}, Ex")
        Membership.objects.create(
            person=person, organisation=labour, end_date=datetime.date(2021, 1, 1 + n), end_reason="left"
        )


def test_party_page_pages_through_members_now_without_moving_the_other_lists(
    ingest, client, more_former_labour_members
):
    ingest(RAHMAN_QUITS)
    labour = Organisation.objects.get(slug="labour-party")
    everyone_now = Person.objects.member_of(labour, on=None).count()
    assert everyone_now > 60

    first = client.get("/organisations/labour-party/")
    second = client.get("/organisations/labour-party/", {"members": 2, "former": 2})

    page_one = [p.slug for p in first.context["members_now"]]
    page_two = [p.slug for p in second.context["members_now"]]
    assert len(page_one) == 30 and len(page_two) == 30
    assert not set(page_one) & set(page_two)
    assert second.context["former_members"].number == 2
    assert second.context["page"].number == 1
    nav = parse(second).xpath("//nav[@aria-label='Pages of members now']")[0]
    assert "/organisations/labour-party/" not in nav.xpath(".//a/@href")  # relative links
    assert "?former=2&members=3#members-now" in nav.xpath(".//a/@href")
    assert "?former=2&members=1#members-now" in nav.xpath(".//a/@href")
    assert f"Members now {first.context['members_now'].paginator.count} people" in text(parse(first))


def test_party_page_lists_its_leader_with_the_role_now(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/labour-party/", {"members": 1})
    pages = response.context["members_now"].paginator
    found = [
        text(li)
        for number in pages.page_range
        for li in parse(client.get("/organisations/labour-party/", {"members": number})).xpath(
            "//section[@aria-labelledby='members-now']//li"
        )
    ]

    assert any(item.startswith("Keir Starmer") and "leader" in item.lower() for item in found)
    assert len(found) == pages.count
    # Office holders come first, so the leader is on the first page, not under S.
    first_page = [p.slug for p in response.context["members_now"]]
    assert "keir-starmer" in first_page
    assert [p.holds_role for p in response.context["members_now"]] == sorted(
        (p.holds_role for p in response.context["members_now"]), reverse=True
    )


def test_party_page_former_members_are_paginated_most_recent_departure_first(
    ingest, client, more_former_labour_members
):
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/labour-party/")

    former = response.context["former_members"]
    assert former.paginator.count > 30
    assert len(former.object_list) == 30
    lefts = [p.left for p in former]
    assert lefts == sorted(lefts, reverse=True)
    nav = parse(response).xpath("//nav[@aria-label='Pages of former members']")[0]
    assert nav.xpath(".//a/@href") == ["?former=2#former-members"]


@pytest.mark.django_db
def test_party_page_keeps_a_whip_suspended_member_among_members_now_and_says_so(client):
    party = Organisation.objects.create(name="Whip Page Party", slug="whip-page-party", kind="party")
    rebel = Person.objects.create(name="Wanda Whipless", slug="wanda-whipless", sort_name="Whipless, Wanda")
    leaver = Person.objects.create(name="Lou Leaver", slug="lou-leaver", sort_name="Leaver, Lou")
    Membership.objects.create(person=rebel, organisation=party, role="member")
    Membership.objects.create(
        person=rebel, organisation=party, kind="whip", role="whip suspended", start_date=datetime.date(2025, 7, 16)
    )
    Membership.objects.create(
        person=rebel,
        organisation=party,
        kind="whip",
        role="whip suspended",
        start_date=datetime.date(2023, 4, 23),
        end_date=datetime.date(2024, 5, 31),
        end_reason="whip_restored",
    )
    Membership.objects.create(
        person=leaver, organisation=party, end_date=datetime.date(2025, 9, 15), end_reason="defected"
    )

    response = client.get("/organisations/whip-page-party/")

    page = parse(response)
    now = [text(li) for li in page.xpath("//section[@aria-labelledby='members-now']//ul/li")]
    former = [text(li) for li in page.xpath("//section[@aria-labelledby='former-members']//ul/li")]
    assert now == ["Wanda Whipless whip suspended since 16 Jul 2025"]
    assert former == ["Lou Leaver Sep 2025 (joined another party)"]

    timeline = parse(client.get("/people/wanda-whipless/")).xpath("//li[contains(@class, 'span-whip')]")
    assert [text(li) for li in timeline] == [
        "Whip suspended, Whip Page Party 23 Apr 2023 – 31 May 2024 (whip restored)",
        "Whip suspended, Whip Page Party from 16 Jul 2025",
    ]


@pytest.mark.django_db
def test_in_the_real_data_diane_abbott_is_a_labour_member_whose_whip_is_suspended_not_a_former_member(client):
    labour = Organisation.objects.get(slug="labour-party")
    abbott = Person.objects.get(slug="diane-abbott")

    assert abbott in Person.objects.member_of(labour, on=datetime.date(2025, 8, 1))
    assert abbott not in Person.objects.former_members_of(labour)
    assert abbott.party_at(datetime.date(2025, 8, 1)).note == "whip suspended"
    assert abbott.party_at(datetime.date(2025, 1, 1)).note == ""


def test_party_page_has_a_timeline_and_the_people_and_organisations_named_with_it(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)

    response = client.get("/organisations/labour-party/")

    assert chart_table(response) == [("July 2024", "1"), ("April 2025", "1"), ("July 2025", "1")]
    assert parse(response).xpath("//figure//tbody//a/@href")[0] == "/search/?party=labour-party&from=2024-07&to=2024-07"
    people = {p.slug: p.article_count for p in response.context["co_mentioned_people"]}
    assert people["keir-starmer"] == 3
    organisations = {o.slug: o.article_count for o in response.context["co_mentioned_organisations"]}
    assert "labour-party" not in organisations
    assert organisations["conservative-party"] >= 1


def test_organisation_page_chart_links_to_the_org_filter(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/labour-nec/")

    assert parse(response).xpath("//figure//tbody//a/@href") == ["/search/?org=labour-nec&from=2025-04&to=2025-04"]


def test_person_and_party_pages_run_a_bounded_number_of_queries(ingest, client, django_assert_max_num_queries):
    """The whole demo: Labour has about 160 members now and hundreds of former ones."""
    ingest(DEMO)

    with django_assert_max_num_queries(40):
        assert client.get("/people/keir-starmer/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/organisations/labour-party/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/organisations/labour-party/", {"members": 3, "former": 2}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/people/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/organisations/").status_code == 200


# ----------------------------------------------------------------------------- lists


def test_people_list_shows_each_persons_party_and_role_now(ingest, client):
    ingest(LUCY_POWELL, STARMER_ENTERS)

    response = client.get("/people/")

    items = {li.xpath("string(./a)"): text(li) for li in parse(response).xpath("//ul[@class='entity-list']/li")}
    assert "Labour Party" in items["Lucy Powell"]
    assert "deputy leader" in items["Lucy Powell"]
    assert items["Lucy Powell"].index("deputy leader") < items["Lucy Powell"].index(
        "NEC member"
    )  # her party role first
    assert "Leader of the House of Commons" not in items["Lucy Powell"]  # ended September 2025
    assert "Labour Party, leader; Prime Minister (UK Government)" in items["Keir Starmer"]


def test_people_list_a_to_z_includes_people_without_articles(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/people/", {"letter": "s"})

    people = {p.sort_name: p.article_count for p in response.context["page"]}
    sort_names = list(people)
    assert people["Salmond, Alex"] == 0  # in the knowledge base, in none of the articles
    assert all(name.upper().startswith("S") for name in sort_names)
    assert parse(response).xpath("//nav[@class='letters']/a[@aria-current]/text()") == ["S"]


def test_organisations_list_a_to_z_keeps_the_kind(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/", {"kind": "party", "letter": "L"})

    names = [o.name for o in response.context["page"]]
    assert "Labour Party" in names
    assert all(o.kind == "party" and o.name.upper().startswith("L") for o in response.context["page"])
    assert names == sorted(names, key=str.casefold)
    assert "?kind=party&letter=R" in parse(response).xpath("//nav[@class='letters']/a/@href")
    assert parse(response).xpath("//form//input[@name='letter']/@value") == ["L"]


# ----------------------------------------------------------------------------- browse by date


def test_archive_index_lists_years_with_counts(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION, DEMO / "your-party-launch.txt")

    response = client.get("/archive/")

    items = [text(li) for li in parse(response).xpath("//ul[@class='period-list']/li")]
    assert items == ["2024 1 article", "2025 2 articles"]
    assert "/archive/2025/" in parse(response).xpath("//a/@href")
    assert "1 article states no date" in text(parse(response))


def test_archive_year_counts_articles_per_month_and_links_only_months_with_some(ingest, client):
    ingest(RAHMAN_QUITS, RUNCORN, LOCAL_ELECTIONS, WELFARE_REBELLION, STARMER_ENTERS)

    response = client.get("/archive/2025/")

    assert response.status_code == 200
    months = [text(li) for li in parse(response).xpath("//ul[@class='period-list']/li")]
    assert len(months) == 12
    assert months[3] == "April 1 article"
    assert months[4] == "May 2 articles"
    assert months[0] == "January 0 articles"
    links = parse(response).xpath("//ul[@class='period-list']//a/@href")
    assert links == ["/archive/2025/04/", "/archive/2025/05/", "/archive/2025/07/"]
    assert "4 articles" in text(parse(response).xpath("//p[@class='lede']")[0])


def test_archive_month_counts_articles_per_day_and_lists_them(ingest, client):
    ingest(RUNCORN, LOCAL_ELECTIONS, RAHMAN_QUITS)

    response = client.get("/archive/2025/05/")

    days = parse(response).xpath("//ol[@class='days']/li")
    assert len(days) == 31
    assert text(days[1]) == "Fri 2 1" and days[1].xpath(".//a/@href") == ["/archive/2025/05/02/"]
    assert text(days[2]) == "Sat 3 1"
    assert text(days[0]) == "Thu 1 0" and not days[0].xpath(".//a")
    assert {a.file_name for a in response.context["page"]} == {RUNCORN.name, LOCAL_ELECTIONS.name}
    assert "/archive/2025/04/" in parse(response).xpath("//a[@rel='prev']/@href")


def test_archive_day_lists_that_days_articles(ingest, client):
    ingest(RUNCORN, LOCAL_ELECTIONS)

    response = client.get("/archive/2025/05/03/")

    assert [a.file_name for a in response.context["page"]] == [LOCAL_ELECTIONS.name]
    assert "Saturday 3 May 2025" in text(parse(response).xpath("//h1")[0])


def test_february_has_28_days_in_2025_and_29_in_2024(ingest, client):
    ingest(RAHMAN_QUITS)

    assert len(parse(client.get("/archive/2025/02/")).xpath("//ol[@class='days']/li")) == 28
    assert len(parse(client.get("/archive/2024/02/")).xpath("//ol[@class='days']/li")) == 29
    assert client.get("/archive/2024/02/29/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2025/13/",
        "/archive/2025/00/",
        "/archive/2025/02/29/",
        "/archive/2025/04/31/",
        "/archive/2025/04/00/",
        "/archive/0000/",
        "/archive/25/",
        "/archive/2025/4/",
        "/archive/20250/",
    ],
)
def test_impossible_dates_are_not_found(client, db, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# ----------------------------------------------------------------------------- article page

UNIONS = DEMO / "2024-09-26-unions-test-labour-patience.txt"  # quotes Tom Ellery
LABOUR_JSONL = DEMO / "labour-internal-elections.jsonl"  # #2 quotes Tom Ellery, has a url
PAYLOAD = "<img src=x onerror=alert(1)>"


def test_article_page_links_the_previous_and_next_articles_from_the_same_source(ingest, client):
    ingest(RAHMAN_QUITS, WELFARE_REBELLION, STARMER_ENTERS, LABOUR_JSONL)  # Red Rose: April, July, September
    welfare = Article.objects.get(file_name=WELFARE_REBELLION.name)

    page = parse(client.get(welfare.get_absolute_url()))

    nav = page.xpath("//nav[@aria-label='More from Red Rose Review']")[0]
    assert nav.xpath("./a[@rel='prev']/@href") == [Article.objects.get(file_name=RAHMAN_QUITS.name).get_absolute_url()]
    assert nav.xpath("./a[@rel='next']/@href") == [
        Article.objects.get(file_name="labour-internal-elections.jsonl#2").get_absolute_url()
    ]
    first = parse(client.get(Article.objects.get(file_name=RAHMAN_QUITS.name).get_absolute_url()))
    assert not first.xpath("//nav[@aria-label='More from Red Rose Review']/a[@rel='prev']")


def test_article_page_lists_other_articles_quoting_the_same_people(ingest, client):
    ingest(UNIONS, LABOUR_JSONL, RAHMAN_QUITS)
    unions = Article.objects.get(file_name=UNIONS.name)
    assert unions.quotes.filter(speaker__slug="tom-ellery").exists()

    response = client.get(unions.get_absolute_url())

    assert [a.file_name for a in response.context["same_speakers"]] == ["labour-internal-elections.jsonl#2"]
    section = parse(response).xpath("//section[@aria-labelledby='same-speakers']")[0]
    assert "Tom Ellery" in text(section.xpath(".//h2")[0])


def test_article_page_links_more_like_this_and_leaves_the_search_for_it_to_that_page(ingest, client, monkeypatch):
    from haystack import connections

    ingest(RAHMAN_QUITS, WELFARE_REBELLION)
    rahman = Article.objects.get(file_name=RAHMAN_QUITS.name)
    backend = connections["default"].get_backend()
    asked = []
    monkeypatch.setattr(backend, "more_like_this", lambda *a, **k: asked.append(1) or {"results": [], "hits": 0})

    page = parse(client.get(rahman.get_absolute_url()))

    section = page.xpath("//section[@aria-labelledby='more-like-this']")[0]
    like_this = reverse("article-like-this", args=[rahman.pk])
    assert section.get("data-like-this") == like_this
    assert section.xpath(".//a/@href") == [like_this]
    assert page.xpath("//script[contains(@src, 'like-this.js')]")
    assert asked == []


def test_the_more_like_this_page_lists_similar_articles_from_the_index(ingest, client):
    ingest(RAHMAN_QUITS, WELFARE_REBELLION, STARMER_ENTERS, RUNCORN)
    rahman = Article.objects.get(file_name=RAHMAN_QUITS.name)

    response = client.get(reverse("article-like-this", args=[rahman.pk]))

    similar = [a.file_name for a in response.context["more_like_this"]]
    assert similar and RAHMAN_QUITS.name not in similar
    assert set(similar) <= {WELFARE_REBELLION.name, STARMER_ENTERS.name, RUNCORN.name}
    links = parse(response).xpath("//ul[@id='like-this-list']//a[@class='article-title']/@href")
    assert links == [a.get_absolute_url() for a in response.context["more_like_this"]]


def test_the_more_like_this_page_of_an_article_that_is_not_there_is_a_404(client, db):
    assert client.get(reverse("article-like-this", args=[987654])).status_code == 404


def test_an_articles_more_like_this_asks_the_engine_once_until_an_article_is_added(ingest, client, monkeypatch):
    from haystack import connections

    ingest(RAHMAN_QUITS, WELFARE_REBELLION, STARMER_ENTERS)
    backend = connections["default"].get_backend()
    asked = []
    original = backend.more_like_this
    monkeypatch.setattr(backend, "more_like_this", lambda *a, **k: asked.append(1) or original(*a, **k))
    url = reverse("article-like-this", args=[Article.objects.get(file_name=RAHMAN_QUITS.name).pk])

    first = [a.pk for a in client.get(url).context["more_like_this"]]
    assert [a.pk for a in client.get(url).context["more_like_this"]] == first
    assert len(asked) == 1
    ingest(RUNCORN)
    client.get(url)
    assert len(asked) == 2


def test_citation_links_the_original_address_and_says_when_it_was_retrieved(ingest, client):
    ingest(LABOUR_JSONL)
    article = Article.objects.get(file_name="labour-internal-elections.jsonl#2")

    citation = parse(client.get(article.get_absolute_url())).xpath("//p[@class='citation']")[0]

    assert citation.xpath(".//a/@href") == ["https://redrosereview.example/2025/09/29/fringe-deputy-leadership/"]
    assert "noopener" in citation.xpath(".//a/@rel")[0]
    assert citation.xpath(".//time/@datetime") == [article.created.strftime("%Y-%m-%d")]
    assert "Retrieved" in text(citation)


def test_an_original_address_that_is_not_a_web_address_is_shown_but_never_linked(ingest, client):
    ingest(RAHMAN_QUITS)
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(url="javascript:alert(1)")

    citation = parse(client.get(article.get_absolute_url())).xpath("//p[@class='citation']")[0]

    assert citation.xpath(".//a") == []
    assert "javascript:alert(1)" in text(citation)


def test_article_page_runs_a_bounded_number_of_queries(ingest, client, django_assert_max_num_queries):
    ingest(DEMO)
    article = Article.objects.get(file_name=UNIONS.name)

    with django_assert_max_num_queries(15):
        assert client.get(article.get_absolute_url()).status_code == 200


# ----------------------------------------------------------------------------- escaping


def test_markup_in_an_article_is_shown_as_text_on_every_browsing_page(ingest, write_file, client):
    ingest(
        write_file(
            "xss.txt",
            f"THE TEST GAZETTE\n\nKeir Starmer and the {PAYLOAD} affair\n\nPosted on 3 March 2025 by Jo Tester\n\n"
            f"Keir Starmer told the Labour Party that \u201c{PAYLOAD} was in the minutes and nobody knows why,\u201d "
            "and the Conservative Party said nothing about it at all.\n",
        ),
        RAHMAN_QUITS,
    )
    article = Article.objects.get(file_name="xss.txt")
    assert PAYLOAD in article.title

    urls = [
        article.get_absolute_url(),
        "/people/keir-starmer/",
        "/organisations/labour-party/",
        "/archive/2025/03/",
        "/archive/2025/03/03/",
        "/people/",
        reverse("article-like-this", args=[article.pk]),
        reverse("article-like-this", args=[Article.objects.get(file_name=RAHMAN_QUITS.name).pk]),  # lists it
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response)
        assert not page.xpath("//img"), url
        assert not page.xpath("//*[@onerror]"), url
        assert PAYLOAD in text(page) or url == "/people/", url
