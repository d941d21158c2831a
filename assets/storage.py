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
    up to two parts while the next is read, so that reading and writing overlap. The parts
    are filled into three buffers allocated once and reused: memory stays at 24 MiB
    whatever the size, and no large block is allocated and freed per part (which, with the
    upload threads' malloc arenas, grew the process far beyond its buffers). Aborted on any
    failure, so no part is left behind. Returns the size."""
    from concurrent.futures import ThreadPoolExecutor

    client = default_storage.connection.meta.client
    bucket, key = default_storage.bucket_name, _key(name)
    upload = client.create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type)
    upload_id = upload["UploadId"]
    parts, pending, size = [], [], 0
    free = [bytearray(PART_SIZE) for _ in range(PARTS_IN_FLIGHT + 1)]

    def send(number: int, buffer: bytearray, length: int):
        body = buffer if length == PART_SIZE else bytes(memoryview(buffer)[:length])
        answer = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body)
        return {"PartNumber": number, "ETag": answer["ETag"]}

    def finished(future):
        part, buffer = future.result()
        parts.append(part)
        free.append(buffer)

    try:
        with ThreadPoolExecutor(max_workers=PARTS_IN_FLIGHT) as pool:

            def submit(buffer: bytearray, length: int):
                number = len(parts) + len(pending) + 1
                pending.append(pool.submit(lambda: (send(number, buffer, length), buffer)))

            buffer, filled = free.pop(), 0
            for chunk in chunks:
                view = memoryview(chunk)
                size += len(view)
                while view:
                    take = min(len(view), PART_SIZE - filled)
                    buffer[filled : filled + take] = view[:take]
                    filled += take
                    view = view[take:]
                    if filled == PART_SIZE:
                        submit(buffer, filled)
                        if not free:
                            finished(pending.pop(0))
                        buffer, filled = free.pop(), 0
            if filled or not (parts or pending):
                submit(buffer, filled)
            while pending:
                finished(pending.pop(0))
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
    except BaseException:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        raise
    return size
