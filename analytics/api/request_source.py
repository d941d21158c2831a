"""Where an API request came from, for usage events."""

from analytics.models import UsageSource


def request_source(request) -> str:
    """Session requests come from the web UI (no `request.auth`); token requests are the API."""
    return UsageSource.UI if request.auth is None else UsageSource.API
