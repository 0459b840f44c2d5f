"""One search: the reader's query compiled to Tantivy queries (compiler), the hits with
their highlighting (run, highlight), the facet counts (facets, counting, complement) and the
counts the indexer saved beside the index (saved_counts).

Above engine: it reads the index, never the database (no models), and knows nothing of
indexing.
"""
