"""Gunicorn reads this file from its working directory: ``make serve`` and ``make bench``
start it in the checkout. Settings given on the command line take precedence."""

# Seconds a worker may go without reporting before the master kills it. The clock runs
# while post_worker_init warms the search (9 s a worker at 100,000 articles): at the
# default 30, a larger archive or a busy machine would kill and restart workers forever.
timeout = 120


def post_worker_init(worker):
    """Warm the search before this worker takes requests (see archive/search/warmup.py).
    If warming fails, the worker serves anyway: its first search then does the loading."""
    from archive.search.warmup import warm

    try:
        seconds = warm()
    except Exception:  # noqa: BLE001 (a cold worker is better than none)
        worker.log.exception("Warming the search failed; the first search will be slow")
    else:
        worker.log.info("Search warmed in %.1f s", seconds)
