"""The asset serializer's fast rendering is exactly what DRF's own field-by-field rendering gives."""

import json

import pytest
from django.core.files.base import ContentFile
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from assets.api.serializers import AssetSerializer
from assets.selectors import asset_get
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def as_json(data):
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("trait", ["image", "text", "video", "pending", "trashed"])
def test_fast_rendering_equals_drfs_own(trait):
    parent = AssetFactory()
    kwargs = {"image": {}, "text": {"text": True}, "video": {"video": True}, "pending": {"pending": True},
              "trashed": {"trashed": True}}[trait]
    asset = AssetFactory(owner=parent.owner, parent=parent, tags=["Sunset", "coast"], cost="1.25",
                         metadata={"seed": 7, "nested": {"a": [1, 2]}}, width=640, height=480, **kwargs)
    if trait == "image":
        asset.thumbnail.save("t.webp", ContentFile(b"RIFF....WEBP"), save=True)
    asset = asset_get(owner=asset.owner, asset_id=asset.pk)
    serializer = AssetSerializer(asset, context={"request": APIRequestFactory().get("/")})

    fast = as_json(serializer.to_representation(asset))
    drf = as_json(serializers.ModelSerializer.to_representation(serializer, asset))

    assert fast == drf
    assert list(fast) == AssetSerializer.Meta.fields
