"""A bounded load test against gunicorn on 127.0.0.1: search (ordinary and hostile
queries) and entity pages. No errors, and the workers' memory and file descriptors stay
flat. The same run is ``manage.py loadtest URL --pid PID``; docs/operations.md has the
figures of a larger run."""

import json
from collections import Counter
from pathlib import Path

import pytest

from archive.loadtest import is_loopback
from tests.conftest import DEMO
from tests.processes import Gunicorn, manage, prepared_copy, write_articles

pytestmark = pytest.mark.slow

REQUESTS = 300


def test_search_and_entity_pages_under_load_give_no_errors_and_flat_memory(prepared_data_dir, tmp_path):
    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    write_articles(tmp_path / "files", 100, prefix="load")
    manage(data, "ingest", str(DEMO), str(tmp_path / "files"))
    server = Gunicorn(data, tmp_path / "gunicorn.log", workers=2)
    try:
        run = manage(
            data,
            "loadtest",
            server.url,
            "--requests",
            str(REQUESTS),
            "--pid",
            str(server.process.pid),
            "--json",
            str(tmp_path / "load.json"),
            check=False,
        )
    finally:
        server.stop()
    figures = json.loads((tmp_path / "load.json").read_text())
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert figures["errors"] == [] and figures["requests"] == REQUESTS
    assert not [code for code in map(int, figures["statuses"]) if code >= 500 or code == 0]
    assert len(figures["workers"]) == 2
    for worker in figures["workers"].values():
        before, middle, after = worker["before"], worker["middle"], worker["after"]
        assert after["rss_kib"] <= before["rss_kib"] * 1.15 + 16 * 1024, worker
        # Over the second half no file is opened twice: a leak reopens the same index or
        # database files. What may appear is an index column file a worker reads for the
        # first time (Whoosh opens '_people_len.col' lazily, at the first request that
        # needs it; requests reach the two workers unevenly), once each.
        # gunicorn's own error log is the server's, not the archive's: seen once in a
        # worker at the end and not half-way (once, on a busy machine; the next runs passed).
        opened = Counter(after["open_files"]) - Counter(middle["open_files"])
        assert all(count == 1 for count in opened.values()), (opened, worker)
        assert all(
            (Path(path).suffix == ".col" and path not in middle["open_files"]) or path == str(tmp_path / "gunicorn.log")
            for path in opened
        ), (opened, worker)
        # Sockets come and go with connections (15 -> 14 -> 16 seen): a small margin.
        assert after["fds"] <= middle["fds"] + len(opened) + 3, worker
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


def test_the_load_test_refuses_any_address_but_this_machines():
    assert is_loopback("http://127.0.0.1:8000")
    assert is_loopback("http://localhost:8000")
    assert is_loopback("http://[::1]:8000")
    assert not is_loopback("http://10.0.0.5:8000")
    assert not is_loopback("http://example.org")
