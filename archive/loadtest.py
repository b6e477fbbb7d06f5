"""A bounded load test of a running Cuttings server: search (ordinary and hostile
queries) and entity pages, a fixed number of requests, on a loopback address.

It reports latency percentiles, errors, and the resident memory and open file
descriptors of the server's worker processes after the first quarter of the requests,
half-way and at the end, so a leak shows as growth. ``manage.py loadtest`` runs it; tests/test_load.py runs it against gunicorn.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

# Queries a hostile or careless visitor sends: long, deeply nested, many terms, wildcard
# floods, private field prefixes, huge pages, impossible dates.
HOSTILE_QUERIES = [
    "labour " * 80,
    "(" * 3000 + "labour" + ")" * 3000,
    " OR ".join(f"word{i}" for i in range(400)),
    " ".join(f"{letter}*" for letter in "abcdefghijklmnopqrstuvwxyz"),
    "django_ct:archive.article id:1 text:labour",
    '"' * 500,
    "from:99999-99 to:0000-00 labour",
    "person:" + "x" * 2000,
    "<img src=x onerror=alert(1)>",
]
ORDINARY_QUERIES = ["labour", "starmer", '"general election"', "reform uk council", "strike -rail", "welfare vote"]
HOSTILE_PATHS = [
    "/search/?q=labour&page=999999999",
    "/search/?q=labour&page=-1",
    "/search/?q=&sort=nonsense",
    "/search/",
    "/articles/99999/99/99/no-such-article/",
    "/articles/2025/02/30/impossible-date/",
    "/people/" + "x" * 300 + "/",
    "/search/?q=%00%ED%A0%80labour",  # a NUL and a lone surrogate, as bytes
]


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def entity_paths(limit: int = 20) -> list[str]:
    """Pages of the most mentioned people and organisations, and a few articles."""
    from django.db.models import Count

    from archive.models import Article, Organisation, Person

    people = Person.objects.annotate(n=Count("mentions")).order_by("-n")[:limit]
    organisations = Organisation.objects.annotate(n=Count("mentions")).order_by("-n")[:limit]
    articles = Article.objects.order_by("-published")[:limit]
    return (
        [p.get_absolute_url() for p in people]
        + [o.get_absolute_url() for o in organisations]
        + [a.get_absolute_url() for a in articles]
        + ["/people/", "/organisations/", "/articles/", "/"]
    )


HOSTILE = {f"/search/?q={quote(q)}" for q in HOSTILE_QUERIES} | set(HOSTILE_PATHS)


def default_paths() -> list[str]:
    searches = [f"/search/?q={quote(q)}" for q in ORDINARY_QUERIES + HOSTILE_QUERIES]
    return searches + HOSTILE_PATHS + entity_paths()


def kind_of(path: str) -> str:
    """hostile (queries and URLs above), search (ordinary queries) or pages (entities, articles)."""
    if path in HOSTILE:
        return "hostile"
    return "search" if path.startswith("/search/") else "pages"


@dataclass
class ProcessSample:
    rss_kib: int
    fds: int
    files: int = 0  # descriptors of files (index, database, logs): not sockets or pipes
    open_files: list[str] = field(default_factory=list)  # their paths, sorted (one per descriptor)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: list[str]
    statuses: dict[int, int]
    before: dict[int, ProcessSample] = field(default_factory=dict)  # after the first quarter
    middle: dict[int, ProcessSample] = field(default_factory=dict)  # half-way
    after: dict[int, ProcessSample] = field(default_factory=dict)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0

    def p95_by_kind(self) -> dict[str, float]:
        kinds: dict[str, list[float]] = {}
        for latency, path in self.slowest:
            kinds.setdefault(kind_of(path), []).append(latency)
        return {kind: sorted(values)[int(round(0.95 * (len(values) - 1)))] for kind, values in sorted(kinds.items())}

    def as_json(self) -> str:
        return json.dumps(
            {
                "requests": self.requests,
                "seconds": round(self.seconds, 2),
                "p50_ms": round(self.percentile(50) * 1000),
                "p95_ms": round(self.percentile(95) * 1000),
                "max_ms": round(max(self.latencies, default=0) * 1000),
                "p95_ms_by_kind": {kind: round(value * 1000) for kind, value in self.p95_by_kind().items()},
                "statuses": self.statuses,
                "errors": self.errors,
                "workers": {
                    str(pid): {
                        "before": asdict(self.before[pid]),
                        "middle": asdict(self.middle[pid]),
                        "after": asdict(self.after[pid]),
                    }
                    for pid in self.before
                    if pid in self.after and pid in self.middle
                },
            },
            indent=2,
        )

    def lines(self) -> list[str]:
        lines = [
            f"{self.requests} requests in {self.seconds:.1f}s: p50 {self.percentile(50) * 1000:.0f} ms, "
            f"p95 {self.percentile(95) * 1000:.0f} ms, max {max(self.latencies, default=0) * 1000:.0f} ms",
            "p95 by kind: " + ", ".join(f"{kind} {value * 1000:.0f} ms" for kind, value in self.p95_by_kind().items()),
            f"status codes: {dict(sorted(self.statuses.items()))}; errors: {len(self.errors)}",
        ]
        for pid in sorted(self.before):
            if pid in self.after and pid in self.middle:
                b, m, a = self.before[pid], self.middle[pid], self.after[pid]
                lines.append(
                    f"worker {pid}: RSS {b.rss_kib // 1024} -> {m.rss_kib // 1024} -> {a.rss_kib // 1024} MiB, "
                    f"fds {b.fds} -> {m.fds} -> {a.fds}, of them files {b.files} -> {m.files} -> {a.files} "
                    "(quarter, half, end)"
                )
        lines += [f"slow: {seconds * 1000:.0f} ms {path[:100]}" for seconds, path in self.slowest[:5]]
        return lines + [f"error: {error}" for error in self.errors[:10]]


# A worker closes its database connection after it has sent the last response: a sample
# taken at once can catch that connection's files still open.
SETTLE_SECONDS = 0.5


def sample(pids) -> dict[int, ProcessSample]:
    """Resident memory and open file descriptors of each process (Linux /proc), once the
    requests just answered have finished (``SETTLE_SECONDS``)."""
    if pids:
        time.sleep(SETTLE_SECONDS)
    samples = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            targets = [_fd_target(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            targets = [target for target in targets if target is not None]
            open_files = sorted(target for target in targets if target.startswith("/"))
            samples[pid] = ProcessSample(rss, len(targets), len(open_files), open_files)
        except (OSError, StopIteration):
            continue
    return samples


def _fd_target(fd: Path) -> str | None:
    """What a descriptor points at, or None when the worker closed it since the listing
    (a busy worker does; that must not drop the whole worker from the sample)."""
    try:
        return os.readlink(fd)
    except OSError:
        return None


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def run_load(
    base_url: str,
    paths: list[str],
    *,
    requests: int,
    concurrency: int = 4,
    timeout: float = 30.0,
    master_pid: int | None = None,
    warmup: bool = True,
) -> LoadResult:
    """Send ``requests`` GETs, cycling through ``paths``, ``concurrency`` at a time."""
    if not is_loopback(base_url):
        raise ValueError(f"{base_url} is not a loopback address: the load test only targets this machine")
    base_url = base_url.rstrip("/")

    def fetch(path: str):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base_url + path, timeout=timeout) as response:  # noqa: S310 - loopback only
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.read()
            status = exc.code
        except OSError as exc:
            return time.monotonic() - started, 0, f"{path[:100]}: {exc}"
        error = f"{path[:100]}: HTTP {status}" if status >= 500 else ""
        return time.monotonic() - started, status, error

    if warmup:  # every page once, so that caches and lazily opened files are in place
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(fetch, paths))
    pids = worker_pids(master_pid) if master_pid else []
    plan = list(itertools.islice(itertools.cycle(paths), requests))
    # Sampled after the first quarter of the run and at its end: a leak grows with the
    # requests, while a worker's first search opens the index files once.
    quarter = max(1, len(plan) // 4)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(fetch, plan[:quarter]))
        before = sample(pids)
        # By half-way each worker has served every page more than once (requests reach
        # workers unevenly, so a worker may open an index column for its first date sort
        # or facet after the first quarter): from here on nothing may grow.
        outcomes += pool.map(fetch, plan[quarter : 2 * quarter])
        middle = sample(pids)
        outcomes += pool.map(fetch, plan[2 * quarter :])
    seconds = time.monotonic() - started
    statuses: dict[int, int] = {}
    for _, status, _ in outcomes:
        statuses[status] = statuses.get(status, 0) + 1
    return LoadResult(
        requests=len(plan),
        seconds=seconds,
        latencies=[latency for latency, _, _ in outcomes],
        errors=[error for _, _, error in outcomes if error],
        statuses=statuses,
        before=before,
        middle=middle,
        after=sample(pids),
        slowest=sorted(((latency, path) for (latency, _, _), path in zip(outcomes, plan, strict=True)), reverse=True),
    )
