"""Settings shared by every environment.

Everything comes from the environment with a safe local default, so that
`make run` needs nothing set: SQLite in var/, an in-memory channel layer, eager
Celery, a local-memory cache and email written to var/mail/. Setting
DATABASE_URL / REDIS_URL / EMAIL_URL switches each concern to the real service.
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COP_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "mail").mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-local-only-key-never-used-in-production"
)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first, so our templates override allauth's and Wagtail's.
    "cop",
    "home",
    "people",
    "spaces",
    "forums",
    "casestudies",
    "notifications",
    "search",
    "audit",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Real time
    "daphne",
    "channels",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
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
    # NUL characters get a 400 before anything reads the session or queries
    # (the middleware above only wrap the response: the 400 page gets the CSP
    # and X-Frame-Options headers).
    "cop.middleware.RefuseNullCharactersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.RequireTwoFactorMiddleware",
    "people.middleware.LastActiveMiddleware",
    "cop.middleware.AdminAccessMiddleware",
    # The client address for audit entries written by services (audit/context.py).
    "audit.context.AuditContextMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cop.urls"
WSGI_APPLICATION = "cop.wsgi.application"
ASGI_APPLICATION = "cop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cop.context_processors.site",
                # The bell's unread count: one lazy query, none for visitors.
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------
# Under ASGI every request may run on a different thread; persistent
# connections (CONN_MAX_AGE>0) exhausted PostgreSQL at 16 concurrent requests
# (docs/architecture.md). psycopg's pool bounds the connections instead.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DB_POOL", True
    ):
        # JIT compiling the directory's and search's ranking queries cost
        # more than it saved (docs/people.md): off unless DB_JIT=true.
        if not env_bool("DB_JIT", False):
            DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            # How long a request waits for a connection before it gets the
            # 503 page (cop/views.py): short, so an outage answers quickly.
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "5")),
        }
        # A pooled connection that died with the server (a restart, a
        # failover) is replaced before use, not handed to a request: Django
        # gives the pool psycopg's check_connection.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "cop.sqlite3",
            "OPTIONS": {
                # WAL and a busy timeout let the ASGI server's worker threads
                # read while one writes, instead of failing with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, cache, Celery broker ------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py's asyncio pool defaults to 100 connections, which
                # failed 301 of 500 websocket clients in our fan-out test.
                "hosts": [{"address": REDIS_URL, "max_connections": 2000}],
                "prefix": "cop:asgi",
            },
        }
    }
    CACHES = {
        "default": {
            # Django's RedisCache, but an outage degrades it to "no cache"
            # instead of failing every page (cop/cache.py).
            "BACKEND": "cop.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cop",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the longest task, so an unacknowledged task is not redelivered
# while a worker is still running it (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60))
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "home.heartbeat", "schedule": 60.0},
    # Tasks that could not reach the broker when their change committed
    # (cop/outbox.py).
    "outbox-flush": {"task": "cop.outbox_flush", "schedule": 30.0},
    # Weekly digest: Monday 07:00 London time (CELERY_TIMEZONE). The dispatch
    # is idempotent (DigestLog), so a missed or doubled beat sends nothing twice.
    "notifications-digest": {
        "task": "notifications.tasks.digest_dispatch",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    # casestudies: daily review-by reminders to case study owners, 08:00
    # London. Idempotent (one ReviewReminder row per page and review date).
    "casestudies-review-reminders": {
        "task": "casestudies.send_review_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
}

# --- Email -------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    globals().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Joined Up <no-reply@joinedup.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "people.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Joined Up: "
# Members find each other by name and organisation anyway; a clear "already
# a member" message at sign-up helps more than it hides. Rate limits apply.
ACCOUNT_PREVENT_ENUMERATION = False
# allauth's limits, kept in the shared cache (Redis when REDIS_URL is set), so
# every server process counts the same attempts.
# Per address limits must allow for a whole office behind one government
# network's egress address signing in at 9am. allauth counts a sign-in
# against "login_failed" while it is being checked (rolled back on success),
# so concurrent sign-ins share that budget: the soak run's 12 people
# signing in at once from one address were refused at 10/m. Each account
# keeps its own tight limit (5 failures in 5 minutes).
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Reverse proxies in front of the app that append the client's address to
# X-Forwarded-For (1 behind docker-compose's nginx). Without it every
# request seems to come from the proxy, and one person's failed sign-ins
# would lock out everyone. 0 trusts only the socket's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Joined Up"
# Staff and members of these groups must have TOTP before using the site.
COP_TWO_FACTOR_GROUPS = ["Editors", "Moderators"]
COP_INVITATION_DAYS = 14

# --- People directory ----------------------------------------------------------
# Ask members to confirm their details after this many days (about six months).
COP_PROFILE_CONFIRM_DAYS = int(os.environ.get("COP_PROFILE_CONFIRM_DAYS", 182))
# Introduction requests one member may send per day, so experts are not flooded.
COP_INTRODUCTIONS_PER_DAY = int(os.environ.get("COP_INTRODUCTIONS_PER_DAY", 5))
# Profile photos: refused above this size; stored resized to a square-ish 400px.
COP_PROFILE_PHOTO_MAX_BYTES = int(
    os.environ.get("COP_PROFILE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
)
COP_PROFILE_PHOTO_SIZE = 400

# --- Spaces and documents ----------------------------------------------------
# Uploads are checked by extension AND by the bytes (see spaces/files.py).
COP_UPLOAD_MAX_BYTES = int(os.environ.get("COP_UPLOAD_MAX_BYTES", 25 * 1024 * 1024))
COP_UPLOAD_EXTENSIONS = [
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "md",
    "png", "jpg", "jpeg", "gif",
]  # fmt: skip
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Zip-based documents (DOCX, XLSX, ODT...) are refused when unpacking them
# would cost too much: too many parts, too many bytes in all, or a part
# packed so tightly it is likely a zip bomb. search/extract.py keeps to the
# same limits and also stops reading text after COP_EXTRACT_MAX_UNPACKED_BYTES
# (unpacked XML, or one decompressed PDF stream) or COP_EXTRACT_MAX_SECONDS.
COP_ARCHIVE_MAX_MEMBERS = int(os.environ.get("COP_ARCHIVE_MAX_MEMBERS", 5000))
COP_ARCHIVE_MAX_UNPACKED_BYTES = int(
    os.environ.get("COP_ARCHIVE_MAX_UNPACKED_BYTES", 512 * 1024 * 1024)
)
COP_ARCHIVE_MAX_RATIO = int(os.environ.get("COP_ARCHIVE_MAX_RATIO", 200))
COP_EXTRACT_MAX_UNPACKED_BYTES = int(
    os.environ.get("COP_EXTRACT_MAX_UNPACKED_BYTES", 32 * 1024 * 1024)
)
COP_EXTRACT_MAX_SECONDS = float(os.environ.get("COP_EXTRACT_MAX_SECONDS", 20))

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Joined Up"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Search (docs/search.md): Wagtail's database backend by default, which is
# PostgreSQL full-text search on PostgreSQL and SQLite FTS5 locally. Set
# COP_SEARCH_URL (comma-separated http(s) URLs) to use OpenSearch or
# Elasticsearch instead; COP_SEARCH_ENGINE names the client (opensearch3,
# opensearch2, elasticsearch9, elasticsearch8 or elasticsearch7).
COP_SEARCH_URL = os.environ.get("COP_SEARCH_URL", "")
if COP_SEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends."
            + os.environ.get("COP_SEARCH_ENGINE", "opensearch3"),
            "URLS": env_list("COP_SEARCH_URL"),
            "INDEX": os.environ.get("COP_SEARCH_INDEX", "joinedup"),
            "TIMEOUT": int(os.environ.get("COP_SEARCH_TIMEOUT", "5")),
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# Every image needs alt text (its description) before the admin saves it.
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.image_forms.ImageForm"

# --- i18n, static, media -------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "cop" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Space documents: outside MEDIA_URL, served only by access-checked views.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "private", "base_url": "/no-public-url/"},
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts and styles from our own origin
# only, no inline script or style anywhere on our pages (tests check the
# templates). Websockets are same-origin ('self' covers ws:/wss: in CSP 3).
# Wagtail's admin still uses inline script, so it is excluded and keeps its own
# protections (signed-in editors only, two-factor, X-Frame-Options).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}

# --- Forums (forums/) -------------------------------------------------------
# Posting limit per member, counted in the shared cache so every server
# process (HTTP and websocket) counts the same posts: "<count>/<s|m|h|d>".
COP_POST_RATE = os.environ.get("COP_POST_RATE", "10/m")
# "Ask this person": new question threads one member may start per day.
COP_ASK_PER_DAY = int(os.environ.get("COP_ASK_PER_DAY", "5"))
# Posts per page on a thread, threads per page on lists.
COP_POSTS_PER_PAGE = 25
COP_THREADS_PER_PAGE = 20
# --- end forums ---------------------------------------------------------------

# --- Notifications and digests (notifications/) -----------------------------
# Absolute links in emails (unsubscribe, "view in browser", items).
COP_SITE_URL = os.environ.get("COP_SITE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# A digest with fewer personal items than this is skipped (editors' picks,
# which everyone gets, do not count).
COP_DIGEST_MIN_ITEMS = int(os.environ.get("COP_DIGEST_MIN_ITEMS", "2"))
# Members per digest_send_batch task, and items per digest section.
COP_DIGEST_BATCH_SIZE = int(os.environ.get("COP_DIGEST_BATCH_SIZE", "200"))
COP_DIGEST_SECTION_LIMIT = 5
# Digest tasks are killed after this many seconds: well under the broker's
# visibility timeout (2 hours, above), so acks_late never redelivers a batch
# that is still running.
COP_DIGEST_TASK_TIME_LIMIT = 30 * 60
# Unsubscribe links keep working this long (seconds); older ones are refused
# with a link to the preferences page.
COP_UNSUBSCRIBE_MAX_AGE = 365 * 24 * 60 * 60
# Optional mailto: address added to List-Unsubscribe.
COP_UNSUBSCRIBE_MAILTO = os.environ.get("COP_UNSUBSCRIBE_MAILTO", "")
# --- end notifications ---------------------------------------------------------
