"""The deployment files keep the shape docs/deployment.md describes.

No Docker engine is needed: docker-compose.yml is read as YAML, and checked by
the compose client too when one is installed.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
APP_SERVICES = ["web", "ws", "worker", "beat"]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def app_services(services):
    """web, worker, beat and any other service built from this repository."""
    names = set(APP_SERVICES) | {
        name for name, service in services.items() if "build" in service
    }
    return sorted(names)


def test_every_service_is_there(services):
    assert {"db", "redis", "web", "ws", "proxy", "worker", "beat", "mail"} <= set(
        services
    )


def test_app_services_share_one_image_and_one_environment(services):
    names = app_services(services)
    builds = {repr(services[name].get("build")) for name in names}
    images = {services[name].get("image") for name in names}
    assert builds == {repr(".")}, builds
    assert len(images) == 1, images
    environments = [services[name]["environment"] for name in names]
    assert all(env == environments[0] for env in environments)
    env = environments[0]
    assert env["DJANGO_SETTINGS_MODULE"] == "cop.settings.production"
    for required in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
    ):
        assert env.get(required), f"{required} must be set for production settings"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["EMAIL_URL"] == "smtp://mail:1025"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_database_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "use the long form, with conditions"
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


def test_every_app_service_waits_for_healthy_database_and_redis(services):
    for name in app_services(services):
        depends_on = services[name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", name


def test_migrations_run_once_before_the_app_starts(services):
    migrate = services.get("migrate")
    if migrate is None:
        assert "migrate" in " ".join(map(str, services["web"]["command"]))
        return
    assert "migrate" in migrate["command"]
    for name in APP_SERVICES:
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_core_services_have_healthchecks(services, name):
    healthcheck = services[name]["healthcheck"]
    assert not healthcheck.get("disable")
    assert healthcheck["test"]


def test_pages_run_on_wsgi_and_websockets_on_asgi(services):
    # The split our serving benchmark chose (docs/benchmarks.md).
    assert services["web"]["command"][:2] == ["gunicorn", "cop.wsgi:application"]
    assert services["ws"]["command"][:2] == ["uvicorn", "cop.asgi:application"]
    for name in ("web", "ws"):
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])


def test_proxy_sends_websockets_to_asgi_and_pages_to_wsgi(services):
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location /ws/" in conf
    assert "server ws:8000" in conf and "server web:8000" in conf
    assert "proxy_set_header Upgrade" in conf
    depends = services["proxy"]["depends_on"]
    assert (
        depends["web"]["condition"] == depends["ws"]["condition"] == "service_healthy"
    )


def test_workers_do_not_inherit_the_web_healthcheck(services):
    # The image's HEALTHCHECK asks the web server; worker and beat serve no HTTP.
    for name in ("worker", "beat"):
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} must override the image's web healthcheck"
        assert healthcheck.get("disable") or "/healthz" not in str(healthcheck)


def test_celery_commands(services):
    assert services["worker"]["command"][:4] == ["celery", "-A", "cop", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "cop", "beat"]


@pytest.mark.parametrize("setting", ["DJANGO_MEDIA_ROOT", "COP_PRIVATE_MEDIA_ROOT"])
def test_uploads_live_in_named_volumes(compose, services, setting):
    # Uploads and space documents outlive containers, and web and worker see
    # the same files.
    for name in ("web", "worker"):
        root = services[name]["environment"][setting]
        mounts = {
            volume.split(":")[1]: volume.split(":")[0]
            for volume in services[name]["volumes"]
        }
        assert root in mounts, name
        assert mounts[root] in compose["volumes"], name


def test_dockerfile_shape():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM node:20-slim AS assets" in dockerfile
    assert "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=cop.settings.production" in dockerfile
    assert "\nUSER cop\n" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert (
        'CMD ["uvicorn", "cop.asgi:application", "--host", "0.0.0.0", "--port", '
        '"8000", "--workers", "2", "--proxy-headers"]'
    ) in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "node_modules", "var", ".env"} <= ignored


def _compose_command():
    """`docker compose` (v2 plugin) if it works, else `docker-compose`, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_client_accepts_the_file():
    command = _compose_command()
    # Skips locally naming the missing client; fails in CI, which installs it.
    require_service("a compose client (`docker compose` or docker-compose)", command)
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
