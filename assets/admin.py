"""Operators' view of every asset. Actions call the same services as the API."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.lookups import Contains
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from taggit.models import Tag as GlobalTag

from assets import services, sql, tagging
from assets.api.files import asset_file_response
from assets.filters import hex_digits
from assets.models import ADMIN_ONLY, Asset, AssetType, AssetUsage, Tag
from assets.search import count_up_to, keyword_search
from common.admin import ReadOnlyModelAdmin

# Short hex words ("cafe") would match ids by accident; fragments people copy are longer.
ID_FRAGMENT_RE = re.compile(r"^[0-9a-f]{6,32}$")


class TrashedFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trashed"

    def lookups(self, request, model_admin):
        return [("no", "In the library"), ("yes", "In the trash")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.trashed()
        if self.value() == "no":
            return queryset.alive()
        return queryset


class SourceModuleFilter(admin.SimpleListFilter):
    title = "source module"
    parameter_name = "source_module"

    def lookups(self, request, model_admin):
        from assets.modules import module_label

        slugs = sql.distinct_modules()
        if slugs is None:
            slugs = sorted(Asset.objects.order_by().values_list("source_module", flat=True).distinct()[:100])
        return [(slug, module_label(slug)) for slug in slugs]

    def queryset(self, request, queryset):
        return queryset.filter(source_module=self.value()) if self.value() else queryset


class AssetAdminForm(forms.ModelForm):
    def clean_tags(self):
        try:
            return tagging.normalise_tag_names(list(self.cleaned_data.get("tags") or []))
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["tags"]) from None


class AssetPaginator(Paginator):
    """The admin's pages of assets, counted as the library counts a search: exactly up to
    10,000 and a lower bound beyond ("10,000+ assets"); unfiltered, a large table's count
    is PostgreSQL's estimate ("about 1,000,000 assets"). Counting a million rows on every
    page view would take longer than the page (the pagination template says which it is)."""

    ESTIMATE_FROM = 100_000
    count_exact = True
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if queryset.query.where == Asset.objects.filter(ADMIN_ONLY).query.where:  # no filter chosen
            estimate = sql.estimated_rows(queryset.model._meta.db_table)
            if estimate is not None and estimate >= self.ESTIMATE_FROM:
                self.count_exact, self.estimated = False, True
                return estimate
        count, self.count_exact = count_up_to(queryset)
        return count


class AssetUsageInline(admin.TabularInline):
    """Where the asset is used, as modules reported it (read-only: modules write them)."""

    model = AssetUsage
    fields = ("kind", "target_title", "target_link", "source_module", "external_ref", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-created_at",)
    verbose_name_plural = "Used in"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Target URL")
    def target_link(self, usage):
        if not usage.target_url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', usage.target_url,
                           usage.target_url)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    form = AssetAdminForm
    list_display = (
        "preview_thumb", "title_or_id", "type", "status", "source_module", "model", "owner",
        "is_favorite", "cost", "file_size", "created_at", "deleted_at",
    )
    list_display_links = ("preview_thumb", "title_or_id")
    # Dates by the fixed ranges of Django's date filter, not date_hierarchy: its year and
    # month links read every row's date (half a second at a million assets).
    list_filter = ("type", "status", SourceModuleFilter, "is_favorite", "owner", TrashedFilter,
                   ("created_at", admin.DateFieldListFilter))
    list_select_related = ("owner",)
    # The search box is the library's keyword search (every word, the last as a prefix;
    # any owner's assets) and id fragments: get_search_results.
    search_fields = ("title",)
    search_help_text = "Words of the title, tags, prompt, model or description, or a fragment of an id."
    ordering = ("-created_at", "-id")
    list_per_page = 50
    show_full_result_count = False
    paginator = AssetPaginator
    # Facet counts ("Show counts") would count every option of every filter over all assets.
    show_facets = admin.ShowFacets.NEVER
    raw_id_fields = ("owner", "parent")
    readonly_fields = (
        "id", "preview", "checksum_sha256", "file_size", "mime_type", "width", "height",
        "download_count", "share_count", "usage_count", "created_at", "updated_at", "deleted_at", "file",
        "thumbnail",
    )
    fieldsets = (
        (None, {"fields": ("id", "preview", "owner", "type", "status", "error_message")}),
        ("Content", {"fields": ("title", "description", "prompt", "text_content", "tags", "is_favorite")}),
        ("Generation", {"fields": ("source_module", "external_id", "model", "provider", "cost", "parent", "metadata")}),
        ("File", {"fields": ("file", "thumbnail", "mime_type", "file_size", "checksum_sha256", "width", "height",
                             "duration_seconds")}),
        ("Counters and dates", {"fields": ("download_count", "share_count", "usage_count", "created_at",
                                           "updated_at", "deleted_at")}),
    )
    inlines = (AssetUsageInline,)
    actions = ("restore_from_trash", "mark_failed")

    def get_queryset(self, request):
        # The condition of the indexes made for this list (assets.models.ADMIN_ONLY).
        return super().get_queryset(request).filter(ADMIN_ONLY)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        results = keyword_search(queryset, search_term)
        fragment = search_term.strip().replace("-", "").lower()
        if ID_FRAGMENT_RE.match(fragment):
            # A whole id or a fragment of one (hyphens optional). PostgreSQL spells a uuid
            # with hyphens, SQLite without: compare hex digits only.
            results = results | queryset.filter(Contains(hex_digits("id"), fragment))
        return results, False

    def get_readonly_fields(self, request, obj=None):
        # An asset stays its owner's: its tags, collections and statistics are the owner's.
        return (*self.readonly_fields, "owner") if obj is not None else self.readonly_fields

    @admin.display(description="Title")
    def title_or_id(self, asset):
        return asset.title or str(asset.id)

    def _preview_url(self, asset):
        return reverse("admin:assets_asset_preview", args=[asset.pk])

    @admin.display(description="")
    def preview_thumb(self, asset):
        if asset.type == AssetType.IMAGE and (asset.thumbnail or asset.file):
            return format_html('<img src="{}" alt="" style="height:40px;width:40px;object-fit:cover">',
                               self._preview_url(asset))
        return asset.get_type_display()

    @admin.display(description="Preview")
    def preview(self, asset):
        if asset.type == AssetType.IMAGE and asset.file:
            return format_html('<img src="{}" alt="" style="max-height:320px;max-width:480px">',
                               self._preview_url(asset))
        if asset.type == AssetType.TEXT and asset.text_content:
            return asset.text_content[:500]
        return "-"

    def get_urls(self):
        return [
            path("<uuid:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="assets_asset_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        asset = Asset.objects.filter(pk=pk).first()
        if asset is None or not self.has_view_permission(request, asset):
            raise Http404
        return asset_file_response(asset, attachment=False, thumbnail=bool(asset.thumbnail))

    def save_related(self, request, form, formsets, change):
        # Tags are the asset owner's own (assets.tagging), set as a person's: not through
        # taggit's form field, which knows no owner.
        names = form.cleaned_data.pop("tags", None)
        super().save_related(request, form, formsets, change)
        if names is not None:
            tagging.set_manual_tags(form.instance, names)

    @admin.action(description="Restore selected assets from the trash")
    def restore_from_trash(self, request, queryset):
        restored = 0
        for owner in get_user_model().objects.filter(pk__in=queryset.values("owner_id")):
            ids = queryset.filter(owner=owner).values_list("pk", flat=True)
            restored += services.assets_restore(owner=owner, ids=ids)
        self.message_user(request, f"Restored {restored} asset(s).", messages.SUCCESS)

    @admin.action(description="Mark selected assets as failed")
    def mark_failed(self, request, queryset):
        count = services.assets_mark_failed(
            ids=list(queryset.values_list("pk", flat=True)),
            error_message=f"Marked failed by an operator on {timezone.now():%Y-%m-%d %H:%M} UTC.",
        )
        self.message_user(request, f"Marked {count} asset(s) as failed.", messages.SUCCESS)



@admin.register(AssetUsage)
class AssetUsageAdmin(ReadOnlyModelAdmin):
    """Every reported usage: where assets went, by module and kind."""

    list_display = ("target_title", "kind", "source_module", "asset", "owner", "created_at")
    list_filter = ("kind", "source_module", ("created_at", admin.DateFieldListFilter))
    search_fields = ("target_title", "target_url", "external_ref")
    list_select_related = ("asset", "owner")
    raw_id_fields = ("asset", "owner")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(Tag)
class TagAdmin(ReadOnlyModelAdmin):
    """Each owner's tags, to look at: they change through the assets (whose search rows
    hold their names), never here."""

    list_display = ("name", "owner")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username")
    fields = ("owner", "name")
    ordering = ("owner_id", "name")


# The global tags of django-taggit are no longer used (tags are per owner since migration
# 0010): only the per-owner ones above are shown.
if admin.site.is_registered(GlobalTag):
    admin.site.unregister(GlobalTag)
