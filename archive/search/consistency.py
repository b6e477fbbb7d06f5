"""Is the search index exactly the database's articles? Find out, and mend it."""

from __future__ import annotations

from dataclasses import dataclass

from haystack import connections

from archive.models import Article
from archive.search.signals import index_articles_now


@dataclass
class IndexCheck:
    missing: list[int]  # in the database, not in the index
    ghosts: list[int]  # in the index, not in the database
    stale: list[int]  # indexed from an older version of the row

    @property
    def ok(self) -> bool:
        return not (self.missing or self.ghosts or self.stale)


def indexed_documents() -> dict[int, str]:
    """Article id -> indexed title, read straight from the Whoosh index."""
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    index = backend.index.refresh()
    documents = {}
    with index.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            if fields.get("django_ct") == "archive.article":
                documents[int(fields["django_id"])] = fields.get("title", "")
    return documents


def check_index() -> IndexCheck:
    indexed = indexed_documents()
    titles = dict(Article.objects.values_list("pk", "title"))
    return IndexCheck(
        missing=sorted(set(titles) - set(indexed)),
        ghosts=sorted(set(indexed) - set(titles)),
        stale=sorted(pk for pk in set(titles) & set(indexed) if titles[pk] != indexed[pk]),
    )


def repair_index(check: IndexCheck) -> None:
    index_articles_now(check.missing + check.ghosts + check.stale)
