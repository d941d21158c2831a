from django.apps import AppConfig


class AssetLibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "asset_library"
    verbose_name = "Asset Library web UI"
