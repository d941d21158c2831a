"""The OpenAPI schema is exact: schemathesis runs every check against the live API.

A bounded run (fixed seed, 25 examples an operation) over every operation of
`/api/v1/schema/`, as a user with a token and a small library: an image asset, a text
asset, a collection, a share link and a finished download job, whose ids stand in for the
path parameters so that the operations reach real objects (the deletes get objects of
their own). config/tests/schemathesis_hooks.py keeps valid requests within the rules
that depend on the server's state (see there). Exit 0 means no check failed: no 500, no
undocumented status code, content type, header or body, no valid request refused and no
invalid one accepted.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

# `schemathesis`: runs once per `make test` (not again in the SQLite pass that follows a PostgreSQL one).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.schemathesis]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # where the hooks module is importable from
SEED = 1
MAX_EXAMPLES = 25
RUN_TIMEOUT = 900  # seconds for the whole run; it takes a few minutes on 2 cores
REQUEST_TIMEOUT = 20  # seconds for one request
PASSWORD = "fuzz-pass-w0rd-123"  # noqa: S105 - a test user's


def seed_library(owner) -> dict:
    """Objects for the path parameters: {(path prefix, method or None): id}."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assets import jobs, services
    from assets.models import JobKind
    from collections_app import services as collection_services
    from conftest import make_image_bytes

    def image(name, color):
        upload = SimpleUploadedFile(name, make_image_bytes(color=color), content_type="image/png")
        return services.asset_create(
            owner=owner, source_module="image_studio", file=upload, title=name, tags=["sunset"],
            model="ideogram-v3-turbo", provider="ideogram", cost="0.0400",
        ).asset

    picture = image("lighthouse.png", (200, 40, 40))
    doomed_picture = image("doomed.png", (40, 200, 40))
    story = services.asset_create(
        owner=owner, source_module="story_writer", type="text", text_content="Once upon a time.",
        title="A story", parent=picture.pk,
    ).asset
    collection = collection_services.collection_create(owner=owner, name="Campaign")
    doomed_collection = collection_services.collection_create(owner=owner, name="Doomed")
    collection_services.collection_add_assets(
        collection=collection, assets=picture.__class__.objects.filter(pk__in=[picture.pk, story.pk])
    )
    share_link = collection_services.share_link_create_for_asset(owner=owner, asset=picture)
    job = jobs.job_create(owner=owner, kind=JobKind.DOWNLOAD, asset_ids=[picture.pk, story.pk])
    team = collection_services.team_create(creator=owner, name="Fuzz crew")
    doomed_team = collection_services.team_create(creator=owner, name="Doomed crew")
    return {
        ("teams", "DELETE"): doomed_team.pk,
        ("teams", None): team.pk,
        ("assets", "DELETE"): doomed_picture.pk,
        ("assets", None): picture.pk,
        ("collections", "DELETE"): doomed_collection.pk,
        ("collections", None): collection.pk,
        ("shares", None): share_link.pk,
        ("jobs", None): job.pk,
    }


# Valid requests that the API may still refuse (400) for rules of its data that no schema
# states and the hooks (schemathesis_hooks) do not arrange: what a registration may be
# given its type, file and status; an edit that breaks an asset's lifecycle; a selection
# with nothing left to zip or share once the run has trashed the library.
STATE_DEPENDENT_400 = {
    "assets_create", "assets_partial_update", "assets_bulk_download_create", "assets_bulk_share_create",
    "assets_share_create",
    # Who exists and what is taken: a grantee or member named by a username or team name that
    # no one has, a team name already used, the last admin made a member or leaving.
    "collections_grants_create", "teams_create", "teams_partial_update", "teams_members_create",
    "teams_members_destroy",
}
# Revoking a share link keeps it in the caller's list, marked revoked (the contract's
# `DELETE /shares/{id}/`), so reading it afterwards is not a deleted resource answering.
KEPT_AFTER_DELETE = {"shares_retrieve", "shares_destroy"}


def schemathesis_config(schema: dict, ids: dict) -> str:
    """A schemathesis.toml: each operation's `{id}` is an object of the library."""
    sections = []
    for path, operations in schema["paths"].items():
        prefix = path.removeprefix("/api/v1/").split("/", 1)[0]
        for method, operation in operations.items():
            operation_id = operation["operationId"]
            lines = []
            doomed = method == "delete" and path.count("/") == 5  # DELETE /api/v1/<things>/{id}/
            value = ids.get((prefix, "DELETE" if doomed else None)) if "{id}" in path else None
            if value is not None:
                lines.append(f'parameters = {{ "path.id" = "{value}" }}')
            if operation_id in STATE_DEPENDENT_400:
                lines.append('checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404"]')
            if operation_id in KEPT_AFTER_DELETE:
                lines.append("checks.use_after_free.enabled = false")
            if lines:
                sections.append(f'[[operations]]\ninclude-operation-id = "{operation_id}"\n' + "\n".join(lines) + "\n")
    return "\n".join(sections)


def test_schemathesis_finds_nothing(live_server, tmp_path):
    import json
    import urllib.request

    from rest_framework.authtoken.models import Token

    from assets.tests.factories import UserFactory

    user = UserFactory(username="fuzzer", password=PASSWORD)
    token = Token.objects.create(user=user)
    ids = seed_library(user)
    schema_url = f"{live_server.url}/api/v1/schema/?format=json"
    with urllib.request.urlopen(schema_url, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310 - our live server
        schema = json.load(response)
    config = tmp_path / "schemathesis.toml"
    config.write_text(schemathesis_config(schema, ids))

    command = [
        str(SCHEMATHESIS), "--config-file", str(config), "--no-color", "run", schema_url,
        "--checks", "all", "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES),
        "--header", f"Authorization: Token {token.key}",
        "--request-timeout", str(REQUEST_TIMEOUT), "--workers", "1",
        # NUL characters are refused (400) by the request guard everywhere, which its own
        # tests check; here they would only make valid strings invalid.
        "--generation-database", "none", "--generation-allow-x00", "false",
        "--report-dir", str(tmp_path / "report"),
    ]
    started = time.monotonic()
    try:
        result = subprocess.run(  # noqa: S603 - our own command line
            command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=tmp_path,
            env={
                **os.environ,
                "PYTHONPATH": str(PROJECT_ROOT),
                "SCHEMATHESIS_HOOKS": "config.tests.schemathesis_hooks",
                "SCHEMATHESIS_USERNAME": user.username,
                "SCHEMATHESIS_PASSWORD": PASSWORD,
            },
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"schemathesis did not finish within {RUN_TIMEOUT} s:\n{exc.stdout or ''}")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (
        f"schemathesis found problems (exit {result.returncode}, {elapsed:.0f} s):\n"
        f"{result.stdout}\n{result.stderr}"
    )
