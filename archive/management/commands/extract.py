import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import as_export_row, current_gazetteer, parse_path
from archive.ingest.quotes import rejected_quotations
from archive.ingest.read import RejectedFile


class Command(BaseCommand):
    help = "Print what extraction finds in one file (title, source, author, date, entities, quotes, and why). Saves nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="")
        parser.add_argument("--explain", action="store_true", help="Also show the rule behind each field and entity.")

    def handle(self, *args, file, source, explain, **options):
        try:
            parsed_articles = parse_path(Path(file), current_gazetteer(), source_hint=source)
        except RejectedFile as exc:
            raise CommandError(f"{exc.path}: {exc.reason}") from exc
        for parsed in parsed_articles:
            row = as_export_row(parsed)
            if explain:
                row["why"] = {
                    **{k: v for k, v in parsed.explanation.items() if k != "lines"},
                    "entities": {
                        e.name: f"{e.rule} ({e.matched_text!r}, {e.count}x)"
                        for e in parsed.entities
                        if not e.boilerplate_only
                    },
                    "furniture only": [e.name for e in parsed.entities if e.boilerplate_only],
                    "quotes": [
                        {"text": q.text[:80], "speaker": q.speaker_name or "unattributed", "rule": q.rule, "cue": q.cue}
                        for q in parsed.quotes
                    ],
                    "not quotes": [{"text": text[:80], "why": why} for text, why in rejected_quotations(parsed.body)],
                    "removed lines": parsed.explanation["lines"],
                }
            self.stdout.write(json.dumps(row, ensure_ascii=False, indent=2))
