"""GET /healthz: are the database and the file storage reachable, and the broker (or
are tasks eager)? 503 when the database or the storage is down."""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

from assets.storage import on_disk

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


def _storage_state() -> str:
    try:
        default_storage.exists("healthz-probe")  # a request to the store (object storage: a HEAD)
        location = getattr(default_storage, "location", None)
        if location and on_disk():
            # Files on disk: the folder (or, before the first upload, its parent) must be writable.
            folder = Path(location)
            while not folder.exists() and folder != folder.parent:
                folder = folder.parent
            if not os.access(folder, os.W_OK):
                raise PermissionError(f"{folder} is not writable")
    except Exception:  # noqa: BLE001 - any failure means "down" here
        logger.exception("File storage unreachable")
        return "down"
    return "ok"


def healthz(request):
    body = {"database": "ok", "broker": _broker_state(), "storage": _storage_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001
        logger.exception("Database unreachable")
        body["database"] = "down"
    healthy = body["database"] == "ok" and body["storage"] == "ok"
    return JsonResponse(body, status=200 if healthy else 503)
