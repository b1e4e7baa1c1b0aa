"""Django settings, derived entirely from the node options (khronika/options.py)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from khronika import options

NODE = options.load()
HOME: Path = NODE.home
BASE_DIR = Path(__file__).resolve().parent

# A node that was never initialised (a test run, `khronika check`) gets a key that lives as long as the
# process; `khronika serve` refuses to start without the key file, so real sessions never depend on it.
SECRET_KEY = options.secret_key(HOME) or secrets.token_urlsafe(50)
DEBUG = NODE.debug
ALLOWED_HOSTS = NODE.allowed_hosts
NODE_ID = NODE.node_id or "unset"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "khronika.core",
    "khronika.accounts",
    "khronika.directory",
    "khronika.api",
    "khronika.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khronika.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khronika.accounts.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "khronika.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "khronika.urls"
WSGI_APPLICATION = "khronika.wsgi.application"

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
                "khronika.core.context.node",
            ],
        },
    }
]


def _database() -> dict:
    if NODE.database_url:
        config = dict(dj_database_url.parse(NODE.database_url, conn_max_age=60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(NODE.sqlite_path),
        "OPTIONS": {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
            # two writers queue on the busy timeout instead of failing half-way with "database is locked".
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "directory:organisation_list"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = NODE.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = NODE.https
CSRF_COOKIE_SECURE = NODE.https
SECURE_HSTS_SECONDS = 31536000 if NODE.https else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = NODE.language
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks without exception messages, which may quote a protected value (core/logs.py).
    "formatters": {"plain": {"()": "khronika.core.logs.SafeFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # The node log in the home directory; only created once the home exists (after `khronika init`).
        **(
            {
                "node_log": {
                    "class": "logging.FileHandler",
                    "filename": str(HOME / "khronika.log"),
                    "formatter": "plain",
                    "delay": True,
                }
            }
            if HOME.is_dir()
            else {}
        ),
    },
    # Request logging is left at WARNING: request lines carry query strings, and queries may name people.
    "loggers": {
        "khronika": {
            "handlers": ["console", *(["node_log"] if HOME.is_dir() else [])],
            "level": NODE.log_level,
        },
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {
            "handlers": ["console", *(["node_log"] if HOME.is_dir() else [])],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
