"""Celery tasks for collections and share links (scheduled in CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def expire_shares() -> dict:
    """End expired share links and delete long-ended ones (idempotent)."""
    from collections_app import upkeep

    summary = upkeep.expire_shares()
    logger.info("expire_shares: %s", summary)
    return summary
