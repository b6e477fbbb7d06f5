"""Articles like a given one, by the search engine's more-like-this over the indexed text."""

from haystack.query import SearchQuerySet

from archive.models import Article

MORE_LIKE_THIS = 5


def more_like_this(article: Article, limit: int = MORE_LIKE_THIS) -> list[Article]:
    """The articles most like ``article``, best first (none when the index does not hold it)."""
    hits = SearchQuerySet().models(Article).more_like_this(article)[:limit]
    found = Article.objects.select_related("source").in_bulk([int(hit.pk) for hit in hits])
    return [found[int(hit.pk)] for hit in hits if int(hit.pk) in found and int(hit.pk) != article.pk]
