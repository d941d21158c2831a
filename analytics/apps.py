from django.apps import AppConfig


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
