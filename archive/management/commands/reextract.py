from django.core.management.base import CommandError

from archive.ingest.pipeline import EXTRACTION_VERSION, reextract
from archive.management.base import DatabaseCommand
from archive.models import Article


class Command(DatabaseCommand):
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
                self.stdout.write(f"Article {change['article']}:")
                for name, value in change["fields"].items():
                    self.stdout.write(f"  {name}: {_describe(name, value)}")
        self.stdout.write(f"Re-extracted {total} article(s); {len(changes)} changed.")


def _describe(name, value) -> str:
    if isinstance(value, dict):
        return ", ".join([f"+{v}" for v in value["added"]] + [f"-{v}" for v in value["removed"]])
    if name == "body":
        return f"{len(value[0])} -> {len(value[1])} characters"
    return f"{value[0]!r} -> {value[1]!r}"
