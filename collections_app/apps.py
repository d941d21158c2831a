from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collections_app"
    verbose_name = "Collections and sharing"
