"""Operators' view of collections."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from collections_app.models import Collection, CollectionItem
from collections_app.selectors import collection_name_taken, with_asset_count
from collections_app.services import name_taken_message

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
