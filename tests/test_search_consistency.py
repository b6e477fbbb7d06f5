"""check_index compares content; every change that reaches a document re-indexes it;
the index queue survives a process that dies; rebuilds swap in a complete index."""

import io
import os

import pytest
from django.core.management import call_command

from archive.models import Article, Membership, Organisation, PendingIndexUpdate, Person, Source
from archive.search import rebuild
from archive.search.consistency import check_index, repair_index
from tests.conftest import DEMO
from tests.processes import manage, prepared_copy, query, write_articles

RAHMAN = DEMO / "2025-04-12-mish-rahman-quits-labour.txt"
RUNCORN = DEMO / "2025-05-02-runcorn-by-election.txt"


@pytest.fixture
def articles(ingest):
    ingest(RAHMAN, RUNCORN)
    assert check_index().ok
    return list(Article.objects.order_by("pk"))


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a block queued for after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_edited_body_that_never_reached_the_index_is_stale_and_repaired(articles):
    article = articles[0]
    Article.objects.filter(pk=article.pk).update(body=article.body + " An added paragraph.")  # no signal

    check = check_index()
    assert check.stale == [article.pk]
    assert not check.ok
    repair_index(check)
    assert check_index().ok


@pytest.mark.parametrize("field", ["name", "slug"])
def test_a_persons_name_or_slug_changed_behind_the_index_shows_as_stale(articles, field):
    rahman = Person.objects.get(slug="mish-rahman")
    Person.objects.filter(pk=rahman.pk).update(**{field: "mish-rahman-renamed"})  # no signal

    assert check_index().stale == sorted(Article.objects.filter(mentions__person=rahman).values_list("pk", flat=True))


def test_renaming_a_person_reindexes_the_articles_naming_them(articles, on_commit):
    rahman = Person.objects.get(slug="mish-rahman")
    with on_commit():
        rahman.name, rahman.slug = "Mishal Rahman", "mishal-rahman"
        rahman.save()

    assert check_index().ok
    from haystack.query import SearchQuerySet

    assert SearchQuerySet().filter(people="mishal-rahman").count() == 1
    assert not PendingIndexUpdate.objects.exists(), "the queue is empty once the index has them"


def test_a_save_that_changes_nothing_indexed_reindexes_nothing(articles, on_commit):
    rahman = Person.objects.get(slug="mish-rahman")
    with on_commit() as callbacks:
        rahman.bio = "A new biography, which no search document carries."
        rahman.save()
    assert callbacks == []


def test_changing_an_organisations_slug_or_kind_reindexes_its_articles(articles, on_commit):
    labour = Organisation.objects.get(slug="labour-party")
    with on_commit():
        labour.slug = "labour"
        labour.save()
    assert check_index().ok
    with on_commit():
        labour.kind = Organisation.Kind.OTHER
        labour.save()
    assert check_index().ok


def test_renaming_or_deleting_a_source_reindexes_its_articles(articles, on_commit):
    source = Source.objects.create(name="Old Name", slug="old-name")
    Article.objects.filter(pk=articles[0].pk).update(source=source)
    repair_index(check_index())
    with on_commit():
        source.name, source.slug = "New Name", "new-name"
        source.save()
    assert check_index().ok
    with on_commit():
        source.delete()  # the article's source becomes NULL by an UPDATE, without signals
    assert check_index().ok


def test_a_new_membership_changes_party_at_the_time_in_the_index(articles, on_commit):
    rahman = Person.objects.get(slug="mish-rahman")
    greens = Organisation.objects.filter(kind=Organisation.Kind.PARTY).exclude(slug="labour-party").first()
    with on_commit():
        Membership.objects.create(person=rahman, organisation=greens, role="member")
    assert check_index().ok
    from haystack.query import SearchQuerySet

    assert SearchQuerySet().filter(member_parties=greens.slug, people="mish-rahman").count() == 1


def test_merging_two_people_reindexes_both_peoples_articles(articles, on_commit):
    rahman = Person.objects.get(slug="mish-rahman")
    twin = Person.objects.create(name="M. Rahman", slug="m-rahman")
    with on_commit():
        rahman.merge_into(twin)
    assert check_index().ok


def test_an_index_write_lost_with_its_process_is_made_good_by_the_next_ingest(
    ingest, django_capture_on_commit_callbacks
):
    ingest(RAHMAN)
    article = Article.objects.get()
    # The edit commits, but the process dies before its after-commit index write runs.
    with django_capture_on_commit_callbacks(execute=False):
        article.title = "A corrected headline"
        article.save()
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [article.pk]
    check = check_index()
    assert check.stale == check.queued == [article.pk]

    report = ingest(RAHMAN)  # unchanged: it would not be queued again by itself
    assert report.count("unchanged") == 1
    assert check_index().ok
    assert not PendingIndexUpdate.objects.exists()


def test_check_index_command_repairs_ghosts_missing_and_stale_documents(articles):
    from archive.search.signals import index_articles_now

    first, second = articles
    Article.objects.filter(pk=first.pk).update(title="Changed behind the index's back")
    from haystack import connections

    connections["default"].get_backend().remove(f"archive.article.{second.pk}")
    ghost = Article.objects.create(title="Soon gone", slug="soon-gone", body="x", raw="x", content_hash="0" * 64)
    index_articles_now([ghost.pk])
    Article.objects.filter(pk=ghost.pk).delete()  # its after-commit removal never runs here

    check = check_index()
    assert (check.stale, check.missing, check.ghosts) == ([first.pk], [second.pk], [ghost.pk])
    call_command("check_index", repair=True, stdout=io.StringIO())
    assert check_index().ok


# ------------------------------------------------------------------------ rebuilds


def test_rebuild_swaps_a_complete_new_index_in_and_keeps_the_previous_one_aside(articles, search_index):
    first = rebuild.rebuild_beside()
    assert os.path.islink(search_index)
    assert os.path.realpath(search_index) == str(first.path)
    second = rebuild.rebuild_beside()
    assert os.path.realpath(search_index) == str(second.path)
    assert first.path.exists(), "the index just replaced stays for readers still opening it"
    assert check_index().ok
    third = rebuild.rebuild_beside()
    assert not first.path.exists()
    assert third.documents == 2


@pytest.mark.parametrize("procs", [1, 2])
def test_a_rebuild_committing_every_document_builds_the_whole_index(articles, search_index, settings, procs):
    settings.ARCHIVE_REBUILD_COMMIT_EVERY = 1
    settings.ARCHIVE_REBUILD_PROCS = procs
    result = rebuild.rebuild_beside()
    assert result.documents == 2
    assert check_index().ok


def test_an_ingest_that_rebuilds_afterwards_only_queues_its_articles_until_the_rebuild(knowledge, search_index):
    from archive.ingest.pipeline import ingest_paths

    ingest_paths([str(RAHMAN), str(RUNCORN)], index=False)
    assert PendingIndexUpdate.objects.count() == 2
    assert len(check_index().missing) == 2, "nothing was indexed while saving"

    call_command("ingest", str(RAHMAN), str(RUNCORN), "--reindex", stdout=io.StringIO())
    assert not PendingIndexUpdate.objects.exists()
    assert check_index().ok


def test_a_rebuild_settles_the_queue_rows_left_before_it_without_indexing_them_again(articles, search_index):
    # An ingest killed before its indexer caught up leaves a backlog of rows behind.
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(article_id=a.pk) for a in articles])
    result = rebuild.rebuild_beside()
    assert result.replayed == 0
    assert not PendingIndexUpdate.objects.exists()
    assert check_index().ok


def test_a_rebuild_killed_half_way_leaves_the_old_index_serving_and_says_so(articles, search_index, monkeypatch):
    rebuild.rebuild_beside()
    live = os.path.realpath(search_index)

    def killed(done, total):
        raise KeyboardInterrupt  # stands in for the kill: nothing after this point runs

    with pytest.raises(KeyboardInterrupt):
        rebuild.rebuild_beside(progress=killed)

    assert os.path.realpath(search_index) == live
    check = check_index()
    assert check.ok, "the old index still holds every article"
    assert len(check.notes) == 1 and "interrupted rebuild" in check.notes[0]
    rebuild.rebuild_beside()
    assert check_index().notes == []


def test_an_edit_saved_during_a_rebuild_reaches_the_new_index(articles, search_index, on_commit):
    article = articles[0]

    def edit_meanwhile(done, total):
        with on_commit():
            saved = Article.objects.get(pk=article.pk)
            saved.title = "Edited while the index was rebuilt"
            saved.save()
        # The edit went to the old, live index and its queue row stays for the rebuild.
        assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()

    # Build the new index from the article as it was, then edit it before the swap.
    result = rebuild.rebuild_beside(progress=edit_meanwhile)
    assert result.replayed == 1
    assert check_index().ok
    assert not PendingIndexUpdate.objects.exists()


def test_renaming_an_organisation_quoted_but_not_mentioned_reindexes_the_article(articles, on_commit):
    from archive.models import Quote

    article = articles[0]
    spokesbody = Organisation.objects.create(name="Quoted Only Union", slug="quoted-only-union")
    with on_commit():
        Quote.objects.create(
            article=article, speaker_organisation=spokesbody, text="We will not stand for it", start=0, end=1
        )
    assert check_index().ok
    with on_commit():
        spokesbody.slug = "quoted-only-union-renamed"
        spokesbody.save()
    assert check_index().ok


def test_an_edit_committed_while_an_indexer_waits_for_the_writer_is_what_the_index_keeps(articles, monkeypatch):
    """Two processes index the same article: the one that waited for the index's writer
    lock must not write what it read before the other's newer version (a stale document
    that no queue row would ever mend)."""
    from haystack import connections

    from archive.search.signals import index_articles_now

    article = articles[0]
    backend = connections["default"].get_backend()
    writer = backend._writer

    def writer_after_an_editor_saved():
        # The editor's save commits while this process waits for the lock.
        Article.objects.filter(pk=article.pk).update(title="Saved by the editor meanwhile")
        return writer()

    monkeypatch.setattr(backend, "_writer", writer_after_an_editor_saved)
    index_articles_now([article.pk])
    monkeypatch.undo()
    assert check_index().ok


def test_a_parallel_ingest_is_indexed_by_a_process_beside_the_one_saving(prepared_data_dir, tmp_path):
    from archive.search.signals import INDEXER_BATCH_SIZE

    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    files = 2 * INDEXER_BATCH_SIZE + 50
    write_articles(tmp_path / "files", files, words=40)
    run = manage(data, "ingest", str(tmp_path / "files"), "--workers", "2", LOG_LEVEL="INFO")
    # Two full batches while the files were saved, the rest when the saving was done.
    assert f"The indexer beside the ingest indexed {files} articles in 3 batches" in run.stderr, run.stderr[-2000:]
    assert query(data / "archive.sqlite3", "SELECT count(*) FROM archive_pendingindexupdate")[0] == 0
    assert "The index matches the database." in manage(data, "check_index").stdout
