"""Re-extraction keeps everything: the raw original of a JSON input keeps all its fields,
an editor's corrections and deletions survive `reextract`, EXTRACTION_VERSION moves when
extraction's output moves, and `reextract` says what changed, field by field."""

import hashlib
import io
import json
from dataclasses import asdict

from django.core.management import call_command

from archive.ingest.pipeline import EXTRACTION_VERSION, as_export_row, parse_path, reextract
from archive.models import Article, Mention, Person, Quote, Source
from tests.conftest import DEMO, FIXTURES
from tests.factories import small_gazetteer
from tests.test_admin import errors, form_data

VERSION_FIXTURE = FIXTURES / "extraction-version.json"
JSON_PAGE = {
    "title": "Councillors back the bus lane plan",
    "date": "2025-03-12",
    "author": "Jo Tester",
    "source": "The Test Gazette",
    "url": "https://gazette.example/2025/03/12/bus-lanes",
    "text": "Councillors in Kirklees backed the bus lane plan on Tuesday after a long debate.\n\n"
    "“This will make the buses faster for everyone,” said Keir Starmer on a visit to the town.",
}


def extraction_digest() -> str:
    """Everything extraction says about the demo pages with a fixed small gazetteer: the
    rules and their data files, not the knowledge base, decide it."""
    gazetteer = small_gazetteer()
    rows = []
    for path in sorted(DEMO.iterdir()):
        if path.suffix in {".txt", ".html", ".json", ".jsonl"}:
            for parsed in parse_path(path, gazetteer):
                rows.append(
                    {
                        **as_export_row(parsed),
                        "why": parsed.explanation,
                        "entities": [asdict(e) for e in parsed.entities],
                        "review": parsed.review_reasons,
                    }
                )
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def test_extraction_version_moves_when_extraction_output_moves():
    """If this fails, extraction changed: bump EXTRACTION_VERSION in archive/ingest/pipeline.py
    (so that `reextract` picks up every article) and write the new version and digest into
    tests/fixtures/extraction-version.json."""
    recorded = json.loads(VERSION_FIXTURE.read_text())
    digest = extraction_digest()
    assert (EXTRACTION_VERSION, digest) == (recorded["version"], recorded["digest"]), (
        f"extraction output or version changed: bump EXTRACTION_VERSION past {recorded['version']} if the output "
        f"changed, then record {{'version': {EXTRACTION_VERSION}, 'digest': '{digest}'}}"
    )


def test_the_raw_original_of_a_json_input_keeps_every_field(ingest, write_file):
    ingest(write_file("gazette.json", json.dumps(JSON_PAGE)))

    article = Article.objects.get()
    assert json.loads(article.raw) == JSON_PAGE
    assert (article.title, article.author, str(article.published), article.source.name, article.url) == (
        JSON_PAGE["title"],
        "Jo Tester",
        "2025-03-12",
        "The Test Gazette",
        JSON_PAGE["url"],
    )


def test_reextracting_a_json_article_keeps_its_title_date_author_and_source(ingest, write_file):
    ingest(write_file("gazette.json", json.dumps(JSON_PAGE)))
    ingest(
        write_file(
            "feed.jsonl",
            json.dumps({**JSON_PAGE, "url": "https://gazette.example/2", "text": "Other. " + JSON_PAGE["text"]}),
        )
    )
    before = list(Article.objects.order_by("pk").values_list("title", "author", "published", "source__name", "url"))

    changes = reextract(Article.objects.order_by("pk"))

    assert changes == []
    after = list(Article.objects.order_by("pk").values_list("title", "author", "published", "source__name", "url"))
    assert after == before


def change_article(client, article, **fields):
    url = f"/admin/archive/article/{article.pk}/change/"
    data = {**form_data(client.get(url), "article_form"), **fields}
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, errors(response)
    return data


def test_an_editors_corrections_and_deletions_survive_reextract(admin_client, ingest, write_file):
    ingest(write_file("gazette.json", json.dumps(JSON_PAGE)))
    article = Article.objects.get()
    other_source = Source.objects.create(name="Corrected Gazette", slug="corrected-gazette")
    data = form_data(admin_client.get(f"/admin/archive/article/{article.pk}/change/"), "article_form")
    starmer_form = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("mentions-") and k.endswith("-person") and v == str(Person.objects.get(slug="keir-starmer").pk)
    )
    assert article.quotes.count() == 1
    rayner = Person.objects.get(slug="angela-rayner")
    n = int(data["mentions-TOTAL_FORMS"])
    change_article(
        admin_client,
        article,
        title="Corrected headline",
        author="Corrected Author",
        published="2025-03-13",
        source=str(other_source.pk),
        **{
            f"mentions-{starmer_form}-DELETE": "on",
            "quotes-0-DELETE": "on",
            "mentions-TOTAL_FORMS": str(n + 1),
            f"mentions-{n}-article": str(article.pk),
            f"mentions-{n}-person": str(rayner.pk),
            f"mentions-{n}-count": "1",
        },
    )
    article.refresh_from_db()
    assert set(article.edited_fields) == {"title", "author", "published", "source"}
    assert not article.mentions.filter(person__slug="keir-starmer").exists()

    out = io.StringIO()
    call_command("reextract", "--all", stdout=out)

    article.refresh_from_db()
    assert (article.title, article.author, str(article.published), article.source) == (
        "Corrected headline",
        "Corrected Author",
        "2025-03-13",
        other_source,
    )
    assert not article.mentions.filter(person__slug="keir-starmer").exists(), "a deleted mention stays deleted"
    assert not article.quotes.exists(), "a deleted quote stays deleted"
    assert article.mentions.get(person=rayner).edited, "an added mention is kept"
    assert "Re-extracted 1 article(s); 0 changed." in out.getvalue()


def test_an_added_quote_survives_reextract(ingest, write_file):
    ingest(write_file("gazette.json", json.dumps(JSON_PAGE)))
    article = Article.objects.get()
    extracted = set(article.quotes.values_list("text", flat=True))
    assert extracted
    rayner = Person.objects.get(slug="angela-rayner")
    Quote.objects.create(article=article, speaker=rayner, text="Councillors in Kirklees", start=0, end=23, edited=True)

    reextract([article])

    assert article.quotes.filter(speaker=rayner, edited=True).exists()
    assert set(article.quotes.filter(edited=False).values_list("text", flat=True)) == extracted, (
        "extraction's own quotes come back beside the editor's"
    )


def test_reextract_reports_what_changed_field_by_field(ingest):
    ingest(DEMO / "2025-05-02-runcorn-by-election.txt")
    article = Article.objects.get()
    title = article.title
    Article.objects.filter(pk=article.pk).update(title="A stale title", extraction_version=EXTRACTION_VERSION - 1)
    Mention.objects.filter(article=article, organisation__slug="reform-uk").delete()
    out = io.StringIO()

    call_command("reextract", stdout=out)  # the default: articles of an older extraction version

    output = out.getvalue()
    assert f"title: 'A stale title' -> {title!r}" in output
    assert "entities: +Reform UK" in output
    assert "Re-extracted 1 article(s); 1 changed." in output
    assert Article.objects.get().extraction_version == EXTRACTION_VERSION
