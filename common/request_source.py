"""Where a request came from: the web UI, the API (a module or script), a share link, or an
import from another product (manage.py import_alwrity)."""

from django.db import models


class RequestSource(models.TextChoices):
    UI = "ui", "Web UI"
    API = "api", "API"
    SHARE = "share", "Share link"
    IMPORT = "import", "Import"


def request_source(request) -> str:
    """Session requests come from the web UI (no `request.auth`); token requests are the API."""
    return RequestSource.UI if request.auth is None else RequestSource.API
