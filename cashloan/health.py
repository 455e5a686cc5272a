"""``GET /healthz`` for load balancers: is the database and the cache reachable?"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def _check(probe) -> str:
    try:
        probe()
    except Exception:  # any failure means "not ok"; details go to the log, not the reply
        logger.exception("health check failed")
        return "error"
    return "ok"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set("healthz", "1", timeout=5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not keep a value")


def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
