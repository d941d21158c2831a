"""The README's examples work on the demo library that `make run` loads."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.django_db
def test_the_readme_search_example_finds_assets_in_the_demo_library(django_user_model):
    call_command("seed_demo", "--assets", "60", stdout=io.StringIO())
    searches = re.findall(r'"http://127\.0\.0\.1:8000(/api/v1/assets/\?q=[^"]+)"', README.read_text())
    assert searches, "the README shows a search"
    client = APIClient()
    client.force_authenticate(django_user_model.objects.get(username="demo"))
    for url in searches:
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] > 0, url


def test_the_readme_links_nothing_outside_the_repository():
    text = README.read_text()
    assert "../" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if not target.startswith(("http://", "https://")):
            assert (README.parent / target).exists(), target
