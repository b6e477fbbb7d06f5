import statistics
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import current_gazetteer
from archive.ingest.read import RejectedFile
from archive.ingest.scoring import (
    format_quote_score,
    format_real_page_score,
    format_score,
    run_folder,
    score,
    score_quotes,
    score_real_pages,
)


class Command(BaseCommand):
    help = "Score extraction on a folder of pages against its gold file: precision, recall and F1 per field."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder of pages (searched recursively).")
        parser.add_argument("--gold", help="Gold JSON (default: FOLDER/gold.json, else FOLDER/../<name>-gold.json).")
        parser.add_argument("--errors", action="store_true", help="List every miss and wrong answer.")
        parser.add_argument(
            "--part",
            choices=["all", "held-out", "tuned"],
            default="all",
            help="Real pages only: the held-out pages (numbers divisible by 3), the others, or all.",
        )

    def handle(self, *args, folder, gold, errors, part, **options):
        folder = Path(folder)
        gold_path = Path(gold) if gold else _default_gold(folder)
        try:
            run = run_folder(folder, gold_path, current_gazetteer(), part)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read the gold file {gold_path}: {exc}") from exc
        except RejectedFile as exc:
            raise CommandError(f"{exc.path}: {exc.reason}") from exc
        for skipped in run.skipped:
            self.stderr.write(f"Skipped {skipped}")
        result = score(run.gold, run.predictions)
        real = score_real_pages(run.gold, run.predictions, run.texts)
        self.stdout.write(f"{len(run.gold)} pages in {gold_path} ({part})")
        self.stdout.write(format_score(result))
        self.stdout.write("\n" + format_real_page_score(real))
        quotes = score_quotes(run.gold, run.predictions)
        if quotes.gold:
            self.stdout.write(format_quote_score(quotes))
        if run.milliseconds:
            self.stdout.write(f"extraction median {statistics.median(run.milliseconds):.1f} ms per page")
        if errors and (real.errors or quotes.errors):
            self.stdout.write("\n" + "\n".join(real.errors + quotes.errors))


def _default_gold(folder: Path) -> Path:
    for candidate in (folder / "gold.json", folder.parent / "gold.json", folder.parent / f"{folder.name}-gold.json"):
        if candidate.exists():
            return candidate
    return folder / "gold.json"
