"""What the reader typed, as plain data: text analysis (analysis), the query language
(query), the search parameters (params) and the word pairs of phrases (pairs).

The bottom layer of declassified.search: it may import the vocabulary, the archive's plain
modules (dates) and Tantivy's analysers, never a Tantivy query, the index or a model.
"""
