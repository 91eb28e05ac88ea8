"""PostgreSQL goes away mid-run: a clear 503 meanwhile, recovery by itself after.

A uvicorn process reaches this run's PostgreSQL database through a TCP proxy
(tests/faults.py) with the production connection pool. Taking the proxy down
cuts every open connection and refuses new ones, which is what the server
sees when PostgreSQL restarts or fails over, without restarting the
PostgreSQL that other tests are using. Needs PostgreSQL (fails in CI without).
"""

import time

import httpx
import pytest
from django.db import connection

from tests.faults import TcpProxy
from tests.servers import server_env, server_group

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proxied_server(postgres, redis_url):
    from casestudies.services import ensure_index_pages
    from home.site_setup import ensure_site

    ensure_site()
    ensure_index_pages()
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)).up()
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
    env = server_env(
        redis_url=redis_url,
        run_id=f"-pgoutage-{time.time()}",
        db_url=url,
        DB_POOL="true",
        DB_POOL_MIN="2",
        DB_POOL_TIMEOUT="2",
    )
    try:
        with server_group(1, env=env) as (server,):
            yield proxy, f"http://127.0.0.1:{server.port}", server
    finally:
        proxy.down()


def get(base, path):
    return httpx.get(base + path, timeout=30)


def test_an_outage_answers_503_and_the_site_recovers_by_itself(proxied_server):
    proxy, base, server = proxied_server
    pages = ("/", "/case-studies/", "/lessons/")
    assert [get(base, path).status_code for path in pages] == [200, 200, 200]
    assert get(base, "/healthz").json()["status"] in {"ok", "degraded"}

    proxy.down()
    for path in pages:
        response = get(base, path)
        assert response.status_code == 503, (path, response.text[:300])
        assert "Sorry, the service is unavailable" in response.text
        assert response.headers["Retry-After"] == "30"
    health = get(base, "/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "down"
    assert health.json()["checks"]["database"]["status"] == "down"

    proxy.up()
    deadline = time.monotonic() + 30
    while get(base, "/").status_code != 200:
        assert time.monotonic() < deadline, "the site did not recover"
        time.sleep(0.5)
    # Recovered for good: no request trips over a connection from before.
    statuses = [get(base, path).status_code for path in (*pages, "/healthz") * 4]
    assert statuses == [200] * 16
