"""Operators' view of the usage history: read-only, since events are written by services only."""

from django.contrib import admin

from analytics.models import UsageEvent
from common.admin import ReadOnlyModelAdmin


@admin.register(UsageEvent)
class UsageEventAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "kind", "source", "owner", "asset", "share_link_id")
    list_filter = ("kind", "source", "created_at")
    list_select_related = ("owner", "asset")
    search_fields = ("owner__username",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False  # the table grows with every download
