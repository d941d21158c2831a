"""`POST /assets/bulk/register/`: many registrations in one request, each on its own.

Each item is exactly what `POST /assets/` takes as JSON, validated and registered (or
found by `external_id`) by the same serializer and service; a bad item is reported in its
place and does not stop the others. The answer lists one result per item, in order.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from assets import services
from assets.api.serializers import AssetCreateSerializer
from common.plain_values import plain_key
from config.api_errors import DomainError, django_validation_error_detail

MAX_REGISTRATIONS = 500


class BulkRegisterSerializer(serializers.Serializer):
    openapi_body_required = True

    assets = serializers.ListField(
        child=serializers.JSONField(allow_null=True), min_length=1, max_length=MAX_REGISTRATIONS,
        help_text=f"1 to {MAX_REGISTRATIONS} registrations, each a JSON body of POST /assets/ "
                  "(AssetCreateSerializer; no file).",
    )


class RegistrationResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[201, 200, 400], help_text="201 registered, 200 already registered (external_id), 400 invalid."
    )
    id = serializers.UUIDField(allow_null=True, help_text="The asset's id; null exactly when status is 400.")
    errors = serializers.DictField(help_text="What was wrong, by field; empty unless status is 400.")


class BulkRegisteredSerializer(serializers.Serializer):
    results = RegistrationResultSerializer(many=True, help_text="One per registration, in the order sent.")


def register_all(*, owner, source: str, items: list) -> list[dict]:
    """The results of a batch, in order: each item validated on its own, the valid ones
    registered together (services.assets_register)."""
    results: list = [None] * len(items)
    valid: list[tuple[int, dict]] = []
    # One serializer validates every item (building one per item costs more than the rest),
    # each distinct plain value of a field once.
    serializer = AssetCreateSerializer()
    for field in serializer.fields.values():
        _accept_plain_values_once(field)
        if isinstance(getattr(field, "child", None), serializers.Field):  # a list's items (tags)
            _accept_plain_values_once(field.child)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            results[index] = _invalid({"non_field_errors": ["Send each registration as a JSON object."]})
            continue
        try:
            valid.append((index, serializer.run_validation(item)))
        except serializers.ValidationError as exc:
            results[index] = _invalid(serializers.as_serializer_error(exc))
    try:
        registered = services.assets_register(owner=owner, source=source,
                                              registrations=[fields for _index, fields in valid])
    except DomainError as exc:
        registered = [exc] * len(valid)
    for (index, _fields), result in zip(valid, registered, strict=True):
        results[index] = _result(result)
    return results


def _accept_plain_values_once(field) -> None:
    """Make `field` (of a serializer that validates a batch's items) remember what it made
    of each plain value it accepted: a batch's variants repeat most of theirs (type,
    status, module, prompt, model, cost). A refused value is checked again each time, so
    each item gets its own errors."""
    accepted: dict = {}
    run_validation = field.run_validation

    def run_validation_once(data=serializers.empty):
        key = plain_key(data)  # a field's answer for a plain value never depends on the item
        if key is None:
            return run_validation(data)
        if key not in accepted:
            accepted[key] = run_validation(data)
        return accepted[key]

    field.run_validation = run_validation_once


def _result(result) -> dict:
    if isinstance(result, DjangoValidationError):
        return _invalid(django_validation_error_detail(result))
    if isinstance(result, DomainError):
        return _invalid(result.as_detail())
    return {"status": 201 if result.created else 200, "id": str(result.asset.pk), "errors": {}}


def _invalid(errors) -> dict:
    return {"status": 400, "id": None, "errors": dict(errors)}
