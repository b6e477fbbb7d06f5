"""A folder of bad files, built at run time (no binaries are committed): `ingest` stores
every good file, names every rejected one with its reason (output and --report), never
stops, keeps memory bounded, and leaves the index equal to the database. The same files
through the admin's add form give form errors, never a 500."""

import io
import json
import os
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from archive.ingest import pipeline
from archive.models import Article
from archive.search.consistency import check_index

ADD_URL = "/admin/archive/article/add/"
FIFTY_MB = 50 * 1024 * 1024


def story(topic: str) -> str:
    """A short news page of our own, different for each topic."""
    return (
        f"Council votes on {topic}\n\nBy Test Writer\n\n"
        f"Councillors in Kirklees voted on Tuesday on plans for {topic}, after a long debate in the chamber. "
        f"The Labour group said the {topic} plan would help families across the borough.\n\n"
        "Published 12 March 2025\n"
    )


GOOD = {
    "cp1252.txt": story("curly “quoted” café budgets").encode("cp1252"),
    "latin1.txt": story("Sinn Féin’s rivals".replace("’", "'")).encode("latin-1"),
    "bom.txt": story("bus lanes").encode("utf-8-sig"),
    "utf16.txt": story("school meals").encode("utf-16"),
    "utf16le-no-bom.txt": story("allotments").encode("utf-16-le"),
    "nuls.txt": story("street\x00 lighting\x00").encode("utf-8"),
    "surrogates.json": json.dumps({"title": "Lone surrogates", "text": story("bin \udcff collections")}).encode(),
    "scripts.html": (
        b"<!doctype html><html><head><title>Council votes on parks</title>"
        b"<script>document.write('INJECTED SCRIPT TEXT')</script></head><body><article>"
        b"<h1>Council votes on parks</h1><p>Councillors in Kirklees voted on Tuesday on plans for parks, after a "
        b"long debate in the chamber.</p><script>alert('INJECTED SCRIPT TEXT')</script><p>The Labour group said "
        b"the parks plan would help families across the borough.</p></article></body></html>"
    ),
    "dup-a.txt": story("twin libraries").encode(),
    "dup-b.txt": story("twin libraries").encode(),
    "zz-good-after-everything.txt": story("the last file").encode(),
}
REJECTED = {
    "empty.txt": "empty file",
    "photo.txt": "binary",
    "noise.txt": "binary",
    "malformed.json": "invalid JSON",
    "deep.json": "nested too deeply",
    "huge.txt": "too large",
    "self-loop.txt": "cannot be read",
    "unreadable.txt": "cannot be read",
    "zz-deleted.txt": "cannot be read",
}


@pytest.fixture
def bad_folder(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, data in GOOD.items():
        (folder / name).write_bytes(data)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 16)  # no signature, just not text
    (folder / "malformed.json").write_text('{"text": "unfinished')
    (folder / "deep.json").write_text("[" * 10_000 + "]" * 10_000)
    with (folder / "huge.txt").open("wb") as handle:  # 50 MB on paper, sparse on disk
        handle.write(story("a huge file").encode())
        handle.truncate(FIFTY_MB)
    (folder / "self-loop.txt").symlink_to(folder / "self-loop.txt")
    (folder / "loop").symlink_to(folder)  # a folder loop
    unreadable = folder / "unreadable.txt"
    unreadable.write_text(story("secret papers"))
    unreadable.chmod(0)
    (folder / "zz-deleted.txt").write_text(story("a vanishing file"))
    yield folder
    unreadable.chmod(0o644)


def as_root(folder) -> bool:
    return os.access(folder / "unreadable.txt", os.R_OK)


def test_ingest_of_a_folder_of_bad_files_stores_the_good_and_names_every_rejected_one(
    bad_folder, tmp_path, knowledge, monkeypatch, django_capture_on_commit_callbacks
):
    # A file vanishes while the run is under way: the first read deletes it.
    real_read = pipeline.read_path

    def read_and_delete(path, *args, **kwargs):
        (bad_folder / "zz-deleted.txt").unlink(missing_ok=True)
        return real_read(path, *args, **kwargs)

    report_path = tmp_path / "report.json"
    err = io.StringIO()
    # A dry run over the good files first fills the caches that load once per process
    # (name tables, trafilatura's stop lists), so the measured peak is the run's own.
    warm_up = tmp_path / "warm-up"
    warm_up.mkdir()
    for name, data in GOOD.items():
        (warm_up / name).write_bytes(data)
    call_command("ingest", str(warm_up), dry_run=True, stdout=io.StringIO(), stderr=io.StringIO())
    monkeypatch.setattr(pipeline, "read_path", read_and_delete)
    tracemalloc.start()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(bad_folder), report=str(report_path), stdout=io.StringIO(), stderr=err)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    expected_rejected = dict(REJECTED)
    if as_root(bad_folder):
        del expected_rejected["unreadable.txt"]  # root reads anything: it is a good file then
    report = json.loads(report_path.read_text())
    rejected = {os.path.basename(r["file"]): r["reason"] for r in report["rejected"]}
    assert set(rejected) == set(expected_rejected)
    for name, reason in expected_rejected.items():
        assert reason in rejected[name], (name, rejected[name])
        assert f"{name}: " in err.getvalue(), f"{name} is named in the output"
    stored = set(Article.objects.values_list("file_name", flat=True))
    good = set(GOOD) - {"dup-b.txt"} | ({"unreadable.txt"} if as_root(bad_folder) else set())
    assert stored == good
    assert [d["file"].rsplit("/", 1)[-1] for d in report["duplicate"]] == ["dup-b.txt"]
    assert list(Article.objects.get(file_name="dup-a.txt").other_names.values_list("name", flat=True)) == ["dup-b.txt"]
    assert peak < 20 * 1024 * 1024, f"peak traced memory {peak:,} bytes: the 50 MB file was read"
    assert check_index().ok


def test_bad_files_leave_clean_text_in_the_database(bad_folder, ingest):
    ingest(bad_folder)

    nuls = Article.objects.get(file_name="nuls.txt")
    assert "street lighting" in nuls.body and "\x00" not in nuls.raw + nuls.body
    assert "curly “quoted” café budgets" in Article.objects.get(file_name="cp1252.txt").body
    assert "Sinn Féin's rivals" in Article.objects.get(file_name="latin1.txt").body
    assert Article.objects.get(file_name="utf16le-no-bom.txt").title == "Council votes on allotments"
    assert not Article.objects.get(file_name="bom.txt").raw.startswith("\ufeff")
    surrogates = Article.objects.get(file_name="surrogates.json")
    assert not any("\ud800" <= ch <= "\udfff" for ch in surrogates.body + surrogates.title)
    html = Article.objects.get(file_name="scripts.html")
    assert "INJECTED SCRIPT TEXT" not in html.body
    assert "help families" in html.body


def test_nothing_in_a_bad_file_stops_the_run(bad_folder, ingest, monkeypatch):
    """An unexpected error while extracting one file rejects that file, names the error,
    and the files after it are still stored."""
    real_parse = pipeline.parse_document

    def parse(document, *args, **kwargs):
        if document.name == "bom.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(document, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_document", parse)
    report = ingest(bad_folder)

    [outcome] = [o for o in report.outcomes if os.path.basename(o.file) == "bom.txt"]
    assert outcome.status == "rejected" and "RecursionError" in outcome.reason
    assert Article.objects.filter(file_name="zz-good-after-everything.txt").exists()


# ----------------------------------------------------------------------------- the admin


@pytest.mark.parametrize(
    "name", sorted(set(REJECTED) - {"huge.txt", "self-loop.txt", "unreadable.txt", "zz-deleted.txt"})
)
def test_the_same_bad_files_uploaded_in_the_admin_are_form_errors(name, bad_folder, admin_client, knowledge):
    upload = SimpleUploadedFile(name, (bad_folder / name).read_bytes())

    response = admin_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 200
    # Django's own check refuses an empty upload first ("The submitted file is empty.").
    assert (REJECTED[name] if name != "empty.txt" else "file is empty") in response.content.decode()
    assert not Article.objects.exists()


def test_an_upload_over_the_size_limit_is_a_form_error_naming_the_limit(admin_client, knowledge, settings):
    settings.ARCHIVE_MAX_FILE_BYTES = 10_000
    upload = SimpleUploadedFile("big.txt", story("big uploads").encode() * 50)

    response = admin_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 200
    assert "The file is too large" in response.content.decode() and "10,000" in response.content.decode()
    assert not Article.objects.exists()


def test_a_paste_over_the_size_limit_is_a_form_error(admin_client, knowledge, settings):
    settings.ARCHIVE_MAX_FILE_BYTES = 10_000
    response = admin_client.post(ADD_URL, {"text": story("long pastes") * 50, "_save": "Save"})

    assert response.status_code == 200
    assert "The text is too large" in response.content.decode()
    assert not Article.objects.exists()


def test_a_paste_beyond_what_the_server_reads_is_a_message_not_a_500(admin_client, knowledge, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    response = admin_client.post(ADD_URL, {"text": "x" * 50_000, "_save": "Save"}, follow=True)

    assert response.status_code == 200
    assert "The pasted text is too large" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "name", ["nuls.txt", "cp1252.txt", "utf16.txt", "surrogates.json", "scripts.html", "utf16le-no-bom.txt"]
)
def test_good_but_awkward_files_uploaded_in_the_admin_are_stored(name, admin_client, knowledge):
    upload = SimpleUploadedFile(name, GOOD[name])

    response = admin_client.post(ADD_URL, {"text": "", "upload": upload, "_save": "Save"})

    assert response.status_code == 302
    assert Article.objects.get().file_name == name
