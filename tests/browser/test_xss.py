"""Hostile text never runs or renders as markup, on any page: checked in Chromium.

Every place a reader's or an editor's browser shows text from an article, a name or a
URL carries a payload here; each page in PAGES is loaded with a listener for dialogs
(what ``alert()`` opens) and its DOM is searched for elements the payloads would make.
To cover a new page (a feed, an export, an API view), add its path to PAGES.
"""

import json

import pytest

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
PAYLOAD = f"{IMG} {SCRIPT} {SVG}"
PASSWORD = "a long enough passphrase"

# Elements and attributes that only the payloads above would put in a page.
INJECTED = "img[src='x'], [onerror], [onload], a[href^='javascript:'], script:not([src]):not([type='application/json'])"


@pytest.fixture
def hostile(restored_database, live_server, ingest, write_file):
    """An article whose page, headline, author, body, URL, people, organisation and
    source all carry payloads, ingested through the real pipeline."""
    from archive.models import Article, Organisation, Person, Source

    fields = {
        "title": f"Council row {PAYLOAD}",
        "author": f"Jo {IMG}",
        "date": "2025-03-04",
        "url": f"https://example.org/a?x={SVG}",
        "source": f"Gazette {SCRIPT}",
        "text": f"Council row continues. {PAYLOAD} The leader, Mish Rahman, said the plan {IMG} was sound. "
        "Keir Starmer backed it.",
    }
    page = write_file("hostile.json", json.dumps(fields))
    report = ingest(page)
    assert report.count("added") == 1, report.as_dict()
    article = Article.objects.get()
    person = Person.objects.create(name=f"Evil {IMG} Person", slug="evil-person")
    organisation = Organisation.objects.create(name=f"Evil {SCRIPT} Org", slug="evil-org")
    article.mentions.create(person=person)
    article.mentions.create(organisation=organisation)
    source = article.source or Source.objects.create(name=f"Gazette {SCRIPT}", slug="gazette")
    return {"article": article, "person": person, "organisation": organisation, "source": source}


def pages(objects) -> list[str]:
    article, person = objects["article"], objects["person"]
    return [
        "/",
        article.get_absolute_url(),
        article.get_absolute_url() + "original/",
        "/articles/",
        "/search/?q=" + "council",
        "/search/?q=" + IMG,
        "/search/?q=" + SCRIPT + "&sort=date",
        "/search/?q=" + SVG + " person:" + SVG,
        person.get_absolute_url(),
        "/people/",
        objects["organisation"].get_absolute_url(),
        "/organisations/",
        "/sources/",
        f"/sources/{objects['source'].slug}/",
        # Browsing (the hostile article is of 4 March 2025): by date, A-Z, co-mentions.
        "/archive/",
        "/archive/2025/",
        "/archive/2025/03/",
        "/archive/2025/03/04/",
        "/people/?letter=E",
        "/organisations/?letter=E",
        "/people/keir-starmer/",
        "/people/mish-rahman/",
    ]


def admin_pages(objects) -> list[str]:
    article, person = objects["article"], objects["person"]
    return [
        "/admin/",
        "/admin/archive/article/",
        f"/admin/archive/article/{article.pk}/change/",
        "/admin/archive/article/?q=" + IMG,
        "/admin/archive/person/",
        f"/admin/archive/person/{person.pk}/change/",
        "/admin/archive/organisation/",
        "/admin/archive/membership/",
    ]


def check_pages(page, base, paths) -> dict:
    """Load each page; for any that failed, ran a dialog or holds injected elements, what."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    failures = {}
    for path in paths:
        dialogs.clear()
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        injected = page.eval_on_selector_all(INJECTED, "els => els.map(e => e.outerHTML.slice(0, 120))")
        if response.status >= 400 or dialogs or injected:
            failures[path] = (response.status, list(dialogs), injected)
    return failures


def test_payloads_in_articles_names_and_queries_never_run_on_public_pages(hostile, live_server, page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    assert check_pages(page, live_server.url, pages(hostile)) == {}
    assert violations == [], "our pages need no inline script or style"

    # Escaped, not stripped: the headline shows the payload as text.
    page.goto(live_server.url + hostile["article"].get_absolute_url())
    assert IMG in page.locator("h1").inner_text()


def test_payloads_never_run_on_admin_pages(hostile, live_server, page, django_user_model):
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    assert check_pages(page, live_server.url, admin_pages(hostile)) == {}
