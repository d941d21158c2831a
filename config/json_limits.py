"""Limits on JSON input, so that no body can crash or stall the parser.

Python's JSON decoder recurses once per nesting level, so a body of tens of thousands of
`[` is a RecursionError (a 500) before any view sees it. The body is scanned first, in one
pass over its brackets, and refused when it is deeper than `MAX_BODY_DEPTH`; a body too
deep inside a top-level field (`metadata`) is refused naming that field. A body larger
than the text upload limit allows is a 413 without being read into memory whole.
"""

import codecs
import json
import re

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant

MAX_BODY_DEPTH = 32
# Per-field limits, counted from the field's own value (an object of scalars is depth 1).
FIELD_DEPTH_LIMITS = {"metadata": 20}
MAX_METADATA_BYTES = 64 * 1024

# A JSON string (escapes included) or one bracket. Strings are matched whole so that
# brackets inside them do not count.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def value_depth(value, *, limit: int) -> int:
    """Nesting depth of a parsed value (scalars 0, `{}` 1), counted without recursion.

    Stops as soon as `limit` is passed, so a hostile value costs no more than that.
    """
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def check_text_depth(text: str) -> None:
    """Refuse a JSON text nested deeper than allowed, before the decoder recurses into it."""
    depth = 0
    top_key = None  # the last string seen directly inside the top-level object
    top_is_object = None
    for match in _TOKENS.finditer(text):
        lexeme = match.group()
        if lexeme in "[{":
            depth += 1
            if top_is_object is None:
                top_is_object = lexeme == "{"
            field_limit = FIELD_DEPTH_LIMITS.get(top_key) if top_is_object and depth > 1 else None
            if field_limit is not None and depth - 1 > field_limit:
                raise ParseError({top_key: [f"Nested too deeply: at most {field_limit} levels."]})
            if depth > MAX_BODY_DEPTH:
                raise ParseError(f"JSON nested too deeply: at most {MAX_BODY_DEPTH} levels.")
        elif lexeme in "]}":
            depth -= 1
        elif depth == 1:
            top_key = lexeme[1:-1]


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size cap and a depth limit (see the module docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # room for a text at its limit, escaped
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge({"detail": f"The request body is larger than {limit // (1024 * 1024)} MB."})
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        check_text_depth(text)
        try:
            return json.loads(text, parse_constant=strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
