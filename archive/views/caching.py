"""Aggregates over the whole archive that pages show beside their own content (the home
page's busiest names, who is named alongside a person or an organisation, their articles
per month), cached per process. The key carries the archive's article count and newest id,
so an added or removed article shows at once; an edit to mentions shows within
``CACHE_SECONDS``."""

from django.core.cache import cache
from django.db.models import Count, Max

from archive.models import Article

CACHE_SECONDS = 300


def archive_state() -> dict:
    """The archive's article count and newest id: what invalidates the cached aggregates."""
    return Article.objects.aggregate(total=Count("pk"), newest=Max("pk"))


def archive_cached(key: str, compute, state: dict | None = None):
    """``compute()``, cached under ``key`` and the archive's state (``archive_state()``,
    read here unless the caller has it)."""
    state = state or archive_state()
    full_key = f"{key}:{state['total']}:{state['newest']}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, CACHE_SECONDS)
    return found
