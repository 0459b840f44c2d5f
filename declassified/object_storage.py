"""Files on an S3-compatible object store (DECLASSIFIED_STORAGE_URL; env.file_storage).

The archive serves every file itself, checking who may see it (a draft's originals are not
public), so a stored file's URL is the archive's own /media/… address, never the bucket's:
the bucket stays private and its address never reaches a reader.
"""

from __future__ import annotations

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.files.storage import Storage, storages
from storages.backends.s3 import S3Storage

# A store that does not answer is told within seconds (a few tries), not after botocore's
# default of a minute per try.
CLIENT = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})


class ArchiveS3Storage(S3Storage):
    def __init__(self, **options) -> None:
        options.setdefault("client_config", CLIENT)
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return f"{settings.MEDIA_URL}{name}"


def check_store(app_configs=None, **kwargs) -> list[CheckMessage]:
    """A system check (`migrate`, `check`, hence `make run`): the bucket answers."""
    storage = storages["default"]
    if not isinstance(storage, ArchiveS3Storage):
        return []
    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except (BotoCoreError, ClientError) as error:
        return [Error(
            f"DECLASSIFIED_STORAGE_URL: the bucket {storage.bucket_name!r} at "
            f"{storage.endpoint_url} cannot be used: {error}",
            hint="Create the bucket (private), or correct the address and keys.",
            id="declassified.E001")]
    return []


def remote_store() -> Storage | None:
    """The default storage when it is an object store (files have no local path), else None."""
    storage = storages["default"]
    try:
        storage.path("")
    except NotImplementedError:
        return storage
    return None
