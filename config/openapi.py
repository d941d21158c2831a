"""The schema class of the API: every operation documents the errors it can answer.

Errors all come in one envelope (config.api_errors): a 400 (and a 413, which names the
field too big) holds field messages, `{"<field>": ["message", ...]}` (nested fields as
objects, e.g. `{"ids": {"3": ["Must be a valid UUID."]}}`) or `{"detail": "..."}`; every
other error is `{"detail": "..."}`. Rather than repeat them on each view, this class adds
them to every operation that can answer them:

- 400 to operations that take query parameters or a body;
- 401 and 429 to every operation (a bad token is refused everywhere; every view is
  throttled, the token view per client address);
- 403 to writes (a session request that fails its CSRF check; an action the caller's role
  in a shared collection does not allow);
- 404 to operations on one object (`{id}`: not found, or not the caller's);
- 413 to operations that take a body (over the body or upload limit).

A view's own description of one of these codes is kept; only the body's shape is added.
A request serializer may also state rules between its fields that a field-by-field
schema cannot (`ids` or `filter`, never both) as `openapi_constraints`, and that its body
must be sent at all as `openapi_body_required`.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent

JSON = "application/json"

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "An error that names no field.",
}

FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        'Bad input: `{"<field>": ["message", ...]}` (nested fields as objects, `non_field_errors` for the '
        'input as a whole) or `{"detail": "..."}`.'
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}

STANDARD_ERRORS = {
    "400": ("FieldErrors", "Bad input (each field at fault is named)."),
    "401": ("ErrorDetail", "Not authenticated: no credentials, or a bad token."),
    "403": ("ErrorDetail", "Not allowed: a session request without its CSRF token, or an action your role "
                           "in a shared collection does not allow."),
    "404": ("ErrorDetail", "Not found (another owner's object is a 404 too)."),
    "413": ("FieldErrors", "The body or the upload is over its size limit (the field is named)."),
    "429": ("ErrorDetail", "Throttled, or locked out after failed logins; try again later."),
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if "requestBody" in operation and getattr(self.get_request_serializer(), "openapi_body_required", False):
            operation["requestBody"]["required"] = True
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            name, description = STANDARD_ERRORS[code]
            response = responses.setdefault(code, {"description": description})
            if not response.get("content"):
                response["content"] = {JSON: {"schema": self._error_component(name).ref}}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def get_auth(self):
        """A view that anyone may call (the token view) needs no credentials: say so."""
        if not self.view.get_permissions():
            return [{}]
        return super().get_auth()

    def resolve_serializer(self, serializer, direction, bypass_extensions=False) -> ResolvedComponent:
        """A serializer's `openapi_constraints` (rules between its fields, e.g. `oneOf`) join its schema."""
        component = super().resolve_serializer(serializer, direction, bypass_extensions)
        constraints = getattr(serializer, "openapi_constraints", None)
        if constraints and direction == "request" and component.schema is not None:
            component.schema.update(constraints)
        return component

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        codes = ["401", "429"]
        if has_body or any(parameter["in"] == "query" for parameter in parameters):
            codes.append("400")
        if self.method in WRITE_METHODS:
            codes.append("403")
        if any(parameter["in"] == "path" for parameter in parameters):
            codes.append("404")
        if has_body:
            codes.append("413")
        # An error the view declares itself (a DELETE refused with a 400, say) uses the envelope too.
        codes += [code for code in operation.get("responses", {}) if code in STANDARD_ERRORS and code not in codes]
        return codes

    def _error_component(self, name) -> ResolvedComponent:
        schema = FIELD_ERRORS_SCHEMA if name == "FieldErrors" else DETAIL_SCHEMA
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component
