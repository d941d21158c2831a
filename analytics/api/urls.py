from django.urls import path

from analytics.api.views import StatsExportView, StatsView

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("stats/export.csv", StatsExportView.as_view(), name="stats-export"),
]
