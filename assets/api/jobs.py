"""GET /jobs/, /jobs/{id}/ and /jobs/{id}/download/: the caller's long-running work."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assets import jobs
from assets.api.files import AnyContentRenderer, stored_file_response
from assets.models import Job, JobStatus
from config.api_errors import NotFound


class JobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "total", "done", "error", "download_url", "result_size", "expires_at",
                  "created_at", "finished_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job):
        if not jobs.job_download_ready(job):
            return None
        path = reverse("api:job-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class JobViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    lookup_value_converter = "uuid"
    queryset = Job.objects.none()

    def get_queryset(self):
        return jobs.job_list(owner=self.request.user)[:50]

    def paginate_queryset(self, queryset):
        return None

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(jobs.job_get(owner=request.user, job_id=pk)).data)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The export is not ready (still running, or failed)."),
            410: OpenApiResponse(description="The export has expired and was removed."),
        },
        summary="The zip of a finished download job",
    )
    @action(detail=True, methods=["get"], renderer_classes=[AnyContentRenderer])
    def download(self, request, pk=None):
        job = jobs.job_get(owner=request.user, job_id=pk)
        if not jobs.job_still_allowed(job):
            raise NotFound("No such job.")
        if job.status != JobStatus.SUCCEEDED or not job.result_file:
            return Response({"detail": "The export is not ready."}, status=status.HTTP_409_CONFLICT)
        if not jobs.job_download_ready(job):
            return Response({"detail": "The export has expired."}, status=status.HTTP_410_GONE)
        name = f"asset-library-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.zip"
        try:
            return stored_file_response(job.result_file.name, filename=name, content_type="application/zip")
        except OSError:
            return Response({"detail": "The export has expired."}, status=status.HTTP_410_GONE)
