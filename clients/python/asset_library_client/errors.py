"""What can go wrong, one exception per kind of answer; all are AssetLibraryError."""

from typing import Optional


class AssetLibraryError(Exception):
    """An answer the client does not retry (or still got after its last retry).

    `status` is the HTTP status (None when no answer came), `detail` the API's message and
    `errors` its field errors: `{"title": ["Ensure this field has no more than 500 characters."]}`.
    """

    def __init__(self, message: str, *, status: Optional[int] = None, detail: str = "", errors: Optional[dict] = None,
                 response=None):
        super().__init__(message)
        self.status = status
        self.detail = detail
        self.errors = errors or {}
        self.response = response


class ValidationFailed(AssetLibraryError):
    """400: the request was refused; `errors` names the fields at fault."""


class AuthenticationFailed(AssetLibraryError):
    """401: no token, or not a valid one."""


class PermissionDenied(AssetLibraryError):
    """403: the asset is visible to you, but your role does not allow this."""


class NotFound(AssetLibraryError):
    """404: no such asset, or not yours."""


class PayloadTooLarge(AssetLibraryError):
    """413: the file or text is over the server's limit."""


class Throttled(AssetLibraryError):
    """429 after every retry; `retry_after` is the server's advice in seconds, if any."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(AssetLibraryError):
    """5xx after every retry."""


class ConnectionFailed(AssetLibraryError):
    """No answer (refused, reset, timed out) after every retry."""


BY_STATUS = {400: ValidationFailed, 401: AuthenticationFailed, 403: PermissionDenied, 404: NotFound,
             413: PayloadTooLarge, 429: Throttled}
