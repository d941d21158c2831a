"""The statistics API. Thin: parse the parameters, call a selector, render."""

import csv
import io
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.serializers import StatsParamsSerializer, StatsPeriodSerializer, StatsSerializer


def _params(request) -> selectors.StatsParams:
    serializer = StatsParamsSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.params()


class StatsView(APIView):
    @extend_schema(
        parameters=[StatsParamsSerializer],
        responses={200: StatsSerializer, 400: OpenApiResponse(description="A parameter is malformed (named).")},
        summary="Statistics of the caller's library",
        description=(
            "Totals, breakdowns and top lists describe the caller's assets created in the range that are "
            "not in the trash. `over_time` has one row per period of the range (zero-filled): the assets "
            "created in it, their cost, and the downloads, shares and usages recorded in it (including "
            "those of assets trashed or deleted since). `totals.used` and `totals.unused` split the assets "
            "by whether any usage was reported for them; `unused_cost` is what the unused ones cost."
        ),
    )
    def get(self, request):
        stats = selectors.stats_for(owner=request.user, params=_params(request))
        return Response(StatsSerializer(stats, context={"request": request}).data)


class CSVRenderer(BaseRenderer):
    """Period rows as CSV with a header row; an error body (a dict) stays JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):
            response = (renderer_context or {}).get("response")
            if response is not None:
                response["Content-Type"] = "application/json"
            return json.dumps(data).encode("utf-8")
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(StatsPeriodSerializer().fields), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(data)
        return out.getvalue().encode("utf-8")


class StatsExportView(APIView):
    renderer_classes = [CSVRenderer]

    @extend_schema(
        parameters=[StatsParamsSerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="A header `period_start,assets,cost,downloads,shares,usages`, one row a period.",
            ),
            400: OpenApiResponse(description="A parameter is malformed (named)."),
        },
        summary="The over_time rows of the statistics, as CSV",
    )
    def get(self, request):
        params = _params(request)
        rows = selectors.stats_over_time(owner=request.user, params=params)
        filename = f"asset-library-stats-{params.period}.csv"
        return Response(
            StatsPeriodSerializer(rows, many=True).data,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
