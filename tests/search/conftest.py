"""Helpers for search tests: documents come from tests.factories (which write outbox rows);
`indexed()` applies the outbox to the real index in this test's temporary directory.

The tests mirror declassified/search (language/, engine/, searching/, indexing/) and go
through the facade. Where a test needs a seam the facade does not offer (a crash between
the index commit and the outbox delete, smaller batches, the writer lock, a threshold), it
takes the public name from the module of the layer that owns it, never a private one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from declassified import search
from declassified.archive import actions
from declassified.archive.models import Language, Text


def indexed() -> int:
    return search.apply_pending()


def find(q: str = "", user=None, **params):
    """Search as `user` (anonymous by default) and return the result."""
    return search.search({"q": q, **params}, user or AnonymousUser())


def ids(result) -> set[int]:
    return {hit.id for hit in result.hits}


def add_text(document, body: str, *, language: str = "en", kind: str = "translation") -> Text:
    lang, _ = Language.objects.get_or_create(code=language, defaults={"name": language})
    return actions.do_save_text(
        Text(document=document, kind=kind, language=lang, body=body), acting_user=None, via="test"
    )


@pytest.fixture
def anonymous():
    return AnonymousUser()
