"""GlossaryTerm moves from the ingest app to the archive (it is archive content).

The rows stay: the archive takes the model over in Django's state while the table keeps its
name, then renames the table (ingest_glossaryterm → archive_glossaryterm) and moves the
content type, so permissions and back-office history follow. ingest's 0002 then drops the
model from ingest's state without touching the table.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="ingest", target="archive"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="glossaryterm").exists():
        types.filter(app_label=source, model="glossaryterm").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="archive", target="ingest")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="GlossaryTerm",
                    fields=[
                        ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("term_id", models.CharField(help_text="ID in the volume, e.g. t_NSC1", max_length=100)),
                        ("term", models.CharField(max_length=200)),
                        ("expansion", models.TextField(blank=True)),
                        ("position", models.PositiveIntegerField(default=0)),
                        ("collection", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="glossary_terms", to="archive.collection")),
                    ],
                    options={
                        "ordering": ["collection", "position", "term"],
                        "constraints": [models.UniqueConstraint(fields=("collection", "term_id"), name="unique_glossary_term")],
                        "db_table": "ingest_glossaryterm",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="glossaryterm", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
