"""Keeping the index in step with the database: records read from the database (records),
the sample the common terms are chosen from (sampling), the browse-all counts saved at each
commit (browse_all), the outbox applier and rebuild (outbox), the drift check (drift) and
the indexer loop and thread (worker).

The top layer below the facade, and the only part of declassified.search that imports
declassified.archive.models. It may import every other layer (it counts the browse-all
search with searching's own code).
"""
