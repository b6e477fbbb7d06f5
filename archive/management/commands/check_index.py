from django.core.management.base import CommandError

from archive.management.base import DatabaseCommand
from archive.search.consistency import check_index, repair_index


class Command(DatabaseCommand):
    help = "Check that the search index holds exactly the database's articles; --repair mends it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Index what is missing, stale or queued; remove ghosts."
        )

    def handle(self, *args, repair, **options):
        check = check_index()
        for note in check.notes:
            self.stderr.write(note)
        self.stdout.write(
            f"{len(check.missing)} missing, {len(check.ghosts)} ghosts, {len(check.stale)} stale documents; "
            f"{len(check.queued)} articles queued for indexing."
        )
        if check.ok and not (repair and check.queued):
            self.stdout.write("The index matches the database.")
            return
        if not repair:
            raise CommandError("The index does not match the database. Run check_index --repair.")
        repair_index(check)
        after = check_index()
        if not after.ok:
            raise CommandError("Repair left differences; run rebuild_index.")
        self.stdout.write("Repaired: the index now matches the database.")
