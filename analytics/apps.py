from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _ensure_rollup_triggers(sender, using, **kwargs):
    from django.db import connections

    from analytics.rollups import rollups_after_migrate

    rollups_after_migrate(connections[using])


def _drop_rollup_triggers(sender, using, **kwargs):
    from django.db import connections

    from analytics.rollups import rollups_drop_before_migrate

    rollups_drop_before_migrate(connections[using])


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "Usage analytics"

    def ready(self):
        from analytics.selectors import library_count
        from analytics.services import UsageEventRecorder
        from assets import extensions

        # The core records its changes and counts its library through these.
        extensions.register_change_recorder(UsageEventRecorder())
        extensions.register_library_counter(library_count)
        # Schema upkeep, like Django's own content types: see rollups_after_migrate.
        pre_migrate.connect(_drop_rollup_triggers, sender=self, dispatch_uid="analytics_rollup_triggers_pre")
        post_migrate.connect(_ensure_rollup_triggers, sender=self, dispatch_uid="analytics_rollup_triggers")
