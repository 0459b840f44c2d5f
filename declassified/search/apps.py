from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "declassified.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.core.signals import request_started

        # Started by the first request rather than here, so `migrate` and other commands
        # never start it, and each web worker process gets its own.
        request_started.connect(_start_indexer, dispatch_uid="search.start_indexer")


def _start_indexer(**kwargs) -> None:
    from django.core.signals import request_started

    from declassified.search import start_background_indexer

    request_started.disconnect(dispatch_uid="search.start_indexer")
    start_background_indexer()
