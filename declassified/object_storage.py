"""Files on an S3-compatible object store (DECLASSIFIED_STORAGE_URL; env.file_storage).

The archive serves every file itself, checking who may see it (a draft's originals are not
public), so a stored file's URL is the archive's own /media/… address, never the bucket's:
the bucket stays private and its address never reaches a reader.
"""

from __future__ import annotations

from django.conf import settings
from storages.backends.s3 import S3Storage


class ArchiveS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return f"{settings.MEDIA_URL}{name}"
