"""Token and session authentication for the API, and the create_api_token command."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets.models import Asset
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LIST = "/api/v1/assets/"
PASSWORD = "pass-w0rd-123"  # noqa: S105 - the factories' test password


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_good_credentials_return_a_token_that_works(user):
    AssetFactory(owner=user)

    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    listing = token_client(response.json()["token"]).get(LIST)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1


def test_the_same_token_is_returned_twice(user):
    client = APIClient()
    first = client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")
    second = client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")

    assert first.json()["token"] == second.json()["token"]


@pytest.mark.parametrize(
    "body",
    [
        {"username": "user-that-does-not-exist", "password": PASSWORD},
        {"username": "REPLACE", "password": "wrong"},
        {"username": "REPLACE"},
        {},
    ],
)
def test_bad_credentials_are_400_without_a_token(user, body):
    body = {key: (user.username if value == "REPLACE" else value) for key, value in body.items()}

    response = APIClient().post(TOKEN_URL, body, format="json")

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_token_auth_creates_assets_for_its_user(user):
    token = Token.objects.create(user=user)

    response = token_client(token.key).post(
        LIST, {"type": "text", "source_module": "story_writer", "text_content": "hi"}, format="json"
    )

    assert response.status_code == 201
    assert Asset.objects.get().owner == user


def test_a_wrong_token_is_401():
    response = token_client("0" * 40).get(LIST)

    assert response.status_code == 401


def test_no_credentials_is_401_with_a_challenge():
    response = APIClient().get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_create_api_token_prints_a_working_token(user):
    out = io.StringIO()

    call_command("create_api_token", user.username, stdout=out)

    key = out.getvalue().strip()
    assert key == Token.objects.get(user=user).key
    assert token_client(key).get(LIST).status_code == 200


def test_create_api_token_is_stable_and_rotates_on_request(user):
    first, second, rotated = io.StringIO(), io.StringIO(), io.StringIO()

    call_command("create_api_token", user.username, stdout=first)
    call_command("create_api_token", user.username, stdout=second)
    call_command("create_api_token", user.username, "--rotate", stdout=rotated)

    assert first.getvalue() == second.getvalue()
    assert rotated.getvalue() != first.getvalue()
    assert token_client(first.getvalue().strip()).get(LIST).status_code == 401
    assert token_client(rotated.getvalue().strip()).get(LIST).status_code == 200


def test_create_api_token_for_an_unknown_user_is_a_command_error(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=io.StringIO())
    assert not Token.objects.exists()


# --- session auth and CSRF ---------------------------------------------------------------------


@pytest.fixture
def session_client(user):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_session_reads_need_no_csrf_token(session_client):
    assert session_client.get(LIST).status_code == 200


def test_session_writes_without_csrf_token_are_403(session_client, user):
    asset = AssetFactory(owner=user, title="Kept")
    payload = {"type": "text", "source_module": "story_writer", "text_content": "hi"}

    assert session_client.post(LIST, payload, format="json").status_code == 403
    assert session_client.patch(f"{LIST}{asset.pk}/", {"title": "x"}, format="json").status_code == 403
    assert session_client.delete(f"{LIST}{asset.pk}/").status_code == 403
    assert Asset.objects.count() == 1
    asset.refresh_from_db()
    assert (asset.title, asset.deleted_at) == ("Kept", None)


def test_session_writes_with_csrf_token_succeed(session_client):
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    session_client.cookies["csrftoken"] = secret
    payload = {"type": "text", "source_module": "story_writer", "text_content": "hi"}

    response = session_client.post(LIST, payload, format="json", HTTP_X_CSRFTOKEN=secret)

    assert response.status_code == 201


def test_token_requests_are_not_subject_to_csrf(user):
    token = Token.objects.create(user=user)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(LIST, {"type": "text", "source_module": "story_writer", "text_content": "x"},
                           format="json")

    assert response.status_code == 201
