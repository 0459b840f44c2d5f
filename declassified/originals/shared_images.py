"""Derived images (IIIF tiles, thumbnails) shared by every node through the object store,
when files are in one (DECLASSIFIED_STORAGE_URL); nothing without it.

    data = shared_image(key)     # bytes, or None
    share_image(key, data)

The image views look in this node's own cache first (iiif_image_cache: a local file, the
fastest), then here, and only then cut the picture from the master, so a tile one node made
is not made again by the others. Keys are iiif_image_cache.cache_key: they name the master's
content and the request, so an object never goes stale. The store keeps them until deleted:
a lifecycle rule on the bucket's `iiif-cache/` prefix (expire after, say, 90 days) bounds
them (docs/deployment.md). A store that fails is a miss, logged, never an error page.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile

from declassified.object_storage import remote_store

logger = logging.getLogger(__name__)
PREFIX = "iiif-cache"


def _name(key: str) -> str:
    return f"{PREFIX}/{key[:2]}/{key}"


def shared_image(key: str) -> bytes | None:
    store = remote_store()
    if store is None:
        return None
    try:
        with store.open(_name(key), "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None
    except (OSError, BotoCoreError, ClientError) as error:
        logger.warning("IIIF: the shared image cache could not be read: %s", error)
        return None


def share_image(key: str, data: bytes) -> None:
    store = remote_store()
    if store is None:
        return
    try:
        if not store.exists(_name(key)):  # another node may have made it meanwhile
            store.save(_name(key), ContentFile(data))
    except (OSError, BotoCoreError, ClientError) as error:
        logger.warning("IIIF: the shared image cache could not be written: %s", error)
