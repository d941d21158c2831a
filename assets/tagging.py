"""Tag names: validation, and manual versus automatic links.

Tags match case-insensitively (TAGGIT_CASE_INSENSITIVE). A link made by the system is
marked `auto`; a person's edit never loses a tag silently, and automatic tagging never
replaces a tag a person chose.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def _existing_tag(name) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).order_by("pk").first()


def tags_for_names(names) -> list[Tag]:
    """The Tag rows for `names`, created where missing, matched without regard to case.

    Tags are shared by every owner, so two requests (e.g. uploads auto-tagged at the same
    moment) may both find a name missing and insert it: the insert runs in a savepoint,
    and the one that loses the race reads the winner's row instead of failing.
    """
    tags = []
    for name in names:
        tag = _existing_tag(name)
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag(name=name)
                    tag.save()
            except IntegrityError:
                tag = _existing_tag(name)
                if tag is None:
                    raise
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


def add_auto_tags(asset, names) -> int:
    """Link the names the asset lacks as automatic tags, within the per-asset limit."""
    present = {link.tag.name.lower() for link in asset.tagged_items.all()}
    room = MAX_TAGS_PER_ASSET - len(present)
    fresh = []
    for name in names:
        name = " ".join(str(name).split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in present and len(fresh) < room:
            present.add(name.lower())
            fresh.append(name)
    if not fresh:
        return 0
    links = [TaggedAsset(content_object=asset, tag=tag, auto=True) for tag in tags_for_names(fresh)]
    TaggedAsset.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


def bulk_remove_tags(asset_ids, names) -> int:
    """Unlink these tag names (any case) from these assets, in one DELETE."""
    if not names or not asset_ids:
        return 0
    tags = Tag.objects.filter(_names_q(names))
    deleted, _ = TaggedAsset.objects.filter(content_object_id__in=asset_ids, tag__in=tags).delete()
    return deleted


def bulk_add_tags(asset_ids, names) -> None:
    """Link these tag names to these assets as manual tags, keeping within the per-asset limit."""
    if not names or not asset_ids:
        return
    from django.db.models import Count, Q

    tags = tags_for_names(names)
    tag_ids = [tag.pk for tag in tags]
    crowded = (
        TaggedAsset.objects.filter(content_object_id__in=asset_ids)
        .values("content_object_id")
        .annotate(total=Count("id"), present=Count("id", filter=Q(tag_id__in=tag_ids)))
        .filter(total__gt=MAX_TAGS_PER_ASSET - len(tag_ids))
    )
    over = [row for row in crowded if row["total"] + len(tag_ids) - row["present"] > MAX_TAGS_PER_ASSET]
    if over:
        raise ValidationError(
            {"add_tags": [f"{len(over)} asset(s) would have more than {MAX_TAGS_PER_ASSET} tags."]}
        )
    TaggedAsset.objects.filter(content_object_id__in=asset_ids, tag_id__in=tag_ids, auto=True).update(auto=False)
    links = [TaggedAsset(content_object_id=pk, tag_id=tag_id, auto=False) for pk in asset_ids for tag_id in tag_ids]
    TaggedAsset.objects.bulk_create(links, ignore_conflicts=True, batch_size=2000)


def _names_q(names):
    from django.db.models import Q

    condition = Q()
    for name in names:
        condition |= Q(name__iexact=name)
    return condition
