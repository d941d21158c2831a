"""Make a demo plan real: every planned asset goes through `assets.services.asset_create`,
so its file passes the same content checks as an upload.

Files are rendered as they are created (images by the painter, audio by the synthesiser,
video from the committed clips); then the dates are spread over the plan's days and the
trash is filled over the retention period, as a library used for months would look.
"""

import logging
import random
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from assets.demo.corpus import DEMO_MEDIA_DIR
from assets.demo.painter import render_image
from assets.demo.planner import PlannedAsset
from assets.demo.sound import render_audio
from assets.models import Asset
from assets.services import CreateResult, asset_create, assets_autotag, assets_trash
from assets.usages import usage_record


@contextmanager
def _quiet_task_log():
    """Eager Celery logs one INFO line per task; keep the command's output to its summary."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


def library_create(*, owner, plan: list[PlannedAsset], seed: int) -> dict[int, Asset]:
    """Create the plan through the services in one transaction; if it rolls back, remove the files stored.

    Returns the assets this run created, by plan index (a re-run finds the others and
    creates nothing for them).
    """
    created: dict[int, Asset] = {}
    ids: dict[int, object] = {}
    committed: list[bool] = []
    try:
        with _quiet_task_log(), transaction.atomic():
            # Registered first, so it runs first after the commit: a follow-up task that
            # fails later must not make us delete the files of committed assets.
            transaction.on_commit(lambda: committed.append(True))
            for item in plan:
                result = _create_one(owner=owner, item=item, seed=seed, parent_id=ids.get(item.parent_index))
                ids[item.index] = result.asset.pk
                if result.created:
                    created[item.index] = result.asset
            # Each asset_create schedules its own autotag task for after the commit; run
            # them here in one batch instead, inside this transaction, so that the
            # library is complete when it commits. The per-asset tasks that follow find
            # nothing left to add and write nothing (one commit each would otherwise
            # dominate the run time on SQLite).
            assets_autotag(asset_ids=[asset.pk for asset in created.values()])
            _backdate(plan=plan, created=created)
            _use_some(plan=plan, created=created)
            to_trash = [created[p.index].pk for p in plan if p.trash and p.index in created]
            if to_trash:  # assets_trash(ids=[]) raises EmptyResultSet at the moment
                assets_trash(owner=owner, ids=to_trash)
                _backdate_trash(plan=plan, created=created)
    except BaseException:
        if not committed:
            for asset in created.values():
                if asset.file.name:
                    default_storage.delete(asset.file.name)
        raise
    return created


def _create_one(*, owner, item: PlannedAsset, seed: int, parent_id) -> CreateResult:
    fields = {
        "title": item.title, "prompt": item.prompt, "description": item.description, "model": item.model,
        "provider": item.provider, "cost": item.cost, "metadata": item.metadata,
        "is_favorite": item.is_favorite, "external_id": item.external_id, "error_message": item.error_message,
    }
    if item.duration_seconds is not None:
        fields["duration_seconds"] = item.duration_seconds
    # Every generated file is unique (images carry a pixel derived from seed and index),
    # so a file the library already holds means a re-run: asset_create returns that asset.
    return asset_create(
        owner=owner,
        source_module=item.source_module,
        type=item.type,
        status=item.status,
        file=_file(item, salt=f"{seed}:{item.index}"),
        text_content=item.text,
        tags=item.tags,
        parent=parent_id,
        **fields,
    )


def _file(item: PlannedAsset, *, salt: str):
    """The item's file, named as its module would name it (uploads keep a person's file name)."""
    if item.image is not None:
        data, ext = render_image(item.image, salt=salt), "jpg" if item.image.fmt == "JPEG" else "png"
    elif item.audio is not None:
        data, ext = render_audio(item.audio), "wav"
    elif item.clip is not None:
        data, ext = (DEMO_MEDIA_DIR / item.clip.file_name).read_bytes(), item.clip.file_name.rsplit(".", 1)[1]
    else:
        return None
    return ContentFile(data, name=item.upload_name or f"{item.external_id}.{ext}")


def _backdate(*, plan: list[PlannedAsset], created: dict[int, Asset]) -> None:
    """The services stamp "now"; spread the new assets over the plan's days (SPREAD_DAYS) instead."""
    rows = []
    for item in plan:
        asset = created.get(item.index)
        if asset is None:
            continue
        asset.created_at = item.created_at
        asset.updated_at = item.created_at + timedelta(seconds=random.Random(item.index).randint(5, 900))
        rows.append(asset)
    Asset.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=200)


# Where the demo's modules took their assets: (module, kind, address or "", title), with
# {slug}, {title} and {n} filled in per usage.
USAGE_TARGETS = (
    ("blog_writer", "published", "https://blog.example.com/{slug}", "{title}: the story behind it"),
    ("linkedin_writer", "published", "https://www.linkedin.com/feed/update/urn:li:activity:{n}", "LinkedIn post #{n}"),
    ("facebook_writer", "scheduled", "", "Facebook post, scheduled for next week"),
    ("newsletter", "attached", "https://news.example.com/issues/{n}", "Newsletter issue {n}"),
    ("website", "embedded", "https://www.example.com/campaigns/{slug}", "Campaign page: {title}"),
)


def _use_some(*, plan: list[PlannedAsset], created: dict[int, Asset]) -> None:
    """About a third of the finished assets went somewhere (a post, a newsletter, a page), a
    few of them to several places, each some days after it was made: "Used in", the
    used/never used filter and the statistics have something to show."""
    now = timezone.now()
    for item in plan:
        asset = created.get(item.index)
        rng = random.Random(f"usage-{item.index}")
        if asset is None or item.trash or asset.status != "completed" or rng.random() > 0.33:
            continue
        for number in range(rng.choice((1, 1, 1, 2, 3))):
            module, kind, address, title = rng.choice(USAGE_TARGETS)
            n = rng.randint(100, 999)
            slug = "-".join((asset.title or "untitled").lower().split())[:60]
            used_at = min(now, item.created_at + timedelta(hours=rng.randint(2, 24 * 12)))
            usage_record(
                asset=asset, source_module=module, kind=kind, target_url=address.format(slug=slug, n=n),
                target_title=title.format(title=asset.title or "Untitled", n=n)[:300],
                external_ref=f"demo-{item.index}-{number}", used_at=used_at,
            )


def _backdate_trash(*, plan: list[PlannedAsset], created: dict[int, Asset]) -> None:
    """Items went to the trash over the last few weeks, not all a minute ago: each at its
    own time after it was made, inside the retention period so none is due for purging."""
    now = timezone.now()
    oldest = now - timedelta(days=max(1, settings.TRASH_RETENTION_DAYS - 2))
    rows = []
    for item in plan:
        asset = created.get(item.index)
        if asset is None or not item.trash:
            continue
        rng = random.Random(f"trash-{item.index}")
        earliest = max(oldest, item.created_at + timedelta(minutes=5))
        span = max(0.0, (now - earliest).total_seconds() - 120)
        asset.deleted_at = earliest + timedelta(seconds=rng.uniform(0, span))
        rows.append(asset)
    Asset.objects.bulk_update(rows, ["deleted_at"], batch_size=200)
