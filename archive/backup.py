"""Backups: a consistent copy of the database, the secret key, and a manifest to check
them by; restore brings a backup back into an empty data directory and rebuilds the index.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``), page by page
from a live database while the web server and ingests run; PostgreSQL with ``pg_dump``.
The search index is not backed up: it is always rebuilt from the database.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
SQLITE_COPY = "archive.sqlite3"
PG_DUMP = "archive.pgdump"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class BackupResult:
    directory: Path
    articles: int
    engine: str


def _sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def article_hashes(rows) -> list[dict]:
    """Manifest entries from (id, file_name, content_hash, body, raw) rows."""
    return [
        {"id": pk, "file_name": name, "content_hash": chash, "body_sha256": _sha256(body), "raw_sha256": _sha256(raw)}
        for pk, name, chash, body, raw in rows
    ]


ARTICLE_ROWS = "SELECT id, file_name, content_hash, body, raw FROM archive_article ORDER BY id"


def backup(target: Path) -> BackupResult:
    """Write a consistent copy of the database, the secret key file and a manifest
    (every article's id, content hash and hashes of its body and raw original) into
    ``target``, which must be new or empty. The manifest is read from the copy itself."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    if _is_sqlite():
        copy = target / SQLITE_COPY
        connection.ensure_connection()
        destination = sqlite3.connect(copy)
        try:
            connection.connection.backup(destination)
            rows = destination.execute(ARTICLE_ROWS).fetchall()
        finally:
            destination.close()
        copy.chmod(0o600)
        files, engine = {SQLITE_COPY: _file_sha256(copy)}, "sqlite"
    else:
        dump = target / PG_DUMP
        _pg_dump(dump)
        with connection.cursor() as cursor:  # pg_dump's snapshot and this read may differ by what
            cursor.execute(ARTICLE_ROWS)  # committed in between; restore checks against the dump
            rows = cursor.fetchall()
        files, engine = {PG_DUMP: _file_sha256(dump)}, "postgresql"
    key_file = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    if key_file.exists():
        shutil.copy2(key_file, target / SECRET_KEY_FILE)
        (target / SECRET_KEY_FILE).chmod(0o600)
        files[SECRET_KEY_FILE] = _file_sha256(target / SECRET_KEY_FILE)
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "files": files,
        "articles": article_hashes(rows),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    (target / MANIFEST).chmod(0o600)
    return BackupResult(target, len(rows), engine)


def read_manifest(source: Path) -> dict:
    """The manifest, with every file it names checked against its hash."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST}: cannot be read ({exc})") from exc
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{path} is missing from the backup")
        if _file_sha256(path) != digest:
            raise BackupError(f"{path} does not match its hash in the manifest: the backup is damaged")
    return manifest


def restore(source: Path, *, force: bool = False) -> BackupResult:
    """Bring a backup into the configured database (normally a new, empty data directory),
    put its secret key in the data directory, check every article against the manifest
    and rebuild the search index. Refuses a database that already holds articles unless
    ``force``."""
    from django.core.management import call_command

    source = Path(source)
    manifest = read_manifest(source)
    if not force and _database_has_articles():
        raise BackupError("the database already holds articles; restore into an empty data directory (or --force)")
    if manifest["engine"] == "sqlite":
        if not _is_sqlite():
            raise BackupError("this backup is of SQLite; the configured database is not")
        connection.ensure_connection()
        backup_copy = sqlite3.connect(f"file:{source / SQLITE_COPY}?mode=ro", uri=True)
        try:
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()
    else:
        _pg_restore(source / PG_DUMP)
    if SECRET_KEY_FILE in manifest["files"]:
        key_file = Path(settings.DATA_DIR) / SECRET_KEY_FILE
        shutil.copy2(source / SECRET_KEY_FILE, key_file)
        key_file.chmod(0o600)
    with connection.cursor() as cursor:
        cursor.execute(ARTICLE_ROWS)
        restored = article_hashes(cursor.fetchall())
    if restored != manifest["articles"]:
        raise BackupError("the restored articles do not match the manifest")
    call_command("rebuild_index", interactive=False, verbosity=0)
    return BackupResult(source, len(restored), manifest["engine"])


def _database_has_articles() -> bool:
    from django.db.utils import DatabaseError

    from archive.models import Article

    try:
        return Article.objects.exists()
    except DatabaseError:  # no tables yet: an empty data directory
        return False


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, env=_pg_env(), text=True)  # noqa: S603 - our own argument list, no shell
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def _pg_dump(path: Path) -> None:
    _run(["pg_dump", "--format=custom", "--file", str(path), *_pg_args()])


def _pg_restore(path: Path) -> None:
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", *_pg_args(), str(path)])
