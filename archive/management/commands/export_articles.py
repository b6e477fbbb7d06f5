import json

from django.core.management.base import CommandError

from archive.export import csv_lines, export_rows
from archive.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Write every article as JSON lines or CSV: file, title, source, author, date, url, people, parties, organisations, quotes."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, format, output, **options):
        if not output:
            write_export(self.stdout, format)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                write_export(handle, format)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc


def write_export(handle, format: str) -> None:
    if format == "jsonl":
        for row in export_rows():
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    handle.writelines(csv_lines(export_rows()))
