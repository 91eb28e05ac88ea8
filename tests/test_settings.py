"""Production settings refuse to start without their secrets and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "DJANGO_SECRET_KEY": "k" * 20
    + "-a-long-random-production-secret-for-tests-0123456789",
    "DJANGO_ALLOWED_HOSTS": "joinedup.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cop",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://127.0.0.1:25",
}


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    base["DJANGO_SETTINGS_MODULE"] = "cop.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    assert missing in result.stderr


def test_production_check_deploy_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=REQUIRED)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_uses_real_services_and_pooled_connections():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'],"
        "bool(s.DATABASES['default']['OPTIONS'].get('pool')),"
        "s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'],"
        "s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=REQUIRED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "0",
        "True",
        "channels_redis.core.RedisChannelLayer",
        "cop.cache.ResilientRedisCache",
        "False",
        "False",
        "True",
    ]


def test_embedded_default_needs_no_services():
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {*REQUIRED, "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'],"
        "s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cop.settings.dev"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.filebased.EmailBackend",
    ]
