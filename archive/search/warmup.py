"""A worker's first search loads its searcher's tables: each facet's value for every document
and the spelling field's words. At 100,000 articles that is 14 s (facet tables 11.4 s,
spelling 2.4 s), paid by whoever searches first in each gunicorn worker. ``warm()`` runs that
search before the worker takes requests (``post_worker_init`` in gunicorn.conf.py)."""

import time

from archive.search.forms import SearchForm
from archive.search.query import search_articles

# No article has this word, so the search also looks for a spelling, as a rare word does.
WARM_WORDS = "zqxwarmupzqx"


def warm() -> float:
    """One search the way the search page runs it; returns the seconds it took."""
    started = time.perf_counter()
    params = {"q": WARM_WORDS}
    form = SearchForm(params)
    if form.is_valid():
        search_articles(form.cleaned_data, params)
    return time.perf_counter() - started
