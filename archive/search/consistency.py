"""Is the index exactly the database's articles, as they are now? Find out, and mend it.

Each indexed document carries ``doc_hash``, a hash of the document as it was prepared.
The check prepares every article again (title, body, names, slugs, parties at the time:
everything the index holds) and compares hashes, so an edited body, a renamed person or a
changed slug shows as stale, not only a changed title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from haystack import connections

from archive.models import Article
from archive.search.signals import BATCH_SIZE, index_articles_now, queued_article_ids


@dataclass
class IndexCheck:
    missing: list[int]  # in the database, not in the index
    ghosts: list[int]  # in the index, not in the database
    stale: list[int]  # indexed from an older version of the row or of what it names
    queued: list[int] = field(default_factory=list)  # waiting in the durable queue
    notes: list[str] = field(default_factory=list)  # e.g. an interrupted rebuild

    @property
    def ok(self) -> bool:
        return not (self.missing or self.ghosts or self.stale)


def indexed_hashes() -> dict[int, str]:
    """Article id -> the stored hash of its indexed document ("" when it has none)."""
    from haystack.backends.whoosh_backend import WhooshSearchBackend

    backend = connections["default"].get_backend()
    if isinstance(backend, WhooshSearchBackend):  # read the stored fields directly
        if not backend.setup_complete:
            backend.setup()
        documents = {}
        with backend.index.refresh().searcher() as searcher:
            for fields in searcher.all_stored_fields():
                if fields.get("django_ct") == "archive.article":
                    documents[int(fields["django_id"])] = fields.get("doc_hash") or ""
        return documents
    from haystack.query import SearchQuerySet  # any other engine, through Haystack

    return {int(result.pk): getattr(result, "doc_hash", "") or "" for result in SearchQuerySet().models(Article)}


def current_hashes() -> dict[int, str]:
    """Article id -> hash of the document prepare() gives for it now."""
    index = connections["default"].get_unified_index().get_index(Article)
    hashes = {}
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), BATCH_SIZE):
        for article in index.index_queryset().filter(pk__in=ids[offset : offset + BATCH_SIZE]):
            hashes[article.pk] = index.full_prepare(article)["doc_hash"]
    return hashes


def check_index() -> IndexCheck:
    from archive.search.rebuild import interrupted_rebuilds

    indexed = indexed_hashes()
    current = current_hashes()
    return IndexCheck(
        missing=sorted(set(current) - set(indexed)),
        ghosts=sorted(set(indexed) - set(current)),
        stale=sorted(pk for pk in set(current) & set(indexed) if current[pk] != indexed[pk]),
        queued=sorted(queued_article_ids()),
        notes=[
            f"An interrupted rebuild left {path} (not in use); the live index kept serving. "
            "The next rebuild_index removes it."
            for path in interrupted_rebuilds()
        ],
    )


def repair_index(check: IndexCheck) -> None:
    index_articles_now(check.missing + check.ghosts + check.stale + check.queued)
