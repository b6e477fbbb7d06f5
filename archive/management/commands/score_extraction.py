import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import as_export_row, current_gazetteer, parse_path
from archive.ingest.read import RejectedFile, find_files
from archive.ingest.scoring import format_score, score


class Command(BaseCommand):
    help = "Score extraction on a folder of pages against its gold file: precision, recall and F1 per field."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder of pages (searched recursively).")
        parser.add_argument("--gold", help="Gold JSON (default: FOLDER/gold.json, else FOLDER/../<name>-gold.json).")
        parser.add_argument("--errors", action="store_true", help="List every miss and wrong answer.")

    def handle(self, *args, folder, gold, errors, **options):
        folder = Path(folder)
        gold_path = Path(gold) if gold else _default_gold(folder)
        try:
            gold_articles = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read the gold file {gold_path}: {exc}") from exc
        gazetteer = current_gazetteer()
        predictions = {}
        try:
            for path in find_files([folder]):
                if path.resolve() == gold_path.resolve():
                    continue
                try:
                    for parsed in parse_path(path, gazetteer):
                        predictions[parsed.file_name] = as_export_row(parsed)
                except RejectedFile as exc:
                    self.stderr.write(f"Skipped {exc.path}: {exc.reason}")
        except RejectedFile as exc:
            raise CommandError(f"{exc.path}: {exc.reason}") from exc
        result = score(gold_articles, predictions)
        self.stdout.write(f"{len(gold_articles)} pages in {gold_path}")
        self.stdout.write(format_score(result))
        if errors and result.errors:
            self.stdout.write("\n" + "\n".join(result.errors))


def _default_gold(folder: Path) -> Path:
    for candidate in (folder / "gold.json", folder.parent / "gold.json", folder.parent / f"{folder.name}-gold.json"):
        if candidate.exists():
            return candidate
    return folder / "gold.json"
