"""The editorial back office at /admin/ ("Declassified back office").

documents.py  documents with their texts, files and collections; bulk publish/withdraw
history.py    edit history (old and new values), restore, and the audit trail of all revisions
diffs.py      revisions made readable: changed fields, texts as a diff
entities.py   collections, people and organizations, places, subjects, repositories, languages
glossary.py   collections' glossaries (the terms of imported FRUS volumes), editors only
filters.py    changelist filters (documents by decade and year)
forms.py      forms and widgets (EDTF dates checked on entry, name variants one per line)
permissions.py  EditorsOnly: pages for those who may publish (glossaries, imports)

Every write goes through declassified.archive.actions; who may do what is in
declassified.archive.roles (Editor and Contributor groups).
"""

from django.contrib import admin

from declassified.archive.admin import (  # noqa: F401  (registers)
    documents,
    entities,
    glossary,
    history,
)

admin.site.site_header = "Declassified back office"
admin.site.site_title = "Declassified back office"
admin.site.index_title = "Archive"
admin.site.site_url = "/"
