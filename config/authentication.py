"""API token authentication that takes `Authorization: Token <key>` and, as many clients
send it, `Authorization: Bearer <key>`: the same token either way."""

import re

from rest_framework import authentication, exceptions

# DRF's keys are 40 hex digits; anything else (a NUL, say) never reaches the database.
TOKEN_KEY = re.compile(r"[0-9a-fA-F]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) == 1:
            raise exceptions.AuthenticationFailed("Invalid token header. No credentials provided.")
        if len(parts) > 2:
            raise exceptions.AuthenticationFailed("Invalid token header. Token string should not contain spaces.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                "Invalid token header. Token string should not contain invalid characters."
            ) from exc
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return self.authenticate_credentials(key)
