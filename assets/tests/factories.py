import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from assets.models import Asset, AssetStatus, AssetType


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-w0rd-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssetFactory(DjangoModelFactory):
    """A completed asset. Media types get a tiny stored file; pass file=None for none."""

    class Meta:
        model = Asset
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    type = AssetType.IMAGE
    status = AssetStatus.COMPLETED
    source_module = "image_studio"
    title = factory.Sequence(lambda n: f"Asset {n}")
    prompt = "a lighthouse at dusk"
    model = "ideogram-v3-turbo"
    provider = "ideogram"
    cost = "0.0400"
    mime_type = factory.LazyAttribute(lambda o: {"image": "image/png", "text": "text/plain"}.get(o.type, ""))
    text_content = factory.LazyAttribute(lambda o: "Once upon a time." if o.type == AssetType.TEXT else None)
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"\x89PNG fake", name="a.png") if o.type != AssetType.TEXT else ""
    )

    class Params:
        trashed = factory.Trait(deleted_at=factory.LazyFunction(timezone.now))
        pending = factory.Trait(status=AssetStatus.PENDING, file="", mime_type="")
        # A text asset: its text in the row, no file.
        text = factory.Trait(type=AssetType.TEXT)
        # A video with a tiny stored .mp4; pass file=ContentFile(...) for particular bytes.
        video = factory.Trait(
            type=AssetType.VIDEO,
            mime_type="video/mp4",
            file=factory.LazyFunction(lambda: ContentFile(b"\x00\x00\x00\x18ftypmp42", name="v.mp4")),
        )
        # Nothing a keyword search could match but what the test gives, and no file.
        bare = factory.Trait(title="", description="", prompt="", model="", file="")

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            from assets.tagging import set_manual_tags

            set_manual_tags(obj, list(extracted))


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True
