"""Commands on a database that was never migrated stop with what to run, not a traceback;
`extract`, which saves nothing, works without one."""

import pytest

from archive.management.base import unapplied_migrations
from tests.conftest import DEMO
from tests.processes import manage

RUNCORN = DEMO / "2025-05-02-runcorn-by-election.txt"


@pytest.mark.parametrize(
    "command", [["ingest", str(RUNCORN)], ["load_knowledge"], ["rebuild_index", "--noinput"], ["check_index"]]
)
def test_a_command_on_a_database_never_migrated_says_to_migrate_without_a_traceback(tmp_path, command):
    result = manage(tmp_path, *command, check=False, timeout=120)

    assert result.returncode == 1
    assert "is not set up" in result.stderr and "python manage.py migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_reads_the_data_files_when_the_database_has_no_tables(tmp_path):
    result = manage(tmp_path, "extract", str(RUNCORN), timeout=120)

    assert "Reform wins Runcorn and Helsby" in result.stdout


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied():
    assert unapplied_migrations() == []
