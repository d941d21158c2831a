"""Once installed the rollups' hand-written triggers; migration 0006 replaces them with
triggers declared on the models (django-pgtrigger) and drops any this one made."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_usage_event_lighter_inserts"),
        ("assets", "0008_trash_writes_fewer_indexes"),
    ]

    operations = []
