import json
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "channel_layer"}
    assert all(check["status"] == "ok" for check in data["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def broken():
    raise OperationalError("connection refused")


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch.dict("home.views.CHECKS", {"database": broken}):
        response = client.get("/healthz")
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "down"
    assert data["degraded"] == ["database"]
    assert data["checks"]["database"]["status"] == "down"
    assert "connection refused" in data["checks"]["database"]["detail"]


@pytest.mark.parametrize("service", ["cache", "channel_layer"])
def test_healthz_stays_up_but_names_what_is_degraded_without_redis(client, service):
    # Pages render and posts save without Redis: keep serving, say what is missing.
    with mock.patch.dict("home.views.CHECKS", {service: broken}):
        response = client.get("/healthz")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "degraded"
    assert data["degraded"] == [service]
    assert data["checks"][service]["status"] == "down"
    assert "connection refused" in data["checks"][service]["detail"]
    others = set(data["checks"]) - {service}
    assert all(data["checks"][name]["status"] == "ok" for name in others)


def test_healthz_reports_a_quiet_worker_without_failing(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    data = json.loads(client.get("/healthz").content)
    assert data["celery"]["status"] == "unknown"
    from home.tasks import heartbeat

    heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["celery"]["status"] == "ok"


def test_robots_txt_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.content.decode()
