"""backup writes a consistent copy with a manifest and the secret key; restore brings it
into an empty data directory (a fresh database) and rebuilds the index; every article
comes back byte for byte with its raw original. On SQLite (the online backup API) and on
PostgreSQL (pg_dump and pg_restore), whichever DATABASE_URL names."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from archive.backup import MANIFEST, PG_DUMP, SQLITE_COPY, backup, restore
from archive.models import Article
from archive.search.consistency import check_index
from tests.conftest import DEMO, ROOT


def copy_file():
    """The database copy a backup holds on the configured engine."""
    return SQLITE_COPY if connection.vendor == "sqlite" else PG_DUMP


def articles_as_stored():
    return list(Article.objects.order_by("pk").values_list("pk", "file_name", "title", "body", "raw", "published"))


@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_copy_a_manifest_and_the_secret_key(knowledge, tmp_path, settings):
    call_command("ingest", str(DEMO), verbosity=0)
    (tmp_path / "data").mkdir()
    settings.DATA_DIR = tmp_path / "data"
    (tmp_path / "data" / "secret_key").write_text("a-test-secret")

    result = backup(tmp_path / "backup")

    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert result.articles == Article.objects.count() == len(manifest["articles"])
    assert {a["id"] for a in manifest["articles"]} == set(Article.objects.values_list("pk", flat=True))
    assert (tmp_path / "backup" / "secret_key").read_text() == "a-test-secret"
    assert oct((tmp_path / "backup" / "secret_key").stat().st_mode & 0o777) == "0o600"
    if connection.vendor == "sqlite":
        assert manifest["engine"] == "sqlite"
        copy = sqlite3.connect(tmp_path / "backup" / SQLITE_COPY)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM archive_article").fetchone()[0] == result.articles
    else:
        assert manifest["engine"] == "postgresql"
        listing = subprocess.run(
            ["pg_restore", "--list", str(tmp_path / "backup" / PG_DUMP)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE DATA public archive_article " in listing


@pytest.mark.django_db(transaction=True)
def test_restore_brings_every_article_back_byte_for_byte_and_rebuilds_the_index(knowledge, tmp_path, settings):
    call_command("ingest", str(DEMO), verbosity=0)
    before = articles_as_stored()
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    backup(tmp_path / "backup")
    Article.objects.all().delete()  # the archive is gone
    call_command("rebuild_index", interactive=False, verbosity=0)

    restore(tmp_path / "backup")

    assert articles_as_stored() == before
    assert check_index().ok, "the index was rebuilt from the restored database"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_articles_and_a_damaged_backup(knowledge, tmp_path, settings):
    call_command("ingest", str(DEMO / "2025-05-02-runcorn-by-election.txt"), verbosity=0)
    settings.DATA_DIR = tmp_path
    backup(tmp_path / "backup")

    with pytest.raises(CommandError, match="already holds articles"):
        call_command("restore", str(tmp_path / "backup"))
    with (tmp_path / "backup" / copy_file()).open("r+b") as handle:
        handle.seek(200)
        handle.write(b"damage")
    with pytest.raises(CommandError, match="does not match its hash"):
        call_command("restore", str(tmp_path / "backup"), force=True)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "backup"))


@pytest.fixture
def two_databases():
    """Database URLs for two data directories, old and new: on SQLite None (each data
    directory has its own file); on PostgreSQL two new, empty databases on the test
    server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "pgsql")):
        yield None, None
        return
    import psycopg

    names = [f"cuttings_backup_{kind}_{os.getpid()}" for kind in ("old", "new")]
    db = connection.settings_dict
    server = {"dbname": "postgres", "host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    server = {k: v for k, v in server.items() if v} | ({"password": db["PASSWORD"]} if db["PASSWORD"] else {})
    with psycopg.connect(**server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield tuple(url.rsplit("/", 1)[0] + "/" + name for name in names)
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_rows(data_dir, database_url):
    query = "SELECT id, file_name, title, body, raw, published FROM archive_article ORDER BY id"
    if database_url is None:
        return sqlite3.connect(data_dir / "archive.sqlite3").execute(query).fetchall()
    import environ
    import psycopg

    db = environ.Env.db_url_config(database_url)
    params = {
        "dbname": db["NAME"],
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as connection:
        return [tuple(row) for row in connection.execute(query).fetchall()]


def test_backup_and_restore_into_an_empty_data_directory_with_the_commands(tmp_path, two_databases):
    """The whole round trip as an operator runs it, in real processes and real files."""
    urls = dict(zip(("old", "new"), two_databases, strict=True))

    def manage(data_dir, *args):
        env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir)}
        env.pop("SECRET_KEY", None)
        if urls[data_dir.name]:
            env["DATABASE_URL"] = urls[data_dir.name]
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )

    old, new = tmp_path / "old", tmp_path / "new"
    manage(old, "migrate", "--verbosity", "0")
    manage(old, "load_knowledge", "--verbosity", "0")
    manage(old, "ingest", str(DEMO), "--verbosity", "0")
    manage(old, "backup", str(tmp_path / "backup"))

    manage(new, "restore", str(tmp_path / "backup"))

    rows_old, rows_new = stored_rows(old, urls["old"]), stored_rows(new, urls["new"])
    assert rows_new == rows_old and len(rows_new) > 15
    assert (new / "secret_key").read_text() == (old / "secret_key").read_text()
    assert "matches the database" in manage(new, "check_index").stdout
