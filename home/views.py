"""/healthz: is each service this process depends on answering?

Only the database is essential: without it nothing renders, so the answer is
503 ("down") and a load balancer should stop sending traffic here. Redis
backs the cache, live updates and the task queue; while it is away pages
still render and posts still save (cop/cache.py, forums/live.py, the task
outbox in home/outbox.py), so the answer is 200 with status "degraded" and
the failing checks named. Taking web processes out of service because Redis
is down would turn a partial outage into a total one.
"""

import asyncio
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from cop import outbox

from .tasks import HEARTBEAT_KEY


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except Exception as exc:  # a health check reports every failure, whatever it is
        detail = f"{type(exc).__name__}: {exc}"[:300]
        status = "down"
    result = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache():
    backend = caches["default"]
    if hasattr(backend, "probe"):  # cop.cache.ResilientRedisCache hides failures
        backend.probe()
        return backend.__class__.__name__
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)
    return caches["default"].__class__.__name__


def _channel_layer():
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def round_trip():
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("message sent was not received")

    async def bounded():
        await asyncio.wait_for(round_trip(), timeout=2)

    async_to_sync(bounded)()
    return layer.__class__.__name__


CHECKS = {"database": _database, "cache": _cache, "channel_layer": _channel_layer}
ESSENTIAL = {"database"}


def _outbox():
    try:
        return outbox.backlog()
    except Exception as exc:  # the database check reports the cause
        return {"status": "unknown", "detail": type(exc).__name__}


def _celery():
    """When the worker last ran the beat heartbeat: reported, never fatal.

    Web pages and posting keep working while background work is queued, so a
    quiet worker makes the service degraded in the report but not down.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "detail": "eager (tasks run in the web process)"}
    try:
        last = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # the cache check reports the cause
        return {"status": "unknown", "detail": type(exc).__name__}
    if last is None:
        return {"status": "unknown", "detail": "no heartbeat from the worker yet"}
    age = round(time.time() - last)
    return {"status": "ok" if age < 180 else "stale", "last_heartbeat_seconds_ago": age}


@never_cache
def healthz(request):
    checks = {name: _timed(check) for name, check in CHECKS.items()}
    failing = sorted(name for name, check in checks.items() if check["status"] != "ok")
    down = bool(ESSENTIAL.intersection(failing))
    outbox = _outbox()
    if down:
        status = "down"
    elif failing or outbox.get("status") != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {
            "status": status,
            "degraded": failing,
            "checks": checks,
            "celery": _celery(),
            "outbox": outbox,
        },
        status=503 if down else 200,
    )


def robots_txt(request):
    # Also the "minimal Django view" the benchmark compares pages against.
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\nDisallow: /accounts/\n",
        content_type="text/plain",
    )
