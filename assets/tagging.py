"""Tag names: validation, and manual versus automatic links.

Tags match case-insensitively (TAGGIT_CASE_INSENSITIVE). A link made by the system is
marked `auto`; a person's edit never loses a tag silently, and automatic tagging never
replaces a tag a person chose.
"""

from django.core.exceptions import ValidationError
from taggit.models import Tag

from assets.models import TaggedAsset

MAX_TAG_LENGTH = 100
MAX_TAGS_PER_ASSET = 50


def normalise_tag_names(names, *, field="tags") -> list[str]:
    """Trimmed, de-duplicated (ignoring case) names; a ValidationError on `field` otherwise."""
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise ValidationError({field: ["Send a list of tag names."]})
    result, seen = [], set()
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            raise ValidationError({field: ["Tag names cannot be empty."]})
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError({field: [f"Tag names can be at most {MAX_TAG_LENGTH} characters."]})
        if name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    if len(result) > MAX_TAGS_PER_ASSET:
        raise ValidationError({field: [f"An asset can have at most {MAX_TAGS_PER_ASSET} tags."]})
    return result


def tags_for_names(names) -> list[Tag]:
    """The Tag rows for `names`, created where missing, matched without regard to case."""
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
        if tag is None:
            tag = Tag(name=name)
            tag.save()
        tags.append(tag)
    return tags


def set_manual_tags(asset, names) -> None:
    """Make the asset's tags exactly `names`. Links already present keep their auto flag."""
    names = normalise_tag_names(names)
    current = {link.tag.name.lower(): link for link in asset.tagged_items.select_related("tag")}
    wanted = {name.lower(): name for name in names}
    stale = [link.pk for key, link in current.items() if key not in wanted]
    if stale:
        TaggedAsset.objects.filter(pk__in=stale).delete()
    new_tags = tags_for_names([name for key, name in wanted.items() if key not in current])
    TaggedAsset.objects.bulk_create(
        [TaggedAsset(content_object=asset, tag=tag, auto=False) for tag in new_tags], ignore_conflicts=True
    )
