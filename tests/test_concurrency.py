"""Several writers at once on SQLite: they wait for each other, none fails."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db.utils import load_backend


@pytest.fixture
def two_connections(tmp_path, django_db_blocker):
    """Two connections to one database file, configured as settings configures ours."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite locking only")
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "shared.sqlite3")}
    backend = load_backend(config["ENGINE"])
    first, second = (backend.DatabaseWrapper(dict(config), alias) for alias in ("first", "second"))
    for connection in (first, second):
        connection.inc_thread_sharing()  # the second is used from another thread
    with django_db_blocker.unblock():  # a database of its own, not the test database
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield first, second
        first.close()
        second.close()


@contextmanager
def atomic(connection):
    """What transaction.atomic() does for an outermost block, on a given connection."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


def test_a_read_then_write_transaction_waits_for_another_writer_instead_of_failing(two_connections):
    """A deferred transaction that reads, then writes while another connection writes,
    fails at once with "database is locked" whatever the busy timeout; an immediate one
    waits for the lock."""
    first, second = two_connections
    holding = threading.Event()
    errors = []

    def hold_the_write_lock():
        try:
            with atomic(second), second.cursor() as cursor:
                cursor.execute("UPDATE counter SET n = n + 1")
                holding.set()
                time.sleep(1.0)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writer = threading.Thread(target=hold_the_write_lock)
    writer.start()
    assert holding.wait(5)
    started = time.monotonic()
    # While the other connection holds the write lock: read, then write, in one transaction
    # (what the admin and the ingest do).
    with atomic(first), first.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        seen = cursor.fetchone()[0]
        cursor.execute("UPDATE counter SET n = %s", [seen + 10])
    waited = time.monotonic() - started
    writer.join()
    assert not errors, errors
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == 11, "both writes are kept"
    assert 0.5 < waited < 5, "it waited for the other writer to finish"


def test_sqlite_runs_immediate_transactions_in_wal_mode_with_a_busy_timeout(two_connections):
    first, _ = two_connections
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    with first.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
