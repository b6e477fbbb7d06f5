"""kill -9 the ingest of 2,000 files at seeded random moments (two of the three while it writes
the search index, adding documents or committing them), and a rebuild_index half-way,
then run both again: nothing lost or doubled, the database intact after every kill, the
index equal to the database.

The files are short (40 words): what is killed is the run's bookkeeping (transactions,
the durable index queue, Whoosh's writer and its commit), which does not depend on an
article's length, and every rerun reads every file again. CRASH_FILES, CRASH_WORDS and
CRASH_SEED change the size and the moments.
"""

import fcntl
import os
import random
import re
import sqlite3
import time
from pathlib import Path

import pytest

from tests.processes import (
    POLL,
    article_count,
    kill_all,
    kill_when,
    manage,
    prepared_copy,
    query,
    start_manage,
    write_articles,
)

pytestmark = pytest.mark.slow

FILES = int(os.environ.get("CRASH_FILES", "2000"))
WORDS = int(os.environ.get("CRASH_WORDS", "40"))
SEED = int(os.environ.get("CRASH_SEED", "14"))


def index_writer_busy(index: Path) -> bool:
    """True while a process holds the Whoosh index's write lock (from opening the writer
    to the end of its commit)."""
    lock = index / "MAIN_WRITELOCK"
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def generation(directory: Path) -> int:
    """The newest Whoosh generation (one per commit) in an index directory."""
    found = [int(m.group(1)) for p in directory.glob("_MAIN_*.toc") if (m := re.match(r"_MAIN_(\d+)\.toc", p.name))]
    return max(found, default=-1)


def kill_inside_index_write(process, index: Path, delay: float, timeout=900) -> bool:
    """SIGKILL the process ``delay`` seconds into one of its index writes (while it still
    holds the writer); a write that ends sooner is let go and the next one tried, with a
    shorter delay."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if index_writer_busy(index):
            time.sleep(delay)
            if index_writer_busy(index) and process.poll() is None:
                kill_all(process)  # the writer is the ingest's indexer process
                return True
            delay /= 2
            while index_writer_busy(index):  # let this write end; catch the next one
                time.sleep(POLL)
        time.sleep(POLL)
    kill_all(process)
    raise AssertionError("no index write to kill inside")


def assert_intact(db):
    """The database after a kill: integrity_check clean, no article saved twice."""
    with sqlite3.connect(db, timeout=30) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total, names, hashes = connection.execute(
            "SELECT count(*), count(DISTINCT file_name), count(DISTINCT content_hash) FROM archive_article"
        ).fetchone()
    assert total == names == hashes, (total, names, hashes)
    return total


def test_ingest_and_rebuild_killed_at_random_moments_lose_and_double_nothing(prepared_data_dir, tmp_path):
    rng = random.Random(SEED)
    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    db, index = data / "archive.sqlite3", data / "index"
    folder = tmp_path / "files"
    write_articles(folder, FILES, words=WORDS)
    seen = []

    def ingest_killed(moment: str, run: int):
        ingest = start_manage(data, "ingest", str(folder), log=tmp_path / f"ingest-{run}.log")
        if moment == "articles":
            count = article_count(db)
            target = count + rng.randrange(1, max(2, (FILES - count) // 5))
            killed = kill_when(ingest, lambda: article_count(db) >= target)
        else:
            killed = kill_inside_index_write(ingest, index, rng.uniform(0.0, 0.4))
        assert killed, f"run {run} ended before its kill ({moment})"
        seen.append((moment, assert_intact(db), round(time.monotonic() - started)))

    # 1. Kills at random moments: after a random number of articles, inside an index write.
    # (Every run reads every file again, so a few kills are what a CI run can afford.)
    started = time.monotonic()
    ingest_killed("articles", 1)
    ingest_killed("index write", 2)

    # 2. A run that finishes over part of the files indexes whatever the killed runs left
    # queued; then a rebuild is killed after a random number of its batches.
    manage(data, "ingest", str(folder / "00"))
    assert query(db, "SELECT count(*) FROM archive_pendingindexupdate")[0] == 0
    served = Path(os.path.realpath(index))
    served_before = sorted(os.listdir(served))
    batches = -(-article_count(db) // 200)
    commits = rng.randrange(1, max(2, batches))

    def building_committed() -> bool:
        building = [p for p in data.glob("index.*.building") if p.is_dir()]
        return bool(building) and generation(building[0]) >= generation(served) + 1 + commits

    # A commit every batch, so that there are moments between commits to kill it at.
    rebuild = start_manage(
        data, "rebuild_index", "--noinput", log=tmp_path / "rebuild.log", ARCHIVE_REBUILD_COMMIT_EVERY="200"
    )
    assert kill_when(rebuild, building_committed), "the rebuild finished before its kill"
    seen.append((f"rebuild after {commits} of {batches} batches", article_count(db), round(time.monotonic() - started)))
    assert Path(os.path.realpath(index)) == served and sorted(os.listdir(served)) == served_before, (
        "the live index is untouched by the killed rebuild"
    )
    check = manage(data, "check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "interrupted rebuild" in check.stderr, check.stderr

    # 3. Another, with the killed rebuild's leftovers beside the index.
    ingest_killed("index write", 3)
    before_rerun = manage(data, "check_index", check=False)

    # 4. The rerun finishes: everything is there once and the index equals the database.
    rerun = manage(data, "ingest", str(folder), "--report", str(tmp_path / "report.json"))
    assert rerun.returncode == 0
    assert assert_intact(db) == FILES
    assert query(db, "SELECT count(*) FROM archive_pendingindexupdate")[0] == 0
    after = manage(data, "check_index", check=False)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "The index matches the database." in after.stdout
    seen.append(("rerun finished", FILES, round(time.monotonic() - started)))

    # 5. The rebuild, run again, finishes, swaps in and removes what the killed one left.
    manage(data, "rebuild_index", "--noinput")
    assert not list(data.glob("index.*.building"))
    rebuilt = manage(data, "check_index")
    assert "The index matches the database." in rebuilt.stdout and not rebuilt.stderr
    seen.append(("rebuilt", FILES, round(time.monotonic() - started)))
    print(seen, "before the rerun:", before_rerun.stdout.strip(), "after:", after.stdout.strip())
