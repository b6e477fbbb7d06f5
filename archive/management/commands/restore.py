from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, restore


class Command(BaseCommand):
    help = "Bring a backup made by `backup` into the (empty) data directory and rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A folder written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true", help="Replace a database that already holds articles.")

    def handle(self, *args, directory, force, **options):
        try:
            result = restore(directory, force=force)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(f"Restored {result.articles} article(s) from {result.directory}; the index was rebuilt.")
