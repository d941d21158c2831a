"""Operators' view of collections and share links."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from collections_app.models import (
    Collection,
    CollectionActivity,
    CollectionGrant,
    CollectionItem,
    ImportRecord,
    ShareLink,
    Team,
    TeamMembership,
    TeamRole,
)
from collections_app.selectors import collection_name_taken, with_asset_count, with_share_asset_count
from collections_app.services import name_taken_message, share_links_revoke
from common.admin import ReadOnlyModelAdmin

OTHER_OWNER = "This asset belongs to another user than the collection's owner."


class CollectionItemInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A collection holds its owner's assets and those its editors added; an operator
        # adds only the owner's (an editor's are theirs to add, through the API).
        owner_id = self.instance.owner_id
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            asset = data.get("asset")
            if asset is not None and not data.get("DELETE") and form.has_changed() and asset.owner_id != owner_id:
                form.add_error("asset", OTHER_OWNER)


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    formset = CollectionItemInlineFormSet
    raw_id_fields = ("asset",)
    readonly_fields = ("added_at",)
    extra = 0


class CollectionGrantInline(admin.TabularInline):
    """Who the collection is shared with. Operators may end a grant (its access ends at once)."""

    model = CollectionGrant
    fields = ("user", "team", "role", "created_at")
    readonly_fields = ("user", "team", "created_at")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # the owner grants, through the API (with its rules and activity)


class CollectionActivityInline(admin.TabularInline):
    model = CollectionActivity
    fields = ("created_at", "actor_name", "verb", "assets", "target")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    extra = 0
    max_num = 0
    can_delete = False


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    extra = 0


class TeamMembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form.cleaned_data for form in self.forms
                if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")]
        if self.instance.pk and not any(data.get("role") == TeamRole.ADMIN for data in kept):
            raise forms.ValidationError("A team keeps at least one admin.")


TeamMembershipInline.formset = TeamMembershipFormSet


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "created_at")
    search_fields = ("name", "memberships__user__username")
    ordering = ("name",)
    readonly_fields = ("id", "created_at")
    fields = ("id", "name", "created_at")
    inlines = (TeamMembershipInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team):
        return team.member_count


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
    inlines = (CollectionGrantInline, CollectionItemInline, CollectionActivityInline)
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


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyModelAdmin):
    """What manage.py import_alwrity brought in, row by row: read-only (the import writes it)."""

    list_display = ("origin", "owner", "asset", "collection", "imported_at")
    list_filter = ("imported_at",)
    search_fields = ("origin", "owner__username", "database")
    list_select_related = ("owner", "asset", "collection")
    readonly_fields = ("owner", "origin", "asset", "collection", "database", "imported_at")
    show_full_result_count = False
