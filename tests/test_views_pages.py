"""The public pages, through the Django test client, over articles ingested from real files.

Most tests ingest one to three of the original ``demo/`` articles (fast: about 0.3 s each);
the tests that need the real seed pages go through the ``seeds`` fixture and skip without them.
"""

import datetime
import re
from pathlib import Path

import lxml.html
import pytest
from django.utils import timezone

from archive.ingest.names import sort_key
from archive.models import Article, Person, PersonRedirect

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"
WELFARE_REBELLION = DEMO / "2025-07-02-welfare-rebellion.txt"
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"
LABOUR_JSONL = DEMO / "labour-internal-elections.jsonl"
LOCAL_ELECTIONS_HTML = DEMO / "2025-05-03-local-elections-reform-gains.html"

RAHMAN_QUITS_URL = (
    "/articles/2025/04/12/former-nec-member-mish-rahman-quits-labour-accusing-leadership-of-abandoning-its-values/"
)


# ----------------------------------------------------------------------------- helpers


def parse(response):
    return lxml.html.fromstring(response.content.decode())


def text(response_or_element) -> str:
    """The visible text, whitespace collapsed."""
    element = parse(response_or_element) if hasattr(response_or_element, "content") else response_or_element
    return re.sub(r"\s+", " ", element.text_content()).strip()


def section(response, heading: str, until: str | None = None) -> str:
    """The page's text after ``heading``, up to the ``until`` heading when given."""
    page = text(response)
    start = page.index(heading) + len(heading)
    return page[start : page.index(until, start) if until else None]


def hrefs(response_or_element) -> list[str]:
    element = parse(response_or_element) if hasattr(response_or_element, "content") else response_or_element
    return element.xpath("//a/@href")


def article(file_name: str) -> Article:
    return Article.objects.get(file_name=file_name)


def dated_article(write_file, name: str, date: datetime.date, headline: str, body: str) -> Path:
    """A small plain-text page in the demo's own layout, dated ``date``."""
    return write_file(
        name,
        f"THE TEST GAZETTE\n\n{headline}\n\nPosted on {date:%-d %B %Y} by Jo Tester\n\n{body}\n",
    )


# ----------------------------------------------------------------------------- home


def test_home_lists_recent_articles_newest_first(ingest, client):
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)

    response = client.get("/")

    assert response.status_code == 200
    titles = [
        a.text_content().strip()
        for a in parse(response).xpath("//ul[@class='article-list']//a[@class='article-title']")
    ]
    assert titles == [
        "49 Labour MPs defy the whip as welfare bill scrapes through after late climbdown",
        "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values",
        "Starmer enters Downing Street as Labour landslide ends 14 years of Conservative rule",
    ]
    assert "Search 3 articles" in text(response)


def test_home_has_a_search_box_that_submits_q_to_the_search_page(ingest, client):
    ingest(RAHMAN_QUITS)

    page = parse(client.get("/"))

    forms = page.xpath("//main//form[@role='search']")
    assert len(forms) == 1
    assert forms[0].get("action") == "/search/"
    assert forms[0].get("method") == "get"
    assert forms[0].xpath(".//input[@name='q']/@type") == ["search"]
    # The box has a visible label pointing at it.
    assert page.xpath("//main//label[@for='home-q']")


def test_home_ranks_most_mentioned_people_and_parties_over_all_time_when_this_month_is_quiet(ingest, client):
    """No article in the last month: the lists fall back to all time. Starmer is named in
    all three articles, Rahman in two, Corbyn in one."""
    ingest(STARMER_ENTERS, RAHMAN_QUITS, WELFARE_REBELLION)

    response = client.get("/")

    people = [(p.slug, p.article_count) for p in response.context["busiest_people"]]
    assert people[0] == ("keir-starmer", 3)
    assert ("mish-rahman", 2) in people
    assert people.index(("mish-rahman", 2)) < people.index(("jeremy-corbyn", 1))
    parties = [(p.slug, p.article_count) for p in response.context["busiest_parties"]]
    assert ("labour-party", 3) in parties  # tied with others named in all three
    assert parties[0][1] == 3
    assert [count for _, count in parties] == sorted((count for _, count in parties), reverse=True)
    assert "Keir Starmer 3" in section(response, "Most mentioned people", until="Most mentioned parties")
    assert "Labour Party 3" in section(response, "Most mentioned parties")


def test_home_ranks_this_months_mentions_once_the_month_has_enough_articles(ingest, client, write_file, monkeypatch):
    """An article from last week outranks older ones when the lists are 'this month'."""
    from archive.views import articles

    recent = timezone.localdate() - datetime.timedelta(days=5)
    ingest(
        STARMER_ENTERS,
        WELFARE_REBELLION,
        dated_article(
            write_file,
            "recent.txt",
            recent,
            "Green councillors back new cycle lanes in Bristol",
            "Carla Denyer, the Green Party co-leader, welcomed the vote on Tuesday and said the "
            "city had shown what was possible when councillors listened to residents.",
        ),
    )
    assert Article.objects.get(file_name="recent.txt").published == recent

    monkeypatch.setattr(articles, "MONTH_MINIMUM", 1)
    response = client.get("/")
    assert [p.slug for p in response.context["busiest_people"]] == ["carla-denyer"]
    assert [p.slug for p in response.context["busiest_parties"]] == ["green-party-of-england-and-wales"]
    assert "Most mentioned people this month" in response.content.decode()

    monkeypatch.setattr(articles, "MONTH_MINIMUM", 10)
    response = client.get("/")
    assert "carla-denyer" in [p.slug for p in response.context["busiest_people"]]
    assert "keir-starmer" in [p.slug for p in response.context["busiest_people"]], "a thin month: the whole archive"
    assert "Most mentioned people in the archive" in response.content.decode()


# ----------------------------------------------------------------------------- article page


@pytest.fixture
def rahman_article(ingest):
    ingest(RAHMAN_QUITS)
    return article(RAHMAN_QUITS.name)


def test_article_page_shows_title_source_author_and_date(rahman_article, client):
    assert rahman_article.get_absolute_url() == RAHMAN_QUITS_URL

    response = client.get(RAHMAN_QUITS_URL)

    assert response.status_code == 200
    page = parse(response)
    assert page.xpath("string(//h1)") == (
        "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values"
    )
    meta = page.xpath("//p[@class='article-meta']")[0]
    assert meta.xpath(".//a/@href")[0] == "/sources/red-rose-review/"
    assert meta.xpath("string(.//a)") == "Red Rose Review"
    assert meta.xpath(".//time/@datetime") == ["2025-04-12"]
    assert "12 April 2025" in text(meta)
    assert "by Ciaran Moss" in text(meta)
    assert page.xpath("string(//title)").startswith("Former NEC member Mish Rahman quits Labour")


def test_article_body_links_people_and_organisations_to_their_pages(rahman_article, client):
    body = parse(client.get(RAHMAN_QUITS_URL)).xpath("//div[@class='article-body']")[0]

    links = {(a.text_content(), a.get("href")) for a in body.xpath(".//a")}
    assert ("Mish Rahman", "/people/mish-rahman/") in links
    assert ("Keir Starmer", "/people/keir-starmer/") in links
    assert ("Liz Kendall", "/people/liz-kendall/") in links
    assert ("Reform UK", "/organisations/reform-uk/") in links
    assert ("NEC", "/organisations/labour-nec/") in links
    # The body is the article's paragraphs, not one block of text.
    assert len(body.xpath("./p")) > 5
    assert "His departure will be felt most keenly among activists in the West Midlands" in text(body)


def test_article_sidebar_lists_people_and_parties_but_not_boilerplate_only_mentions(rahman_article, client):
    """Diane Abbott and Zarah Sultana are named only in the page's furniture (teasers),
    which is kept as a mention but never shown as one."""
    assert rahman_article.mentions.filter(person__slug="diane-abbott", boilerplate_only=True).exists()

    response = client.get(RAHMAN_QUITS_URL)

    people = [p.slug for p in response.context["people"]]
    assert {"mish-rahman", "keir-starmer", "sana-choudhury"} <= set(people)
    assert "diane-abbott" not in people
    assert "/people/diane-abbott/" not in hrefs(response)
    parties = [p.slug for p in response.context["parties"]]
    assert {"labour-party", "reform-uk", "conservative-party"} <= set(parties)
    assert "labour-nec" in [o.slug for o in response.context["organisations"]]


def test_article_page_shows_quotes_with_their_speakers(rahman_article, client):
    page = parse(client.get(RAHMAN_QUITS_URL))

    quotes = page.xpath("//ul[@class='quotes']/li")
    assert quotes
    first = quotes[0]
    assert "Mish gave years to this party, on the NEC and on the doorstep" in first.xpath("string(.//blockquote)")
    assert first.xpath(".//a/@href") == ["/people/sana-choudhury/"]


def test_article_page_has_a_citation_line_and_a_link_to_the_original_text(rahman_article, client):
    page = parse(client.get(RAHMAN_QUITS_URL))

    citation = text(page.xpath("//p[@class='citation']")[0])
    retrieved = timezone.localtime(rahman_article.created)
    assert citation == (
        "Ciaran Moss, “Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its "
        f"values”, Red Rose Review, 12 April 2025. Retrieved {retrieved:%-d %B %Y}. "
        "Cuttings archive: http://testserver" + RAHMAN_QUITS_URL
    )
    original = page.xpath("//a[text()='Original text as ingested']/@href")
    assert original == [RAHMAN_QUITS_URL + "original/"]


def test_undated_article_has_its_own_url_and_says_undated(ingest, client):
    ingest(LABOUR_JSONL)
    undated = Article.objects.get(file_name="labour-internal-elections.jsonl#1")
    assert undated.published is None

    response = client.get(undated.get_absolute_url())

    assert undated.get_absolute_url().startswith("/articles/undated/")
    assert response.status_code == 200
    assert "undated" in text(parse(response).xpath("//p[@class='article-meta']")[0])
    assert client.get(undated.get_original_url())["Content-Type"] == "text/plain; charset=utf-8"


# ----------------------------------------------------------------------------- original text


def test_original_text_is_plain_text_of_the_page_as_ingested(rahman_article, client):
    response = client.get(RAHMAN_QUITS_URL + "original/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{RAHMAN_QUITS.name}.txt"'
    # Every line of the file, furniture included, exactly as it was.
    assert response.content.decode("utf-8") == RAHMAN_QUITS.read_text(encoding="utf-8")
    assert "Home | News | Comment | Branch Life | About | Donate" in response.content.decode()


def test_original_text_of_an_html_article_is_the_html_page_as_ingested(ingest, client):
    ingest(LOCAL_ELECTIONS_HTML)
    html_article = article(LOCAL_ELECTIONS_HTML.name)

    response = client.get(html_article.get_original_url())

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode("utf-8") == LOCAL_ELECTIONS_HTML.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- people


def test_people_list_shows_mentioned_people_with_article_counts(ingest, client):
    ingest(RAHMAN_QUITS, WELFARE_REBELLION)

    response = client.get("/people/")

    rows = {p.slug: p.article_count for p in response.context["page"]}
    assert rows["mish-rahman"] == 2
    assert rows["sana-choudhury"] == 1
    # Only people with articles are listed by default, most mentioned first.
    assert "diane-abbott" not in rows  # boilerplate-only mention
    assert "rishi-sunak" not in rows
    assert list(rows.values()) == sorted(rows.values(), reverse=True)
    rahman = parse(response).xpath("//ul[@class='entity-list']/li[a='Mish Rahman']")[0]
    assert text(rahman).endswith("2 articles")  # after his party and role now, when he has them


def test_people_list_by_letter_is_alphabetical_by_surname(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/people/", {"letter": "R"})

    sort_names = [p.sort_name for p in response.context["page"]]
    assert "Rahman, Mish" in sort_names
    assert all(name.upper().startswith("R") for name in sort_names)
    assert sort_names == sorted(sort_names, key=sort_key)  # folded, whatever the database's collation


def test_person_page_shows_aliases_and_dated_memberships(ingest, client):
    ingest(STARMER_ENTERS)

    response = client.get("/people/keir-starmer/")

    assert response.status_code == 200
    page = text(response)
    assert "Also known as" in page and "Sir Keir" in page
    roles = [text(li) for li in parse(response).xpath("//ul[@class='memberships']/li")]
    assert "Leader of the Opposition, House of Commons 4 Apr 2020 – 5 Jul 2024" in roles
    assert "Prime Minister, UK Government from 5 Jul 2024" in roles
    # Each membership links to its organisation.
    assert "/organisations/house-of-commons/" in hrefs(response)


def test_person_page_lists_articles_newest_first_with_the_party_at_the_time(ingest, client):
    """Corbyn had no party on 5 July 2024 (expelled from Labour in May, Your Party came in
    2025) and was in Your Party on 29 September 2025: each row says what was true then."""
    ingest(STARMER_ENTERS, LABOUR_JSONL)

    response = client.get("/people/jeremy-corbyn/")

    rows = [(a.published, [p.slug for p in parties]) for a, parties in response.context["rows"]]
    assert rows == [
        (datetime.date(2025, 9, 29), ["your-party"]),
        (datetime.date(2024, 7, 5), []),
        (None, ["your-party"]),  # undated: today's party
    ]
    items = [text(li) for li in parse(response).xpath("//ul[@class='article-list']/li")]
    assert "then: Your Party" in items[0]
    assert "then:" not in items[1]


def test_person_page_shows_their_quotes(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/people/sana-choudhury/")

    quotes = parse(response).xpath("//ul[@class='quotes']/li")
    assert any("When people like that walk away" in text(q) for q in quotes)
    assert "/search/?quotedby=sana-choudhury" in hrefs(response)


def test_merged_person_redirects_permanently_to_the_person_kept(ingest, client):
    ingest(RAHMAN_QUITS)
    duplicate = Person.objects.create(name="Mishal Rahman", slug="mishal-rahman", sort_name="Rahman, Mishal")
    kept = Person.objects.get(slug="mish-rahman")

    duplicate.merge_into(kept)

    assert PersonRedirect.objects.get(old_slug="mishal-rahman").person == kept
    response = client.get("/people/mishal-rahman/")
    assert response.status_code == 301
    assert response["Location"] == "/people/mish-rahman/"
    assert client.get("/people/mishal-rahman/", follow=True).context["person"] == kept


# ----------------------------------------------------------------------------- organisations


def test_people_list_by_kind_lists_who_holds_such_a_seat_or_role_now(ingest, client):
    from archive.models import Membership

    ingest(RAHMAN_QUITS, STARMER_ENTERS)
    today = timezone.localdate()

    mps = client.get("/people/", {"kind": "mp"})
    unions = client.get("/people/", {"kind": "union", "letter": "G"})

    listed = [p.slug for p in mps.context["page"]]
    assert listed[0] == "keir-starmer"  # the most mentioned MP first; everyone of the kind is listed
    assert "mish-rahman" not in listed
    commons = Membership.objects.filter(kind="seat", organisation__slug="house-of-commons").covering(today)
    assert set(listed) <= set(commons.values_list("person__slug", flat=True))
    assert mps.context["page"].paginator.count == commons.values("person").distinct().count()
    for person in unions.context["page"]:
        assert person.sort_name.upper().startswith("G")
        assert any(m.kind == "role" and m.organisation.kind == "union" for m in person.memberships_now)
    assert parse(unions).xpath("//select[@name='kind']/option[@selected]/@value") == ["union"]
    assert "kind=union&letter=H" in [
        a.get("href").lstrip("?") for a in parse(unions).xpath("//nav[@class='letters']/a")
    ]
    starmer = parse(mps).xpath("//ul[@class='entity-list']/li[a='Keir Starmer']")[0]
    assert "Labour Party" in text(starmer)  # party and role now beside each name
    assert client.get("/people/", {"kind": "<script>"}).context["kind"] == ""


def test_organisations_list_filters_by_kind(ingest, client):
    ingest(RAHMAN_QUITS)

    unions = client.get("/organisations/", {"kind": "union"})
    everything = client.get("/organisations/")

    union_kinds = {o.kind for o in unions.context["page"]}
    assert union_kinds == {"union"}
    assert "unite" in {o.slug for o in unions.context["page"]}
    assert "labour-party" not in {o.slug for o in unions.context["page"]}
    assert len({o.kind for o in everything.context["page"]}) > 1
    # The filter form keeps the choice.
    assert parse(unions).xpath("//select[@name='kind']/option[@selected]/@value") == ["union"]


def test_organisations_list_ignores_an_unknown_kind(ingest, client):
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/", {"kind": "<script>"})

    assert response.status_code == 200
    assert response.context["kind"] == ""
    assert "<script>" not in response.content.decode()


def test_labour_party_page_shows_kind_members_and_articles(ingest, client):
    ingest(RAHMAN_QUITS, STARMER_ENTERS)

    response = client.get("/organisations/labour-party/")

    assert response.status_code == 200
    page = parse(response)
    assert page.xpath("string(//h1)") == "Labour Party"
    assert page.xpath("string(//span[@class='kind'])") == "Party"
    members_now = {p.slug for p in response.context["members_now"]}
    assert "jeremy-corbyn" not in members_now  # left in 2020 (whip) and 2024 (expelled)
    articles = [a.file_name for a in response.context["page"]]
    assert articles == [RAHMAN_QUITS.name, STARMER_ENTERS.name]  # newest first
    assert "/organisations/labour-nec/" in hrefs(response)  # its bodies
    assert "/search/?party=labour-party" in hrefs(response)


def test_labour_party_page_lists_its_leader_among_members_now(ingest, client):
    """The party has about 160 current members in the knowledge base; all are listed."""
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/labour-party/")

    members_now = {p.slug for p in response.context["members_now"]}
    assert "keir-starmer" in members_now
    assert "Keir Starmer" in section(response, "Members now", until="Former members")


# ----------------------------------------------------------------------------- sources


def test_sources_list_counts_articles_per_source(ingest, client):
    ingest(RAHMAN_QUITS, WELFARE_REBELLION, STARMER_ENTERS)

    response = client.get("/sources/")

    counts = {s.slug: s.article_count for s in response.context["sources"]}
    assert counts == {"red-rose-review": 2, "the-westminster-ledger": 1}
    assert "Red Rose Review 2 articles" in text(response)


def test_source_page_lists_its_articles_newest_first(ingest, client):
    ingest(RAHMAN_QUITS, WELFARE_REBELLION, STARMER_ENTERS)

    response = client.get("/sources/red-rose-review/")

    assert parse(response).xpath("string(//h1)") == "Red Rose Review"
    assert [a.file_name for a in response.context["page"]] == [WELFARE_REBELLION.name, RAHMAN_QUITS.name]


def test_seed_sources_are_listed(ingest, seeds, client):
    ingest(seeds)

    names = {s.name for s in client.get("/sources/").context["sources"]}

    assert {"LabourList", "BBC News", "Socialist Worker"} <= names


# ----------------------------------------------------------------------------- not found


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/people/nobody-at-all/",
        "/organisations/no-such-party/",
        "/sources/no-such-paper/",
        "/articles/2025/04/12/no-such-article/",
        "/articles/2025/02/30/no-such-date/",
        "/articles/2025/13/01/no-such-month/",
        "/articles/undated/no-such-article/",
        "/articles/undated/no-such-article/original/",
    ],
)
def test_unknown_addresses_get_our_404_page(ingest, client, url):
    ingest(RAHMAN_QUITS)

    response = client.get(url)

    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    body = response.content.decode()
    assert "Page not found" in body
    assert "Skip to content" in body  # our base template, with the site's navigation
    assert "Traceback" not in body


def test_a_dated_url_does_not_find_an_article_of_another_date(rahman_article, client):
    assert client.get(RAHMAN_QUITS_URL.replace("2025/04/12", "2025/04/13")).status_code == 404


def test_party_page_lists_former_members_most_recent_departure_first(ingest, client):
    """Jeremy Corbyn (expelled 2024) and Zarah Sultana (left 2025) are former Labour members."""
    ingest(RAHMAN_QUITS)

    response = client.get("/organisations/labour-party/")

    former = [p.slug for p in response.context["former_members"]]
    assert "jeremy-corbyn" in former and "zarah-sultana" in former
    assert "keir-starmer" not in former
    lefts = [p.left for p in response.context["former_members"]]
    assert lefts == sorted(lefts, reverse=True)


def test_favicon_is_our_svg_linked_from_every_page_and_favicon_ico_is_not_a_404(rahman_article, client):
    from django.contrib.staticfiles import finders

    page = lxml.html.fromstring(client.get(RAHMAN_QUITS_URL).content)
    [icon] = page.xpath("//link[@rel='icon']/@href")
    assert icon.endswith("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == icon
    svg = Path(finders.find("favicon.svg")).read_text()
    assert svg.startswith("<svg") and "<title>Cuttings</title>" in svg


def test_a_namesake_kept_apart_by_the_data_files_says_why_on_its_page(knowledge, client):
    page = client.get("/people/angela-smith-mp/").content.decode()
    assert "Kept apart from a namesake until an editor checks: Same name as Angela Smith" in page
    assert "Found by extraction" not in page
    assert "MP for Penistone and Stocksbridge" in page


# ----------------------------------------------------------------------------- crawlers


def robots_meta(response) -> list[str]:
    return parse(response).xpath('//head/meta[@name="robots"]/@content')


def test_robots_txt_keeps_crawlers_out_of_searches_feeds_of_searches_the_api_and_like_this_lists(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    disallowed = re.findall(r"^Disallow: (\S+)$", response.content.decode(), flags=re.M)
    assert set(disallowed) == {"/search/", "/feeds/search/", "/api/", "/admin/", "/articles/*/like-this/"}


def test_search_and_like_this_pages_ask_crawlers_not_to_index_them_but_article_pages_do_not(rahman_article, client):
    assert robots_meta(client.get("/search/", {"q": "labour"})) == ["noindex, follow"]
    assert robots_meta(client.get(f"/articles/{rahman_article.pk}/like-this/")) == ["noindex, follow"]
    assert robots_meta(client.get(rahman_article.get_absolute_url())) == []
