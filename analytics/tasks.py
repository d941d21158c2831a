from celery import shared_task

from analytics.rollups import rollups_compact


@shared_task
def compact_stats() -> int:
    """Drop the statistics' rollup rows that fell to zero (idempotent)."""
    return rollups_compact()
