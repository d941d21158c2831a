"""Password guessing stops, and no client-sent header walks around a throttle or lockout."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from assets.tests.factories import SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
PASSWORD = "pass-w0rd-123"  # noqa: S105 - the factories' test password


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def token_attempt(username, password, *, address="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def form_attempt(username, password, *, address="203.0.113.7", path=LOGIN_URL):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def test_five_failures_lock_a_username_out_of_the_token_endpoint_even_with_the_right_password():
    user = UserFactory()
    for _ in range(5):
        assert token_attempt(user.username, "wrong").status_code == 400
    locked = token_attempt(user.username, PASSWORD)
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed sign-in attempts. Try again in 15 minutes."}
    assert int(locked["Retry-After"]) == 15 * 60
    assert "token" not in locked.json()


def test_the_username_lock_holds_from_every_address_and_on_the_login_form():
    user = UserFactory()
    for index in range(5):
        token_attempt(user.username, "wrong", address=f"198.51.100.{index}")
    assert token_attempt(user.username, PASSWORD, address="192.0.2.200").status_code == 429
    page = form_attempt(user.username, PASSWORD, address="192.0.2.201")
    assert page.status_code == 429
    assert "Too many failed sign-in attempts" in page.content.decode()
    assert "_auth_user_id" not in page.wsgi_request.session


def test_four_failures_then_the_right_password_signs_in_and_starts_over():
    user = UserFactory()
    for _ in range(4):
        token_attempt(user.username, "wrong")
    assert token_attempt(user.username, PASSWORD).status_code == 200
    for _ in range(4):
        token_attempt(user.username, "wrong")
    assert token_attempt(user.username, PASSWORD).status_code == 200


def test_twenty_failures_from_one_address_lock_that_address_for_every_username():
    victims = UserFactory.create_batch(2)
    for index in range(20):
        assert token_attempt(f"guess-{index}", "wrong").status_code == 400
    assert token_attempt(victims[0].username, PASSWORD).status_code == 429
    assert form_attempt(victims[1].username, PASSWORD).status_code == 429
    # Another address is not locked.
    assert token_attempt(victims[0].username, PASSWORD, address="192.0.2.99").status_code == 200


def test_a_client_sent_forwarded_for_header_does_not_walk_around_the_lockout():
    for index in range(20):
        token_attempt(f"guess-{index}", "wrong", forwarded=f"10.9.{index}.1")
    user = UserFactory()
    assert token_attempt(user.username, PASSWORD, forwarded="10.200.0.1").status_code == 429


def test_the_login_form_locks_after_five_failures_with_a_clear_message():
    user = UserFactory()
    for _ in range(5):
        response = form_attempt(user.username, "wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    page = form_attempt(user.username, PASSWORD)
    assert page.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in page.content.decode()
    assert token_attempt(user.username, PASSWORD).status_code == 429


def test_the_admin_login_is_guarded_too():
    admin = SuperUserFactory()
    for _ in range(5):
        form_attempt(admin.username, "wrong", path="/admin/login/")
    page = form_attempt(admin.username, PASSWORD, path="/admin/login/")
    assert page.status_code == 429
    assert "Too many failed sign-in attempts" in page.content.decode()


def test_the_lock_ends_after_fifteen_minutes(settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    user = UserFactory()
    for _ in range(5):
        token_attempt(user.username, "wrong")
    assert token_attempt(user.username, PASSWORD).status_code == 429
    time.sleep(1.2)  # the lock's time passes (here one second)
    assert token_attempt(user.username, PASSWORD).status_code == 200


def test_the_token_throttle_keys_on_the_connection_not_the_header(monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "token": "3/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    statuses = [token_attempt(f"nobody-{i}", "x", forwarded=f"10.0.0.{i}").status_code for i in range(5)]
    assert statuses == [400, 400, 400, 429, 429]
    # Another connection has its own budget.
    assert token_attempt("nobody", "x", address="192.0.2.77").status_code == 400


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for index in range(20):
        token_attempt(f"guess-{index}", "wrong", address="10.0.0.5", forwarded="203.0.113.50")
    user = UserFactory()
    # The client behind the proxy is locked; another client through the same proxy is not.
    assert token_attempt(user.username, PASSWORD, address="10.0.0.5", forwarded="203.0.113.50").status_code == 429
    assert token_attempt(user.username, PASSWORD, address="10.0.0.5", forwarded="203.0.113.51").status_code == 200
    # A spoofed left-most hop changes nothing: the proxy appended the real address.
    spoofed = token_attempt(user.username, PASSWORD, address="10.0.0.5", forwarded="192.0.2.1, 203.0.113.50")
    assert spoofed.status_code == 429
