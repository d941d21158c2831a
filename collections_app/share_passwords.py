"""Passwords on share links: hashing, checking guesses (throttled), and the visitor's unlock.

A link's password is stored as a Django password hash. A visitor who gives the right
password gets an unlock in their session: a key per link whose value is derived from
the link's current password hash, so a changed (or removed and set again) password
invalidates every unlock at once. Revoking or expiring the link ends it for everyone
anyway. Wrong guesses are counted in the cache per link and client address, and past
MAX_ATTEMPTS in WINDOW_SECONDS further guesses are refused without being checked.

The cache is Django's default cache: with several server processes it must be a shared
one (Redis, Memcached, database) for the limit to hold across them.
"""

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac

from collections_app.models import ShareLink

MIN_LENGTH = 4
MAX_LENGTH = 128
MAX_ATTEMPTS = 10
WINDOW_SECONDS = 10 * 60

_SESSION_PREFIX = "share_unlock:"
_HMAC_SALT = "collections_app.share_passwords.unlock"


class TooManyAttempts(Exception):
    """Too many wrong guesses for this link from this client; try again later."""

    def __init__(self, retry_after: int = WINDOW_SECONDS):
        super().__init__("Too many wrong passwords. Try again in a few minutes.")
        self.retry_after = retry_after


def password_hash_for(password: str | None) -> str:
    """The hash to store for `password` ('' for no password). Checks the length rule."""
    if password is None or password == "":
        return ""
    if not isinstance(password, str) or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError({"password": [f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."]})
    if "\x00" in password:
        raise ValidationError({"password": ["Null characters are not allowed."]})
    return make_password(password)


def _attempts_key(share_link: ShareLink, client: str) -> str:
    return f"share_password_attempts:{share_link.pk}:{client}"


def password_check(*, share_link: ShareLink, password: str, client: str) -> bool:
    """Whether `password` opens the link. `client` identifies the guesser (an IP address).

    Raises TooManyAttempts once MAX_ATTEMPTS wrong guesses were made in the window; a
    right guess does not reset the count (it would let a guesser probe for free).
    """
    key = _attempts_key(share_link, client)
    if (cache.get(key) or 0) >= MAX_ATTEMPTS:
        raise TooManyAttempts()
    if share_link.password_hash and check_password(password or "", share_link.password_hash):
        return True
    # add() starts the window; incr() keeps its expiry (the window is fixed, not sliding).
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=WINDOW_SECONDS)
    return False


def _unlock_value(share_link: ShareLink) -> str:
    return salted_hmac(_HMAC_SALT, f"{share_link.pk}:{share_link.password_hash}").hexdigest()


def session_unlock(session, share_link: ShareLink) -> None:
    """Remember in the visitor's session that they gave this link's password."""
    session[f"{_SESSION_PREFIX}{share_link.pk}"] = _unlock_value(share_link)


def session_is_unlocked(session, share_link: ShareLink) -> bool:
    """Whether the visitor may see what the link shows: it has no password, or they gave it."""
    if not share_link.password_hash:
        return True
    stored = session.get(f"{_SESSION_PREFIX}{share_link.pk}")
    return isinstance(stored, str) and constant_time_compare(stored, _unlock_value(share_link))
