from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.benchmark import run_benchmark


class Command(BaseCommand):
    help = "Print speed figures: ingest throughput and search latency against Haystack's stock Whoosh backend."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=300, help="How many synthetic articles to ingest.")
        parser.add_argument("--repeat", type=int, default=15, help="Runs per query (the median is shown).")

    def handle(self, *args, articles, repeat, **options):
        call_command("migrate", verbosity=0)
        call_command("load_knowledge", verbosity=0)
        figures = run_benchmark(articles, repeat)
        rate = figures.articles / figures.ingest_seconds
        self.stdout.write(f"ingest: {figures.articles} articles in {figures.ingest_seconds:.1f} s ({rate:.1f}/s)")
        self.stdout.write(f"peak memory: {figures.peak_rss_mb:.0f} MB")
        self.stdout.write(f"{'query':<26} {'ours ms':>8} {'stock ms':>9}")
        for query, (ours, stock) in figures.search_ms.items():
            self.stdout.write(f"{query:<26} {ours:>8.1f} {stock:>9.1f}")
