from django.core.management.base import CommandError

from archive.backup import BackupError, backup
from archive.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = "Write a consistent copy of the database, the secret key and a manifest of article hashes into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A new or empty folder.")

    def handle(self, *args, directory, **options):
        try:
            result = backup(directory)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(f"Backed up {result.articles} article(s) ({result.engine}) into {result.directory}.")
