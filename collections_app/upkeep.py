"""Upkeep of share links: the work behind `manage.py expire_shares` and its Celery task.

Shaped like assets.upkeep: takes `dry_run`, acts through the services, returns a summary
dict that the command prints and the task logs.
"""

import datetime as dt

from django.utils import timezone

from collections_app import services
from collections_app.models import ShareLink

# Ended links (revoked or expired) stay in their owner's list this long, then go.
ENDED_RETENTION_DAYS = 90


def expire_shares(*, dry_run: bool = False, retention_days: int = ENDED_RETENTION_DAYS) -> dict:
    """Record links past their expiry as ended (revoked_at = expires_at), and delete links
    that ended more than `retention_days` ago. Safe to run at any time, any number of times.

    Expired links stop opening at `expires_at` whatever this does; it keeps the list and
    the table tidy.
    """
    now = timezone.now()
    cutoff = now - dt.timedelta(days=retention_days)
    due = ShareLink.objects.filter(revoked_at__isnull=True, expires_at__lte=now)
    summary = {"retention_days": retention_days, "expired": due.count()}
    if dry_run:
        # What the deletion would find once the expired ones are recorded too.
        summary["deleted"] = ShareLink.objects.filter(revoked_at__lt=cutoff).count() + due.filter(
            expires_at__lt=cutoff
        ).count()
        return summary
    summary["expired"] = services.share_links_expire(now=now)
    summary["deleted"] = services.share_links_delete_ended(before=cutoff)
    return summary
