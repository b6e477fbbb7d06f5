"""export_articles, check_index, extract, reextract, load_knowledge and score_extraction."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, Organisation, Person
from tests.conftest import DEMO, FIXTURES


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_export_jsonl_has_one_row_per_article_with_the_agreed_fields(ingest):
    ingest(DEMO)
    ingest(DEMO)
    rows = [json.loads(line) for line in run("export_articles", format="jsonl").splitlines()]
    assert len(rows) == Article.objects.count() == 20
    assert set(rows[0]) == {
        "file",
        "title",
        "source",
        "author",
        "date",
        "url",
        "people",
        "parties",
        "organisations",
        "quotes",
    }
    for row in rows:
        assert not set(row["parties"]) & set(row["organisations"]), "parties are not repeated under organisations"
        assert row["date"] is None or len(row["date"]) == 10


def test_export_csv_to_a_file(ingest, tmp_path):
    ingest(DEMO / "2025-05-02-runcorn-by-election.txt")
    target = tmp_path / "out.csv"
    call_command("export_articles", format="csv", output=str(target))
    [row] = list(csv.DictReader(target.open()))
    assert row["file"] == "2025-05-02-runcorn-by-election.txt"
    assert "Reform UK" in row["parties"]


def test_check_index_finds_and_repairs_missing_and_ghost_documents(ingest):
    from archive.search.signals import index_articles_now

    ingest(DEMO / "2025-05-02-runcorn-by-election.txt", DEMO / "2025-09-05-angela-rayner-resigns.txt")
    assert "matches the database" in run("check_index")
    kept, gone = Article.objects.order_by("pk")
    Article.objects.filter(pk=gone.pk).delete()  # queryset delete: no signal, a ghost remains
    with pytest.raises(CommandError, match="does not match"):
        run("check_index")
    assert "Repaired" in run("check_index", repair=True)
    assert "matches the database" in run("check_index")
    index_articles_now([kept.pk])


def test_extract_prints_fields_and_explanations_without_saving(knowledge):
    output = run("extract", str(DEMO / "2025-05-02-runcorn-by-election.txt"), explain=True)
    data = json.loads(output)
    assert data["date"] == "2025-05-02"
    assert "Reform UK" in data["parties"]
    assert data["why"]["entities"]
    assert Article.objects.count() == 0


def test_extract_reports_a_bad_file_clearly(knowledge, write_file):
    with pytest.raises(CommandError, match="empty file"):
        run("extract", str(write_file("empty.txt", "")))


def test_reextract_reports_changes(ingest):
    ingest(DEMO / "2025-05-02-runcorn-by-election.txt")
    article = Article.objects.get()
    article.mentions.all().delete()
    output = run("reextract", "--all")
    assert "Re-extracted 1 article(s); 1 changed." in output


def test_load_knowledge_is_idempotent(knowledge):
    before = (Organisation.objects.count(), Person.objects.count())
    run("load_knowledge")
    assert (Organisation.objects.count(), Person.objects.count()) == before
    labour = Organisation.objects.get(slug="labour-party")
    assert labour.kind == "party"
    assert Organisation.objects.get(slug="labour-nec").parent == labour


def test_load_knowledge_reports_a_bad_data_file(db, tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "organisations.yaml").write_text("- name: Broken\n  kind: spaceship\n")
    with pytest.raises(CommandError, match="organisations.yaml: Broken: unknown kind 'spaceship'"):
        run("load_knowledge", data_dir=str(tmp_path))


def test_score_extraction_prints_precision_recall_and_f1(knowledge):
    output = run("score_extraction", str(FIXTURES / "extraction" / "set-a" / "pages"))
    assert "people" in output and "precision" in output and "title" in output


def test_load_knowledge_names_a_membership_of_an_unknown_organisation(db, tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "organisations.yaml").write_text("- name: Labour Party\n  kind: party\n")
    (tmp_path / "people" / "x.yaml").write_text("- name: Jo Bloggs\n  memberships:\n    - {org: labour-partyy}\n")
    with pytest.raises(CommandError, match="Jo Bloggs: unknown organisation 'labour-partyy'"):
        run("load_knowledge", data_dir=str(tmp_path))
