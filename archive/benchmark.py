"""`make bench`: what Cuttings costs at N articles, against baselines measured in the same run.

The run happens in a throw-away folder. ``run_benchmark`` (the orchestrator) writes a
synthetic corpus, then drives ``manage.py`` in child processes whose environment points at
that folder (a temporary SQLite database unless a database URL is given explicitly, and our
Whoosh index there), so the user's own database and index are never touched:

1. ``ingest``: every file through the ingest pipeline, timed per file (rate at the start
   and at the end, so growth shows);
2. ``rebuild_index``, timed;
3. ``engine``: the same query mix in-process through our backend, through Haystack's stock
   Whoosh backend (its own index, built by it; spelling on as shipped, and off), and
   straight through Whoosh on our index (one searcher, top 20: the floor); and Whoosh's own
   write rate on our schema (the floor for ingest);
4. gunicorn on a free loopback port: the query mix and the pages over HTTP (p50, p95, max),
   worker memory and file descriptors before and after a bounded concurrent load.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

SAMPLES = 30  # requests per query kind
KIND_BUDGET_SECONDS = 60  # stop sampling a kind after this long (at least MIN_SAMPLES)
MIN_SAMPLES = 3
COMMON_WORDS = ["party", "government", "labour", "election", "council"]
TWO_WORDS = ["council election", "party members", "government cuts", "labour leadership", "union strike"]
PHRASES = ['"told the BBC"', '"has said that"', '"party members"']


# ------------------------------------------------------------------------- the query mix


def query_mix(articles: int, people: list[str], parties: list[str]) -> dict[str, list[dict]]:
    """Search parameters per kind (as a user's URL would carry them)."""
    from archive.corpus import rare_word

    rare = [rare_word(n) for n in range(0, max(1, articles // 3), max(1, articles // 15))][:5]
    deep_page = max(2, min(50, articles // 40))
    return {
        "common word": [{"q": w} for w in COMMON_WORDS],
        "rare word": [{"q": w} for w in rare],
        "two words": [{"q": w} for w in TWO_WORDS],
        "phrase": [{"q": p} for p in PHRASES],
        "empty query": [{}, {"q": ""}, {"page": 3}],
        "person filter": [{"person": slug} for slug in people[:5]],
        "party + members": [{"party": slug, "members": "1"} for slug in parties[:3]],
        "date range": [{"from": f"{y}-01", "to": f"{y}-06"} for y in (2012, 2016, 2020, 2024)],
        "combined": [
            {"q": w, "party": parties[0], "members": "1", "from": "2015", "to": "2022"} for w in COMMON_WORDS[:3]
        ],
        "deep page": [{"q": w, "page": deep_page} for w in COMMON_WORDS[:3]],
        "facets on": [{"q": w, "facets": "1"} for w in COMMON_WORDS[:3]],
    }


def percentiles(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(ordered), "p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def sample(run: Callable[[object], None], params: list, samples: int = SAMPLES) -> dict:
    """Milliseconds per call of ``run`` over ``params`` in turn, within the kind's budget."""
    timings = []
    started = time.perf_counter()
    for number in range(samples):
        t = time.perf_counter()
        run(params[number % len(params)])
        timings.append((time.perf_counter() - t) * 1000)
        if number + 1 >= MIN_SAMPLES and time.perf_counter() - started > KIND_BUDGET_SECONDS:
            break
    return percentiles(timings)


# ------------------------------------------------------------------ child-process phases


EXTRACTION_SAMPLE = 1000  # files of the corpus timed through extraction alone


def extraction_times(corpus: Path, limit: int = EXTRACTION_SAMPLE) -> dict:
    """CPU milliseconds per file of extraction alone (read, classify, metadata, entities,
    quotes; no database, no index) over the corpus's first ``limit`` files."""
    from archive.ingest.pipeline import load_gazetteer, parse_path
    from archive.ingest.read import find_files

    gazetteer = load_gazetteer()
    files = sorted(find_files([corpus]))[:limit]
    timings = []
    for path in files:
        started = time.process_time()
        parse_path(path, gazetteer)
        timings.append((time.process_time() - started) * 1000)
    return percentiles(timings[1:])  # the first pays for the gazetteer's derived patterns


def phase_ingest(corpus: Path, out: Path) -> None:
    from archive.ingest.pipeline import ingest_paths

    extraction = extraction_times(corpus)
    stamps = []
    started = time.perf_counter()
    report = ingest_paths([str(corpus)], on_file=lambda outcome: stamps.append(time.perf_counter() - started))
    total = time.perf_counter() - started
    out.write_text(
        json.dumps({"stamps": stamps, "total": total, "summary": report.as_dict()["summary"], "extraction": extraction})
    )


def phase_engine(work: Path, articles: int, out: Path, samples: int) -> None:
    """The query mix in-process through each engine, the raw-Whoosh floors, page samples."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from haystack import connections

    from archive.models import Article, Organisation, Person

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = [person.slug for person in Person.objects.most_mentioned(limit=5)]
    parties = [party.slug for party in Organisation.objects.parties().most_mentioned(limit=3)]
    mix = query_mix(articles, people, parties)
    ours_info = dict(connections.connections_info["default"])
    stock_path = str(work / "stock-index")
    # BATCH_SIZE as our settings have it (above a few hundred, the prefetch queries of a
    # batch are too deep for SQLite).
    stock = {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": stock_path, "BATCH_SIZE": 200}
    results: dict = {"people": people, "parties": parties, "mix": mix}

    def use(info):
        connections.connections_info["default"] = info
        connections.reload("default")

    client = Client()

    def through_page(kind_params):
        return sample(lambda p: client.get("/search/", p), kind_params, samples)

    results["ours"] = {kind: through_page(params) for kind, params in mix.items()}
    results["floor"] = whoosh_floor(ours_info["PATH"], mix, samples)
    results["write_floor"] = whoosh_write_floor(work / "floor-index")

    use({**stock, "INCLUDE_SPELLING": True})
    started = time.perf_counter()
    call_command("rebuild_index", interactive=False, verbosity=0)
    results["stock_rebuild_seconds"] = time.perf_counter() - started
    results["stock_spelling"] = {kind: through_page(params) for kind, params in mix.items()}
    use({**stock, "INCLUDE_SPELLING": False})
    results["stock_no_spelling"] = {kind: through_page(params) for kind, params in mix.items()}
    use(ours_info)

    picked = list(Article.objects.only("slug", "published").order_by("?")[:10])
    results["pages"] = {
        "home": ["/"],
        "article": [a.get_absolute_url() for a in picked],
        "like this": [reverse("article-like-this", args=[a.pk]) for a in picked],
        "person": [f"/people/{slug}/" for slug in people[:3]]
        + [p.get_absolute_url() for p in Person.objects.filter(mentions__isnull=False).order_by("?")[:3]],
        "organisation": [f"/organisations/{slug}/" for slug in parties[:3]]
        + [
            o.get_absolute_url()
            for o in Organisation.objects.exclude(kind="party").filter(mentions__isnull=False).order_by("?")[:3]
        ],
    }
    out.write_text(json.dumps(results, default=str))


def _floor_query(schema, params: dict):
    """The Whoosh query a search asks for, built by hand: the engine's own cost."""
    from whoosh import query as wq
    from whoosh.qparser import QueryParser

    parts = []
    if params.get("q"):
        parts.append(QueryParser("text", schema).parse(params["q"]))
    for name, field_name in (("person", "people"), ("party", "parties")):
        if params.get(name):
            field_name = "member_parties" if name == "party" and params.get("members") else field_name
            parts.append(wq.Term(field_name, params[name]))
    if params.get("from"):
        start = datetime.datetime(int(params["from"][:4]), int(params["from"][5:7] or 1), 1)
        end = datetime.datetime(int(params["to"][:4]), int(params["to"][5:7] or 12), 28)
        parts.append(wq.DateRange("date", start, end))
    return wq.And(parts) if parts else wq.Every()


def whoosh_floor(path: str, mix: dict, samples: int) -> dict:
    import whoosh.index

    index = whoosh.index.open_dir(path)
    floor = {}
    with index.searcher() as searcher:

        def run(params):
            q = _floor_query(index.schema, params)
            sort = {} if params.get("q") else {"sortedby": "sort_newest", "reverse": True}
            page = searcher.search_page(q, int(params.get("page") or 1), pagelen=20, **sort)
            [hit.fields() for hit in page]

        for kind, params in mix.items():
            floor[kind] = sample(run, params, samples)
    return floor


def whoosh_write_floor(path: Path, chunk: int = 500) -> dict:
    """Whoosh's own write rate on our schema: our documents, prepared beforehand (not
    timed), added through one writer."""
    import whoosh.index
    from haystack import connections

    from archive.models import Article

    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    unified = connections["default"].get_unified_index()
    article_index = unified.get_index(Article)
    path.mkdir(parents=True, exist_ok=True)
    index = whoosh.index.create_in(str(path), backend.schema)
    writer = index.writer(procs=1, limitmb=256)
    ids = list(Article.objects.values_list("pk", flat=True).order_by("pk"))
    seconds = 0.0
    for offset in range(0, len(ids), chunk):
        documents = []
        for article in article_index.index_queryset().filter(pk__in=ids[offset : offset + chunk]):
            doc = article_index.full_prepare(article)
            doc.pop("boost", None)
            documents.append({k: backend._from_python(v) for k, v in doc.items()})
        started = time.perf_counter()
        for doc in documents:
            writer.add_document(**doc)
        seconds += time.perf_counter() - started
    started = time.perf_counter()
    writer.commit()
    seconds += time.perf_counter() - started
    shutil.rmtree(path, ignore_errors=True)
    return {"articles": len(ids), "seconds": seconds, "rate": len(ids) / seconds if seconds else 0}


# ----------------------------------------------------------------------- the orchestrator


@dataclass
class Run:
    articles: int
    work: Path
    env: dict
    database_url: str
    figures: dict = field(default_factory=dict)

    def manage(self, *args: str, timeout: float | None = None) -> float:
        started = time.perf_counter()
        command = [sys.executable, "manage.py", *args]  # our own manage.py, arguments from this module
        subprocess.run(command, env=self.env, check=True, cwd=_base_dir(), timeout=timeout)  # noqa: S603
        return time.perf_counter() - started


def _base_dir() -> str:
    from django.conf import settings

    return str(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rates(stamps: list[float], total: float) -> dict:
    """Articles per second over the first and the last tenth of the run (the start after
    the first file, so loading the gazetteer is not counted; the end up to the last index
    write)."""
    n = len(stamps)
    window = max(2, n // 10)
    start = (window - 1) / (stamps[window - 1] - stamps[0]) if n >= window else 0
    end = window / (total - stamps[n - window - 1]) if n > window else start
    return {"start": start, "end": end, "mean": n / total, "window": window, "startup_seconds": stamps[0]}


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (loopback only)
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")


def http_phase(run: Run, engine: dict, samples: int, load_requests: int, concurrency: int) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (gunicorn on loopback, fixed arguments)
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=run.env,
        cwd=_base_dir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                _get(base + "/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        workers = _children(server.pid)
        urls = {kind: [f"/search/?{urlencode(p)}" for p in params] for kind, params in engine["mix"].items()}
        urls.update(engine["pages"])
        for kind_urls in urls.values():  # warm both workers' caches and searchers once
            for url in kind_urls[:2]:
                _get(base + url)
                _get(base + url)
        latency = {kind: sample(lambda u: _get(base + u), kind_urls, samples) for kind, kind_urls in urls.items()}
        before = {"rss_mb": [_rss_mb(w) for w in workers], "fds": [_fds(w) for w in workers]}
        everything = [u for kind_urls in urls.values() for u in kind_urls]
        done, errors, lock = [0], [0], threading.Lock()

        def client(offset):
            while True:
                with lock:
                    if done[0] >= load_requests:
                        return
                    done[0] += 1
                    number = done[0]
                try:
                    _get(base + everything[(number + offset) % len(everything)])
                except Exception:
                    with lock:
                        errors[0] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        after = {"rss_mb": [_rss_mb(w) for w in workers], "fds": [_fds(w) for w in workers]}
        return {
            "latency": latency,
            "load": {
                "requests": load_requests,
                "concurrency": concurrency,
                "seconds": seconds,
                "pages_per_second": load_requests / seconds,
                "errors": errors[0],
            },
            "workers_before_load": before,
            "workers_after_load": after,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_benchmark(
    articles: int,
    *,
    database_url: str = "",
    samples: int = SAMPLES,
    load_requests: int = 2000,
    concurrency: int = 4,
    keep: bool = False,
    corpus: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cuttings-bench-"))
    data = work / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEARCH_URL")}
    env.update(
        ARCHIVE_DATA_DIR=str(data),
        DATABASE_URL=database_url or f"sqlite:///{data / 'archive.sqlite3'}",
        PYTHONWARNINGS="ignore",
    )
    run = Run(articles, work, env, database_url)
    figures = run.figures
    figures["articles"] = articles
    figures["database"] = "postgresql" if database_url.startswith(("postgres", "pgsql")) else "sqlite"
    figures["when"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    figures["cpus"] = os.cpu_count()
    try:
        if corpus is None:
            from archive.corpus import write_corpus

            corpus = work / "corpus"
            log(f"Writing {articles} synthetic articles into {corpus}")
            write_corpus(articles, corpus)
        run.manage("migrate", "--noinput", "--verbosity", "0")
        run.manage("load_knowledge", "--verbosity", "0")
        log("Ingesting")
        run.manage("bench", "--phase", "ingest", "--work", str(work), "--corpus", str(corpus))
        ingest = json.loads((work / "ingest.json").read_text())
        figures["ingest"] = {**rates(ingest["stamps"], ingest["total"]), "seconds": ingest["total"]}
        figures["ingest"]["summary"] = ingest["summary"]
        figures["extraction"] = ingest["extraction"]
        log("Rebuilding the index")
        figures["rebuild_seconds"] = run.manage("rebuild_index", "--noinput", "--verbosity", "0")
        figures["index_mb"] = _size_mb(data / "index")
        db_file = data / "archive.sqlite3"
        figures["database_mb"] = _size_mb(db_file) if db_file.exists() else None
        log("Engines in-process: ours, stock (spelling on and off), raw Whoosh")
        run.manage(
            "bench",
            "--phase",
            "engine",
            "--work",
            str(work),
            "--articles",
            str(articles),
            "--samples",
            str(samples),
        )
        engine = json.loads((work / "engine.json").read_text())
        figures["engine"] = {k: engine[k] for k in ("ours", "floor", "stock_spelling", "stock_no_spelling")}
        figures["write_floor"] = engine["write_floor"]
        figures["stock_rebuild_seconds"] = engine["stock_rebuild_seconds"]
        log("Pages over HTTP through gunicorn")
        figures["http"] = http_phase(run, engine, samples, load_requests, concurrency)
        return figures
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def table(figures: dict) -> str:
    """The figures as the text table `make bench` prints."""
    lines = []
    ingest = figures["ingest"]
    floor_rate = figures["write_floor"]["rate"]
    lines.append(f"{figures['articles']} articles on {figures['database']}, {figures['cpus']} CPUs, {figures['when']}")
    lines.append(
        f"ingest: {ingest['start']:.1f}/s at the start, {ingest['end']:.1f}/s at the end, "
        f"{ingest['mean']:.1f}/s overall ({ingest['seconds']:.0f} s); Whoosh alone writes {floor_rate:.1f}/s "
        f"(ingest end / Whoosh = {ingest['end'] / floor_rate:.2f})"
    )
    extraction = figures["extraction"]
    lines.append(
        f"extraction alone (CPU, {extraction['n']} files): median {extraction['p50']:.1f} ms, "
        f"p95 {extraction['p95']:.1f} ms, max {extraction['max']:.1f} ms"
    )
    lines.append(
        f"rebuild_index: {figures['rebuild_seconds']:.1f} s (stock backend: {figures['stock_rebuild_seconds']:.1f} s); "
        f"index {figures['index_mb']:.1f} MB, database {figures['database_mb'] or 0:.1f} MB"
    )
    http, engine = figures["http"]["latency"], figures["engine"]
    lines.append("")
    lines.append(
        f"{'kind':<16} {'http p50':>9} {'p95':>7} {'max':>7} | {'floor p50':>9} {'p95':>6} "
        f"{'x floor':>7} | {'ours':>6} {'stock':>8} {'x stock':>7} {'stock-sp':>8} {'x':>6}"
    )
    for kind, h in http.items():
        row = f"{kind:<16} {h['p50']:>9.1f} {h['p95']:>7.1f} {h['max']:>7.1f} |"
        if kind in engine["floor"]:
            f, o = engine["floor"][kind], engine["ours"][kind]
            s, n = engine["stock_spelling"][kind], engine["stock_no_spelling"][kind]
            row += (
                f" {f['p50']:>9.1f} {f['p95']:>6.1f} {h['p50'] / max(f['p50'], 0.01):>7.1f} |"
                f" {o['p50']:>6.1f} {s['p50']:>8.1f} {s['p50'] / o['p50']:>7.1f} {n['p50']:>8.1f}"
                f" {n['p50'] / o['p50']:>6.1f}"
            )
        lines.append(row)
    lines.append("(ms; 'ours', 'stock' and 'stock-sp' are the search page in-process through each backend;")
    lines.append(" stock = Haystack's Whoosh backend as shipped, spelling on; stock-sp = spelling off)")
    load = figures["http"]["load"]
    before, after = figures["http"]["workers_before_load"], figures["http"]["workers_after_load"]
    lines.append("")
    lines.append(
        f"load: {load['requests']} requests, {load['concurrency']} clients: {load['pages_per_second']:.1f} pages/s, "
        f"{load['errors']} errors"
    )
    lines.append(
        f"workers RSS MB {[round(r) for r in before['rss_mb']]} -> {[round(r) for r in after['rss_mb']]}; "
        f"fds {before['fds']} -> {after['fds']}"
    )
    return "\n".join(lines)
