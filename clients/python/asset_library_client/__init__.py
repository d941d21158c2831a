"""Asset Library's client for generation modules.

    from asset_library_client import AssetLibrary, save_asset_to_library

    library = AssetLibrary()  # ASSET_LIBRARY_URL and ASSET_LIBRARY_TOKEN
    asset = library.register(source_module="image_studio", file="out.png", prompt="a lighthouse")
"""

from asset_library_client.alwrity import save_asset_to_library
from asset_library_client.client import AssetLibrary
from asset_library_client.errors import (
    AssetLibraryError,
    AuthenticationFailed,
    ConnectionFailed,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ServerError,
    Throttled,
    ValidationFailed,
)

__all__ = [
    "AssetLibrary",
    "AssetLibraryError",
    "AuthenticationFailed",
    "ConnectionFailed",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "ServerError",
    "Throttled",
    "ValidationFailed",
    "save_asset_to_library",
]
