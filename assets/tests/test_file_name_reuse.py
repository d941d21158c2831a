"""A stored name that comes round again is never deleted by a stale deletion record."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assets import services
from assets.file_deletions import file_deletions_process
from assets.models import FileDeletion
from assets.tests.factories import AssetFactory
from conftest import make_image_bytes


def test_a_new_file_under_a_recorded_name_survives_the_cleanup(user):
    asset = AssetFactory(owner=user, file="", status="pending", type="image")
    # A deletion of this very name was recorded earlier and never carried out (a crash).
    services.asset_update(asset=asset, file=ContentFile(make_image_bytes(), name="a.png"), status="completed")
    name = asset.file.name
    FileDeletion.objects.create(name=name)
    default_storage.delete(name)

    services.asset_update(asset=asset, file=ContentFile(make_image_bytes(color=(1, 2, 3)), name="b.png"))

    assert asset.file.name == name  # the name came round again
    file_deletions_process()
    assert default_storage.exists(asset.file.name)
