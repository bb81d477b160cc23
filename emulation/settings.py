"""Settings for the emulation-bloc management system.

One module for every environment: production differs only by its environment
variables. With nothing set the app runs in DEBUG on an embedded SQLite file
under var/; DATABASE_URL points it at PostgreSQL.
"""

import re
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# pyHanko imports cryptography's DSA key type, which cryptography deprecates;
# documents are signed with RSA or ECDSA, so operators need not read it at
# every command.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set the SECRET_KEY environment "
            "variable to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "emulation",
    "blocs",
    "awards",
    "emulation.apps.EmulationAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "emulation.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "emulation.middleware.OTPMiddleware",
    "emulation.middleware.SecondFactorMiddleware",
    "emulation.middleware.LanguageMiddleware",
    "emulation.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emulation.urls"
WSGI_APPLICATION = "emulation.wsgi.application"

# Two engines, one per template: the busiest pages are Jinja2 templates under
# jinja2/ (rendering them in the Django template language cost about half of
# their time); every other page stays in templates/. Jinja2 is asked first, so
# a page moved to jinja2/ is found there; a template extends and includes only
# templates of its own engine.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "emulation.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "emulation.context_processors.bell",
                "emulation.context_processors.csrf",
                "emulation.jinja2.page_locale",
            ],
        },
    },
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
                "csp.context_processors.nonce",
                "emulation.context_processors.bell",
            ],
        },
    },
]

# Database: an SQLite file under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people writing at once (heads voting at the same moment): every
    # transaction takes the write lock when it begins (a deferred one that
    # reads first fails at once with "database is locked" when it tries to
    # write), waits up to SQLITE_BUSY_TIMEOUT seconds for it, and readers do
    # not wait for writers (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault(
        "timeout", env.int("SQLITE_BUSY_TIMEOUT", default=20)
    )
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The reads every request makes (emulation.prepared) become prepared
    # statements on their connection once run this many times, so PostgreSQL
    # plans them once instead of on every request: planning a read that
    # joins eight tables costs it more than the rest of the request. Every
    # other query is bound on the client and never prepared. 0 turns it off
    # (for a pooler in transaction mode that does not keep prepared statements).
    _prepare_threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", _prepare_threshold if _prepare_threshold > 0 else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's Redis cache, keeping one client per connection pool (emulation.cache).
    CACHES["default"]["BACKEND"] = "emulation.cache.RedisCache"

AUTH_USER_MODEL = "emulation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the user with their agency, province and unread count.
    "emulation.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "emulation.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Two-factor sign-in (django-otp): council staff and administrators must pass
# an authenticator code (or a one-time recovery code) after the password.
# Always on; the test suite alone turns it off for forced logins.
TWO_FACTOR_REQUIRED = True
# Wrong codes a signed-in password may be followed by before the code step
# is refused for AXES_COOLOFF_MINUTES (the password's own throttle is axes').
TWO_FACTOR_FAILURE_LIMIT = 5
OTP_TOTP_ISSUER = "Khối thi đua"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a user name from one address after
# repeated failures (the same user name from another address is not locked);
# the lock lifts by itself, or the council lifts it. Behind reverse proxies,
# TRUSTED_PROXY_COUNT says how many: the client's address is then read from
# the entry they appended to X-Forwarded-For (emulation.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or more.")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "emulation.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "emulation.views.login_locked_out"
AXES_VERBOSE = False

# Internationalisation: Vietnamese by default, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# The language switcher's choice outlives the browser session (a signed-in
# user's choice is also kept with the account).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
CSRF_FAILURE_VIEW = "emulation.views.csrf_failure"
LOCALE_PATHS = [env.path("LOCALE_DIR", default=BASE_DIR / "locale")]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# In development and tests whitenoise serves straight from static/; production
# serves what `collectstatic` gathered into STATIC_ROOT.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (evidence, scans) and issued documents: never served from a public
# URL, only through views that check permission. A shared disk (MEDIA_ROOT) or,
# for several app hosts, an S3-compatible store (S3_BUCKET, needs the "s3" extra).
if env.str("S3_BUCKET", default=""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "access_key": env.str("S3_ACCESS_KEY", default=None),
            "secret_key": env.str("S3_SECRET_KEY", default=None),
            "region_name": env.str("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=VAR_DIR / "media")},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# The address of the site, for the links in notification e-mails (sent by the
# background worker, which has no request to read it from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="thidua@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions live in the database, so that any app server can serve any request;
# with a shared cache (CACHE_URL, e.g. Redis) they are also read through it,
# which saves a query on every page. A per-process cache would serve stale
# sessions across processes, so it never fronts them.
_SHARED_CACHE = CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
# Figures kept in the cache until what they count changes (emulation.figures)
# only with a shared cache, which every process's changes reach.
SHARED_CACHE = _SHARED_CACHE
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline scripts or styles, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The API for other systems (/api/v1/): clients authenticate with their own
# token (never a session), each within its rate limit; the schema and the
# docs are served from here (the sidecar's Swagger UI, no CDN).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/minute")
if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must read like 600/minute (a number / second, minute, hour or day), "
        f"not {API_RATE_LIMIT!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.IsClient"],
    "DEFAULT_THROTTLE_CLASSES": ["api.authentication.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Emulation blocs API",
    "DESCRIPTION": (
        "Published results of a province's emulation blocs, for the national "
        "emulation-commendation database. Send `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "BlocKindEnum": "blocs.enums.BlocKind",
        "LineageKindEnum": "blocs.enums.LineageKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Background work (e-mail of notifications, the dossier): Django's task framework
# with its database backend; `python manage.py db_worker` runs what is queued.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Digital signature (ký số) of issued PDFs (PAdES), as the issuing organisation:
# a PKCS#12 file and its passphrase, or a PKCS#11 module (USB token or HSM) with
# the token's label, the key's label and the PIN. Neither set: PDFs are issued
# unsigned. SIGNING_TRUST_ROOTS: PEM or DER files of the certification
# authorities whose certificates the download page reports as trusted.
DOCUMENT_SIGNING = {
    "PKCS12_FILE": env.str("SIGNING_PKCS12_FILE", default=""),
    "PKCS12_PASSPHRASE": env.str("SIGNING_PKCS12_PASSPHRASE", default=""),
    "PKCS11_MODULE": env.str("SIGNING_PKCS11_MODULE", default=""),
    "PKCS11_TOKEN": env.str("SIGNING_PKCS11_TOKEN", default=""),
    "PKCS11_KEY": env.str("SIGNING_PKCS11_KEY", default=""),
    "PKCS11_PIN": env.str("SIGNING_PKCS11_PIN", default=""),
    "TRUST_ROOTS": env.list("SIGNING_TRUST_ROOTS", default=[]),
    "TIMESTAMP_URL": env.str("SIGNING_TIMESTAMP_URL", default=""),
}
if DOCUMENT_SIGNING["PKCS12_FILE"] and DOCUMENT_SIGNING["PKCS11_MODULE"]:
    raise ImproperlyConfigured("Set SIGNING_PKCS12_FILE or SIGNING_PKCS11_MODULE, not both.")
for _key, _what in (
    ("PKCS12_FILE", "SIGNING_PKCS12_FILE"),
    ("PKCS11_MODULE", "SIGNING_PKCS11_MODULE"),
):
    if DOCUMENT_SIGNING[_key] and not Path(DOCUMENT_SIGNING[_key]).is_file():
        raise ImproperlyConfigured(f"{_what} names no file: {DOCUMENT_SIGNING[_key]}")
for _root in DOCUMENT_SIGNING["TRUST_ROOTS"]:
    if not Path(_root).is_file():
        raise ImproperlyConfigured(f"SIGNING_TRUST_ROOTS names no file: {_root}")
if DOCUMENT_SIGNING["PKCS11_MODULE"] and not DOCUMENT_SIGNING["PKCS11_TOKEN"]:
    raise ImproperlyConfigured(
        "SIGNING_PKCS11_MODULE needs SIGNING_PKCS11_TOKEN (the token's label)."
    )
