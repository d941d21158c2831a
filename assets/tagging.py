"""Tag names: validation, and manual versus automatic links.

Each owner has their own tags (assets.models.Tag), in their own spelling; names match
case-insensitively (TAGGIT_CASE_INSENSITIVE). A link made by the system is marked `auto`;
a tag a person sets (on create, edit or in bulk) is manual, even where the system had
already found it; a person's edit never loses a tag silently, and automatic tagging never
replaces a tag a person chose, nor makes it automatic.

One asset's tags are written through django-taggit's manager (`asset.tags`); bulk edits,
which touch thousands of assets at once, write the links in batched statements instead.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.text import slugify

from assets import sql
from assets.models import Tag, TaggedAsset

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


def _existing_tag(owner_id, name) -> Tag | None:
    return Tag.objects.filter(owner_id=owner_id).named(name).order_by("pk").first()


def tags_for_names(*, owner_id, names) -> list[Tag]:
    """The owner's Tag rows for `names` (in that order), created where missing, matched
    without regard to case: an existing tag keeps the owner's first spelling; other owners'
    tags never count.

    One query finds the existing ones and one inserts the missing ones (ON CONFLICT DO
    NOTHING, in sorted order so that two writers wait in one order): two requests of one
    owner that both find a name missing both insert it, and the loser of the race (the
    unique (owner, lower(name)) index) reads the winner's row instead of failing.
    """
    if not names:
        return []
    found = {tag.name.lower(): tag for tag in _named(owner_id, names)}
    missing = [name for name in names if name.lower() not in found]
    if missing:
        Tag.objects.bulk_create(
            [Tag(owner_id=owner_id, name=name, slug=slugify(name, allow_unicode=True)[:100])
             for name in sorted(missing, key=str.lower)],
            ignore_conflicts=True,
        )
        found.update({tag.name.lower(): tag for tag in _named(owner_id, missing)})
    if all(name.lower() in found for name in names):
        return [found[name.lower()] for name in names]
    return _tags_one_by_one(owner_id, names)  # a name whose case Python and the database fold apart


def _named(owner_id, names) -> list[Tag]:
    rows = sql.tags_named(owner_id=owner_id, names=list(names))
    if rows is None:
        return list(Tag.objects.filter(owner_id=owner_id).named(*names))
    return [Tag.from_db("default", ["id", "owner_id", "name"], (pk, owner_id, name)) for pk, name in rows]


def link_new_asset(asset, names) -> list[str]:
    """Give a just-created asset its tags, given on create: one query for the tags, one for
    the links (the asset has none yet, so none can clash). Returns its tag names as a list
    orders them (by name)."""
    tags = tags_for_names(owner_id=asset.owner_id, names=normalise_tag_names(names))
    if not tags:
        return []
    linked = sql.link_new_asset_tags(asset.pk, [tag.pk for tag in tags])
    if linked is not None:
        return linked
    TaggedAsset.objects.bulk_create([TaggedAsset(content_object=asset, tag=tag, auto=False) for tag in tags])
    return list(asset.tagged_items.order_by("tag__name", "pk").values_list("tag__name", flat=True))


def link_new_assets(assets_and_names) -> None:
    """As link_new_asset, for many just-created assets of one owner: one query for all
    their tags, one for all the links."""
    if not assets_and_names:
        return
    owner_id = assets_and_names[0][0].owner_id
    first_spelling: dict[str, str] = {}
    for _asset, asset_names in assets_and_names:
        for name in asset_names:
            first_spelling.setdefault(name.lower(), name)  # as one by one: the first one made
    names = list(first_spelling.values())
    tags = {tag.name.lower(): tag for tag in tags_for_names(owner_id=owner_id, names=names)}
    by_name = {name.lower(): tags.get(name.lower()) for name in names}
    if None in by_name.values():  # a name whose case Python and the database fold apart
        by_name = dict(zip([n.lower() for n in names], tags_for_names(owner_id=owner_id, names=names), strict=True))
    pairs = [(asset.pk, by_name[name.lower()].pk) for asset, asset_names in assets_and_names for name in asset_names]
    if not sql.link_new_assets_tags(asset_ids=[a for a, _t in pairs], tag_ids=[t for _a, t in pairs]):
        TaggedAsset.objects.bulk_create(
            [TaggedAsset(content_object_id=asset_id, tag_id=tag_id, auto=False) for asset_id, tag_id in pairs]
        )


def unlink_all(asset_ids) -> None:
    """Remove every tag link of these assets."""
    TaggedAsset.objects.filter(content_object_id__in=asset_ids).delete()


def _tags_one_by_one(owner_id, names) -> list[Tag]:
    tags = []
    for name in names:
        tag = _existing_tag(owner_id, name)
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag(owner_id=owner_id, name=name)
                    tag.save()
            except IntegrityError:
                tag = _existing_tag(owner_id, name)
                if tag is None:
                    raise
        tags.append(tag)
    return tags


def set_manual_tags(asset, names) -> None:
    """Make the asset's tags exactly `names` (a person's edit, or the tags given on create).

    A name the asset did not have is the person's: its link is manual, even when the
    automatic tagger linked the same tag meanwhile (it runs after commits, in a worker).
    A name it had keeps its flag: sending back the whole list, automatic tags included (as
    the edit dialogs do), does not make them manual.
    """
    names = normalise_tag_names(names)
    had = set(asset.tagged_items.values_list("tag_id", flat=True))
    tags = tags_for_names(owner_id=asset.owner_id, names=names)
    asset.tags.set(tags, through_defaults={"auto": False})
    added = [tag.pk for tag in tags if tag.pk not in had]
    if added:
        asset.tagged_items.filter(tag_id__in=added, auto=True).update(auto=False)


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
    tags = tags_for_names(owner_id=asset.owner_id, names=fresh)
    # Links that exist already (a person's, made meanwhile) are left as they are.
    asset.tags.add(*tags, through_defaults={"auto": True})
    return len(tags)


def bulk_remove_tags(asset_ids, names, *, owner_id) -> int:
    """Unlink these tag names (any case) from these assets of the owner, in one DELETE."""
    if not names or not asset_ids:
        return 0
    tags = Tag.objects.filter(owner_id=owner_id).named(*names)
    deleted, _ = TaggedAsset.objects.filter(content_object_id__in=asset_ids, tag__in=tags).delete()
    return deleted


def bulk_add_tags(asset_ids, names, *, owner_id) -> None:
    """Link these tag names to these assets of the owner as manual tags (a link already there
    as automatic becomes manual), keeping within the per-asset limit."""
    if not names or not asset_ids:
        return
    tags = tags_for_names(owner_id=owner_id, names=names)
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
