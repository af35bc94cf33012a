"""Kyokan settings, read from the environment.

KYOKAN_ENV           "development" (default) or "production"
KYOKAN_SECRET_KEY    required in production; in development a key is generated once
                     into KYOKAN_DATA_DIR/secret_key (never in the repository)
KYOKAN_DATA_DIR      where the SQLite database, uploads and the dev key live (default ./var)
KYOKAN_ALLOWED_HOSTS comma-separated host names (production)
KYOKAN_CSRF_TRUSTED_ORIGINS comma-separated origins, e.g. https://kyokan.city.example.jp
KYOKAN_SSL_REDIRECT  "0" to leave HTTPS redirection to the reverse proxy (default "1")
KYOKAN_HSTS_SECONDS  Strict-Transport-Security max-age in production (default 31536000)
DATABASE_URL         e.g. postgres://user:pass@host:5432/kyokan (default: SQLite in the data dir)
KYOKAN_AUDIT_KEY     the key of the audit trail's HMAC chain: required in production (at
                     least 32 characters, not the secret key); kept outside the database
KYOKAN_TRUSTED_PROXIES comma-separated addresses of the reverse proxies whose
                     X-Forwarded-For is believed (default: none; the connecting address counts)
KYOKAN_CACHE_URL     a Redis server for rate-limit counters (e.g. redis://127.0.0.1:6379/1);
                     default: counters in Kyokan's database (shared by every worker process)
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("KYOKAN_DATA_DIR", BASE_DIR / "var")).resolve()

ENV = os.environ.get("KYOKAN_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured("KYOKAN_ENV must be 'development' or 'production'")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("KYOKAN_DEBUG", "1") == "1"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


MIN_SECRET_KEY_LENGTH = 50
MIN_AUDIT_KEY_LENGTH = 32


def _generated_key(name: str) -> str:
    """A development key generated once into the data dir (never in the repository)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _key(variable: str, file_name: str, min_length: int) -> str:
    key = os.environ.get(variable, "")
    if PRODUCTION:
        if not key:
            raise ImproperlyConfigured(f"{variable} must be set in production")
        if len(key) < min_length or len(set(key)) < 5:
            raise ImproperlyConfigured(
                f"{variable} is too weak: use at least {min_length} random characters "
                "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
            )
        return key
    return key or _generated_key(file_name)


SECRET_KEY = _key("KYOKAN_SECRET_KEY", "secret_key", MIN_SECRET_KEY_LENGTH)
# The audit chain is an HMAC under its own key: whoever can write the database but does not
# hold this key cannot recompute the chain after altering a row.
KYOKAN_AUDIT_KEY = _key("KYOKAN_AUDIT_KEY", "audit_key", MIN_AUDIT_KEY_LENGTH)
if KYOKAN_AUDIT_KEY == SECRET_KEY:
    raise ImproperlyConfigured("KYOKAN_AUDIT_KEY must differ from KYOKAN_SECRET_KEY")
ALLOWED_HOSTS = _env_list("KYOKAN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("KYOKAN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    # Before django_tasks_db: core's resilient `db_worker` replaces the library's command.
    "kyokan.apps.core",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "kyokan.apps.documents",
    "kyokan.apps.surveys",
    "kyokan.apps.analyses",
    "kyokan.apps.meetings",
    "kyokan.apps.portfolio",
    "kyokan.apps.deliberation",
    "kyokan.apps.procedures",
    "kyokan.apps.portal",
    "kyokan.apps.opendata",
    "kyokan.apps.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kyokan.apps.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kyokan.apps.core.middleware.AccessDeclaredMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files are served by WhiteNoise from STATIC_ROOT (after `kyokan collectstatic`).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "kyokan.config.urls"
WSGI_APPLICATION = "kyokan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyokan.apps.core.context_processors.shell",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'kyokan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so that concurrent writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("KYOKAN_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KYOKAN_TEST_DB_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # The city's directory when KYOKAN_LDAP_URL is set (core/directory.py), then local
    # passwords (administrators, cities without a directory).
    "kyokan.apps.core.directory.DirectoryBackend",
    "django.contrib.auth.backends.ModelBackend",
]
KYOKAN_LDAP_URL = os.environ.get("KYOKAN_LDAP_URL", "")
KYOKAN_LDAP_START_TLS = os.environ.get("KYOKAN_LDAP_START_TLS", "0") == "1"
KYOKAN_LDAP_BIND_DN = os.environ.get("KYOKAN_LDAP_BIND_DN", "")
KYOKAN_LDAP_BIND_PASSWORD = os.environ.get("KYOKAN_LDAP_BIND_PASSWORD", "")
KYOKAN_LDAP_USER_BASE = os.environ.get("KYOKAN_LDAP_USER_BASE", "")
KYOKAN_LDAP_USER_FILTER = os.environ.get("KYOKAN_LDAP_USER_FILTER", "(sAMAccountName={login})")
KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE = os.environ.get(
    "KYOKAN_LDAP_STAFF_NUMBER_ATTRIBUTE", "employeeID"
)
KYOKAN_LDAP_EMAIL_ATTRIBUTE = os.environ.get("KYOKAN_LDAP_EMAIL_ATTRIBUTE", "mail")
KYOKAN_LDAP_TIMEOUT = int(os.environ.get("KYOKAN_LDAP_TIMEOUT", "5"))
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kyokan.apps.core.passwords.LoginIdValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Behind a reverse proxy every request comes from the proxy: the client's address is read
# from X-Forwarded-For only when the connecting address is one of these (core.middleware).
KYOKAN_TRUSTED_PROXIES = _env_list("KYOKAN_TRUSTED_PROXIES")

# Rate-limit counters (core.ratelimit) are shared by every worker process: rows of
# Kyokan's database, incremented atomically, by default; or a Redis server named by
# KYOKAN_CACHE_URL (needs `pip install redis`), whose increments are atomic too.
if _cache_url := os.environ.get("KYOKAN_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
KYOKAN_RATELIMIT_BACKEND = "cache" if _cache_url else "database"

# Login throttling: 5 failures for one login ID from one client address lock that pair for
# 15 minutes (axes keeps them in the database, shared by all processes). The address is the
# client's as core.middleware resolved it (REMOTE_ADDR after a trusted proxy's header).
AXES_FAILURE_LIMIT = int(os.environ.get("KYOKAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kyokan.apps.core.clientip.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 9  # one working day
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from Kyokan itself (no inline script
# anywhere). Styles allow inline because the charts are inline SVG written by matplotlib,
# whose shapes carry style attributes; nothing a user types reaches a style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("KYOKAN_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("KYOKAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("KYOKAN_HSTS_PRELOAD", "0") == "1"
    # HSTS preload is a decision for the city's domain owner, not a default.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KYOKAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Sizes used by pages and imports.
KYOKAN_PAGE_SIZE = 25
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail (notifications, sent by the task worker). Development prints mails to the console;
# production uses SMTP: KYOKAN_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS or _SSL, _TIMEOUT.
EMAIL_BACKEND = os.environ.get(
    "KYOKAN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("KYOKAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KYOKAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KYOKAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KYOKAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KYOKAN_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("KYOKAN_FROM_EMAIL", "kyokan@localhost")
EMAIL_USE_SSL = os.environ.get("KYOKAN_EMAIL_SSL", "0") == "1"
# A server that does not answer is given up after this many seconds (the send is retried).
EMAIL_TIMEOUT = int(os.environ.get("KYOKAN_EMAIL_TIMEOUT", "20"))
# The site's address as people reach it: links in e-mails are made absolute with it.
KYOKAN_BASE_URL = os.environ.get("KYOKAN_BASE_URL", "http://127.0.0.1:8000")
# The domain part of calendar event ids (UID) in .ics files.
KYOKAN_ICS_DOMAIN = os.environ.get("KYOKAN_ICS_DOMAIN", "kyokan.invalid")
# Uploads: larger files are streamed to disk; papers have their own limit (20 MB).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work (django-tasks): the database backend, run by `kyokan db_worker` (started by
# `make run`; a service of its own in production). KYOKAN_TASKS_IMMEDIATE=1 runs tasks inline.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("KYOKAN_TASKS_IMMEDIATE") == "1"
        else "django_tasks_db.backend.DatabaseBackend"
    }
}

# --- api (issue 14): django-ninja's templates and bundled Swagger UI files (served by
# Kyokan itself: nothing is loaded from elsewhere); limits of the JSON API.
INSTALLED_APPS += ["ninja"]
NINJA_PAGINATION_MAX_LIMIT = 100
KYOKAN_API_RATE_LIMIT = int(os.environ.get("KYOKAN_API_RATE_LIMIT", "120"))  # per window
KYOKAN_API_RATE_WINDOW = int(os.environ.get("KYOKAN_API_RATE_WINDOW", "60"))  # seconds
KYOKAN_API_MAX_BODY = 64 * 1024  # bytes of a write's JSON body

# --- portal (issue 14): anonymous visitors of "/" land on the citizen portal (core's home
# redirects them there; signed-in people keep their dashboard).
KYOKAN_ANONYMOUS_HOME = "portal:home"
