"""Settings for the whole project, read from environment variables.

Defaults are safe for production (debug off, secure cookies, HSTS, CSP). The only
zero-setup default is the embedded SQLite database; DATABASE_URL selects PostgreSQL.
See docs/configuration.md for every variable.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Literal

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

# Seals evaluation answers until their evaluation closes (evaluations/sealing.py,
# docs/evaluations.md). Never stored in the database, so that whoever reads the
# database alone cannot open them. Empty: derived from SECRET_KEY. The fallbacks
# still open what was sealed before a change of key.
EVALUATION_KEY = env("EVALUATION_KEY")
EVALUATION_KEY_FALLBACKS = env_list("EVALUATION_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Django's admin, for superusers signed in with two factors.
    "accounts.apps.EtikrumAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates, for the form renderer that uses our engine.
    "django.forms",
    "django_htmx",
    # Before django_tasks_db: its `db_worker` command is core's (core/worker.py).
    "core",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "accounts",
    "guidance",
    "audit",
    "organisations",
    "values",
    "guidelines",
    "acknowledgements",
    "dilemmas",
    "practice",
    "meetings",
    "provisioning",
    "reflections",
    "evaluations",
    "insights",
    "privacy",
    # Above every other app: the dashboard and the demo loader (docs/architecture.md).
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which is the first to read a posted body.
    "core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.OutOfRangeNumbersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.sessions.SessionLimitsMiddleware",
]

# Every form, ours and django-allauth's, draws with one pattern (core.forms).
FORM_RENDERER = "core.forms.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.organisation",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "core.templatetags.interface",
                "organisations.templatetags.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (dev server, task worker, browser tests) write to one file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASE_REPLICA_URL := env("DATABASE_REPLICA_URL"):
    # A streaming replica of the primary. The value base, guidelines and insights
    # pages read from it; every write, and every other page, uses the primary
    # (core.replica).
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must be a replica of DATABASE_URL, on the same "
            "kind of database."
        )
    # The test suite has one database: the alias reads it through a second
    # connection, and is never created, flushed or migrated on its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    # Last, so that it marks the view alone, after every other middleware.
    MIDDLEWARE = [*MIDDLEWARE, "core.replica.ReplicaMiddleware"]
# After a person writes, their reads go to the primary for this many seconds,
# so that they see what they saved whatever the replica's lag.
REPLICA_STICKY_SECONDS = int(env("DATABASE_REPLICA_STICKY_SECONDS", "10"))
# The apps whose read-only pages (GET and HEAD) read from the replica.
REPLICA_READ_APPS = {"values", "guidelines", "insights"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL := env("REDIS_URL"):
    # Shared by every web process: rate limits and caches hold across the fleet.
    # Django's Redis cache, made to survive Redis (core/cache.py): a call that
    # fails falls back to the database, and a Redis that does not answer holds
    # a request for REDIS_TIMEOUT seconds at most, once every few seconds.
    REDIS_TIMEOUT = float(env("REDIS_TIMEOUT", "0.5"))
    # Keys named after the database the entries are copies of. One Redis may
    # serve sites on other databases (the benchmark's two datasets, a staging
    # copy): the same person id, stamps and pages mean other rows there, and a
    # person kept by another site, with another password hash, failed the
    # session check here and signed the person out (docs/performance.md). The
    # processes of one site (web, worker, the owner role that migrates) reach
    # the same database name and so share the keys; CACHE_KEY_PREFIX names the
    # site instead where its processes know the database by different names.
    CACHE_KEY_PREFIX = (
        env("CACHE_KEY_PREFIX")
        or hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:12]
    )
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", CACHE_KEY_PREFIX):
        raise ImproperlyConfigured(
            f"CACHE_KEY_PREFIX is {CACHE_KEY_PREFIX!r}: use letters, digits, "
            "'.', '_' and '-' only."
        )
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions: "cached_db" keeps each session in the database and a copy in the
# shared cache, so most requests read it from Redis. Without REDIS_URL the
# default is "db": a copy in one process's memory would outlive a sign-out made
# through another process. "cache" keeps sessions in Redis alone (they are lost
# if Redis is emptied), and needs REDIS_URL unless debugging.
SESSION_ENGINES = {
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
}
SESSION_STORE = env("DJANGO_SESSION_STORE") or ("cached_db" if REDIS_URL else "db")
if SESSION_STORE not in SESSION_ENGINES:
    raise ImproperlyConfigured(
        f"DJANGO_SESSION_STORE is {SESSION_STORE!r}; choose one of "
        + ", ".join(SESSION_ENGINES)
        + "."
    )
if SESSION_STORE == "cache" and not REDIS_URL and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_SESSION_STORE=cache needs REDIS_URL: in each process's own memory, "
        "sessions would be lost at every restart and unknown to the other "
        "processes. Set REDIS_URL, or choose cached_db or db."
    )
SESSION_ENGINE = SESSION_ENGINES[SESSION_STORE]

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The task worker (core/worker.py): a task that fails is tried again after
# TASKS_RETRY_DELAY seconds, four times longer after each further failure, up
# to TASKS_MAX_ATTEMPTS attempts in all, then reported to DJANGO_ADMINS. A
# worker writes a heartbeat every quarter of TASKS_WORKER_TIMEOUT; a task left
# running by a worker silent for longer is taken up by another.
TASKS_MAX_ATTEMPTS = int(env("TASKS_MAX_ATTEMPTS", "5"))
TASKS_RETRY_DELAY = float(env("TASKS_RETRY_DELAY", "60"))
TASKS_WORKER_TIMEOUT = float(env("TASKS_WORKER_TIMEOUT", "60"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the signed-in person from the shared cache
    # (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
# Long passphrases rather than complex short ones (OWASP ASVS 5.0, 6.2): at least
# 12 characters, at most 128, and none of the 20,000 most common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.RepetitionValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail sign-in, no public sign-up (organisation admins add people).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-up through the identity provider is closed unless an organisation
# lets its claims decide membership (docs/onboarding.md).
SOCIALACCOUNT_ADAPTER = "provisioning.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# The sign-in address is proven before it counts: an invitation accepted, an
# identity provider's word, or a verification link. Changing it asks for the
# password again, and the new address replaces the old one only once verified.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 2
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Etikrum] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Etikrum")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# A municipality's identity provider vouches for the address; link it to the
# account an admin created for that address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {}
if OIDC_SERVER_URL := env("OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", "municipality"),
                "name": env("OIDC_NAME", "Municipal sign-in"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    "token_auth_method": env(
                        "OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"
                    ),
                },
            }
        ],
    }

# Languages: Swedish, Danish and English throughout.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None", False] | None = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

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
WHITENOISE_USE_FINDERS = DEBUG

# Security. Each can be relaxed by an environment variable, never silently.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# The absolute lifetime of a sign-in; the idle timeout is an organisation setting.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_AGE", str(8 * 3600)))
if SESSION_COOKIE_SECURE:
    # The __Host- prefix: the browser takes these cookies only over HTTPS, for
    # this host alone (no Domain attribute) and the whole site (Path=/).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
# Load balancers probe the web process directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole registered domain (the municipality's, usually)
    # and is hard to undo: its owner decides, through DJANGO_HSTS_PRELOAD.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sign-in rate limits count per client address. Behind a proxy every request
# comes from the proxy, so one person's typos would lock everyone out: the
# client's address is then read from X-Forwarded-For, but only on connections
# from these proxies (accounts.client_ip). Private and loopback networks by
# default when DJANGO_BEHIND_PROXY is set; name your proxies to be exact.
PRIVATE_NETWORKS = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
]
TRUSTED_PROXIES: list[str] = []
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", PRIVATE_NETWORKS)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# E-mail: printed to the console unless an SMTP host is configured.
if smtp_host := env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER") or None,
                "password": env("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Etikrum <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mails to the operators (DJANGO_ADMINS), such as a background task given up.
EMAIL_SUBJECT_PREFIX = "[Etikrum] "

ADMINS = env_list("DJANGO_ADMINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "core.logging.RedactSecretsFilter"},
        "error_class_only": {"()": "core.logging.ErrorClassOnlyFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Tokens in addresses never reach the logs (core/logging.py).
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # SQL, with its parameters, is never logged.
        "django.db.backends": {"level": "INFO"},
        # One handler for Django's loggers (its own default adds a second one).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The loggers that write request paths redact them on the record
        # itself, so that any handler added later gets no token either.
        "django.request": {
            "handlers": ["console"],
            "filters": ["redact_secrets"],
            "propagate": False,
        },
        "django.server": {
            "handlers": ["console"],
            "filters": ["redact_secrets"],
            "propagate": False,
        },
        "django.security.csrf": {"filters": ["redact_secrets"]},
        "django.security.SuspiciousOperation": {"filters": ["redact_secrets"]},
        # A failed background task is logged at each attempt, without the
        # error's message, which can name e-mail addresses (core/logging.py).
        "django.tasks": {"filters": ["error_class_only"]},
        "django_tasks_db": {"filters": ["error_class_only"]},
    },
}

# Product settings.
DEFAULT_RETENTION_DAYS = 3 * 365
DEFAULT_IDLE_MINUTES = 30
# Files above this are refused before they are stored; a view may set its own
# limit with core.uploads.upload_limit. Nothing is ever written to disk.
UPLOAD_DEFAULT_LIMIT = 2 * 1024 * 1024
# How often an open step page of a session asks whether the group has moved on
# (reflections:pulse). The browser tests ask every second, so a journey waits less
# for the next poll.
REFLECTION_POLL_SECONDS = 4
