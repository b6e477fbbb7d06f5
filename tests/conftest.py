"""Shared fixtures: a fresh search index per test, the knowledge base, ingest helpers.

Tests that need the real seed pages read them from ../shared/seeds and skip when that
folder is absent (CI has it beside the checkout; a bare clone may not).
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEEDS_GOLD = SHARED / "seeds-gold.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "demo"


@pytest.fixture(autouse=True)
def search_index(tmp_path, settings):
    """Every test gets its own empty Whoosh index."""
    path = str(tmp_path / "index")
    info = connections.connections_info["default"]
    old_path = info.get("PATH")
    info["PATH"] = path
    connections.reload("default")
    yield path
    info["PATH"] = old_path
    connections.reload("default")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (the home page caches under keys made of
    article counts and ids, which another test's rolled-back rows may repeat)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the knowledge base once into the test database (tests roll back on top)."""
    with django_db_blocker.unblock():
        call_command("load_knowledge", verbosity=0)


def _empties_the_database(item) -> bool:
    """A transactional test (live server included) ends by emptying every table."""
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the tables, load the knowledge base again,
    committed, so the tests after it roll back on top of it as the first ones do (loaded
    inside each of them instead, it was thrown away with every rollback)."""
    yield
    if nextitem is None or not _empties_the_database(item):
        return
    from pytest_django.plugin import blocking_manager_key

    from archive.models import Organisation

    with item.config.stash[blocking_manager_key].unblock():
        if not Organisation.objects.exists():
            call_command("load_knowledge", verbosity=0)


@pytest.fixture
def knowledge(db):
    """The curated knowledge base. Transactional tests empty the tables when they end
    (reloaded after them, above); loaded here too when a test finds none."""
    from archive.models import Organisation

    if not Organisation.objects.exists():
        call_command("load_knowledge", verbosity=0)


@pytest.fixture
def ingest(knowledge, django_capture_on_commit_callbacks):
    """ingest(*paths, **options) -> IngestReport, with after-commit indexing run."""
    from archive.ingest.pipeline import ingest_paths

    def run(*paths, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return ingest_paths([str(p) for p in paths], **options)

    return run


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS


@pytest.fixture
def write_file(tmp_path):
    """write_file(name, text or bytes) -> Path of a real file in a temporary folder."""

    def write(name, content):
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def prepared_data_dir(tmp_path_factory):
    """A data directory migrated and with the knowledge base loaded, made once for the
    tests that run real processes; each copies it (tests.processes.prepared_copy)."""
    from tests.processes import manage

    data = tmp_path_factory.mktemp("prepared") / "data"
    manage(data, "migrate", "--noinput", "-v0")
    manage(data, "load_knowledge", "-v0")
    return data


@pytest.fixture
def segmented_index(tmp_path):
    """A small Whoosh index of three segments, one document deleted: words of uneven
    frequency and length, a tag each, and a sortable number with ties."""
    import random

    from whoosh import fields as whoosh_fields
    from whoosh.filedb.filestore import FileStorage

    schema = whoosh_fields.Schema(
        key=whoosh_fields.ID(stored=True, unique=True),
        body=whoosh_fields.TEXT,
        tags=whoosh_fields.KEYWORD(commas=True, stored=True),
        when=whoosh_fields.NUMERIC(sortable=True),
    )
    folder = tmp_path / "segments"
    folder.mkdir()
    index = FileStorage(str(folder)).create_index(schema)
    chance = random.Random(7)
    words = ["rail", "budget", "council", "strike", "vote", "union", "tax", "school"]
    for segment in range(3):
        writer = index.writer()
        for number in range(segment * 60, segment * 60 + 60):
            body = " ".join(chance.choices(words, weights=[8, 6, 5, 3, 2, 2, 1, 1], k=chance.randint(3, 60)))
            tags = ",".join(sorted(set(chance.choices(["a", "b", "c", "d"], k=2))))
            writer.add_document(key=str(number), body=body, tags=tags, when=chance.randint(1, 12))
        writer.commit(merge=False)
    writer = index.writer()
    writer.delete_by_term("key", "61")
    writer.commit(merge=False)
    return index
