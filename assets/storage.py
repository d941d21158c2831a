"""Where user files live: this machine's disk (the default) or an S3-compatible bucket
(AWS_STORAGE_BUCKET_NAME; config.settings). What differs between the two is asked here.

With a bucket, nobody fetches an object straight from it but through a presigned URL
that the app's file views hand out after their own checks (assets.api.files): it lives at
most FILE_URL_EXPIRE_SECONDS (5 minutes) and names the file's safe download name and type,
so the bucket itself stays private.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage


def on_disk() -> bool:
    """Whether files are on this machine's disk (else in a bucket)."""
    return isinstance(default_storage, FileSystemStorage)


def presigned_url(name: str, *, filename: str, content_type: str, attachment: bool) -> str:
    """A URL to the object `name` that works for FILE_URL_EXPIRE_SECONDS, answered with
    this download name, disposition and content type whatever the object was stored with."""
    disposition = "attachment" if attachment else "inline"
    return default_storage.url(
        name,
        parameters={
            "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}",
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, max-age=300",
        },
        expire=settings.FILE_URL_EXPIRE_SECONDS,
    )
