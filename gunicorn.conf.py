"""Gunicorn reads this file from its working directory: ``make serve`` and ``make bench``
start it in the checkout. Settings given on the command line take precedence."""


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
