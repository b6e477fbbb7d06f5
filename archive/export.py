"""Articles as plain rows, for exports and the extraction score."""

from archive.models import Article

EXPORT_FIELDS = ["file", "title", "source", "author", "date", "url", "people", "parties", "organisations", "quotes"]


def export_row(article) -> dict:
    mentions = [m for m in article.mentions.all() if not m.boilerplate_only]
    organisations = [m.organisation for m in mentions if m.organisation_id]
    return {
        "file": article.file_name,
        "title": article.title,
        "source": article.source.name if article.source else None,
        "author": article.author or None,
        "date": article.published.isoformat() if article.published else None,
        "url": article.url or None,
        "people": [m.person.name for m in mentions if m.person_id],
        "parties": [o.name for o in organisations if o.is_party],
        "organisations": [o.name for o in organisations if not o.is_party],
        "quotes": [
            {"speaker": entity.name if (entity := q.speaker_entity) else None, "text": q.text}
            for q in article.quotes.all()
        ],
    }


def export_rows(articles=None):
    # In identity order, not insertion order: the same files give the same export
    # whatever order they were ingested in.
    articles = articles if articles is not None else Article.objects.order_by("file_name", "content_hash")
    articles = articles.select_related("source").prefetch_related(
        "mentions__person", "mentions__organisation", "quotes__speaker", "quotes__speaker_organisation"
    )
    for article in articles.iterator(chunk_size=500):
        yield export_row(article)
