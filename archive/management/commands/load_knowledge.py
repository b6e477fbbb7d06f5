from pathlib import Path

from django.core.management.base import CommandError

from archive.knowledge.loader import DATA_DIR, KnowledgeError, load_knowledge, read_knowledge
from archive.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Load the knowledge base (organisations, people, aliases, memberships): additive and "
        "idempotent; rows editors made or changed in the admin are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="Folder with organisations.yaml and people/.")
        parser.add_argument("--dry-run", action="store_true", help="Read and validate the files; change nothing.")

    def handle(self, *args, data_dir, dry_run, verbosity, **options):
        try:
            knowledge = read_knowledge(Path(data_dir))
        except (KnowledgeError, OSError) as exc:
            raise CommandError(f"Knowledge base not loaded: {exc}") from exc
        if dry_run:
            if verbosity > 0:
                self.stdout.write(
                    f"Checked {len(knowledge.organisations)} organisations and {len(knowledge.people)} people."
                )
            return
        report = load_knowledge(knowledge)
        if verbosity > 0:
            self.stdout.write(f"Loaded {report.organisations} organisations and {report.people} people.")
            for line in report.lines():
                self.stdout.write(f"  {line}")
