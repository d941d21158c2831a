"""Requests that must never reach a view as they came: NUL characters and API paths
without their trailing slash; and the JSON answers for errors raised outside the API's
views (unknown paths, bodies over Django's limits, server errors).
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

API_PREFIX = "/api/"
# The last API route: any other path under /api/ (config.urls), so that an unknown path
# is a JSON 404 with DEBUG on too (Django's debug 404 page never sees it).
API_NOT_FOUND = "api-not-found"


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(status: int, detail: str, *, field: str | None = None) -> JsonResponse:
    body = {field: [detail]} if field else {"detail": detail}
    return JsonResponse(body, status=status)


class RequestGuardMiddleware:
    """NUL characters in the path are a 404 and in the query string a 400, before any
    view (or database) sees them. An API path without its trailing slash is served as
    the path with it, for every method: a client's `POST /api/v1/assets` is answered,
    not redirected (a redirect would turn it into a GET)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return self._not_found(request)
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                name = key.replace("\x00", "")
                return json_error(400, "NUL characters are not allowed.", field=name or "query")
        if is_api_request(request) and not request.path_info.endswith("/"):
            self._append_slash(request)
        return self.get_response(request)

    @staticmethod
    def _not_found(request):
        if is_api_request(request):
            return json_error(404, "Not found.")
        return defaults.page_not_found(request, Resolver404())

    def process_exception(self, request, exception):
        """Errors an API view raises outside DRF's own handling (the request body over
        Django's limits, while DRF reads it) answer JSON, with DEBUG on or off."""
        if not is_api_request(request):
            return None
        if isinstance(exception, SuspiciousOperation):
            return handler400(request, exception)
        if isinstance(exception, Http404):
            return handler404(request, exception)
        return None

    @staticmethod
    def _append_slash(request):
        if not _unrouted(request.path_info) or _unrouted(request.path_info + "/"):
            return
        request.path_info += "/"
        request.path += "/"


def _unrouted(path: str) -> bool:
    try:
        return resolve(path).url_name == API_NOT_FOUND
    except Resolver404:
        return True


@csrf_exempt  # nothing is done; every method gets the same 404
def api_not_found(request, *args, **kwargs):
    return json_error(404, "Not found.")


# Django's error handlers (wired in config.urls): JSON under /api/, the usual pages elsewhere.


def handler400(request, exception=None):
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(413, "The request body is too large.")
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return json_error(400, "The form has too many fields.")
    return json_error(400, "Bad request.")


def handler403(request, exception=None):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, "You do not have permission to perform this action.")


def handler404(request, exception=None):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return json_error(404, "Not found.")


def handler500(request):
    if not is_api_request(request):
        return defaults.server_error(request)
    return json_error(500, "Server error.")
