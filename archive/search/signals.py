"""Keep the search index in step with the database, after commit.

Haystack's RealtimeSignalProcessor indexes on post_save, inside the transaction: a
rolled-back row is indexed anyway and changes to mentions are missed. Ours queues the
article ids and indexes them with ``transaction.on_commit``, once per transaction.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models import signals
from haystack import connections
from haystack.signals import BaseSignalProcessor

log = logging.getLogger(__name__)
_pending = threading.local()
BATCH_SIZE = 200


def index_articles_now(ids) -> None:
    """Index (or remove, for ids no longer in the database) these articles, in batches."""
    from archive.models import Article

    ids = sorted(set(ids))
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    for offset in range(0, len(ids), BATCH_SIZE):
        chunk = ids[offset : offset + BATCH_SIZE]
        articles = list(index.index_queryset().filter(pk__in=chunk))
        if articles:
            backend.update(index, articles)
        for missing in set(chunk) - {a.pk for a in articles}:
            backend.remove(f"archive.article.{missing}")


@contextmanager
def batched_indexing(batch_size: int = BATCH_SIZE):
    """Collect index updates (for a bulk ingest) and write them in batches, each after
    the transactions that produced it have committed."""
    _pending.batch = set()
    try:
        yield
    finally:
        batch, _pending.batch = _pending.batch, None
        if batch:
            index_articles_now(batch)


def flush_full_batch() -> None:
    """Within ``batched_indexing``, index the collected articles once a batch is full.
    Call it between transactions (the ingest does, after each file commits)."""
    batch = getattr(_pending, "batch", None)
    if batch and len(batch) >= BATCH_SIZE and not transaction.get_connection().in_atomic_block:
        index_articles_now(batch)
        batch.clear()


def index_articles_later(ids) -> None:
    """Index these articles when the current transaction commits (at once outside one)."""
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
        index_articles_now(pending)
    except Exception:  # the database is right; `check_index --repair` mends the index
        log.exception("Could not update the search index for articles %s", sorted(pending)[:20])


class OnCommitSignalProcessor(BaseSignalProcessor):
    def _receivers(self):
        from archive.models import Article, Mention, Quote

        for signal in (signals.post_save, signals.post_delete):
            yield signal, self.article_changed, Article
            yield signal, self.part_changed, Mention
            yield signal, self.part_changed, Quote

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
