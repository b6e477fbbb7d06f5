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


# ------------------------------------------------- the whole stack, several processes


PASSWORD = "a long enough passphrase"


def admin_session(url, username="editor", password=PASSWORD):
    import requests

    session = requests.Session()
    login_page = session.get(url + "/admin/login/", timeout=60)
    token = login_page.cookies.get("csrftoken") or session.cookies.get("csrftoken")
    response = session.post(
        url + "/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": url + "/admin/login/"},
        timeout=60,
        allow_redirects=False,
    )
    return session, response


def create_editor(data):
    from tests.processes import manage

    manage(
        data,
        "createsuperuser",
        "--noinput",
        "--username",
        "editor",
        "--email",
        "editor@example.org",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )


@pytest.mark.slow
def test_editors_save_in_the_admin_while_two_ingests_and_update_index_run(prepared_data_dir, tmp_path):
    import sqlite3

    from tests.processes import Gunicorn, manage, prepared_copy, start_manage, write_articles
    from tests.test_admin import form_data

    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    write_articles(tmp_path / "base", 30, prefix="base")
    manage(data, "ingest", str(tmp_path / "base"))
    create_editor(data)
    with sqlite3.connect(data / "archive.sqlite3") as connection:
        edited = [row[0] for row in connection.execute("SELECT id FROM archive_article ORDER BY id LIMIT 3")]
    write_articles(tmp_path / "alpha", 150, prefix="alpha", seed=2)
    write_articles(tmp_path / "beta", 150, prefix="beta", seed=3)

    server = Gunicorn(data, tmp_path / "gunicorn.log", workers=2)
    statuses, slowest, last_titles, failures = [], [0.0], {}, []
    edits_each = 12

    def edit(editor, article_id):
        session, response = admin_session(server.url)
        assert response.status_code == 302, response.text[:500]
        change = f"{server.url}/admin/archive/article/{article_id}/change/"
        for n in range(edits_each):
            started = time.monotonic()
            page = session.get(change, timeout=120)
            fields = form_data(page, "article_form")
            fields["title"] = f"Edited by editor {editor}, save {n}"
            saved = session.post(change, data=fields, headers={"Referer": change}, timeout=120, allow_redirects=False)
            slowest[0] = max(slowest[0], time.monotonic() - started)
            statuses.append(saved.status_code)
            if saved.status_code != 302:
                failures.append((saved.status_code, saved.text[:300]))
            else:
                last_titles[article_id] = fields["title"]

    try:
        background = [
            start_manage(data, "ingest", str(tmp_path / "alpha"), log=tmp_path / "ingest-alpha.log"),
            start_manage(data, "ingest", str(tmp_path / "beta"), log=tmp_path / "ingest-beta.log"),
            start_manage(data, "update_index", "--batch-size", "50", log=tmp_path / "update-index.log"),
        ]
        editors = [threading.Thread(target=edit, args=(n, pk)) for n, pk in enumerate(edited)]
        for thread in editors:
            thread.start()
        for thread in editors:
            thread.join(600)
        codes = [process.wait(600) for process in background]
    finally:
        server.stop()

    logs = {path.name: path.read_text() for path in tmp_path.glob("*.log")}
    assert failures == [], failures[:3]
    assert statuses == [302] * (edits_each * len(edited))
    assert codes == [0, 0, 0], {name: text[-2000:] for name, text in logs.items()}
    for name, text in logs.items():
        assert "database is locked" not in text, name
        assert "Traceback" not in text, (name, text[-2000:])
    with sqlite3.connect(data / "archive.sqlite3") as connection:
        titles = dict(connection.execute("SELECT id, title FROM archive_article WHERE id IN (?, ?, ?)", edited))
        total = connection.execute("SELECT count(*) FROM archive_article").fetchone()[0]
    assert titles == last_titles, "every editor's last save is the one kept"
    assert total == 30 + 150 + 150
    check = manage(data, "check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    print(f"{len(statuses)} admin saves, slowest {slowest[0]:.2f}s; {check.stdout.strip()}")


@pytest.mark.slow
def test_login_throttling_holds_across_gunicorn_workers(prepared_data_dir, tmp_path):
    from tests.processes import Gunicorn, prepared_copy

    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    create_editor(data)
    server = Gunicorn(data, tmp_path / "gunicorn.log", workers=2)
    try:
        # Each attempt on a new connection: the two workers share the count in the database.
        wrong = [admin_session(server.url, password="not the password")[1].status_code for _ in range(5)]
        _, right = admin_session(server.url)
    finally:
        server.stop()
    assert wrong == [200, 200, 200, 200, 429]
    assert right.status_code == 429
