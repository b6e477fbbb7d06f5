"""Speed figures for `make bench`: ingest throughput and search latency, with Haystack's
stock Whoosh backend measured in the same run on the same index as the baseline."""

from __future__ import annotations

import random
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

QUERIES = ["Labour", "Reform UK councillors", "Starmer welfare", '"general election"', "rahmn"]


@dataclass
class Figures:
    articles: int
    ingest_seconds: float
    peak_rss_mb: float
    search_ms: dict[str, tuple[float, float]]  # query -> (ours, stock) median milliseconds


def synthetic_pages(demo_dir: Path, count: int, target: Path, seed: int = 7) -> list[Path]:
    """``count`` distinct pages made by recombining the demo articles' paragraphs."""
    rng = random.Random(seed)
    paragraphs = [
        p.strip()
        for path in sorted(demo_dir.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.split()) > 25
    ]
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        body = "\n\n".join(rng.sample(paragraphs, k=min(6, len(paragraphs))))
        day = 1 + number % 28
        path = target / f"bench-{number:06d}.txt"
        path.write_text(
            f"Benchmark story {number} on the state of the parties\n\nBy Bench Writer\n\n"
            f"Published {day} March 2025\n\n{body}\n\nStory reference {number}.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _median_ms(run, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run_benchmark(count: int = 300, repeat: int = 15) -> Figures:
    from haystack import connections
    from haystack.inputs import AutoQuery
    from haystack.query import SearchQuerySet

    from archive.ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory() as folder:
        synthetic_pages(Path(settings.BASE_DIR) / "demo", count, Path(folder))
        started = time.perf_counter()
        ingest_paths([folder])
        ingest_seconds = time.perf_counter() - started
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    default = connections.connections_info["default"]
    connections.connections_info["stock"] = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": default["PATH"],
        "INCLUDE_SPELLING": True,
    }
    search_ms = {}
    for query in QUERIES:
        ours = _median_ms(lambda q=query: list(SearchQuerySet().filter(content=AutoQuery(q))[:20]), repeat)
        stock = _median_ms(
            lambda q=query: list(SearchQuerySet(using="stock").filter(content=AutoQuery(q))[:20]), repeat
        )
        search_ms[query] = (ours, stock)
    return Figures(count, ingest_seconds, peak_rss_mb, search_ms)
