"""Warming a worker: the first search's table loading happens before any reader searches."""

import datetime
import logging
import runpy
import threading
from pathlib import Path

import pytest
from haystack import connections

from archive.search.forms import SearchForm
from archive.search.query import search_articles
from archive.search.warmup import warm

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def cold_backend(ingest, write_file, monkeypatch):
    """An archive of two articles, and a backend whose per-thread tables start empty."""
    ingest(
        *(
            write_file(
                f"{day}.txt",
                f"Rail plan number {day}\n\nPublished {day} March {datetime.date.today().year - 1}\n\n"
                "Keir Starmer said the Labour Party would take the railways back into public hands.\n",
            )
            for day in (3, 4)
        )
    )
    backend = connections["default"].get_backend()
    monkeypatch.setattr(backend, "_local", threading.local())
    return backend


def search(words):
    form = SearchForm({"q": words})
    assert form.is_valid()
    return search_articles(form.cleaned_data, {"q": words})


def test_after_warming_a_search_for_a_rare_word_loads_no_table(cold_backend):
    warm()
    loaded = set(cold_backend._cache())
    assert loaded, "warming loaded nothing"

    search("railwayz")

    assert set(cold_backend._cache()) == loaded


def test_without_warming_the_first_search_loads_the_tables(cold_backend):
    assert getattr(cold_backend._local, "facets", None) is None
    search("railwayz")
    assert cold_backend._cache()


class FakeWorker:
    def __init__(self):
        self.log = logging.getLogger("fake-gunicorn-worker")


def test_gunicorns_worker_hook_warms_the_search_and_says_how_long_it_took(cold_backend, caplog):
    hook = runpy.run_path(str(GUNICORN_CONF))["post_worker_init"]
    with caplog.at_level(logging.INFO, logger="fake-gunicorn-worker"):
        hook(FakeWorker())
    assert cold_backend._cache()
    assert "Search warmed in" in caplog.text


def test_a_worker_whose_warming_fails_still_starts_and_logs_why(cold_backend, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("index unreadable")

    monkeypatch.setattr("archive.search.warmup.search_articles", broken)
    hook = runpy.run_path(str(GUNICORN_CONF))["post_worker_init"]
    with caplog.at_level(logging.INFO, logger="fake-gunicorn-worker"):
        hook(FakeWorker())
    assert "Warming the search failed" in caplog.text
    assert "index unreadable" in caplog.text
