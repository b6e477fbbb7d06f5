import json
import sys

from django.core.management.base import CommandError

from archive.ingest.pipeline import ingest_paths
from archive.ingest.read import RejectedFile, find_files
from archive.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Load raw article files (.txt, .html, .json, .jsonl) or folders of them into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders (recursed).")
        parser.add_argument("--source", default="", help="Publication name for every file, when the files do not say.")
        parser.add_argument("--dry-run", action="store_true", help="Read and extract, but save nothing.")
        parser.add_argument("--report", metavar="FILE.json", help="Write a JSON report of every file's outcome.")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Index nothing while saving, then rebuild the whole search index (fastest for a large load).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that extract files while this one saves them (default: ARCHIVE_INGEST_WORKERS "
            "for 16 files or more; 1 extracts everything in this process).",
        )

    def handle(self, *args, paths, source, dry_run, report, reindex, workers, verbosity, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more.")
        try:
            files = list(find_files(paths))
        except RejectedFile as exc:
            raise CommandError(f"{exc.path}: {exc.reason}") from exc
        if not files:
            raise CommandError("No .txt, .html, .json or .jsonl files found in " + ", ".join(paths))
        progress = None
        if verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            progress = tqdm(total=len(files), unit="file", desc="Ingesting")

        def on_file(outcome):
            write = progress.write if progress else self.stderr.write
            if outcome.status == "rejected":
                write(f"Skipped {outcome.file}: {outcome.reason}")
            for note in outcome.notes:
                write(f"Cut {outcome.file}: {note}")
            if outcome.status != "rejected" and verbosity > 1:
                self.stdout.write(f"{outcome.status}: {outcome.file}")
            if progress:
                progress.update(1)

        result = ingest_paths(
            paths, source=source, dry_run=dry_run, on_file=on_file, files=files, workers=workers, index=not reindex
        )
        if progress:
            progress.close()
        if report:
            try:
                with open(report, "w", encoding="utf-8") as handle:
                    json.dump(result.as_dict(), handle, indent=2, ensure_ascii=False)
            except OSError as exc:
                raise CommandError(f"Cannot write the report to {report}: {exc.strerror}") from exc
        if reindex and not dry_run:
            from django.core.management import call_command

            call_command("rebuild_index", interactive=False, verbosity=0)
        summary = result.as_dict()["summary"]
        if verbosity > 0:
            prefix = "Dry run, nothing saved: " if dry_run else ""
            self.stdout.write(prefix + ", ".join(f"{count} {status}" for status, count in summary.items()))
        if result.nothing_read:
            raise CommandError("No file could be read.")
