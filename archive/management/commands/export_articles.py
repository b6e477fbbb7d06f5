import csv
import json

from django.core.management.base import BaseCommand, CommandError

from archive.export import EXPORT_FIELDS, export_rows


class Command(BaseCommand):
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
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in export_rows():
        writer.writerow({key: _cell(value) for key, value in row.items()})


def _cell(value):
    """Lists become '; '-separated text in CSV; quotes become 'Speaker: text'."""
    if isinstance(value, list):
        return "; ".join(f"{v['speaker']}: {v['text']}" if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else value
