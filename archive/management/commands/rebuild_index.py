"""Haystack's rebuild_index, built beside the live Whoosh index and swapped in at once.

Haystack's own command clears the index first, so for the whole rebuild (and for good,
if it is killed) search serves a part of the archive. Ours leaves the live index serving
until the new one is complete. Other engines get Haystack's command unchanged.
"""

import sys

from django.core.management.base import CommandError
from haystack.management.commands import rebuild_index

from archive.management.base import DatabaseCommandMixin
from archive.search.rebuild import RebuildError, live_path, rebuild_beside


class Command(DatabaseCommandMixin, rebuild_index.Command):
    help = "Rebuild the search index in a new directory and swap it in when complete (the old one serves meanwhile)."

    def handle(self, **options):
        if live_path() is None or (options["using"] and options["using"] != ["default"]):
            return super().handle(**options)
        verbosity = options["verbosity"]
        progress = None
        if verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="article", desc="Indexing")

            def progress(done, total):
                bar.total = total
                bar.n = done
                bar.refresh()

        try:
            result = rebuild_beside(progress)
        except RebuildError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity > 0:
            for path in result.removed:
                self.stdout.write(f"Removed {path}")
            self.stdout.write(
                f"Indexed {result.documents} articles into {result.path}, now the live index"
                + (f"; {result.replayed} edits made meanwhile indexed into it." if result.replayed else ".")
            )
