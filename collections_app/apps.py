from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collections_app"
    verbose_name = "Collections and sharing"

    def ready(self):
        from assets import extensions
        from collections_app.selectors import ASSET_COLLECTIONS, collection_list_term

        # Asset lists carry each asset's collection ids and filter by `collection`.
        extensions.register_list_relation("collections", ASSET_COLLECTIONS)
        extensions.register_list_filter("collection", collection_list_term)
