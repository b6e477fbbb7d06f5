import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive import benchmark


class Command(BaseCommand):
    help = (
        "Speed figures at N synthetic articles, in a throw-away folder (a temporary SQLite database "
        "unless --database-url is given): ingest, rebuild, the query mix and the pages over HTTP "
        "against Haystack's stock Whoosh backend and raw Whoosh, worker memory, pages per second."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10000, help="How many synthetic articles.")
        parser.add_argument(
            "--database-url", default="", help="Run on this database instead of a temporary SQLite file."
        )
        parser.add_argument("--samples", type=int, default=benchmark.SAMPLES, help="Requests per query kind.")
        parser.add_argument("--load-requests", type=int, default=2000, help="Requests in the concurrent load.")
        parser.add_argument("--concurrency", type=int, default=4, help="Clients in the concurrent load.")
        parser.add_argument("--json", metavar="FILE", help="Write the figures here (default: bench-N.json).")
        parser.add_argument("--corpus", help="Use this corpus folder instead of writing one.")
        parser.add_argument("--keep", action="store_true", help="Keep the throw-away folder.")
        # The phases that run inside the throw-away environment (child processes).
        parser.add_argument("--phase", choices=["ingest", "engine"], help=argparse.SUPPRESS)
        parser.add_argument("--work", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["phase"]:
            return self.run_phase(options)
        if options["articles"] < 10:
            raise CommandError("--articles must be at least 10.")
        figures = benchmark.run_benchmark(
            options["articles"],
            database_url=options["database_url"],
            samples=options["samples"],
            load_requests=options["load_requests"],
            concurrency=options["concurrency"],
            keep=options["keep"],
            corpus=Path(options["corpus"]) if options["corpus"] else None,
            log=lambda message: self.stderr.write(message),
        )
        output = Path(options["json"] or f"bench-{options['articles']}.json")
        output.write_text(json.dumps(figures, indent=2))
        self.stdout.write(benchmark.table(figures))
        self.stdout.write(f"\nFigures written to {output}")

    def run_phase(self, options):
        work = Path(options["work"])
        if options["phase"] == "ingest":
            benchmark.phase_ingest(Path(options["corpus"]), work / "ingest.json")
        else:
            benchmark.phase_engine(work, options["articles"], work / "engine.json", options["samples"])
