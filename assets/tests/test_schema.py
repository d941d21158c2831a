"""The OpenAPI schema and the browsable docs, served without any CDN."""

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_is_an_openapi_document_with_the_assets_paths():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/assets/" in document["paths"]
    assert "/api/v1/assets/{id}/" in document["paths"]
    assert {"get", "post"} <= set(document["paths"]["/api/v1/assets/"])
    assert "/api/v1/auth/token/" in document["paths"]


def test_schema_as_yaml_by_default():
    response = APIClient().get("/api/v1/schema/")

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert "/api/v1/assets/" in document["paths"]


def test_schema_documents_the_list_parameters_and_token_auth():
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    names = {p["name"] for p in document["paths"]["/api/v1/assets/"]["get"]["parameters"]}
    assert {"q", "type", "status", "tags", "ordering", "page", "page_size", "in_trash"} <= names
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_docs_render_without_a_cdn():
    response = APIClient().get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html
    assert "unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html
