"""An article's identity: its path relative to the ingested folder (or the url given with
its input), never its base name alone; the same text under two names is one article with
both names; every field fits its column, with the reason in the report."""

import io
import json

from django.core.management import call_command

from archive.ingest.pipeline import LIMITS
from archive.models import Article, Source


def story(topic: str) -> str:
    return (
        f"Council votes on {topic}\n\nBy Test Writer\n\n"
        f"Councillors in Kirklees voted on Tuesday on plans for {topic}, after a long debate in the chamber.\n\n"
        "Published 12 March 2025\n"
    )


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_base_name_in_two_folders_is_two_articles(ingest, tmp_path):
    root = tmp_path / "pages"
    write(root / "a" / "001.txt", story("bus lanes"))
    first = ingest(root)
    write(root / "b" / "001.txt", story("school meals"))
    second = ingest(root)

    assert first.count("added") == 1
    assert second.count("added") == 1 and second.count("unchanged") == 1 and second.count("updated") == 0
    names = dict(Article.objects.values_list("file_name", "title"))
    assert names == {"a/001.txt": "Council votes on bus lanes", "b/001.txt": "Council votes on school meals"}


def test_a_file_given_by_itself_is_named_by_its_base_name(ingest, tmp_path):
    path = write(tmp_path / "deep" / "down" / "page.txt", story("allotments"))

    ingest(path)

    assert Article.objects.get().file_name == "page.txt"


def test_the_same_text_under_two_names_is_one_article_with_both_names_whatever_the_order(ingest, tmp_path):
    root = tmp_path / "pages"
    write(root / "b.txt", story("twin libraries"))
    ingest(root / "b.txt")
    write(root / "a.txt", story("twin libraries"))
    report = ingest(root)

    article = Article.objects.get()
    assert report.count("duplicate") == 1 and report.count("unchanged") == 1
    # The first name in sort order is the article's own, as if the files came in that order.
    assert article.file_name == "a.txt"
    assert list(article.other_names.values_list("name", flat=True)) == ["b.txt"]
    assert ingest(root).count("unchanged") == 2, "a rerun changes nothing"


def test_a_file_that_shared_its_text_and_then_changed_becomes_its_own_article(ingest, tmp_path):
    root = tmp_path / "pages"
    write(root / "a.txt", story("twin libraries"))
    write(root / "b.txt", story("twin libraries"))
    ingest(root)
    write(root / "a.txt", story("a changed mind"))

    report = ingest(root)

    assert report.count("added") == 1
    titles = dict(Article.objects.values_list("file_name", "title"))
    assert titles == {"a.txt": "Council votes on a changed mind", "b.txt": "Council votes on twin libraries"}
    assert not Article.objects.get(file_name="b.txt").other_names.exists()


def test_a_url_given_with_the_input_is_the_identity(ingest, tmp_path):
    url = "https://news.example/2025/03/12/bus-lanes"
    write(tmp_path / "feed" / "one.json", json.dumps({"url": url, "text": story("bus lanes")}))
    ingest(tmp_path / "feed")
    (tmp_path / "feed" / "one.json").unlink()
    write(tmp_path / "feed" / "renamed.json", json.dumps({"url": url, "text": story("bus lanes, corrected")}))

    report = ingest(tmp_path / "feed")

    assert report.count("updated") == 1
    article = Article.objects.get()
    assert article.title == "Council votes on bus lanes, corrected"
    assert article.url == url


def test_limits_are_the_model_column_sizes():
    assert LIMITS["file_name"] == Article._meta.get_field("file_name").max_length
    assert LIMITS["title"] == Article._meta.get_field("title").max_length
    assert LIMITS["author"] == Article._meta.get_field("author").max_length
    assert LIMITS["url"] == Article._meta.get_field("url").max_length
    assert LIMITS["slug"] == Article._meta.get_field("slug").max_length
    assert LIMITS["source"] == Source._meta.get_field("name").max_length


def test_every_field_too_long_for_its_column_is_cut_or_dropped_with_the_reason_in_the_report(
    knowledge, tmp_path, django_capture_on_commit_callbacks
):
    obj = {
        "title": "Headline " * 80,
        "author": "Jo " + "Longname-" * 50,
        "source": "The " + "Very " * 80 + "Long Gazette",
        "url": "https://news.example/" + "x" * 1200,
        "text": story("long fields"),
    }
    write(tmp_path / "in" / "long.json", json.dumps(obj))
    report_path = tmp_path / "report.json"
    err = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(tmp_path / "in"), report=str(report_path), stdout=io.StringIO(), stderr=err)

    article = Article.objects.get()
    assert len(article.title) <= 500 and article.title.startswith("Headline Headline")
    assert len(article.author) <= 300
    assert len(article.source.name) <= 200 and article.source.name.startswith("The Very")
    assert len(article.source.slug) <= 200 and len(article.slug) <= 200
    assert article.url == ""
    notes = json.loads(report_path.read_text())["added"][0]["notes"]
    assert any(n.startswith("title cut to 500 characters") for n in notes)
    assert any(n.startswith("author cut to 300") for n in notes)
    assert any(n.startswith("source cut to 200") for n in notes)
    assert any(n.startswith("url dropped") for n in notes)
    assert "long.json: source cut to 200" in err.getvalue()


def test_a_source_name_given_with_source_longer_than_its_column_is_cut_with_a_note(knowledge, tmp_path):
    """On PostgreSQL an uncut name would abort the run (value too long for varchar(200))."""
    write(tmp_path / "in" / "one.txt", story("a long masthead"))
    name = "The " + "Very " * 60 + "Long Gazette"
    err = io.StringIO()

    call_command("ingest", str(tmp_path / "in"), source=name, stdout=io.StringIO(), stderr=err)

    source = Article.objects.get().source
    assert len(source.name) <= LIMITS["source"] and source.name.startswith("The Very")
    assert f"one.txt: source cut to {LIMITS['source']} characters (was {len(name)})" in err.getvalue()


def test_a_path_too_long_for_its_column_is_cut_and_stays_distinct(ingest, tmp_path):
    deep = tmp_path / "in" / ("d" * 200) / ("e" * 200)
    write(deep / "one.txt", story("one long path"))
    write(deep / "two.txt", story("another long path"))

    report = ingest(tmp_path / "in")

    names = list(Article.objects.values_list("file_name", flat=True))
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(name) <= 300 for name in names)
    assert all(o.notes and o.notes[0].startswith("file name cut to 300") for o in report.outcomes)
    assert ingest(tmp_path / "in").count("unchanged") == 2, "a cut name still finds its article"
