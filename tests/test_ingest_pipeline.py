"""The ingest run over real files: transactions, idempotency, reports, indexing after commit."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from haystack.query import SearchQuerySet

from archive.ingest.pipeline import content_hash, ingest_paths
from archive.models import Article, Mention, Person, Quote

PAGE = """Council leader quits Labour over library cuts

By Jane Ryder

Kirklees councillor Priya Maddox has resigned from the Labour Party after the council voted to close four libraries, saying Keir Starmer's government had abandoned towns like hers.

“I cannot defend cuts that fall on the people who can least afford them,” said Cllr Priya Maddox. She will sit as an independent.

Published 12 March 2025
"""


def test_ingest_saves_article_entities_and_quotes(ingest, write_file):
    report = ingest(write_file("maddox.txt", PAGE))
    assert report.count("added") == 1
    article = Article.objects.get()
    assert article.title == "Council leader quits Labour over library cuts"
    assert article.author == "Jane Ryder"
    assert str(article.published) == "2025-03-12"
    assert article.raw == PAGE
    assert {p.name for p in article.people()} >= {"Priya Maddox", "Keir Starmer"}
    assert "Labour Party" in {o.name for o in article.organisations()}
    maddox = Person.objects.get(name="Priya Maddox")
    assert maddox.needs_review, "a person the knowledge base did not know is flagged for review"
    assert Quote.objects.get().speaker == maddox


def test_running_twice_adds_nothing(ingest, write_file):
    path = write_file("maddox.txt", PAGE)
    ingest(path)
    second = ingest(path)
    assert second.count("unchanged") == 1
    assert Article.objects.count() == 1


def test_a_changed_file_updates_its_article(ingest, write_file):
    path = write_file("maddox.txt", PAGE)
    ingest(path)
    path.write_text(PAGE.replace("four libraries", "five libraries"))
    report = ingest(path)
    assert report.count("updated") == 1
    assert "five libraries" in Article.objects.get().body


def test_the_same_story_under_another_name_is_a_duplicate(ingest, write_file):
    ingest(write_file("maddox.txt", PAGE))
    report = ingest(write_file("copy-of-maddox.txt", PAGE.replace("  ", " ")))
    assert report.count("duplicate") == 1
    assert Article.objects.count() == 1


def test_bad_files_are_skipped_with_a_reason_and_the_run_goes_on(ingest, write_file):
    write_file("good.txt", PAGE)
    write_file("empty.txt", "")
    write_file("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    write_file("broken.json", "{not json")
    report = ingest(write_file("good.txt", PAGE).parent)
    assert report.count("added") == 1
    reasons = {o.file.rsplit("/", 1)[-1]: o.reason for o in report.outcomes if o.status == "rejected"}
    assert set(reasons) == {"empty.txt", "image.txt", "broken.json"}
    assert "binary" in reasons["image.txt"]
    assert "invalid JSON" in reasons["broken.json"]


def test_dry_run_saves_nothing(ingest, write_file):
    report = ingest(write_file("maddox.txt", PAGE), dry_run=True)
    assert report.count("added") == 1
    assert Article.objects.count() == 0


def test_articles_are_searchable_after_the_ingest_commits(ingest, write_file):
    ingest(write_file("maddox.txt", PAGE))
    assert SearchQuerySet().filter(content="libraries").count() == 1
    assert SearchQuerySet().filter(people="priya-maddox").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_save_never_reaches_the_index(knowledge):
    """The on-commit signal processor indexes only what the database kept."""
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(title="Ghost", slug="ghost", body="ghost text", raw="ghost", content_hash="0" * 64)
        raise RuntimeError("roll back")
    assert SearchQuerySet().filter(content="ghost").count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_article_saved_outside_ingest_is_indexed_after_commit(knowledge):
    with transaction.atomic():
        Article.objects.create(
            title="Saved by hand", slug="by-hand", body="handmade text", raw="x", content_hash="1" * 64
        )
        assert SearchQuerySet().filter(content="handmade").count() == 0, "not before commit"
    assert SearchQuerySet().filter(content="handmade").count() == 1


def test_content_hash_ignores_case_quotes_and_spacing():
    assert content_hash("Labour’s  plan\n") == content_hash("labour's plan")


def test_ingest_command_writes_a_json_report(
    knowledge, write_file, tmp_path, capsys, django_capture_on_commit_callbacks
):
    write_file("maddox.txt", PAGE)
    write_file("empty.txt", "")
    report_path = tmp_path / "report.json"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(tmp_path / "files"), report=str(report_path))
    report = json.loads(report_path.read_text())
    assert report["summary"]["added"] == 1
    assert report["rejected"][0]["reason"] == "empty file"
    captured = capsys.readouterr()
    assert "Skipped" in captured.err and "empty.txt" in captured.err


def test_ingest_command_fails_when_nothing_could_be_read(knowledge, write_file):
    from django.core.management.base import CommandError

    path = write_file("empty.txt", "")
    with pytest.raises(CommandError, match="No file could be read"):
        call_command("ingest", str(path), verbosity=0)


def test_ingest_paths_reports_a_missing_folder(knowledge, tmp_path):
    report = ingest_paths([str(tmp_path / "missing")])
    assert report.outcomes[0].status == "rejected"


def test_editor_corrections_survive_reextraction(ingest, write_file):
    from archive.ingest.pipeline import reextract

    ingest(write_file("maddox.txt", PAGE))
    article = Article.objects.get()
    starmer = article.mentions.get(person__slug="keir-starmer")
    starmer.count = 99
    starmer.edited = True
    starmer.save()
    reextract(Article.objects.all())
    starmer.refresh_from_db()
    assert starmer.count == 99
    assert Mention.objects.filter(article=article, person__name="Priya Maddox").exists()


def test_review_reasons_name_what_needs_a_person_and_nothing_else():
    from archive.ingest.pipeline import parse_document
    from tests.factories import document, small_gazetteer

    page = (
        "Council backs bus lanes\n\nBy Jo Tester\n\nCllr Zorblax Quint said the plan was overdue. "
        "A placard outside read “no more cuts to our buses please”.\n\nPublished 3 March 2025\n"
    )
    known = (
        "Starmer visits Batley\n\nBy Jo Tester\n\nKeir Starmer visited Batley on Monday.\n\nPublished 3 March 2025\n"
    )

    reasons = parse_document(document(page), small_gazetteer()).review_reasons

    assert "new person: Zorblax Quint" in reasons
    assert "quote without a speaker: “no more cuts to our buses please”" in reasons
    assert parse_document(document(known), small_gazetteer()).review_reasons == []


@pytest.mark.parametrize(
    "filler",
    [" " * 30000, "said " * 20000, "Keir Starmer " * 10000, "he said " * 10000, "Aa " * 20000],
    ids=["spaces", "verbs", "one-name-10000-times", "pronoun-verbs", "capitals"],
)
def test_a_hostile_page_is_read_in_time_that_grows_with_its_length_not_its_square(filler):
    """Runs like these took from 10 s to minutes (a regex backtracking over spaces, overlap
    tests against every name found so far, a sentence scan per verb); now well under a second."""
    import time

    from archive.ingest.pipeline import parse_document
    from tests.factories import document, small_gazetteer

    gazetteer = small_gazetteer()
    text = f"THE TEST GAZETTE\n\nA headline about the vote\n\nKeir Starmer said {filler} “the plan will work for everyone,” he said."
    started = time.perf_counter()
    parsed = parse_document(document(text), gazetteer)
    assert time.perf_counter() - started < 10
    assert parsed.title == "A headline about the vote"
