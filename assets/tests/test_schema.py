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


def _document():
    return APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_enums_have_stable_names():
    schemas = _document()["components"]["schemas"]

    enums = {name for name, schema in schemas.items() if "enum" in schema}
    assert {"AssetTypeEnum", "AssetStatusEnum", "JobKindEnum", "JobStatusEnum", "ShareKindEnum"} <= enums
    # drf-spectacular's fallback names carry a hash: `StatusA8fEnum`.
    assert all(name[:-len("Enum")].isalpha() for name in enums), enums
    assert not any(name.startswith(("Status", "Kind", "Type")) for name in enums), enums


def test_fields_that_can_be_null_say_so():
    schemas = _document()["components"]["schemas"]

    for schema, field in [
        ("Asset", "parent"), ("Asset", "thumbnail_url"), ("Asset", "file_url"), ("Asset", "text_content"),
        ("Asset", "external_id"), ("Asset", "deleted_at"), ("Collection", "cover_thumbnail_url"),
        ("Collection", "cover_asset"), ("AssetSummary", "thumbnail_url"), ("Job", "download_url"),
    ]:
        assert schemas[schema]["properties"][field].get("nullable") is True, (schema, field)


def test_every_operation_documents_its_errors_in_the_envelope():
    document = _document()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            if "{id}" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (method, path)
            for code in ("400", "401", "404", "413", "429"):
                if code in responses:
                    schema = responses[code]["content"]["application/json"]["schema"]
                    assert schema["$ref"] in ("#/components/schemas/FieldErrors", "#/components/schemas/ErrorDetail")


def test_clearing_the_favourite_is_documented_as_the_asset():
    responses = _document()["paths"]["/api/v1/assets/{id}/favorite/"]["delete"]["responses"]

    assert "204" not in responses
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Asset"


def test_query_dates_and_ids_have_formats():
    parameters = {p["name"]: p["schema"] for p in _document()["paths"]["/api/v1/assets/"]["get"]["parameters"]}

    assert {"type": "string", "format": "date"} in parameters["date"]["anyOf"]
    assert {"type": "string", "format": "date-time"} in parameters["created_after"]["anyOf"]
    assert {"type": "string", "format": "uuid"} in parameters["collection"]["anyOf"]
    assert parameters["page"]["minimum"] == 1
    assert parameters["page_size"]["maximum"] == 200


def test_bulk_bodies_take_ids_or_a_filter():
    schemas = _document()["components"]["schemas"]

    selection = schemas["BulkSelectionRequest"]
    assert [branch["required"] for branch in selection["oneOf"]] == [["ids"], ["filter"]]
    assert selection["properties"]["filter"]["additionalProperties"] is False
