"""The editors' admin: adding articles through the ingest pipeline, correcting entities,
merging people, and the guarantees around it (login, CSRF, index after commit)."""

from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from haystack.query import SearchQuerySet

from archive.models import Alias, Article, Mention, Person, PersonRedirect, Quote

DEMO = Path(__file__).resolve().parent.parent / "demo"
RAHMAN_QUITS = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"
STARMER_ENTERS = DEMO / "2024-07-05-starmer-enters-downing-street.txt"
POLANSKI_JSON = DEMO / "2025-09-02-polanski-green-leader.json"

ADD_URL = "/admin/archive/article/add/"


def CONFIRM(survivor):  # noqa: N802 - reads as a constant in the merge posts
    """The merge's confirmation step: the editor has chosen who remains."""
    return {"confirm": "yes", "survivor": str(survivor.pk)}


RAHMAN_TITLE = "Former NEC member Mish Rahman quits Labour, accusing leadership of abandoning its values"


# ----------------------------------------------------------------------------- helpers


def form_data(response, form_id: str) -> dict:
    """What a browser would submit from the form as rendered (no submit buttons, no files)."""
    form = lxml.html.fromstring(response.content.decode()).xpath(f"//form[@id='{form_id}']")[0]
    data = {}
    for field in form.xpath(".//input | .//textarea | .//select"):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        kind = field.get("type", "text")
        if field.tag == "textarea":
            data[name] = field.text or ""
        elif field.tag == "select":
            data[name] = [o.get("value") for o in field.xpath(".//option[@selected]")] or ""
            if not field.get("multiple") and data[name]:
                data[name] = data[name][0]
        elif kind in ("submit", "file", "button"):
            continue
        elif kind == "checkbox":
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def add_article(client, follow=False, **fields):
    data = {"text": "", "source_name": "", "url": "", "_save": "Save", **fields}
    return client.post(ADD_URL, data, follow=follow)


def errors(response) -> str:
    page = lxml.html.fromstring(response.content.decode())
    return " ".join(e.text_content() for e in page.xpath("//ul[contains(@class, 'errorlist')]"))


@pytest.fixture
def editor_client(admin_client, knowledge):
    """A logged-in superuser, with the knowledge base loaded."""
    return admin_client


# ----------------------------------------------------------------------------- login


@pytest.mark.parametrize("url", ["/admin/", ADD_URL, "/admin/archive/person/", "/admin/archive/article/1/change/"])
def test_admin_pages_redirect_anonymous_visitors_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_anonymous_post_adds_nothing(client, knowledge):
    response = add_article(client, text=RAHMAN_QUITS.read_text())

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Article.objects.exists()


def test_a_staff_user_without_permissions_cannot_add_articles(client, knowledge, django_user_model):
    user = django_user_model.objects.create_user("intern", password="x", is_staff=True)
    client.force_login(user)

    assert client.get(ADD_URL).status_code == 403
    assert add_article(client, text=RAHMAN_QUITS.read_text()).status_code == 403
    assert not Article.objects.exists()


# ----------------------------------------------------------------------------- adding articles


def test_add_form_offers_paste_and_upload_only(editor_client):
    response = editor_client.get(ADD_URL)

    assert response.status_code == 200
    data_fields = set(form_data(response, "article_form")) - {"csrfmiddlewaretoken"}
    assert data_fields == {"text", "source_name", "url"}
    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath("//form[@id='article_form']/@enctype") == ["multipart/form-data"]
    assert page.xpath("//input[@name='upload' and @type='file']")


def test_pasting_a_page_runs_the_ingest_pipeline(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_article(editor_client, text=RAHMAN_QUITS.read_text(), url="https://redrose.example/rahman")

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == RAHMAN_TITLE
    assert article.author == "Ciaran Moss"
    assert str(article.published) == "2025-04-12"
    assert article.source.name == "Red Rose Review"
    assert article.url == "https://redrose.example/rahman"
    assert article.file_name == "pasted text"
    people = set(article.mentions.filter(person__isnull=False).values_list("person__slug", flat=True))
    assert {"mish-rahman", "keir-starmer", "sana-choudhury"} <= people
    assert article.mentions.filter(organisation__slug="labour-party").exists()
    assert article.quotes.filter(speaker__slug="sana-choudhury").exists()
    assert not article.mentions.filter(edited=True).exists()


def test_source_name_is_used_when_the_page_does_not_say(editor_client):
    text = (
        "Rail union welcomes pay offer\n\nBy Jo Tester\n\nMick Lynch said on Monday that the RMT would put "
        "the offer to its members, who have been in dispute for a year."
    )

    add_article(editor_client, text=text, source_name="The Test Gazette")

    assert Article.objects.get().source.name == "The Test Gazette"


def test_uploading_a_file_runs_the_ingest_pipeline(editor_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(POLANSKI_JSON.name, POLANSKI_JSON.read_bytes(), content_type="application/json")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title.startswith("Polanski wins Green leadership by a landslide")
    assert article.file_name == POLANSKI_JSON.name
    assert article.mentions.filter(person__slug="zack-polanski").exists()
    assert article.mentions.filter(organisation__slug="green-party-of-england-and-wales").exists()


def test_adding_the_same_text_twice_is_a_form_error_naming_the_duplicate(editor_client):
    add_article(editor_client, text=RAHMAN_QUITS.read_text())
    first = Article.objects.get()

    response = add_article(editor_client, text=RAHMAN_QUITS.read_text())

    assert response.status_code == 200
    assert f"The archive already has this text: “{RAHMAN_TITLE}” (id {first.pk})." in errors(response)
    assert Article.objects.count() == 1


def test_the_same_text_uploaded_as_a_file_is_also_a_duplicate(editor_client, ingest):
    ingest(RAHMAN_QUITS)
    upload = SimpleUploadedFile("copy.txt", RAHMAN_QUITS.read_bytes(), content_type="text/plain")

    response = editor_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 200
    assert "The archive already has this text" in errors(response)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Paste the text or upload a file (one of the two)."),
        ({"text": "   \n  "}, "Paste the text or upload a file (one of the two)."),
        ({"text": "Some text", "upload": "file"}, "Paste the text or upload a file (one of the two)."),
        ({"url": "not a url at all", "text": "Labour wins."}, "Enter a valid URL."),
    ],
)
def test_add_form_errors_are_shown_not_raised(editor_client, fields, message):
    if fields.get("upload") == "file":
        fields["upload"] = SimpleUploadedFile("a.txt", b"Other text about Labour.", content_type="text/plain")

    response = editor_client.post(ADD_URL, {"text": "", "_save": "Save", **fields})

    assert response.status_code == 200
    assert message in errors(response)
    assert not Article.objects.exists()


def test_uploading_a_binary_file_is_rejected_with_a_reason(editor_client):
    upload = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, content_type="text/plain")

    response = editor_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 200
    assert errors(response).strip()
    assert not Article.objects.exists()


# ----------------------------------------------------------------------------- editing entities


@pytest.fixture
def rahman_article(ingest):
    ingest(RAHMAN_QUITS)
    return Article.objects.get()


def test_editing_a_mention_in_the_inline_marks_it_edited(editor_client, rahman_article):
    change_url = f"/admin/archive/article/{rahman_article.pk}/change/"
    page = editor_client.get(change_url)
    data = form_data(page, "article_form")
    target = Mention.objects.get(article=rahman_article, person__slug="mish-rahman")
    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("mentions-") and k.endswith("-id") and v == str(target.pk)
    )
    assert data[f"mentions-{index}-count"] != "42"
    data[f"mentions-{index}-count"] = "42"

    response = editor_client.post(change_url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    target.refresh_from_db()
    assert target.count == 42
    assert target.edited is True
    # Only the changed row is marked: the others are still the extractor's.
    assert list(Mention.objects.filter(article=rahman_article, edited=True)) == [target]


def test_an_editor_can_add_a_missing_mention_which_is_marked_edited(editor_client, rahman_article):
    change_url = f"/admin/archive/article/{rahman_article.pk}/change/"
    data = form_data(editor_client.get(change_url), "article_form")
    n = int(data["mentions-TOTAL_FORMS"])
    rayner = Person.objects.get(slug="angela-rayner")
    data.update(
        {
            "mentions-TOTAL_FORMS": str(n + 1),
            f"mentions-{n}-article": str(rahman_article.pk),
            f"mentions-{n}-person": str(rayner.pk),
            f"mentions-{n}-count": "1",
        }
    )

    response = editor_client.post(change_url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    added = Mention.objects.get(article=rahman_article, person=rayner)
    assert added.edited is True


# ----------------------------------------------------------------------------- merging people


@pytest.fixture
def duplicate_rahman(ingest):
    """A second, discovered 'Mishal Rahman' with an alias, a mention and a quote of his own
    in another article, plus a mention in the article both are named in."""
    ingest(RAHMAN_QUITS, STARMER_ENTERS)
    rahman_quits = Article.objects.get(file_name=RAHMAN_QUITS.name)
    starmer_enters = Article.objects.get(file_name=STARMER_ENTERS.name)
    duplicate = Person.objects.create(
        name="Mishal Rahman", slug="mishal-rahman", sort_name="Rahman, Mishal", needs_review=True
    )
    Alias.objects.create(person=duplicate, name="M. Rahman")
    Mention.objects.create(article=starmer_enters, person=duplicate, count=2, first_offset=10, matched_text="M. Rahman")
    Mention.objects.create(article=rahman_quits, person=duplicate, count=3, first_offset=0, matched_text="M. Rahman")
    Quote.objects.create(article=starmer_enters, speaker=duplicate, text="We are not going anywhere.", start=0, end=26)
    return duplicate


def test_merge_people_action_moves_aliases_mentions_and_quotes(editor_client, duplicate_rahman):
    kept = Person.objects.get(slug="mish-rahman")
    count_before = Mention.objects.get(article__file_name=RAHMAN_QUITS.name, person=kept).count

    response = editor_client.post(
        "/admin/archive/person/",
        {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)], **CONFIRM(kept)},
        follow=True,
    )

    assert response.status_code == 200
    assert "Merged Mishal Rahman into Mish Rahman." in [str(m) for m in response.context["messages"]]
    assert not Person.objects.filter(slug="mishal-rahman").exists()
    assert {"M. Rahman", "Mishal Rahman"} <= set(kept.aliases.values_list("name", flat=True))
    assert Mention.objects.get(article__file_name=STARMER_ENTERS.name, person=kept).count == 2
    # Both were named in the same article: one mention, counts added.
    shared = Mention.objects.filter(article__file_name=RAHMAN_QUITS.name, person=kept)
    assert shared.count() == 1 and shared.get().count == count_before + 3
    assert Quote.objects.get(text="We are not going anywhere.").speaker == kept
    assert PersonRedirect.objects.get(old_slug="mishal-rahman").person == kept


def test_the_merged_persons_old_page_redirects(editor_client, duplicate_rahman, client):
    kept = Person.objects.get(slug="mish-rahman")
    editor_client.post(
        "/admin/archive/person/",
        {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)], **CONFIRM(kept)},
    )

    response = client.get("/people/mishal-rahman/")

    assert response.status_code == 301
    assert response["Location"] == "/people/mish-rahman/"
    person_page = client.get("/people/mish-rahman/")
    assert STARMER_ENTERS.name in [a.file_name for a in person_page.context["page"]]


def test_merging_needs_two_people(editor_client, duplicate_rahman):
    response = editor_client.post(
        "/admin/archive/person/",
        {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk)]},
        follow=True,
    )

    assert "Select at least two people to merge." in [str(m) for m in response.context["messages"]]
    assert Person.objects.filter(slug="mishal-rahman").exists()


# ----------------------------------------------------------------------------- CSRF


@pytest.fixture
def csrf_client(admin_user, knowledge):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


def test_admin_post_without_a_csrf_token_is_refused(csrf_client):
    response = add_article(csrf_client, text=RAHMAN_QUITS.read_text())

    assert response.status_code == 403
    assert not Article.objects.exists()


def test_merge_action_without_a_csrf_token_is_refused(csrf_client, duplicate_rahman):
    kept = Person.objects.get(slug="mish-rahman")

    response = csrf_client.post(
        "/admin/archive/person/",
        {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)], **CONFIRM(kept)},
    )

    assert response.status_code == 403
    assert Person.objects.filter(slug="mishal-rahman").exists()


def test_admin_post_with_the_forms_csrf_token_is_accepted(csrf_client):
    token = form_data(csrf_client.get(ADD_URL), "article_form")["csrfmiddlewaretoken"]

    response = add_article(csrf_client, text=RAHMAN_QUITS.read_text(), csrfmiddlewaretoken=token)

    assert response.status_code == 302
    assert Article.objects.count() == 1


def test_admin_login_itself_requires_a_csrf_token(knowledge, django_user_model):
    django_user_model.objects.create_superuser("editor", password="a long passphrase")
    client = Client(enforce_csrf_checks=True)

    refused = client.post("/admin/login/", {"username": "editor", "password": "a long passphrase"})
    token = form_data(client.get("/admin/login/"), "login-form")["csrfmiddlewaretoken"]
    accepted = client.post(
        "/admin/login/", {"username": "editor", "password": "a long passphrase", "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert client.get("/admin/").status_code == 200


# ----------------------------------------------------------------------------- search index after commit


def test_an_article_added_in_the_admin_reaches_the_index_after_commit(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_article(editor_client, text=RAHMAN_QUITS.read_text())
    article = Article.objects.get()
    assert callbacks, "indexing is queued for after the commit"
    assert SearchQuerySet().filter(people="mish-rahman").count() == 0  # not before the commit

    for callback in callbacks:
        callback()

    hits = SearchQuerySet().filter(people="mish-rahman")
    assert [int(hit.pk) for hit in hits] == [article.pk]
    assert SearchQuerySet().filter(content="Thirlwell").count() == 1


def test_an_edit_in_the_admin_reaches_the_index(editor_client, rahman_article, django_capture_on_commit_callbacks):
    change_url = f"/admin/archive/article/{rahman_article.pk}/change/"
    data = form_data(editor_client.get(change_url), "article_form")
    data["title"] = "Zanzibar headline for the index test"

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    assert [int(h.pk) for h in SearchQuerySet().filter(content="Zanzibar")] == [rahman_article.pk]


def test_a_merge_in_the_admin_reaches_the_index(editor_client, duplicate_rahman, django_capture_on_commit_callbacks):
    kept = Person.objects.get(slug="mish-rahman")
    starmer_enters = Article.objects.get(file_name=STARMER_ENTERS.name)
    assert starmer_enters.pk not in {int(h.pk) for h in SearchQuerySet().filter(people="mish-rahman")}

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/archive/person/",
            {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)], **CONFIRM(kept)},
        )

    found = {int(h.pk) for h in SearchQuerySet().filter(people="mish-rahman")}
    assert starmer_enters.pk in found
    assert SearchQuerySet().filter(people="mishal-rahman").count() == 0


def test_review_queue_lists_new_people_and_marks_them_reviewed(editor_client, ingest, write_file):
    """People found by extraction wait in the admin's review filter until an editor clears them."""
    ingest(
        write_file("cllr.txt", "Library cuts\n\nCllr Priya Maddox said the cuts were wrong and would hurt children.\n")
    )
    maddox = Person.objects.get(name="Priya Maddox")
    queue = editor_client.get("/admin/archive/person/?needs_review__exact=1")
    assert "Priya Maddox" in queue.content.decode()
    rows = lxml.html.fromstring(queue.content.decode()).xpath("//table[@id='result_list']/tbody/tr")
    [row] = [r for r in rows if "Priya Maddox" in r.text_content()]
    assert "waiting for review" in row.text_content()
    assert not row.xpath(".//img[contains(@src, 'icon-yes')]"), "no green tick for 'needs review'"

    editor_client.post("/admin/archive/person/", {"action": "mark_reviewed", "_selected_action": [str(maddox.pk)]})

    maddox.refresh_from_db()
    assert not maddox.needs_review
    assert "Priya Maddox" not in editor_client.get("/admin/archive/person/?needs_review__exact=1").content.decode()


# ----------------------------------------------------------------------------- editor flow


def test_after_adding_an_article_the_editor_lands_on_what_extraction_found(editor_client):
    response = add_article(editor_client, text=RAHMAN_QUITS.read_text(), follow=True)

    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/archive/article/{article.pk}/change/"
    page = response.content.decode()
    assert "Check what extraction found below" in page
    assert "Why these fields" in page and "headline" in page
    # Each entity shows the text that matched and the rule: the editor can correct it here.
    mention = article.mentions.get(person__slug="mish-rahman")
    assert mention.matched_text and mention.matched_text in page and mention.rule in page
    assert 'name="mentions-TOTAL_FORMS"' in page


def test_the_review_queue_says_why_each_article_is_there_and_flags_only_what_needs_a_person(
    editor_client, ingest, write_file
):
    ingest(
        write_file("cllr.txt", "Library cuts\n\nCllr Priya Maddox said the cuts were wrong and would hurt children.\n")
    )
    ingest(write_file("known.txt", "Starmer visits Batley\n\nBy Jo Tester\n\nKeir Starmer visited Batley on Monday.\n"))
    flagged = Article.objects.get(file_name="cllr.txt")
    assert flagged.needs_review and "new person: Priya Maddox" in flagged.review_reasons
    known = Article.objects.get(file_name="known.txt")
    assert known.review_reasons == [] and not known.needs_review, "everyone in it is known: nothing to check"

    queue = editor_client.get("/admin/archive/article/?needs_review__exact=1")

    rows = lxml.html.fromstring(queue.content.decode()).xpath("//table[@id='result_list']/tbody/tr")
    assert len(rows) == 1
    assert "new person: Priya Maddox" in rows[0].text_content()
    # No yes/no icon in the list: a green tick read as "all fine" when it meant "needs review".
    assert not rows[0].xpath(".//img[contains(@src, 'icon-yes') or contains(@src, 'icon-no')]")


def test_merging_asks_for_confirmation_and_merges_nothing_until_confirmed(editor_client, duplicate_rahman):
    kept = Person.objects.get(slug="mish-rahman")

    response = editor_client.post(
        "/admin/archive/person/",
        {"action": "merge_people", "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)]},
    )

    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    choices = page.xpath("//form[@id='merge-form']//input[@name='survivor']")
    assert {c.get("value") for c in choices} == {str(kept.pk), str(duplicate_rahman.pk)}
    assert Person.objects.filter(slug="mishal-rahman").exists(), "nothing merged before the editor confirms"


def test_the_editor_chooses_which_person_survives_a_merge(editor_client, duplicate_rahman):
    kept = Person.objects.get(slug="mish-rahman")

    editor_client.post(
        "/admin/archive/person/",
        {
            "action": "merge_people",
            "_selected_action": [str(duplicate_rahman.pk), str(kept.pk)],
            **CONFIRM(duplicate_rahman),
        },
    )

    assert not Person.objects.filter(slug="mish-rahman").exists()
    survivor = Person.objects.get(slug="mishal-rahman")
    assert "Mish Rahman" in set(survivor.aliases.values_list("name", flat=True))
    assert Mention.objects.filter(article__file_name=RAHMAN_QUITS.name, person=survivor).count() == 1
