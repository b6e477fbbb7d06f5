"""Rebuild the Whoosh index beside the live one, then swap it in at once.

The configured index path (``var/index``) is a symbolic link to the directory in use
(``var/index.20260101T120000.123``). A rebuild writes a new directory, then replaces the
link in one ``rename``: until that moment every process goes on reading the old index, so
a rebuild killed half-way leaves the old index serving every article (``check_index``
names the directory it left behind, and the next rebuild removes it).

Edits saved while the rebuild runs go to the live index as usual and keep their durable
queue rows (see signals.py); once the new index is in place the rebuild indexes them into
it, so nothing saved during a rebuild is lost by the swap.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from haystack import connections

BUILDING = ".building"


class RebuildError(RuntimeError):
    pass


def live_path() -> Path | None:
    """The configured path of a file-based (Whoosh) index, or None for other engines."""
    options = settings.HAYSTACK_CONNECTIONS["default"]
    path = connections.connections_info["default"].get("PATH") or options.get("PATH")
    if not path or "whoosh" not in connections.connections_info["default"]["ENGINE"].lower():
        return None
    return Path(path)


def _lock_path(live: Path) -> Path:
    return live.with_name(live.name + ".rebuild.lock")


def rebuild_in_progress() -> bool:
    """True while a rebuild (in any process) is building a new index beside the live one."""
    live = live_path()
    if live is None:
        return False
    try:
        fd = os.open(_lock_path(live), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a shared lock we may have taken
    return False


def _generations(live: Path) -> list[Path]:
    return sorted(p for p in live.parent.glob(live.name + ".*") if p.is_dir())


def interrupted_rebuilds() -> list[Path]:
    """Directories a killed rebuild left beside the live index."""
    live = live_path()
    if live is None or rebuild_in_progress():
        return []
    return [p for p in _generations(live) if p.name.endswith(BUILDING)]


@dataclass
class RebuildResult:
    path: Path
    documents: int
    replayed: int
    removed: list[Path]


def rebuild_beside(progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Build a complete index in a new directory and make it the live one."""
    from archive.models import Article, PendingIndexUpdate
    from archive.search.signals import BATCH_SIZE, index_queued_articles

    live = live_path()
    if live is None:
        raise RebuildError("Only a file-based (Whoosh) index is rebuilt beside the live one.")
    live.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(_lock_path(live), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildError("Another rebuild_index is running; wait for it to finish.") from None
        removed = [p for p in _generations(live) if p.name.endswith(BUILDING)]
        for leftover in removed:
            shutil.rmtree(leftover)
        stamp = time.strftime("%Y%m%dT%H%M%S") + f".{time.time_ns() % 1_000_000_000:09d}"
        building = live.with_name(f"{live.name}.{stamp}{BUILDING}")
        backend = _backend_at(building, after=live)
        index = connections["default"].get_unified_index().get_index(Article)
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        settled: list[int] = []  # queue rows the new index makes good

        def batches():
            for offset in range(0, len(ids), BATCH_SIZE):
                chunk = ids[offset : offset + BATCH_SIZE]
                # The rows before the articles (as index_articles_now reads them): a change
                # committed after this read keeps its row, replayed below.
                settled.extend(PendingIndexUpdate.objects.filter(article_id__in=chunk).values_list("pk", flat=True))
                yield index.index_queryset().filter(pk__in=chunk)
                if progress:
                    progress(min(offset + BATCH_SIZE, len(ids)), len(ids))

        if hasattr(backend, "build"):
            backend.build(
                index,
                batches(),
                settings.ARCHIVE_REBUILD_COMMIT_EVERY,
                procs=settings.ARCHIVE_REBUILD_PROCS,
            )
        else:
            for batch in batches():
                backend.update(index, batch)
        final = building.with_name(building.name.removesuffix(BUILDING))
        os.rename(building, final)
        previous = _swap_link(live, final)
        connections["default"].reset_sessions()  # this process opens the new index next
    finally:
        os.close(lock)
    # The rows read before their articles were built are made good by the new index (an
    # ingest's whole backlog, say); edits saved during the build kept theirs (a writer that
    # found no rebuild running opens the index after the swap, so it writes to the new
    # one): replay those.
    for offset in range(0, len(settled), BATCH_SIZE):
        PendingIndexUpdate.objects.filter(pk__in=settled[offset : offset + BATCH_SIZE]).delete()
    replayed = index_queued_articles()
    # Keep the directory just replaced (a reader may still be opening it); older ones go.
    for old in _generations(live):
        if old not in (final, previous) and not old.name.endswith(BUILDING):
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return RebuildResult(final, len(ids), replayed, removed)


def _backend_at(path: Path, *, after: Path):
    """A backend of the configured engine writing to a new, empty directory whose
    generation numbers continue the live index's (a reader that asks 'has the index
    changed?' by its generation sees that it has)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, EmptyIndexError

    live_backend = connections["default"].get_backend()
    options = {**connections.connections_info["default"], "PATH": str(path)}
    backend = type(live_backend)("default", **options)
    _content_field, schema = backend.build_schema(connections["default"].get_unified_index().all_searchfields())
    generation = 0
    if after.exists():
        with contextlib.suppress(EmptyIndexError):
            generation = FileStorage(str(after)).open_index().latest_generation() + 1
    path.mkdir(mode=0o700)
    TOC(schema, [], generation).write(FileStorage(str(path)), "MAIN")
    backend.setup()
    return backend


def _swap_link(live: Path, target: Path) -> Path | None:
    """Point ``live`` at ``target`` in one rename; the directory it pointed to before."""
    previous = None
    if live.is_symlink():
        previous = live.parent / os.readlink(live)
    elif live.is_dir():
        # An index from before rebuilds were swapped: move it aside once (a reader
        # arriving in the instant between the two renames finds no index and retries).
        previous = live.with_name(live.name + ".0-before-swap")
        os.rename(live, previous)
    temporary = live.with_name(live.name + ".swap")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target.name, temporary)
    os.replace(temporary, live)
    return previous
