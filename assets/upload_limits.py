"""Refuse an oversized upload while it streams in, before it is buffered anywhere.

The handler sits first in FILE_UPLOAD_HANDLERS and passes data through unchanged to
Django's memory and temporary-file handlers. It rejects a request whose declared length
is already over the largest limit, sniffs the first chunk of each file to find its type's
limit, and stops as soon as a file crosses it.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from config.api_errors import UploadTooLarge

# Room for the multipart envelope and the other form fields.
MULTIPART_OVERHEAD = 1024 * 1024


def _type_limit(head: bytes) -> int:
    from assets.file_inspection import ALLOWED_MIME_TYPES, sniff_mime

    entry = ALLOWED_MIME_TYPES.get(sniff_mime(head))
    if entry is None:
        return settings.MAX_UPLOAD_SIZE
    return settings.MAX_UPLOAD_SIZE_BY_TYPE.get(entry[1], settings.MAX_UPLOAD_SIZE)


class SizeLimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        largest = max([settings.MAX_UPLOAD_SIZE, *settings.MAX_UPLOAD_SIZE_BY_TYPE.values()])
        if content_length and content_length > largest + MULTIPART_OVERHEAD:
            raise UploadTooLarge(f"The upload is larger than the limit of {largest} bytes.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = None

    def receive_data_chunk(self, raw_data, start):
        if self.limit is None:
            self.limit = _type_limit(raw_data[:8192])
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(f"The file is larger than the limit of {self.limit} bytes for its type.")
        return raw_data

    def file_complete(self, file_size):
        return None


