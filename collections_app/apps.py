from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collections_app"
    verbose_name = "Collections and sharing"

    def ready(self):
        from assets import extensions
        from collections_app.access import assets_visible_through_collections
        from collections_app.selectors import ASSET_COLLECTIONS, collection_assets_scope, collection_list_term

        # Asset lists carry each asset's collection ids and filter by `collection`.
        extensions.register_list_relation("collections", ASSET_COLLECTIONS)
        extensions.register_list_filter("collection", collection_list_term)
        # Members of shared collections see their assets (assets.access asks).
        extensions.register_visibility(assets_visible_through_collections)
        # `collection` lists a collection's assets, whoever owns them, for anyone with a role on it.
        extensions.register_list_scope("collection", collection_assets_scope)
