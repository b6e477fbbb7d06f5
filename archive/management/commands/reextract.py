from django.core.management.base import BaseCommand, CommandError

from archive.ingest.pipeline import EXTRACTION_VERSION, reextract
from archive.models import Article


class Command(BaseCommand):
    help = "Run extraction again on stored raw text (after the extractor improves) and report what changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Article ids (default: those extracted by an older version)."
        )
        parser.add_argument("--all", action="store_true", help="Every article, whatever its extraction version.")

    def handle(self, *args, ids, all, verbosity, **options):
        if ids:
            articles = Article.objects.filter(pk__in=ids)
        elif all:
            articles = Article.objects.all()
        else:
            articles = Article.objects.filter(extraction_version__lt=EXTRACTION_VERSION)
        total = articles.count()
        if ids and total != len(set(ids)):
            raise CommandError(
                "Unknown article ids: "
                + ", ".join(map(str, sorted(set(ids) - set(articles.values_list("pk", flat=True)))))
            )
        changes = reextract(articles.order_by("pk"))
        for change in changes:
            if "error" in change:
                self.stderr.write(f"Article {change['article']}: {change['error']}")
            elif verbosity > 0:
                parts = [f"+{name}" for name in change["added"]] + [f"-{name}" for name in change["removed"]]
                parts += [f"{field} changed" for field in change["fields"]]
                self.stdout.write(f"Article {change['article']}: " + ", ".join(parts))
        self.stdout.write(f"Re-extracted {total} article(s); {len(changes)} changed.")
