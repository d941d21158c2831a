"""GET /healthz: is the database reachable, and the broker (or are tasks eager)?"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - any failure means "down" here
        logger.warning("Broker unreachable", exc_info=True)
        return "down"
    return "ok"


def healthz(request):
    body = {"database": "ok", "broker": _broker_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001
        logger.exception("Database unreachable")
        body["database"] = "down"
        return JsonResponse(body, status=503)
    return JsonResponse(body)
