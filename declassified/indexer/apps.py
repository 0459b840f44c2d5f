import sys

from django.apps import AppConfig
from django.core.signals import request_started

# A search counts in two pool threads while the request thread highlights its hits, holding
# the GIL. A pool thread needs the GIL for a moment to start counting and to hand back the
# counts, and at the default switch interval (5 ms) it could wait that long for it: measured
# at 100k documents, the second counting thread often started 3-6 ms late.
GIL_SWITCH_INTERVAL = 0.0005
START_INDEXER = "search.start_indexer"


class IndexerConfig(AppConfig):
    name = "declassified.indexer"
    label = "indexer"
    verbose_name = "Search indexer"

    def ready(self) -> None:
        # Imported here, not at the top: the facade imports the archive's models, which
        # Django allows only once every app is loaded, and ready() is that moment.
        from declassified.search import start_background_indexer

        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))

        def start_indexer(**kwargs) -> None:
            request_started.disconnect(dispatch_uid=START_INDEXER)
            start_background_indexer()

        # Started by the first request rather than here, so `migrate` and other commands
        # never start it, and each web worker process gets its own.
        request_started.connect(start_indexer, dispatch_uid=START_INDEXER, weak=False)
