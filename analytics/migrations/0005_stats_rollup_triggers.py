"""The database keeps the statistics' rollups: triggers on assets and usage events, then a
first count of what is already there (analytics.rollups says why triggers)."""

from django.db import migrations

from analytics import rollups


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*rollups.uninstall_statements(vendor), *rollups.install_statements(vendor)]:
        schema_editor.execute(statement)
    rollups.rollups_rebuild(using=schema_editor.connection)


def uninstall(apps, schema_editor):
    for statement in rollups.uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_usage_event_lighter_inserts"),
        ("assets", "0008_trash_writes_fewer_indexes"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
