"""Browsing and data out in a real browser: charts, members, browse by date, feeds, exports,
the API, accessibility (axe-core) and phone widths on the article, person and party pages."""

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
RAHMAN_URL = (
    "/articles/2025/04/12/former-nec-member-mish-rahman-quits-labour-accusing-leadership-of-abandoning-its-values/"
)
ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<img src=x onerror=alert(1)>"


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make {AXE.relative_to(ROOT)}` (npm install axe-core)")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def with_markup(archive, ingest, tmp_path):
    """The archive plus an article whose headline and text carry an <img onerror> payload."""
    page = tmp_path / "xss.txt"
    page.write_text(
        f"THE TEST GAZETTE\n\nKeir Starmer and the {PAYLOAD} affair\n\nPosted on 3 March 2025 by Jo Tester\n\n"
        f"Keir Starmer told the Labour Party that \u201c{PAYLOAD} was in the minutes and nobody knows why,\u201d "
        "and the Conservative Party said nothing about it at all.\n",
        encoding="utf-8",
    )
    ingest(page)
    from archive.models import Article

    return archive, Article.objects.get(file_name="xss.txt").get_absolute_url()


def test_person_page_chart_shows_bars_and_a_table_that_opens_from_the_keyboard(archive, page):
    page.goto(archive + "/people/keir-starmer/")

    figure = page.locator("figure.volume-chart")
    expect(figure.locator("svg rect")).to_have_count(13)  # July 2024 to July 2025
    expect(figure.locator("figcaption")).to_contain_text("3 dated articles from July 2024 to July 2025")
    box = figure.locator("svg").bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    table = figure.locator("table")
    expect(table).to_be_hidden()

    figure.locator("summary").focus()
    page.keyboard.press("Enter")

    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)
    table.get_by_role("link", name="April 2025").click()
    expect(page).to_have_url(re.compile(r"/search/\?person=keir-starmer&from=2025-04&to=2025-04$"))
    expect(page.locator("ol.results > li")).to_have_count(1)


def test_party_page_pages_through_members_now_and_lands_on_the_list(archive, page):
    page.goto(archive + "/organisations/labour-party/")

    members = page.locator("section[aria-labelledby='members-now'] ul.memberships > li")
    expect(members).to_have_count(30)
    first_page = members.all_inner_texts()
    page.get_by_role("navigation", name="Pages of members now").get_by_role("link", name="Next →").click()

    expect(page).to_have_url(re.compile(r"\?members=2#members-now$"))
    expect(members).to_have_count(30)
    assert not set(first_page) & set(members.all_inner_texts())
    expect(page.locator("#members-now")).to_be_in_viewport()
    expect(page.locator("figure.volume-chart svg rect").first).to_be_attached()


def test_browse_by_date_from_the_years_to_a_day(archive, page):
    page.goto(archive + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="By date").click()

    page.get_by_role("link", name="2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles published in 2025")
    page.get_by_role("link", name="April").click()
    expect(page).to_have_url(archive + "/archive/2025/04/")
    page.locator("ol.days").get_by_role("link", name=re.compile("Sat 12")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Articles published on Saturday 12 April 2025")
    expect(page.locator("ul.article-list a.article-title")).to_have_text(
        ["Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values"]
    )
    assert page.goto(archive + "/archive/2025/02/30/").status == 404


def test_feeds_of_a_person_and_of_a_search(archive, page):
    page.goto(archive + "/people/mish-rahman/")
    href = page.get_by_role("link", name="Atom feed").get_attribute("href")

    person_feed = page.request.get(archive + href)
    search_feed = page.request.get(archive + "/feeds/search/?q=welfare&from=2025-07")

    for response in (person_feed, search_feed):
        assert response.ok
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    person_titles = [
        e.findtext(f"{ATOM}title") for e in ElementTree.fromstring(person_feed.body()).iter(f"{ATOM}entry")
    ]
    assert len(person_titles) == 2
    search_titles = [
        e.findtext(f"{ATOM}title") for e in ElementTree.fromstring(search_feed.body()).iter(f"{ATOM}entry")
    ]
    assert search_titles == ["49 Labour MPs defy the whip as welfare bill scrapes through after late climbdown"]


def test_csv_and_json_exports_download_from_the_results_page(archive, page):
    page.goto(archive + "/search/?party=labour-party")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    with page.expect_download() as json_download:
        page.get_by_role("link", name="JSON").click()

    assert csv_download.value.suggested_filename == "cuttings-search.csv"
    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 3
    assert all("Labour Party" in row["parties"].split("; ") for row in rows)
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert sorted(r["title"] for r in data) == sorted(r["title"] for r in rows)


def test_the_favicon_is_served_and_favicon_ico_is_not_a_404(archive, page):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(archive + "/")

    icon = page.locator("link[rel=icon]").get_attribute("href")
    for path in (icon, "/favicon.ico"):
        response = page.request.get(archive + path)
        assert response.ok, path
        assert response.headers["content-type"].startswith("image/svg+xml"), path
    assert failed == []


def test_people_list_by_kind_from_the_form(archive, page):
    page.goto(archive + "/people/")

    page.get_by_label("Kind, now").select_option(label="MPs")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"kind=mp"))
    starmer = page.locator("ul.entity-list li").filter(has_text="Keir Starmer")
    expect(starmer).to_contain_text("Labour Party")
    page.get_by_role("navigation", name="By surname").get_by_role("link", name="S", exact=True).click()
    expect(page).to_have_url(re.compile(r"kind=mp&letter=S"))
    expect(page.locator("ul.entity-list")).to_contain_text("Keir Starmer")


def test_the_api_answers_json_for_a_search_an_article_and_the_type_ahead(archive, page):
    found = page.request.get(archive + "/api/search/?q=Rahman").json()
    assert found["total"] == 2
    article = page.request.get(archive + f"/api/articles/{found['results'][0]['id']}/").json()
    assert article["title"] == found["results"][0]["title"]
    entities = page.request.get(archive + "/api/entities/?q=rahm").json()
    assert entities["results"][0]["slug"] == "mish-rahman"
    assert page.request.get(archive + "/api/search/?from=2025-13").status == 400


@pytest.mark.parametrize(
    "path", [RAHMAN_URL, "/people/keir-starmer/", "/organisations/labour-party/", "/archive/2025/04/"]
)
def test_pages_have_no_serious_accessibility_violations(archive, browser, path):
    # axe-core is injected as an inline script, which the site's CSP (rightly) refuses.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(archive + path)
        if page.locator("details.volume-table").count():
            page.locator("details.volume-table summary").click()  # the table is checked too

        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", [RAHMAN_URL, "/people/keir-starmer/", "/organisations/labour-party/", "/archive/2025/04/"]
)
def test_pages_are_readable_at_360_pixels(archive, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        phone = context.new_page()
        phone.goto(archive + path)
        if phone.locator("details.volume-table").count():
            phone.locator("details.volume-table summary").click()

        widths = phone.evaluate(
            "() => ({client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth})"
        )
        assert widths["client"] == 360
        assert widths["scroll"] <= widths["client"], widths
        too_wide = phone.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".filter(e => !e.closest('.skip, .visually-hidden'))"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == []
        # Text stays legible: nothing in the chart shrinks below 9 CSS pixels.
        if phone.locator("figure.volume-chart").count():
            tick = phone.locator("figure.volume-chart text").first.bounding_box()
            assert tick["height"] >= 9
    finally:
        context.close()


def test_markup_in_an_article_is_shown_as_text_on_every_page_feed_and_export(with_markup, page):
    archive, article_url = with_markup
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = [
        article_url,
        "/people/keir-starmer/",
        "/organisations/labour-party/",
        "/archive/2025/03/",
        "/archive/2025/03/03/",
        "/search/?q=minutes",  # headline and snippet
        "/search/?q=affair&party=labour",  # with facets, chips and the chart
    ]

    for path in pages:
        page.goto(archive + path)
        expect(page.locator("main")).to_contain_text(PAYLOAD)
        assert page.locator("main img").count() == 0, path

    for feed_path in ("/feeds/people/keir-starmer/", "/feeds/search/?q=minutes", "/feeds/organisations/labour-party/"):
        feed = page.request.get(archive + feed_path).text()
        [summary] = [
            entry.findtext(f"{ATOM}summary")
            for entry in ElementTree.fromstring(feed).iter(f"{ATOM}entry")
            if PAYLOAD in entry.findtext(f"{ATOM}title")
        ]
        page.set_content(summary)  # what a feed reader would render
        assert page.locator("img").count() == 0, feed_path
        expect(page.locator("body")).to_contain_text(PAYLOAD)
    for export in ("/search/export.csv?q=minutes", "/search/export.json?q=minutes", "/api/search/?q=minutes"):
        response = page.request.get(archive + export)
        assert not response.headers["content-type"].startswith("text/html"), export
        assert PAYLOAD in response.text() or json.dumps(PAYLOAD)[1:-1] in response.text(), export
    assert dialogs == []
