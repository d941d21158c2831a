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


def listed(folder: str):
    """(name, modified) of every object under `folder` in the bucket, listed a page (1,000
    keys) at a time: one request per page, never one per object."""
    prefix = _key(f"{folder}/")
    start = len(prefix) - len(folder) - 1  # the stored name starts after the location
    client = default_storage.connection.meta.client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=default_storage.bucket_name, Prefix=prefix):
        for item in page.get("Contents", []):
            yield item["Key"][start:], item["LastModified"]


READ_CHUNK = 1024 * 1024
PART_SIZE = 8 * 1024 * 1024
PARTS_IN_FLIGHT = 2


def _key(name: str) -> str:
    location = (getattr(default_storage, "location", "") or "").strip("/")
    return f"{location}/{name}" if location else name


def object_chunks(name: str):
    """The object's bytes in 1 MiB pieces, streamed from the bucket (nothing spooled)."""
    client = default_storage.connection.meta.client
    body = client.get_object(Bucket=default_storage.bucket_name, Key=_key(name))["Body"]
    try:
        yield from body.iter_chunks(READ_CHUNK)
    finally:
        body.close()


def write_streamed(name: str, chunks, *, content_type: str = "application/octet-stream") -> int:
    """Write `chunks` to the object `name` as a multipart upload of 8 MiB parts, uploading
    up to two parts while the next is read (so memory stays at a few parts, and reading
    and writing overlap). Aborted on any failure, so no part is left behind. Returns the size."""
    from concurrent.futures import ThreadPoolExecutor

    client = default_storage.connection.meta.client
    bucket, key = default_storage.bucket_name, _key(name)
    upload = client.create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type)
    upload_id = upload["UploadId"]
    parts, pending, size = [], [], 0

    def send(number: int, data: bytes):
        answer = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data)
        return {"PartNumber": number, "ETag": answer["ETag"]}

    try:
        with ThreadPoolExecutor(max_workers=PARTS_IN_FLIGHT) as pool:
            buffer = bytearray()

            def flush():
                nonlocal buffer
                while len(pending) >= PARTS_IN_FLIGHT:
                    parts.append(pending.pop(0).result())
                pending.append(pool.submit(send, len(parts) + len(pending) + 1, bytes(buffer)))
                buffer = bytearray()

            for chunk in chunks:
                buffer += chunk
                size += len(chunk)
                if len(buffer) >= PART_SIZE:
                    flush()
            if buffer or not (parts or pending):
                flush()
            parts.extend(future.result() for future in pending)
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
    except BaseException:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        raise
    return size
