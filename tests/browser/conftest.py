"""Playwright against Debian's Chromium and pytest-django's live server.

See DESIGN.md "Browser tests": ``playwright install`` cannot download browsers here, so
the session fixture ``browser_type_launch_args`` points Playwright at /usr/bin/chromium
with flags that stop it reaching for the network.
"""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
DEMO = Path(__file__).resolve().parent.parent.parent / "demo"

# Playwright's sync API runs an asyncio loop in the test thread; Django then refuses ORM
# calls from that thread (SynchronousOnlyOperation) although they are synchronous. The
# fixtures that load data and the transactional flush after each test need them. Set
# here, so only a run that collects the browser tests has it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def database_snapshot(django_db_setup, django_db_blocker):
    """A copy, in memory, of the test database as set up: migrated, knowledge base loaded.

    live_server makes each test transactional, so every table is emptied after it and the
    ``knowledge`` fixture would load the knowledge base again (about 7 s a test). Copying
    this snapshot back with SQLite's backup API takes milliseconds. Taken when the first
    browser test starts; the non-transactional tests before it leave nothing behind.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            yield None  # another database: the knowledge fixture reloads instead
            return
        connection.ensure_connection()
        snapshot = sqlite3.connect(":memory:")
        connection.connection.backup(snapshot)
    yield snapshot
    snapshot.close()


@pytest.fixture
def restored_database(database_snapshot, transactional_db):
    from django.db import connection

    from archive.models import Organisation

    if database_snapshot is not None and not Organisation.objects.exists():
        database_snapshot.backup(connection.connection)


@pytest.fixture
def archive(restored_database, live_server, ingest):
    """The live server with a few demo articles (ingested after the database is restored)."""
    ingest(
        DEMO / "2025-04-12-mish-rahman-quits-labour.txt",
        DEMO / "2025-07-02-welfare-rebellion.txt",
        DEMO / "2024-07-05-starmer-enters-downing-street.txt",
    )
    return live_server.url


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page
