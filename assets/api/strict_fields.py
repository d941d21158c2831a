"""Fields for JSON-only bodies that take JSON's own types, as the schema states them.

DRF's CharField turns a number into text and its BooleanField reads 0, 1, "yes" and the
like; for a JSON body that means a request the schema calls invalid (`"title": 0`) is
quietly accepted. These refuse what the schema does not allow. (Multipart bodies, where
every value is text, keep DRF's fields.)
"""

import math
import re
from decimal import ROUND_DOWN, Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

FOUR_PLACES = Decimal("0.0001")


class JSONCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class JSONBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


COST_TEXT = r"\s*\+?(?:\d{1,8}(?:\.\d{0,4})?|\.\d{1,4})\s*"


@extend_schema_field({
    "anyOf": [
        {"type": "string", "pattern": f"^{COST_TEXT}$"},
        {"type": "number", "minimum": 0, "maximum": 100_000_000, "exclusiveMaximum": True,
         "description": "A JSON number is cut to 4 decimal places."},
    ]
})
class CostField(serializers.DecimalField):
    """A cost as the contract writes it, a decimal string (0 to 99999999.9999); a JSON number
    (as many modules send it) is taken too, cut to 4 decimal places."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=4, min_value=Decimal("0"), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int | float) and not isinstance(data, bool):
            if isinstance(data, float) and not math.isfinite(data) or data < 0:
                self.fail("invalid")
            whole_digits = self.max_digits - self.decimal_places
            if data >= 10**whole_digits:  # before cutting: 1e308 has more digits than Decimal keeps
                self.fail("max_whole_digits", max_whole_digits=whole_digits)
            data = str(Decimal(repr(data)).quantize(FOUR_PLACES, rounding=ROUND_DOWN))
        elif not isinstance(data, str) or not re.fullmatch(COST_TEXT, data):
            self.fail("invalid")
        return super().to_internal_value(data)
