"""Tests. Embedded services by default; DATABASE_URL / REDIS_URL point the same
suite at PostgreSQL and Redis (CI does)."""

import os

from .base import *  # noqa: F401,F403
from .base import CACHES, CHANNEL_LAYERS, DATABASES, STATIC_ROOT, STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Per run: tests/conftest.py empties it after each test.
MEDIA_ROOT = VAR_DIR / f"test-media-{os.getpid()}"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "private", "base_url": "/no-public-url/"},
    },
}
CELERY_TASK_ALWAYS_EAGER = True
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a live server's threads share the data;
    # one per test run, so that runs side by side do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

# Serve static files straight from the app folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Runs side by side (pytest-xdist workers, or two developers) share one Redis:
# keep their cache keys, channel groups and Celery queues apart, since each
# run has its own database and the same ids mean different things in each.
RUN_ID = os.environ.get("COP_TEST_RUN_ID") or (
    os.environ.get("PYTEST_XDIST_WORKER", "") + f"-{os.getpid()}"
)
CACHES["default"]["KEY_PREFIX"] = f"cop-test{RUN_ID}"
if "CONFIG" in CHANNEL_LAYERS["default"]:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"cop-test{RUN_ID}"
CELERY_TASK_DEFAULT_QUEUE = f"cop-test{RUN_ID}"
