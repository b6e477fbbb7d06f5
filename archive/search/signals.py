"""Keep the search index in step with the database, after commit, durably.

Haystack's RealtimeSignalProcessor indexes on post_save, inside the transaction: a
rolled-back row is indexed anyway and changes to mentions are missed. Ours queues the
article ids and indexes them with ``transaction.on_commit``, once per transaction.

The queue is durable: the same transaction that changes an article (or a person,
organisation, source or membership that reaches its search document) writes a
``PendingIndexUpdate`` row, and the row is deleted only once the index holds the article
as committed. A process killed in between (a ``kill -9`` of an ingest, a gunicorn worker
timing out) leaves the rows, and the next ingest, rebuild or ``check_index --repair``
indexes what they name.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
from contextlib import contextmanager
from itertools import chain

from django.db import DatabaseError, transaction
from django.db.models import Q, signals
from django.utils import timezone
from haystack import connections
from haystack.signals import BaseSignalProcessor

log = logging.getLogger(__name__)
_pending = threading.local()
BATCH_SIZE = 200  # articles read from the database at once, and written in one commit
# The indexer beside a bulk ingest commits this many at a time. A commit, and the merges
# Whoosh makes after it, cost about the same whatever its size: at 10,000 articles a
# document costs 7 ms in commits of 500 against 11 in commits of 200, and the writer is
# held for about as long as a commit of 200 held it before (3-4 s; an editor's save may
# wait that long for it).
INDEXER_BATCH_SIZE = 500
# A flush after an edit also indexes this many older queued articles (left by a process
# that died), so a site edited only in the admin heals without anyone running a command.
BACKLOG_PER_FLUSH = BATCH_SIZE
BACKLOG_AGE = datetime.timedelta(seconds=60)


def index_articles_now(ids, batch_size: int = BATCH_SIZE) -> None:
    """Index (or remove, for ids no longer in the database) these articles, in batches
    of ``batch_size`` (a commit each), and clear their queue rows once the index has
    them."""
    from archive.models import Article, PendingIndexUpdate
    from archive.search.rebuild import rebuild_in_progress

    ids = sorted(set(ids))
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    for offset in range(0, len(ids), batch_size):
        chunk = ids[offset : offset + batch_size]
        # Read the queue rows before the articles: a change committed after this read
        # has its own row, which stays.
        queued = list(PendingIndexUpdate.objects.filter(article_id__in=chunk).values_list("pk", flat=True))
        # While a rebuild builds a new index beside this one, the rows stay for the
        # rebuild to replay into the new index once it is swapped in.
        keep_rows = rebuild_in_progress()
        _index_chunk(backend, index, chunk)
        if queued and not keep_rows:
            PendingIndexUpdate.objects.filter(pk__in=queued).delete()
            marked = getattr(_pending, "marked", None)
            if marked is not None:  # a later change in the same transaction marks them again
                marked[1].difference_update(chunk)


def _index_chunk(backend, index, chunk: list[int]) -> None:
    def load():
        # In reads of BATCH_SIZE: the prefetch queries of a thousand articles at once are
        # too deep for SQLite.
        return chain.from_iterable(
            index.index_queryset().filter(pk__in=chunk[offset : offset + BATCH_SIZE])
            for offset in range(0, len(chunk), BATCH_SIZE)
        )

    if hasattr(backend, "update_from"):
        # Ours reads the articles under the index's writer lock (see update_from).
        backend.update_from(index, chunk, load)
        return
    articles = list(load())  # another engine (Elasticsearch): no writer lock to read under
    if articles:
        backend.update(index, articles)
    for missing in set(chunk) - {a.pk for a in articles}:
        backend.remove(f"archive.article.{missing}")


def queued_article_ids(limit: int | None = None, older_than: datetime.timedelta | None = None) -> list[int]:
    """Articles the durable queue says the index may lack, oldest first."""
    from archive.models import PendingIndexUpdate

    rows = PendingIndexUpdate.objects.all()
    if older_than is not None:
        rows = rows.filter(queued__lt=timezone.now() - older_than)
    values = rows.values_list("article_id", flat=True)
    if limit:  # rows repeat an article at most a few times: read a bounded slice
        values = values[: limit * 4]
    ids = list(dict.fromkeys(values))
    return ids[:limit] if limit else ids


def index_queued_articles() -> int:
    """Index everything the durable queue holds; the number of articles."""
    ids = queued_article_ids()
    if ids:
        index_articles_now(ids)
    return len(ids)


def _mark_durably(ids) -> None:
    """Write queue rows for these articles in the current transaction, once each."""
    from archive.models import PendingIndexUpdate

    connection = transaction.get_connection()
    marked = getattr(_pending, "marked", None)
    if connection.in_atomic_block:
        # Django replaces run_on_commit with a new list whenever a transaction (or a
        # savepoint) ends: the same list object means the same transaction.
        if marked is None or marked[0] is not connection.run_on_commit:
            marked = _pending.marked = (connection.run_on_commit, set())
        new = set(ids) - marked[1]
        marked[1].update(new)
    else:
        new = set(ids)
    new.discard(None)
    if new:
        PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(article_id=pk) for pk in sorted(new)])


@contextmanager
def batched_indexing(batch_size: int = BATCH_SIZE):
    """Collect index updates (for a bulk ingest) and write them in batches, each after
    the transactions that produced it have committed. At the end, also index whatever
    an earlier, interrupted run left in the durable queue."""
    _pending.batch = set()
    try:
        yield
    finally:
        batch, _pending.batch = _pending.batch, None
        if batch:
            index_articles_now(batch)
    index_queued_articles()


@contextmanager
def queueing_only():
    """For an ingest that rebuilds the index afterwards: its changes write their durable
    queue rows and nothing indexes them here; the rebuild settles the rows (or, if it never
    runs, the next ingest or ``check_index --repair`` indexes what they name)."""
    _pending.deferred = True
    try:
        yield
    finally:
        _pending.deferred = False


@contextmanager
def indexing_alongside():
    """For a bulk ingest with cores to spare: a process forked from this one indexes what
    the durable queue names, batch by batch, while this one saves articles (which then
    only write their queue rows). Whoosh is pure Python: indexing beside the saving
    instead of between saves lets the two use two cores. On leaving, this process waits
    until the indexer has emptied the queue; whatever it could not index (it died, it
    failed) stays queued and is indexed by ``batched_indexing`` or the next run."""
    import multiprocessing

    from django.db import connections as databases

    connection = transaction.get_connection()
    if (
        connection.in_atomic_block  # the indexer could not see uncommitted articles
        or (connection.vendor == "sqlite" and connection.is_in_memory_db())  # nor another process's memory
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield
        return
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    databases.close_all()  # the indexer opens its own connection, never this one's
    indexer = context.Process(target=_index_the_queue, args=(stop, os.getpid()), daemon=True)
    indexer.start()
    try:
        with queueing_only():
            yield
    finally:
        stop.set()
        indexer.join()
        if indexer.exitcode:
            log.error("The indexer stopped with exit code %s; the queue holds what it left", indexer.exitcode)


def _index_the_queue(stop, parent: int) -> None:
    """The indexer's loop: index the queue's oldest articles until told to stop and the
    queue is empty; leave if the process that started it is gone."""
    articles = batches = 0
    while os.getppid() == parent:
        stopping = stop.is_set()
        ids = queued_article_ids(limit=INDEXER_BATCH_SIZE)
        if len(ids) == INDEXER_BATCH_SIZE or (ids and stopping):
            try:
                # Full batches: each is a commit and a new segment.
                index_articles_now(ids, batch_size=INDEXER_BATCH_SIZE)
            except DatabaseError:
                # SQLite's lock is not fair: a saving process that writes back to back can
                # keep this one waiting past its timeout. The rows stay; try again, but once
                # the saving is over a lasting error is the ingest's to settle, not a hang.
                if stopping:
                    raise
                log.warning("The indexer could not delete its queue rows; trying again", exc_info=True)
                stop.wait(1)
                continue
            articles, batches = articles + len(ids), batches + 1
        elif stopping:
            log.info("The indexer beside the ingest indexed %d articles in %d batches", articles, batches)
            return
        else:
            stop.wait(0.2)
    os._exit(1)


def flush_full_batch() -> None:
    """Within ``batched_indexing``, index the collected articles once a batch is full.
    Call it between transactions (the ingest does, after each file commits)."""
    batch = getattr(_pending, "batch", None)
    if batch and len(batch) >= BATCH_SIZE and not transaction.get_connection().in_atomic_block:
        index_articles_now(batch)
        batch.clear()


def index_articles_later(ids) -> None:
    """Index these articles when the current transaction commits (at once outside one)."""
    ids = set(ids)
    ids.discard(None)
    if not ids:
        return
    _mark_durably(ids)
    if getattr(_pending, "deferred", False):
        return  # the indexer beside this process reads the queue rows
    batch = getattr(_pending, "batch", None)
    if batch is not None:
        batch.update(ids)
        return
    # Every call registers a flush: if a transaction rolls back, its callbacks are dropped
    # with it, and the ids it queued are settled by the next commit's flush (ids whose
    # rows no longer exist are removed from the index).
    queue = getattr(_pending, "ids", None)
    if queue is None:
        queue = _pending.ids = set()
    queue.update(ids)
    transaction.on_commit(_flush)


def _flush():
    pending = getattr(_pending, "ids", None)
    _pending.ids = None
    if not pending:
        return
    try:
        backlog = queued_article_ids(limit=BACKLOG_PER_FLUSH, older_than=BACKLOG_AGE)
        index_articles_now(pending | set(backlog))
    except Exception:  # the database is right, and the queue rows stay for a later run
        log.exception("Could not update the search index for articles %s", sorted(pending)[:20])


# --------------------------------------------------- which articles a change reaches


def articles_about_people(person_ids) -> set[int]:
    """Articles whose documents carry these people (mentions and quotes)."""
    from archive.models import Article

    person_ids = [pk for pk in person_ids if pk is not None]
    if not person_ids:
        return set()
    return set(
        Article.objects.filter(Q(mentions__person__in=person_ids) | Q(quotes__speaker__in=person_ids)).values_list(
            "pk", flat=True
        )
    )


def articles_about_organisations(organisation_ids) -> set[int]:
    from archive.models import Article

    return set(
        Article.objects.filter(
            Q(mentions__organisation__in=organisation_ids) | Q(quotes__speaker_organisation__in=organisation_ids)
        ).values_list("pk", flat=True)
    )


def articles_from_sources(source_ids) -> set[int]:
    from archive.models import Article

    return set(Article.objects.filter(source__in=source_ids).values_list("pk", flat=True))


# What of each entity reaches an article's search document (see ArticleIndex and the
# text template): a save that changes none of these fields re-indexes nothing. Aliases
# are not in the documents, so alias edits need no re-indexing.
INDEXED_FIELDS = {
    "Person": ("name", "slug"),
    "Organisation": ("name", "slug", "kind"),
    "Source": ("name", "slug"),
}


class OnCommitSignalProcessor(BaseSignalProcessor):
    def _receivers(self):
        from archive.models import Article, Membership, Mention, Organisation, Person, Quote, Source

        for signal in (signals.post_save, signals.post_delete):
            yield signal, self.article_changed, Article
            yield signal, self.part_changed, Mention
            yield signal, self.part_changed, Quote
            yield signal, self.membership_changed, Membership
        for model in (Person, Organisation, Source):
            yield signals.pre_save, self.remember_indexed_fields, model
            yield signals.post_save, self.entity_saved, model
        # Deleting a source sets its articles' source to NULL by an UPDATE, without
        # signals: queue them before the rows change.
        yield signals.pre_delete, self.source_deleted, Source
        # A membership moved from one person to another: both people's articles change.
        yield signals.pre_save, self.remember_membership, Membership

    def setup(self):
        for signal, receiver, sender in self._receivers():
            signal.connect(receiver, sender=sender)

    def teardown(self):
        for signal, receiver, sender in self._receivers():
            signal.disconnect(receiver, sender=sender)

    def article_changed(self, sender, instance, **kwargs):
        index_articles_later([instance.pk])

    def part_changed(self, sender, instance, **kwargs):
        index_articles_later([instance.article_id])

    def remember_indexed_fields(self, sender, instance, raw=False, **kwargs):
        fields = INDEXED_FIELDS[sender.__name__]
        instance._indexed_before = (
            sender.objects.filter(pk=instance.pk).values_list(*fields).first() if instance.pk else None
        )

    def entity_saved(self, sender, instance, created, raw=False, **kwargs):
        before = getattr(instance, "_indexed_before", None)
        if created or before is None:
            return  # nothing indexed refers to a new row yet
        now = tuple(getattr(instance, field) for field in INDEXED_FIELDS[sender.__name__])
        if now == tuple(before):
            return
        finder = {
            "Person": articles_about_people,
            "Organisation": articles_about_organisations,
            "Source": articles_from_sources,
        }[sender.__name__]
        index_articles_later(finder([instance.pk]))

    def source_deleted(self, sender, instance, **kwargs):
        index_articles_later(articles_from_sources([instance.pk]))

    def remember_membership(self, sender, instance, **kwargs):
        instance._person_before = (
            sender.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first() if instance.pk else None
        )

    def membership_changed(self, sender, instance, **kwargs):
        # "Party at the time" (member_parties) of every article naming the person.
        people = {instance.person_id, getattr(instance, "_person_before", None)}
        index_articles_later(articles_about_people(people))
