"""Real processes for the crash, concurrency and load tests: manage.py commands and
gunicorn, each against a data directory of its own, on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

WORDS = [
    "council",
    "budget",
    "housing",
    "rail",
    "strike",
    "vote",
    "minister",
    "party",
    "election",
    "campaign",
    "ballot",
    "reform",
    "union",
    "members",
    "conference",
    "motion",
    "policy",
    "tax",
    "energy",
    "schools",
    "hospital",
    "rents",
    "wages",
    "transport",
]


def environment(data_dir: Path, **extra) -> dict:
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **extra}
    for name in ("SECRET_KEY", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SEARCH_URL"):
        env.pop(name, None)
    return env


def manage(data_dir: Path, *args, timeout=600, check=True, **extra) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def start_manage(data_dir: Path, *args, log: Path, **extra) -> subprocess.Popen:
    handle = log.open("w")
    # A session of its own: a kill reaches the command and every process it started
    # (extraction workers, the indexer), as ``kill -9 -- -PGID`` would.
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(data_dir, **extra),
        stdout=handle,
        stderr=handle,
        start_new_session=True,
    )


def kill_all(process: subprocess.Popen) -> None:
    """SIGKILL a command started by ``start_manage`` and every process it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def prepared_copy(template: Path, target: Path) -> Path:
    """A data directory as the template left it (migrated, knowledge base loaded)."""
    shutil.copytree(template, target, symlinks=True)
    return target


def write_articles(folder: Path, count: int, *, seed: int = 1, prefix: str = "story", words: int = 150) -> list[Path]:
    """Distinct plain-text articles of about ``words`` words, a hundred to a sub-folder."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(words))
        path = folder / f"{i // 100:02d}" / f"{prefix}-{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Council votes on {prefix} plan number {i} for the town\n\n{1 + i % 28} March 2025\n\n"
            f"The council met on Tuesday to discuss {prefix} plan {i}. {text.capitalize()}.\n\n"
            f"Marker token {prefix}{i:05d}q closes the report.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


POLL = 0.02  # seconds between looks at a process about to be killed


def query(db, sql):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
            return connection.execute(sql).fetchone()
    except sqlite3.OperationalError:  # not migrated yet, or busy for longer than 30 s
        return None


def article_count(db) -> int:
    row = query(db, "SELECT count(*) FROM archive_article")
    return row[0] if row else 0


def kill_when(process, condition, timeout=900) -> bool:
    """SIGKILL the process as soon as condition() holds; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():
            kill_all(process)
            return True
        time.sleep(POLL)
    kill_all(process)
    raise AssertionError("the moment to kill at never came")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving the archive on 127.0.0.1 with a few workers."""

    def __init__(self, data_dir: Path, log: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "archive.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--error-logfile",
                str(log),
            ],
            cwd=ROOT,
            env=environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_up()

    def _wait_until_up(self, timeout=120):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("gunicorn exited:\n" + self.log.read_text()[-3000:])
            try:
                requests.get(self.url + "/", timeout=30)
                return
            except requests.ConnectionError:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
