"""Where assets are used: the services that record and remove usages (AssetUsage).

A usage is reported by the module that took the asset somewhere (published it, embedded
it, attached it, scheduled it). The asset's `usage_count` moves in the same transaction, so
`used=true|false` and the statistics' used/unused figures never disagree with the usages;
each new usage is also a 'used' usage event, which the statistics keep after the asset
and its usages are gone.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from assets import extensions
from assets.extensions import AssetChange
from assets.models import Asset, AssetUsage, UsageKind
from assets.modules import SLUG_RE
from common.request_source import RequestSource

MAX_TITLE = AssetUsage._meta.get_field("target_title").max_length
MAX_URL = AssetUsage._meta.get_field("target_url").max_length
MAX_REF = AssetUsage._meta.get_field("external_ref").max_length
# An http or https address with a host: what the API schema states (assets.api.serializers).
TARGET_URL_RE = re.compile(r"https?://[^\s/?#\[\]]+\S*")


def _clean(*, source_module, kind, target_title, target_url, external_ref) -> dict:
    """The usage's fields, trimmed and checked; a ValidationError naming each bad one."""
    errors = {}
    source_module = str(source_module or "").strip()
    if not SLUG_RE.match(source_module):
        errors["source_module"] = ["Use a module slug: lowercase letters, digits and _, at most 50."]
    kind = str(kind or "").strip()
    if kind not in UsageKind.values:
        errors["kind"] = [f"'{kind}' is not one of: {', '.join(UsageKind.values)}."]
    target_title = " ".join(str(target_title or "").split())
    if not target_title:
        errors["target_title"] = ["Say where it is used: the post's, page's or message's title."]
    elif len(target_title) > MAX_TITLE:
        errors["target_title"] = [f"At most {MAX_TITLE} characters."]
    target_url = str(target_url or "").strip()
    if len(target_url) > MAX_URL:
        errors["target_url"] = [f"At most {MAX_URL} characters."]
    elif target_url and not TARGET_URL_RE.fullmatch(target_url):
        errors["target_url"] = ["Use an http or https address."]
    if external_ref is not None:
        external_ref = str(external_ref).strip() or None
        if external_ref is not None and len(external_ref) > MAX_REF:
            errors["external_ref"] = [f"At most {MAX_REF} characters."]
    if errors:
        raise ValidationError(errors)
    return {"source_module": source_module, "kind": kind, "target_title": target_title, "target_url": target_url,
            "external_ref": external_ref}


def usage_record(
    *, asset: Asset, source_module: str, kind: str, target_title: str, target_url: str = "",
    external_ref: str | None = None, source: str = RequestSource.API, used_at=None,
) -> tuple[AssetUsage, bool]:
    """Record that `asset` is used somewhere; (usage, created). The same `external_ref` from
    the same module again is the usage recorded before (created False), also when two
    reports race. The caller has checked that the asset is the caller's (assets.access).
    `used_at`: when it was used, if not now (the demo's history; the API reports now)."""
    fields = _clean(source_module=source_module, kind=kind, target_title=target_title, target_url=target_url,
                    external_ref=external_ref)

    def recorded_before():
        if fields["external_ref"] is None:
            return None
        return AssetUsage.objects.filter(asset=asset, source_module=fields["source_module"],
                                         external_ref=fields["external_ref"]).first()

    existing = recorded_before()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            usage = AssetUsage.objects.create(asset=asset, owner_id=asset.owner_id, **fields,
                                              **({"created_at": used_at} if used_at else {}))
            Asset.objects.filter(pk=asset.pk).update(usage_count=F("usage_count") + 1)
            extensions.record_change(owner_id=asset.owner_id, asset_ids=[asset.pk], change=AssetChange.USED,
                                     source=source, at=used_at)
    except IntegrityError:
        existing = recorded_before()  # a concurrent report of the same reference won
        if existing is None:
            raise
        return existing, False
    asset.usage_count += 1
    return usage, True


def usage_delete(*, usage: AssetUsage) -> None:
    """Remove one usage (the module took the post down). Its 'used' event stays: the
    statistics say when the asset was used, not whether it still is."""
    with transaction.atomic():
        deleted, _ = AssetUsage.objects.filter(pk=usage.pk).delete()
        if deleted:
            Asset.objects.filter(pk=usage.asset_id).update(usage_count=Greatest(F("usage_count") - 1, 0))
