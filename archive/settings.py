"""Settings for Cuttings.

Everything that differs between a laptop and a server comes from the environment
(django-environ): ARCHIVE_DATA_DIR, DATABASE_URL, SEARCH_URL, DEBUG, ALLOWED_HOSTS, HTTPS.
The secret key is SECRET_KEY from the environment, or a key generated once into the data
directory, so no secret is ever committed.
"""

import datetime
import os
import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# The data directory holds the database (sessions, password hashes), the secret key and
# the index: private to the account that runs the archive. Every file the archive writes
# is created 0600 (directories 0700), and an older, looser data directory is tightened.
os.umask(0o077)
DATA_DIR = Path(env.str("ARCHIVE_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)
for _private in DATA_DIR.glob("*.sqlite3*"):
    _private.chmod(0o600)


def _generated_secret_key(path: Path) -> str:
    """Read the key generated on first run, creating it (mode 0600) if absent."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _generated_secret_key(DATA_DIR / "secret_key")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Before haystack, so that our rebuild_index (built beside the live index) is the one run.
    "archive",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins in the database, so the limit holds across gunicorn workers.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many wrong passwords for one username, or from one address, logins for
# that username (from anywhere) or from that address are refused until the cool-off
# ends or `manage.py axes_reset` is run.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: every transaction takes SQLite's write lock when it begins, so it waits
    # (up to the timeout) for another writer instead of failing at once with "database is
    # locked" when a read inside it is followed by a write (a deferred transaction cannot
    # upgrade its lock, and SQLite then ignores the busy timeout). WAL lets readers go on
    # while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Search: our tuned Whoosh engine by default; any Haystack URL (e.g. elasticsearch://)
# through django-environ's search_url().
_search_url = env.str("SEARCH_URL", default="")
if _search_url and not _search_url.startswith("whoosh"):
    HAYSTACK_CONNECTIONS = {"default": env.search_url_config(_search_url)}
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "archive.search.backend.ArchiveWhooshEngine",
            "PATH": str(DATA_DIR / "index"),
            "BATCH_SIZE": 200,
            # Haystack's spelling runs on every search with few hits; ours runs on the
            # query the user typed, only when it is shown (archive/search/backend.py).
            "INCLUDE_SPELLING": False,
        }
    }
HAYSTACK_SIGNAL_PROCESSOR = "archive.search.signals.OnCommitSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Ingest limits: a file larger than this is rejected with a clear reason.
ARCHIVE_MAX_FILE_BYTES = env.int("ARCHIVE_MAX_FILE_BYTES", default=5 * 1024 * 1024)
# Processes that read and extract files during an ingest (this process saves them).
ARCHIVE_INGEST_WORKERS = env.int("ARCHIVE_INGEST_WORKERS", default=min(2, os.cpu_count() or 1))
# Each process writing the index sorts postings in up to this many MB (Whoosh's estimate;
# resident memory is about 0.8 of it) before spilling them to temporary files, which costs
# more than the sorting. Only a large batch (a rebuild's) comes near it.
ARCHIVE_INDEX_MEMORY_MB = env.int("ARCHIVE_INDEX_MEMORY_MB", default=1024)
# rebuild_index hands the documents to this many writing processes and commits every this
# many documents: by default as many as the processes' memory holds without spilling
# (about 5 documents a MB each on the benchmark corpus; 4 leaves room for longer ones).
ARCHIVE_REBUILD_PROCS = env.int("ARCHIVE_REBUILD_PROCS", default=min(2, os.cpu_count() or 1))
ARCHIVE_REBUILD_COMMIT_EVERY = env.int(
    "ARCHIVE_REBUILD_COMMIT_EVERY", default=4 * ARCHIVE_INDEX_MEMORY_MB * ARCHIVE_REBUILD_PROCS
)
# Seconds one search may spend matching before it stops and the page says its results are
# partial (archive/search/backend.py).
ARCHIVE_SEARCH_TIME_LIMIT = env.float("ARCHIVE_SEARCH_TIME_LIMIT", default=0.5)
# The admin's paste box takes a text up to that limit (percent-encoded it may be three
# times as long); a larger request is refused before it is read. Uploads stream to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * ARCHIVE_MAX_FILE_BYTES + 65536

# Behind HTTPS (HTTPS=on) the deployment checklist is satisfied in full; `make serve`
# runs on plain http://127.0.0.1 where secure cookies would break the admin login.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere: everything comes from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if HTTPS:
    # Behind the TLS proxy every request comes from the proxy: the client's address is
    # the one the proxy adds to X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
