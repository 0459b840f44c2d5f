import sys

from django.apps import AppConfig

# A search counts in two pool threads while the request thread highlights its hits, holding
# the GIL. A pool thread needs the GIL for a moment to start counting and to hand back the
# counts, and at the default switch interval (5 ms) it could wait that long for it: measured
# at 100k documents, the second counting thread often started 3-6 ms late.
GIL_SWITCH_INTERVAL = 0.0005


class SearchConfig(AppConfig):
    name = "declassified.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.core.signals import request_started

        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))
        # Started by the first request rather than here, so `migrate` and other commands
        # never start it, and each web worker process gets its own.
        request_started.connect(_start_indexer, dispatch_uid="search.start_indexer")


def _start_indexer(**kwargs) -> None:
    from django.core.signals import request_started

    from declassified.search import start_background_indexer

    request_started.disconnect(dispatch_uid="search.start_indexer")
    start_background_indexer()
