"""Password guessing stops: 5 failures for one username, or 20 from one address, within
15 minutes lock that username or address out of every password form (the login page,
the admin's, `POST /api/v1/auth/token/`) for 15 minutes, even for the right password.

The check sits in the authentication backend, so every caller of `authenticate()` is
guarded. Counters live in the cache (`CACHE_URL`): share one (Redis) between processes.
"""

import hashlib
import time

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from config.client_address import client_address

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in 15 minutes."


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"login-guard:{kind}:{digest}"


def _subjects(username: str, address: str):
    return (
        ("user", (username or "").strip().lower(), settings.LOGIN_FAILURES_PER_USERNAME),
        ("addr", address, settings.LOGIN_FAILURES_PER_ADDRESS),
    )


def is_locked(*, username: str, address: str) -> bool:
    keys = [_key(f"lock-{kind}", value) for kind, value, _limit in _subjects(username, address)]
    return any(cache.get_many(keys).values())


def record_failure(*, username: str, address: str) -> None:
    """Count a failure; lock the username or address that reached its limit in the window."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    now = time.time()
    for kind, value, limit in _subjects(username, address):
        key = _key(kind, value)
        recent = [moment for moment in cache.get(key, []) if moment > now - window]
        recent.append(now)
        cache.set(key, recent[-limit:], window)
        if len(recent) >= limit:
            cache.set(_key(f"lock-{kind}", value), True, settings.LOGIN_LOCKOUT_SECONDS)


def record_success(*, username: str) -> None:
    cache.delete(_key("user", (username or "").strip().lower()))


def request_locked(request) -> bool:
    return bool(getattr(request, "login_locked", False))


class GuardedModelBackend(ModelBackend):
    """Django's model backend behind the lockout. A locked username or address is refused
    before the password is checked (`PermissionDenied` ends authenticate() there) and the
    request is marked, so that the view can answer 429."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        if username is None:
            username = kwargs.get(self._username_field(), "")
        address = client_address(request)
        if is_locked(username=username, address=address):
            request.login_locked = True
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username=username, address=address)
        else:
            record_success(username=username)
        return user

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


class GuardedAuthenticationForm(AuthenticationForm):
    """The login form, saying so when the lockout refused the attempt."""

    def get_invalid_login_error(self):
        if request_locked(self.request):
            return forms.ValidationError(LOCKED_MESSAGE, code="locked_out")
        return super().get_invalid_login_error()


class LockoutStatusMiddleware:
    """A login page refused because of a lockout answers 429 (its form says why)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request_locked(request) and response.status_code == 200:
            response.status_code = 429
            response.reason_phrase = "Too Many Requests"
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
