from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.corpus import write_corpus


class Command(BaseCommand):
    help = "Write a reproducible synthetic corpus of N articles into DIR (for the benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many articles.")
        parser.add_argument("directory", help="Where to write them (1,000 files per sub-folder).")
        parser.add_argument("--seed", type=int, default=13, help="The same seed writes the same files.")

    def handle(self, *args, count, directory, seed, **options):
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        try:
            paths = write_corpus(count, Path(directory), seed=seed)
        except OSError as exc:
            raise CommandError(f"Cannot write the corpus into {directory}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {len(paths)} articles under {directory}")
