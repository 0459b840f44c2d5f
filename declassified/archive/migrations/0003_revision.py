"""The audit trail for every kind of object (Revision) replaces DocumentRevision.

Existing rows are kept: each becomes a document revision with its time, user or program,
action and the names of the fields it changed (as {field: {}}: the values were never
recorded, so values_recorded is False and a restore cannot reach behind them).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 1000
# The old actions named the status ("withdrawn"); the new ones name the act.
ACTIONS = {"withdrawn": "withdraw", "published": "publish"}


def copy_document_revisions(apps, schema_editor):
    DocumentRevision = apps.get_model("archive", "DocumentRevision")
    Revision = apps.get_model("archive", "Revision")
    rows = DocumentRevision.objects.select_related("actor", "document").order_by("at", "id")
    batch = []
    for old in rows.iterator(chunk_size=BATCH):
        names = [str(name) for name in old.fields or [] if name != "all"]
        batch.append(Revision(
            at=old.at, acting_user_id=old.actor_id,
            acting_user_name=old.actor.username if old.actor is not None else "",
            via="" if old.actor_id else old.actor_label[:100],
            action=ACTIONS.get(old.action, old.action)[:20], kind="document",
            object_id=str(old.document_id), object_label=old.document.title[:1000],
            document_id=old.document_id, changes={name: {} for name in names},
            values_recorded=False,
        ))
        if len(batch) == BATCH:
            Revision.objects.bulk_create(batch)
            batch = []
    Revision.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    """Back to DocumentRevision: the field names of document revisions whose document exists."""
    DocumentRevision = apps.get_model("archive", "DocumentRevision")
    Revision = apps.get_model("archive", "Revision")
    Document = apps.get_model("archive", "Document")
    existing = set(Document.objects.values_list("pk", flat=True))
    rows = Revision.objects.filter(kind="document").order_by("id")
    DocumentRevision.objects.bulk_create([
        DocumentRevision(
            document_id=row.document_id, actor_id=row.acting_user_id,
            actor_label=(row.acting_user_name or row.via)[:150], action=row.action,
            fields=list(row.changes) or ["all"],
        )
        for row in rows.iterator(chunk_size=BATCH) if row.document_id in existing
    ], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0002_glossaryterm"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("acting_user_name", models.CharField(blank=True, help_text="The username at the time (kept if the account goes).", max_length=150)),
                ("via", models.CharField(blank=True, help_text="The program or channel: 'api', 'import', 'frus-import'…; empty for the back office.", max_length=100)),
                ("action", models.CharField(max_length=20)),
                ("kind", models.CharField(choices=[("document", "document"), ("collection", "collection"), ("person", "person or organization"), ("place", "place"), ("subject", "subject"), ("repository", "repository"), ("language", "language"), ("text", "text"), ("attachment", "file"), ("membership", "collection membership"), ("glossaryterm", "glossary term")], max_length=20)),
                ("object_id", models.CharField(max_length=40)),
                ("object_label", models.CharField(blank=True, help_text="Title or name then.", max_length=1000)),
                ("document_id", models.IntegerField(blank=True, db_index=True, null=True)),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("values_recorded", models.BooleanField(default=True, help_text="False for rows kept from before old and new values were recorded.")),
                ("note", models.CharField(blank=True, max_length=300)),
                ("acting_user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-id"],
                "indexes": [models.Index(fields=["kind", "object_id"], name="revision_object_idx")],
            },
        ),
        migrations.RunPython(copy_document_revisions, copy_back),
        migrations.DeleteModel(name="DocumentRevision"),
    ]
