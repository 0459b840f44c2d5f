"""GlossaryTerm now belongs to the archive (archive 0002 took its table and rows over):
gone from ingest's state only; nothing in the database changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0002_glossaryterm"),
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="GlossaryTerm")],
            database_operations=[],
        ),
    ]
