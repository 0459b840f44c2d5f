"""The Django side of search: the indexer commands (`declassified reindex`, `check-index`,
`indexer`) and, in web server processes, the indexer thread and the thread switch interval
that search counting needs (apps.py).

A Django app of its own because declassified.search cannot be one: the search facade
imports the archive's models, which Django forbids while it is still loading apps. Nothing
here knows the index; it asks the facade.
"""
