"""Mustaqil settings, read from the environment (see README, "Configuration").

Development needs nothing set: DEBUG=1 gives a development secret key and an
SQLite file in the project folder. Production refuses to start without
SECRET_KEY and turns on every HTTPS protection `check --deploy` asks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_dotenv(path: Path) -> None:
    """KEY=VALUE lines of a local, uncommitted .env file; the real environment wins."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


# `make` writes DEBUG=1 there on a development machine, so `manage.py` works as it is.
load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks_db",
    # Ours, in the order of the chain: the core first, reports last.
    "common",
    "beneficiaries",
    "training",
    "enterprises",
    "payroll",
    "daycare",
    "wellbeing",
    "reports",
    # accounts last: its post_migrate hook grants the permissions every other app created.
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.AccessPolicyMiddleware",
    "common.middleware.UndeclaredDownloadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Form widgets render through Jinja2's compiled templates where Django ships them.
FORM_RENDERER = "accounts.form_renderer.JinjaFirstRenderer"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Bytes of the SQLite file read through memory mapping instead of read() calls: every
# request opens a new connection with an empty page cache, and the programme report reads
# a few hundred MB of index pages at 100,000 families. 0 turns it off.
SQLITE_MMAP_SIZE = int(os.environ.get("SQLITE_MMAP_SIZE", 1024**3))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE avoids "database is locked"
    # when two requests upgrade a read transaction to a write at the same moment.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={SQLITE_MMAP_SIZE};"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The programme report's aggregates over 100,000 families cost more to JIT-compile
    # (hundreds of ms) than they take to run.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with permissions and roles read in one query a request.
    "accounts.backends.OneQueryModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Days the read log (accounts.ReadLogEntry) keeps an entry; `manage.py purge_read_log`.
READ_LOG_DAYS = int(os.environ.get("READ_LOG_DAYS", "365"))

# Login throttling (accounts/throttle.py): five failures for one username lock it for
# fifteen minutes; failures for LOGIN_LOCK_USERNAMES distinct usernames lock the address they
# came from, and lock the password that failed for them (from any address).
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
LOGIN_LOCK_USERNAMES = int(os.environ.get("LOGIN_LOCK_USERNAMES", "10"))
# axes' own lock per address would let one mistyping colleague lock a whole social centre
# out (offices share one address); the address lock above counts usernames, not failures.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Tashkent"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Background work (django.tasks): tasks are rows in the same database, run by
# `manage.py db_worker` (django-tasks-db; README, "Background work"). TASKS_IMMEDIATE=1 runs
# each task at once inside the request instead (the tests do).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Hours a generated file (My files) is kept before `manage.py purge_generated_files`
# deletes it.
GENERATED_FILE_HOURS = int(os.environ.get("GENERATED_FILE_HOURS", "24"))
# A list export (?_export=csv|xlsx) of more rows than this is made by the worker and listed
# in My files (common/list_jobs.py); a shorter one is answered at once. 5,000 family rows
# take about a second as XLSX on this project's 2-core test machine.
EXPORT_ROWS_IN_REQUEST = int(os.environ.get("EXPORT_ROWS_IN_REQUEST", "5000"))
# A family import of more data rows than this runs as a job (beneficiaries/imports.py).
IMPORT_ROWS_IN_REQUEST = int(os.environ.get("IMPORT_ROWS_IN_REQUEST", "300"))
# Scheduled jobs (common/schedule.py): the worker runs each daily at this local time
# (TIME_ZONE). "nightly" keeps derived data current; "morning" mails the worklists.
SCHEDULED_JOBS = {
    "nightly": os.environ.get("NIGHTLY_AT", "02:10"),
    "morning": os.environ.get("MORNING_AT", "06:00"),
}

DJANGO_TABLES2_TEMPLATE = "tables/table.html"

# Security headers. Everything is served by the app itself: no CDN, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client's address for the login throttle: the one the proxy appended last.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"

# A session ends after one working day at the latest, and after SESSION_IDLE_TIMEOUT
# seconds without a request (accounts.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))

# E-mail: password reset is offered only where e-mail is configured (EMAIL_HOST), and in
# development, where messages are printed to the console instead of sent.
EMAIL_SERVER = os.environ.get("EMAIL_HOST", "")
MAILERS = {}
if EMAIL_SERVER:
    MAILERS["default"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_SERVER,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
elif DEBUG:
    MAILERS["default"] = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
else:
    # No e-mail here: the password reset pages are not offered, and nothing else sends any.
    SILENCED_SYSTEM_CHECKS.append("mail.W001")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mustaqil@localhost")
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_SERVER) or DEBUG
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# The caseworker's worklist (beneficiaries.worklist) lists what is overdue and what falls due
# within this many days; its daily e-mail digest (send_worklist_digest) links to SITE_URL.
WORKLIST_DUE_DAYS = int(os.environ.get("WORKLIST_DUE_DAYS", "14"))
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# `manage.py backup` (make backup): where dated backups go and how many are kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Demo users (seed_demo) may only be created in development or when asked explicitly.
DEMO_PASSWORD = "demo"
