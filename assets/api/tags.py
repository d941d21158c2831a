from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assets import selectors


class TagCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class TagQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class TagListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", {"type": "string", "maxLength": 100},
                             description="Part of a tag name (case-insensitive)."),
            OpenApiParameter("limit", {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 200},
                                                 {"type": "string", "maxLength": 0}]},
                             description="1-200, default 50."),
        ],
        responses=TagCountSerializer(many=True),
        summary="The caller's tags with asset counts, most used first (autocomplete, tag filter)",
    )
    def get(self, request):
        params = TagQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(selectors.tag_counts(owner=request.user, **params.validated_data))
