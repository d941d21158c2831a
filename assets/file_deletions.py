"""Deleting stored files only after the database has let go of them.

`files_schedule_deletion` runs inside the transaction that removes the rows: it records
each name (FileDeletion) and, once that transaction commits, deletes the files and the
records. If the process dies in between, the records remain and
`file_deletions_process` (run by every purge and by `cleanup_orphans`) finishes the job.
A rolled-back transaction takes its records with it, so no file is deleted whose row
still exists.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from assets.models import FileDeletion

logger = logging.getLogger(__name__)
BATCH = 500


def files_schedule_deletion(names) -> int:
    names = [name for name in dict.fromkeys(names) if name]
    if not names:
        return 0
    FileDeletion.objects.bulk_create([FileDeletion(name=name) for name in names], batch_size=BATCH)
    transaction.on_commit(lambda: file_deletions_process(names=names))
    return len(names)


def file_deletions_process(*, names=None) -> int:
    """Delete recorded files (all of them, or just `names`) and their records. Idempotent."""
    records = FileDeletion.objects.order_by("pk")
    if names is not None:
        records = records.filter(name__in=list(names)[:BATCH * 20])
    deleted = 0
    while True:
        batch = list(records.values_list("pk", "name")[:BATCH])
        if not batch:
            return deleted
        done = []
        for pk, name in batch:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete %s; it stays recorded for the next cleanup", name)
                continue
            done.append(pk)
        FileDeletion.objects.filter(pk__in=done).delete()
        deleted += len(done)
        if len(done) < len(batch):
            return deleted
