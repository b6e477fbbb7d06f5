"""kill -9 an ingest at random moments (once while it writes the index) and a rebuild
half-way, then run again: nothing lost or doubled, the database intact, the index equal
to the database.

600 generated files, not 2,000: the index is written in batches of 200, so 600 files
give three batches to kill inside and between, and each rerun re-reads every file, which
costs this test its time (2,000 files take about three times as long for no more cases).
CRASH_FILES=2000 runs the full size.
"""

import fcntl
import os
import random
import signal
import sqlite3
import time

import pytest

from tests.processes import manage, prepared_copy, start_manage, write_articles

pytestmark = pytest.mark.slow

FILES = int(os.environ.get("CRASH_FILES", "600"))


def article_count(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
            return connection.execute("SELECT count(*) FROM archive_article").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def index_writer_busy(index) -> bool:
    """True while a process holds the Whoosh index's write lock."""
    lock = index / "MAIN_WRITELOCK"
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def kill_when(process, condition, timeout=max(300, FILES * 0.6)):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    process.kill()
    raise AssertionError("the condition to kill at never came")


def test_ingest_and_rebuild_killed_at_random_moments_lose_and_double_nothing(prepared_data_dir, tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "14")))
    data = prepared_copy(prepared_data_dir, tmp_path / "data")
    db, index = data / "archive.sqlite3", data / "index"
    folder = tmp_path / "files"
    write_articles(folder, FILES)
    seen = []

    # 1. At a random number of articles saved.
    ingest = start_manage(data, "ingest", str(folder), log=tmp_path / "ingest-1.log")
    target = rng.randrange(20, FILES // 3)
    assert kill_when(ingest, lambda: article_count(db) >= target)
    seen.append(("after a random article", article_count(db)))

    # 2. While it writes the index (its first batch commits after 200 new files).
    ingest = start_manage(data, "ingest", str(folder), log=tmp_path / "ingest-2.log")
    assert kill_when(ingest, lambda: index_writer_busy(index)), "the kill came while the index was written"
    seen.append(("inside an index write", article_count(db)))

    # 3. A rebuild, half-way: the new index is being written beside the live one.
    manage(data, "ingest", str(folder / "00"))  # the first hundred, indexed
    served_before = sorted(os.listdir(os.path.realpath(index)))
    rebuild = start_manage(data, "rebuild_index", "--noinput", log=tmp_path / "rebuild.log")
    assert kill_when(
        rebuild, lambda: any(p.name.endswith(".building") and any(p.iterdir()) for p in data.glob("index.*"))
    )
    assert sorted(os.listdir(os.path.realpath(index))) == served_before, "the live index is untouched"
    check = manage(data, "check_index", check=False)
    assert "interrupted rebuild" in check.stderr, check.stderr

    # 4. Again at a random moment, later in the run.
    ingest = start_manage(data, "ingest", str(folder), log=tmp_path / "ingest-3.log")
    target = rng.randrange(article_count(db) + 1, FILES)
    kill_when(ingest, lambda: article_count(db) >= target)
    seen.append(("later, at random", article_count(db)))
    before_rerun = manage(data, "check_index", check=False)

    # The rerun finishes; then everything is there once and the index equals the database.
    rerun = manage(data, "ingest", str(folder), "--report", str(tmp_path / "report.json"))
    assert rerun.returncode == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total, distinct_files, distinct_hashes = connection.execute(
            "SELECT count(*), count(DISTINCT file_name), count(DISTINCT content_hash) FROM archive_article"
        ).fetchone()
        queued = connection.execute("SELECT count(*) FROM archive_pendingindexupdate").fetchone()[0]
    assert total == distinct_files == distinct_hashes == FILES, (total, distinct_files, distinct_hashes)
    after = manage(data, "check_index", check=False)
    assert after.returncode == 0, after.stdout + after.stderr
    assert queued == 0
    print(seen, "before the rerun:", before_rerun.stdout.strip(), "after:", after.stdout.strip())
