"""The index itself: its schema (schema), how a document becomes an entry (entries), where
the generations live on disk and how readers and writers find them (storage), and the
common terms saved with each generation (common_terms).

Above language and types, below searching and indexing: it may import those two and the
vocabulary, never the database.
"""
