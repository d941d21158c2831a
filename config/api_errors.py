"""One error envelope for the API.

Domain code raises `DomainError` subclasses or Django's `ValidationError`; this handler
turns both into DRF responses, so a view never builds an error body by hand.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A rule of the domain was broken. `field` names the input at fault, if any."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_detail(self):
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message}


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND


class Forbidden(DomainError):
    """The caller can see the object, and their role does not allow the action (403: the
    contract's one use of it; what the caller cannot see is a NotFound)."""

    status_code = status.HTTP_403_FORBIDDEN


class FileTooLarge(DomainError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class UploadTooLarge(exceptions.APIException):
    """Raised while an upload streams in, from inside the request parser."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The file is larger than the upload limit."
    default_code = "file_too_large"

    def __init__(self, detail=None):
        super().__init__({"file": [str(detail or self.default_detail)]})


def django_validation_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        detail = {}
        for field, errors in exc.message_dict.items():
            key = "non_field_errors" if field == "__all__" else field
            detail[key] = list(errors)
        return detail
    return {"non_field_errors": list(exc.messages)}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        api_exc = exceptions.APIException(exc.as_detail())
        api_exc.status_code = exc.status_code
        exc = api_exc
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_error_detail(exc))
    return drf_exception_handler(exc, context)
