from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.loadtest import default_paths, run_load


class Command(BaseCommand):
    help = (
        "Send a fixed number of requests (search, hostile queries, entity pages) to a running server on "
        "this machine; report latency, errors and the workers' memory and file descriptors."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="The server, on a loopback address (http://127.0.0.1:8000).")
        parser.add_argument("--requests", type=int, default=600, help="How many requests in all (default 600).")
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--timeout", type=float, default=30.0, help="Seconds before a request counts as failed.")
        parser.add_argument("--pid", type=int, help="gunicorn's master process: its workers' RSS and fds are sampled.")
        parser.add_argument("--json", metavar="FILE", help="Also write the figures to this file.")

    def handle(self, *args, url, requests, concurrency, timeout, pid, json, **options):
        try:
            result = run_load(
                url, default_paths(), requests=requests, concurrency=concurrency, timeout=timeout, master_pid=pid
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
        if json:
            Path(json).write_text(result.as_json())
        if result.errors:
            raise CommandError(f"{len(result.errors)} requests failed.")
