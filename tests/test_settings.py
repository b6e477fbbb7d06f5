"""Deployment settings: secrets, DEBUG and Django's deployment checklist."""

import os
import stat
import subprocess
import sys

from tests.conftest import ROOT


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {**os.environ, "HTTPS": "on", "ARCHIVE_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "cuttings.example.org"}
    env.pop("DEBUG", None)
    # The browser tests' conftest allows Django's sync calls from Playwright's event loop
    # for this test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_generated_once_into_the_data_dir_and_private(tmp_path):
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    manage("check", env=env)
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) > 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    manage("check", env=env)
    assert key_file.read_text() == first, "the key stays the same across runs"


def test_debug_is_off_unless_asked_for(settings):
    from django.conf import settings as live

    assert live.DEBUG is False


def test_no_secret_key_file_is_tracked_by_git():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [name for name in tracked if name.endswith("secret_key") or name.startswith("var/")]
