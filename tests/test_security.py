"""Login throttling, the editor group, security headers, admin history, private files."""

import os
import stat
import subprocess
import sys

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from archive.models import Article, Person
from archive.permissions import EDITOR_GROUP
from tests.conftest import ROOT

PASSWORD = "a long enough passphrase"


def login(client, password, username="editor"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused(db, django_user_model, settings):
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(attacker, "wrong guess").status_code == 200  # the form again, with an error
    assert login(attacker, "wrong guess").status_code == 429  # the last allowed failure locks

    refused = login(Client(), PASSWORD)  # a fresh client: the count is kept in the database

    assert refused.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert Client().get("/admin/").status_code == 302


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(db, django_user_model, settings):
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong guess")

    assert login(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_adds_and_corrects_articles_and_people_but_cannot_manage_users(editor, knowledge):
    assert editor.get("/admin/archive/article/add/").status_code == 200
    assert editor.get("/admin/archive/person/add/").status_code == 200
    assert editor.get("/admin/archive/organisation/").status_code == 200
    assert editor.get("/admin/archive/membership/add/").status_code == 200
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/user/add/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403


def test_password_validators_refuse_a_short_common_password(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password")
    validate_password("correct horse battery staple")


def test_pages_send_a_content_security_policy_without_unsafe_inline_and_refuse_framing(client, db):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_hold_no_inline_scripts_styles_or_event_handlers():
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", text):
            offenders.append(path.name)
    assert offenders == []


def test_admin_actions_are_logged(admin_client, ingest, write_file):
    rahman = Person.objects.create(name="Mish Rahman Duplicate", slug="mish-rahman-duplicate", needs_review=True)
    admin_client.post("/admin/archive/person/", {"action": "mark_reviewed", "_selected_action": [str(rahman.pk)]})
    assert LogEntry.objects.filter(object_id=str(rahman.pk), change_message="Marked as reviewed.").exists()

    kept = Person.objects.get(slug="mish-rahman")
    admin_client.post(
        "/admin/archive/person/",
        {
            "action": "merge_people",
            "_selected_action": [str(rahman.pk), str(kept.pk)],
            # Merging asks first; this is the editor's confirmation, keeping Mish Rahman.
            "confirm": "yes",
            "survivor": str(kept.pk),
        },
    )
    entries = LogEntry.objects.filter(object_id=str(kept.pk))
    assert any("mish-rahman-duplicate" in entry.get_change_message() for entry in entries)


def test_an_admin_edit_is_logged(admin_client, ingest):
    from tests.conftest import DEMO

    ingest(DEMO / "2025-05-02-runcorn-by-election.txt")
    article = Article.objects.get()
    admin_client.get(f"/admin/archive/article/{article.pk}/delete/")
    admin_client.post(f"/admin/archive/article/{article.pk}/delete/", {"post": "yes"})
    assert LogEntry.objects.filter(object_id=str(article.pk), action_flag=3).exists()


def test_the_data_directory_and_its_files_are_created_private(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data)}
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)  # the SQLite file in the data directory is one of them
    for command in (["migrate", "--noinput", "-v0"], ["rebuild_index", "--noinput", "-v0"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr

    def mode(path):
        return stat.S_IMODE(path.lstat().st_mode)

    assert mode(data) == 0o700
    files = [p for p in data.rglob("*") if p.is_file() and not p.is_symlink()]
    assert {p.name for p in files} >= {"archive.sqlite3", "secret_key"}
    assert any(p.suffix in (".toc", ".seg") or "MAIN" in p.name for p in files), "the index is there too"
    loose = {str(p.relative_to(data)): oct(mode(p)) for p in files if mode(p) & 0o077}
    assert loose == {}
    loose_dirs = [str(p) for p in data.rglob("*") if p.is_dir() and not p.is_symlink() and mode(p) & 0o077]
    assert loose_dirs == []


def test_a_looser_existing_data_directory_is_tightened(tmp_path):
    data = tmp_path / "old"
    data.mkdir(mode=0o755)
    (data / "archive.sqlite3").write_bytes(b"")
    (data / "archive.sqlite3").chmod(0o644)
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "archive.sqlite3").stat().st_mode) == 0o600
