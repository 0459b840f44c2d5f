"""Keeping the archive safe: `declassified backup` and `restore` (the whole site, for the same
software on another machine) and `export-bag` (everything public, as a BagIt bag for another
archive). See docs/backup.md.
"""
