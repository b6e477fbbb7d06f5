"""Real-browser checks: what a reader does, at desktop and phone sizes, mouse and keyboard."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RAHMAN_TITLE = "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values"
RAHMAN_URL = (
    "/articles/2025/04/12/former-nec-member-mish-rahman-quits-labour-accusing-leadership-of-abandoning-its-values/"
)


def test_search_from_the_home_page_and_open_an_article(archive, page):
    page.goto(archive + "/")

    page.get_by_label("Search 3 articles").fill("Rahman")
    page.get_by_label("Search 3 articles").press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=Rahman$"))
    expect(page.locator("p.description")).to_have_text("Articles containing “Rahman”; best match first.")
    results = page.locator("ol.results > li")
    expect(results).to_have_count(2)
    expect(page.locator("ol.results mark").first).to_have_text("Rahman")

    page.get_by_role("link", name=RAHMAN_TITLE).click()

    expect(page).to_have_url(archive + RAHMAN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(RAHMAN_TITLE)
    expect(page.locator(".article-body a", has_text="Mish Rahman").first).to_be_visible()


def test_open_a_person_from_an_articles_people_links(archive, page):
    page.goto(archive + RAHMAN_URL)

    page.locator("aside .tags").get_by_role("link", name="Keir Starmer", exact=True).click()

    expect(page).to_have_url(archive + "/people/keir-starmer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keir Starmer")
    memberships = page.locator("ul.memberships > li")
    expect(memberships.filter(has_text="Leader of the Opposition")).to_contain_text("4 Apr 2020 – 5 Jul 2024")
    articles = page.locator("ul.article-list a.article-title")
    expect(articles).to_have_text(
        [
            "49 Labour MPs defy the whip as welfare bill scrapes through after late climbdown",
            RAHMAN_TITLE,
            "Starmer enters Downing Street as Labour landslide ends 14 years of Conservative rule",
        ]
    )
    expect(page.locator("ul.article-list .then").first).to_have_text("then: Labour Party")


def test_more_like_this_arrives_after_the_article_and_its_link_works_without_script(archive, browser):
    section = "section[aria-labelledby='more-like-this']"
    with_script = browser.new_page()
    with_script.goto(archive + RAHMAN_URL)
    expect(with_script.locator(f"{section} ul#like-this-list a.article-title").first).to_be_visible()
    expect(with_script.locator(f"{section} .like-this-link")).to_have_count(0)
    titles = with_script.locator(f"{section} a.article-title").all_inner_texts()
    assert RAHMAN_TITLE not in titles

    without = browser.new_context(java_script_enabled=False).new_page()
    without.goto(archive + RAHMAN_URL)
    without.locator(section).get_by_role("link", name="Articles like this one").click()
    expect(without.get_by_role("heading", level=1)).to_have_text(f"More like “{RAHMAN_TITLE}”")
    expect(without.locator("ul#like-this-list a.article-title")).to_have_text(titles)


@pytest.mark.parametrize("path", ["/", "/search/?q=Rahman", RAHMAN_URL, "/people/keir-starmer/"])
def test_pages_fit_a_phone_screen_without_sideways_scrolling(archive, browser, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        phone = context.new_page()
        phone.goto(archive + path)

        widths = phone.evaluate(
            "() => ({client: document.documentElement.clientWidth,"
            " scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
        )
        assert widths["client"] == 375
        assert widths["scroll"] <= widths["client"], widths
        assert widths["body"] <= widths["client"], widths
        # Nothing pokes out of the right edge either (overflow hidden would hide it from scrollWidth).
        too_wide = phone.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".filter(e => !e.closest('.skip, .visually-hidden'))"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == []
    finally:
        context.close()


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_past_the_header(archive, page):
    page.goto(archive + "/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused

    page.keyboard.press("Enter")
    expect(page).to_have_url(archive + "/#main")
    page.keyboard.press("Tab")

    focused = page.evaluate("() => document.activeElement.closest('main, header, footer')?.tagName")
    assert focused == "MAIN"
    expect(page.locator("#home-q")).to_be_focused()
