"""The same files give a byte-identical export whether ingested in one run, file by file in
reverse order, in several runs, or in a run killed twice and resumed: an article's
extraction depends on the knowledge base and its own text, never on what other articles
of the run discovered."""

import io
import random
import shutil

import pytest
from django.core.management import call_command

from archive.ingest.pipeline import ingest_paths
from archive.models import Article, Organisation, Person, Source
from tests.conftest import DEMO
from tests.processes import article_count, kill_when, manage, prepared_copy, start_manage

# Two pages of our own: the first names a councillor the knowledge base does not know with
# a cue discovery needs ("Cllr"); the second names him without any cue. Were discovered
# people matched in later articles, the second page's extraction would depend on the order.
FIRST = (
    "Quint to chair the planning committee\n\nBy Test Writer\n\nCllr Zorblax Quint said on Monday that he "
    "would chair the planning committee until the elections in May.\n\nPublished 3 March 2025\n"
)
SECOND = (
    "Planning committee meets\n\nBy Test Writer\n\nThe planning committee met on Tuesday with Zorblax Quint "
    "in the chair and approved two housing schemes.\n\nPublished 4 March 2025\n"
)


def export() -> bytes:
    out = io.StringIO()
    call_command("export_articles", format="jsonl", stdout=out)
    return out.getvalue().encode("utf-8")


def forget_everything_ingested():
    Article.objects.all().delete()
    Person.objects.filter(needs_review=True).delete()
    Organisation.objects.filter(needs_review=True).delete()
    Source.objects.all().delete()


def test_one_run_several_runs_and_reverse_order_export_the_same_bytes(knowledge, tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("README.md"))
    (folder / "a-quint-chairs.txt").write_text(FIRST)
    (folder / "b-quint-in-the-chair.txt").write_text(SECOND)
    files = sorted(p for p in folder.iterdir())

    call_command("ingest", str(folder), verbosity=0)
    one_run = export()
    assert Article.objects.count() > len(files)  # the .jsonl file holds several articles

    forget_everything_ingested()
    for path in reversed(files):
        call_command("ingest", str(path), verbosity=0)
    assert export() == one_run

    forget_everything_ingested()
    for path in files:  # one run per file: what each run discovered is in the database
        call_command("ingest", str(path), verbosity=0)
    assert export() == one_run

    forget_everything_ingested()
    for start in range(0, len(files), 5):
        call_command("ingest", *[str(p) for p in files[start : start + 5]], verbosity=0)
    assert export() == one_run


def test_a_discovered_person_is_matched_elsewhere_only_once_an_editor_has_reviewed_him(ingest, write_file):
    ingest(write_file("a.txt", FIRST))
    ingest(write_file("b.txt", SECOND))
    quint = Person.objects.get(name="Zorblax Quint")
    assert not Article.objects.get(file_name="b.txt").mentions.filter(person=quint).exists()

    quint.needs_review = False
    quint.save()
    ingest(write_file("c.txt", SECOND.replace("Tuesday", "Wednesday")))

    assert Article.objects.get(file_name="c.txt").mentions.filter(person=quint).exists()


@pytest.mark.slow
def test_a_run_killed_and_resumed_exports_the_same_bytes_as_one_run(prepared_data_dir, tmp_path):
    """kill -9 an ingest after a seeded random number of articles, twice, then run it
    again to the end: the export is byte for byte the one of an uninterrupted run (the
    corpus names known and unknown people; the demo adds HTML, JSON and JSON lines)."""
    folder = tmp_path / "pages"
    shutil.copytree(DEMO, folder / "demo", ignore=shutil.ignore_patterns("README.md"))
    (folder / "demo" / "a-quint-chairs.txt").write_text(FIRST)
    (folder / "demo" / "b-quint-in-the-chair.txt").write_text(SECOND)
    manage(prepared_data_dir, "generate_corpus", "30", str(folder / "corpus"), "--seed", "6")

    once = prepared_copy(prepared_data_dir, tmp_path / "once")
    manage(once, "ingest", str(folder))
    one_run = manage(once, "export_articles").stdout

    resumed = prepared_copy(prepared_data_dir, tmp_path / "resumed")
    db = resumed / "archive.sqlite3"
    rng = random.Random(6)
    for kill in range(2):
        ingest = start_manage(resumed, "ingest", str(folder), log=tmp_path / f"killed-{kill}.log")
        target = article_count(db) + rng.randrange(3, 15)
        assert kill_when(ingest, lambda: article_count(db) >= target), "the run ended before its kill"
    assert 0 < article_count(db) < one_run.count("\n")
    manage(resumed, "ingest", str(folder))
    assert manage(resumed, "export_articles").stdout == one_run


def test_extraction_in_two_worker_processes_exports_the_same_bytes_as_in_one(knowledge, tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("README.md"))
    (folder / "a-quint-chairs.txt").write_text(FIRST)
    (folder / "b-quint-in-the-chair.txt").write_text(SECOND)
    (folder / "c-empty.txt").write_text("Share\n\nMenu\n")  # rejected, with its reason, in either mode

    serial = ingest_paths([folder], workers=1)
    one_process = export()
    forget_everything_ingested()
    parallel = ingest_paths([folder], workers=2)

    assert export() == one_process
    assert [(o.file, o.status, o.reason) for o in parallel.outcomes] == [
        (o.file, o.status, o.reason) for o in serial.outcomes
    ]
    assert parallel.count("rejected") == 1


def test_worker_processes_give_each_file_back_in_order_with_the_runs_gazetteer(tmp_path):
    from archive.ingest.entities import Entity, Gazetteer
    from archive.ingest.pipeline import extract_files

    # A gazetteer that only this process holds: the workers must use it, not the database.
    gazetteer = Gazetteer([Entity("zorblax-quint", "Zorblax Quint", "person")], [])
    jobs = []
    for n in range(6):
        path = tmp_path / f"{n}.txt"
        path.write_text(SECOND.replace("Tuesday", f"day {n}") if n != 3 else "")
        jobs.append((path, path.name))

    results = list(extract_files(jobs, gazetteer, "", 1_000_000, workers=2))

    assert [path for path, _ in results] == [path for path, _ in jobs]
    for path, extracted in results:
        if path.name == "3.txt":
            assert extracted[0].parsed is None and extracted[0].rejected
        else:
            assert extracted[0].parsed.people() == ["Zorblax Quint"]
