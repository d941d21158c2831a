"""Operators' view of collections and share links."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from collections_app.models import Collection, CollectionItem, ShareLink
from collections_app.selectors import collection_name_taken, with_asset_count, with_share_asset_count
from collections_app.services import name_taken_message, share_links_revoke

OTHER_OWNER = "This asset belongs to another user than the collection's owner."


class CollectionItemInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A collection holds only its owner's assets (the API relies on it).
        owner_id = self.instance.owner_id
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            asset = data.get("asset")
            if asset is not None and not data.get("DELETE") and asset.owner_id != owner_id:
                form.add_error("asset", OTHER_OWNER)


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    formset = CollectionItemInlineFormSet
    raw_id_fields = ("asset",)
    readonly_fields = ("added_at",)
    extra = 0


class CollectionAdminForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ("owner", "name", "description", "cover_asset")

    def clean(self):
        cleaned = super().clean()
        owner, cover, name = cleaned.get("owner"), cleaned.get("cover_asset"), cleaned.get("name")
        if owner is not None and cover is not None and cover.owner_id != owner.pk:
            self.add_error("cover_asset", OTHER_OWNER)
        if owner is not None and name and collection_name_taken(owner=owner, name=name, exclude_pk=self.instance.pk):
            self.add_error("name", name_taken_message(name))
        return cleaned


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    form = CollectionAdminForm
    list_display = ("name", "owner", "asset_count", "created_at")
    list_select_related = ("owner",)
    search_fields = ("name",)
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    raw_id_fields = ("owner", "cover_asset")
    readonly_fields = ("id", "created_at", "updated_at")
    fields = ("id", "owner", "name", "description", "cover_asset", "created_at", "updated_at")
    inlines = (CollectionItemInline,)
    list_per_page = 50

    def get_queryset(self, request):
        return with_asset_count(super().get_queryset(request))

    @admin.display(description="Assets (outside the trash)", ordering="asset_count")
    def asset_count(self, collection):
        return collection.asset_count


class ShareLinkEndedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", "Opens"), ("ended", "Revoked or expired"))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.ended()
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Links are made by their owners (the API); operators look, adjust and revoke.

    The password is never shown, only whether there is one; the token is read-only.
    """

    list_display = (
        "__str__", "owner", "kind", "asset_count", "allow_download", "has_password", "expires_at", "revoked",
        "view_count", "created_at",
    )
    list_select_related = ("owner",)
    list_filter = ("kind", ShareLinkEndedFilter, "allow_download")
    search_fields = ("title", "owner__username", "=token")
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    raw_id_fields = ("owner", "collection")
    readonly_fields = (
        "id", "owner", "kind", "collection", "token", "has_password", "asset_count", "view_count", "created_at",
    )
    fields = (
        "id", "owner", "kind", "collection", "title", "token", "asset_count", "allow_download", "has_password",
        "expires_at", "revoked_at", "view_count", "created_at",
    )
    actions = ("revoke_links",)
    list_per_page = 50

    def get_queryset(self, request):
        return with_share_asset_count(super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # a link is made by its owner, with its assets counted as shared

    @admin.display(description="Assets (outside the trash)", ordering="asset_count")
    def asset_count(self, share_link):
        return share_link.asset_count

    @admin.display(description="Password", boolean=True)
    def has_password(self, share_link):
        return share_link.has_password

    @admin.display(description="Ended", boolean=True)
    def revoked(self, share_link):
        return not share_link.is_active(timezone.now())

    @admin.action(description="Revoke the selected share links")
    def revoke_links(self, request, queryset):
        count = share_links_revoke(queryset=queryset)
        self.message_user(request, f"Revoked {count} share link(s).", messages.SUCCESS)
