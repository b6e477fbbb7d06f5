"""What the archive's own management commands share."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations on disk that the database has not had yet, as 'app.name'."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


class DatabaseCommandMixin:
    """For commands that read or write the archive's tables: a database that has not been
    migrated stops the command with what to run, not a traceback from its first query."""

    def execute(self, *args, **options):
        missing = unapplied_migrations()
        if missing:
            name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
            raise CommandError(
                f"The database {name} is not set up: {len(missing)} migration(s) not applied "
                f"(the first: {missing[0]}). Run `python manage.py migrate` (or `make setup`) first."
            )
        return super().execute(*args, **options)


class DatabaseCommand(DatabaseCommandMixin, BaseCommand):
    """A BaseCommand that needs a migrated database."""
