"""The archive's domain: documents, their texts and files, collections and the entities
documents are tagged with.

Writes go through `declassified.archive.actions`; visibility through
`declassified.archive.access`. Models here hold data and small derived properties only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from declassified.archive.dates import display_edtf


def make_slug(text: str, max_length: int = 80) -> str:
    """A URL slug for any script; falls back to 'untitled' when nothing survives."""
    return (slugify(text, allow_unicode=True)[:max_length].strip("-")) or "untitled"


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Language(models.Model):
    """A language by ISO 639 code (639-1 where one exists, e.g. 'en', 'ru', 'zh')."""

    code = models.CharField(max_length=12, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Entity(Timestamped):
    """Common fields of the things documents are tagged with."""

    name = models.CharField(max_length=300, db_index=True)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.name)
        super().save(*args, **kwargs)


class Person(Entity):
    """A person or an organization (authors, people mentioned, donors, contributors)."""

    PERSON = "person"
    ORGANIZATION = "organization"
    KIND_CHOICES = [(PERSON, "Person"), (ORGANIZATION, "Organization")]

    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=PERSON)
    variants = models.JSONField(
        default=list, blank=True, help_text="Other names and spellings, in any script."
    )
    life_dates = models.CharField(
        max_length=40, blank=True, help_text="EDTF interval, e.g. 1893/1976."
    )
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q5816")
    authority_ids = models.JSONField(
        default=dict, blank=True, help_text='Other authority records, e.g. {"viaf": "..."}'
    )
    source_key = models.CharField(
        max_length=200, blank=True, db_index=True,
        help_text="Key an importer uses to recognise this person again.",
    )

    class Meta(Entity.Meta):
        verbose_name = "person or organization"
        verbose_name_plural = "people and organizations"

    def get_absolute_url(self) -> str:
        return reverse("web:person", args=[self.pk])


class Place(Entity):
    variants = models.JSONField(default=list, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    def get_absolute_url(self) -> str:
        return reverse("web:place", args=[self.pk])


class Subject(Entity):
    def get_absolute_url(self) -> str:
        return reverse("web:subject", args=[self.pk])


class Repository(Entity):
    """An archive holding originals, e.g. 'Archive of the Ministry of Foreign Affairs of the PRC'."""

    abbreviation = models.CharField(max_length=50, blank=True)
    location = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)

    class Meta(Entity.Meta):
        verbose_name_plural = "repositories"

    def get_absolute_url(self) -> str:
        return reverse("web:repository", args=[self.pk])


class Collection(Timestamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    date_span = models.CharField(
        max_length=40, blank=True, help_text="EDTF, e.g. 1960/1984 for 1960–1984."
    )
    short_description = models.TextField(blank=True, help_text="One or two plain sentences.")
    description = models.TextField(
        blank=True, help_text="Rich text (HTML); may link other collections."
    )
    image = models.ImageField(upload_to="collections/", blank=True)
    image_caption = models.CharField(max_length=300, blank=True)
    image_credit = models.CharField(max_length=300, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")
    featured = models.BooleanField(default=False, db_index=True)
    source_id = models.CharField(max_length=200, blank=True, db_index=True)
    editors = models.TextField(blank=True)

    # A documentary edition (a FRUS volume, or any published volume of documents): its
    # documents are cited as published in it (citations.csl), by their number in it.
    is_edition = models.BooleanField(
        default=False, help_text="A published volume of documents, cited as such.",
    )
    series_title = models.CharField(
        max_length=300, blank=True,
        help_text="The series with its years, e.g. Foreign Relations of the United States, "
                  "1964–1968.",
    )
    volume_number = models.CharField(
        max_length=80, blank=True, help_text='As printed, e.g. "XXX" or "E–13".',
    )
    volume_title = models.CharField(max_length=300, blank=True, help_text="e.g. China")
    edition_editors = models.TextField(
        blank=True, help_text="The volume's editors as cited, one name a line.",
    )
    publisher = models.CharField(max_length=200, blank=True)
    publisher_place = models.CharField(max_length=200, blank=True)
    published_year = models.CharField(max_length=10, blank=True, help_text="e.g. 1998")
    medium = models.CharField(
        max_length=40, blank=True, help_text='How it was published: "print", "microfiche", '
                                             '"online"…',
    )
    source_url = models.URLField(
        blank=True, max_length=500, help_text="The edition's own page for this volume.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("web:collection-slug", args=[self.pk, self.slug])

    @property
    def display_date_span(self) -> str:
        return display_edtf(self.date_span) if self.date_span else ""


class Document(Timestamped):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    STATUS_CHOICES = [(DRAFT, "Draft"), (PUBLISHED, "Published"), (WITHDRAWN, "Withdrawn")]

    # AutoField: SQLite's AUTOINCREMENT and PostgreSQL's sequences never hand out an ID twice.
    id = models.AutoField(primary_key=True, verbose_name="record ID")
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    title = models.CharField(max_length=1000)

    # One EDTF value; the rest is derived from it by archive.dates when written.
    date = models.CharField(max_length=60, blank=True, help_text="EDTF; empty when undated.")
    date_earliest = models.DateField(null=True, blank=True, db_index=True, editable=False)
    date_latest = models.DateField(null=True, blank=True, editable=False)
    display_date = models.CharField(max_length=80, blank=True, editable=False)
    date_detail = models.CharField(
        max_length=100, blank=True, help_text="Time or other detail the EDTF day does not hold."
    )

    # The number a documentary edition gives the document ("100", "72A"); see is_edition.
    number = models.CharField(max_length=20, blank=True, db_index=True)
    participants = models.TextField(
        blank=True, help_text="Who took part (a memorandum of conversation), one a line.",
    )

    summary = models.TextField(blank=True)
    summary_generated = models.BooleanField(
        default=False, help_text="The summary was made from the text, not written by an editor."
    )
    document_type = models.CharField(max_length=100, blank=True, db_index=True)
    classification = models.CharField(max_length=200, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="documents")
    source_citation = models.TextField(blank=True)
    repository = models.ForeignKey(
        Repository, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents",
        verbose_name="original archive",
    )
    call_number = models.CharField(
        max_length=300, blank=True,
        help_text="Where the original archive keeps it, e.g. Central Files, DEF 1 CHINAT-US.",
    )
    rights = models.TextField(blank=True)
    funding = models.TextField(blank=True)
    place_of_origin = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    authors = models.ManyToManyField(Person, blank=True, related_name="authored_documents")
    people = models.ManyToManyField(Person, blank=True, related_name="mentioned_in")
    contributors = models.ManyToManyField(
        Person, blank=True, related_name="contributed_documents",
        help_text="Donors and contributors of the document.",
    )
    places = models.ManyToManyField(Place, blank=True, related_name="documents")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="documents")
    # Annotated: the plugin cannot infer a through model named by a string before its class.
    collections: models.ManyToManyField[Collection, CollectionMembership] = models.ManyToManyField(
        Collection, blank=True, through="CollectionMembership", related_name="documents"
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)

    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    source_id = models.CharField(
        max_length=200, null=True, blank=True, unique=True,
        help_text="Identifier in the original publication, e.g. frus1964-68v30/d1.",
    )
    source_url = models.URLField(blank=True, max_length=500)

    class Meta:
        ordering = ["date_earliest", "id"]
        permissions = [("publish_document", "Can publish and withdraw documents")]
        indexes = [
            models.Index(fields=["status", "date_earliest", "id"]),
            # The home page's "recently added" (queries.recently_added_documents): without it
            # every view sorted all published documents (6 ms at 5,000, growing with them).
            models.Index(fields=["status", "created_at", "id"], name="document_status_added_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("web:document-slug", args=[self.pk, self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == self.PUBLISHED


class GlossaryTerm(models.Model):
    """An abbreviation or term of a collection's glossary, shown on the collection's page
    (an imported FRUS volume's list of terms; see archive.bulk_actions.bulk_replace_glossary)."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term_id = models.CharField(max_length=100, help_text="ID in the volume, e.g. t_NSC1")
    term = models.CharField(max_length=200)
    expansion = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collection", "position", "term"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "term_id"], name="unique_glossary_term")
        ]

    def __str__(self) -> str:
        return f"{self.term}: {self.expansion}"


class CollectionMembership(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "document"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.collection_id}"


class Text(models.Model):
    """A translation or transcript of a document: sanitised HTML with footnotes."""

    TRANSLATION = "translation"
    TRANSCRIPT = "transcript"
    KIND_CHOICES = [(TRANSLATION, "Translation"), (TRANSCRIPT, "Transcript")]

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="texts")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES, default=TRANSLATION)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    translator = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="HTML; sanitised when saved.")
    footnotes = models.TextField(blank=True, help_text="HTML; sanitised when saved.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language_id})"


class Attachment(models.Model):
    """An original file (scan, PDF) with its SHA-256, computed when stored."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/")
    title = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name


class Page(models.Model):
    """One page of a document's original: a page of an attachment's file, rendered once into
    a tiled pyramidal master image (declassified.originals renders and serves it).

    A page row never changes its picture: `master` is named by its content (SHA-256), so the
    IIIF identifier (the page's ID) always means the same pixels and may be cached for long.
    Rendering a changed file gives new rows; only `position` (the page's place in the
    document, which editors may change) and `label` are edited.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="pages")
    number_in_file = models.PositiveIntegerField(help_text="1 for the file's first page.")
    position = models.PositiveIntegerField(default=0, help_text="Order in the document.")
    label = models.CharField(max_length=100, blank=True, help_text='e.g. "p. 3"; empty: numbered.')
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    master = models.CharField(max_length=300, help_text="Storage name of the pyramidal TIFF.")
    master_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attachment", "number_in_file"],
                                    name="unique_page_of_file"),
        ]
        indexes = [models.Index(fields=["document", "position"])]

    def __str__(self) -> str:
        return self.label or f"p. {self.position + 1}"


class PageText(models.Model):
    """What OCR read on one page (the machine transcript, page by page), and an editor's
    correction of it.

    `words` keeps every word's box and confidence, in the page's own pixels (the IIIF canvas):
    content search draws hits from them and ALTO and the searchable PDF are written from them.
    Reading the page again replaces the machine reading and never an editor's correction
    (declassified.archive.page_texts). The text readers see is `text`: the correction if
    there is one, else the machine's.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="reading")
    machine_text = models.TextField(blank=True)
    # [[text, x, y, w, h, confidence 0-100, line, block], ...]: compact, one row a page.
    words = models.JSONField(default=list, blank=True)
    mean_confidence = models.FloatField(null=True, blank=True, help_text="0-100; none: no words.")
    languages = models.CharField(max_length=100, help_text='Tesseract languages, e.g. "rus+eng".')
    engine = models.CharField(max_length=200, help_text="Engine and recipe that read the page.")
    read_at = models.DateTimeField(default=timezone.now)
    corrected_text = models.TextField(blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"OCR of page {self.page_id}"

    @property
    def is_corrected(self) -> bool:
        return self.corrected_at is not None

    @property
    def text(self) -> str:
        """What the page says: the editor's correction, else the machine reading."""
        return self.corrected_text if self.is_corrected else self.machine_text


class RevisionQuerySet(models.QuerySet):
    def of_document(self, document_id: int) -> RevisionQuerySet:
        """Every revision about a document: its own fields and its texts, files and
        collection memberships; also after the document was deleted."""
        return self.filter(document_id=document_id)

    def of_object(self, kind: str, object_id: object) -> RevisionQuerySet:
        return self.filter(kind=kind, object_id=str(object_id))


class Revision(models.Model):
    """The audit trail: one row per change to a document, collection, entity, text, file or
    collection membership, written by the action that made the change, in its transaction.

    `changes` holds what changed, not a snapshot: {field: {"old": value, "new": value}},
    JSON-safe values (a related row as {"id", "name"}, tag lists as lists of those, a file by
    its name and checksum, never its bytes). A create records "new" values only (text bodies
    left out: undoing a create removes the object), a deletion "old" values only (everything
    needed to put a text back). Restoring a document to a revision therefore means undoing
    the later ones, each field taking the "old" of the first later change to it
    (declassified.archive.restore).

    `document_id` is a plain integer, not a foreign key: the history of a deleted document
    stays, with its ID and (in `object_label`) its title. Texts, files and memberships carry
    their document's ID too; collections and entities have none.
    """

    DOCUMENT = "document"
    COLLECTION = "collection"
    PERSON = "person"
    PLACE = "place"
    SUBJECT = "subject"
    REPOSITORY = "repository"
    LANGUAGE = "language"
    TEXT = "text"
    ATTACHMENT = "attachment"
    MEMBERSHIP = "membership"
    GLOSSARY_TERM = "glossaryterm"
    PAGE_TEXT = "pagetext"
    KIND_CHOICES = [
        (DOCUMENT, "document"), (COLLECTION, "collection"), (PERSON, "person or organization"),
        (PLACE, "place"), (SUBJECT, "subject"), (REPOSITORY, "repository"),
        (LANGUAGE, "language"), (TEXT, "text"), (ATTACHMENT, "file"),
        (MEMBERSHIP, "collection membership"), (GLOSSARY_TERM, "glossary term"),
        (PAGE_TEXT, "OCR text of a page"),
    ]
    # Actions: create, edit, delete; publish, withdraw, draft (status); import; restore.

    at = models.DateTimeField(default=timezone.now, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    acting_user_name = models.CharField(
        max_length=150, blank=True, help_text="The username at the time (kept if the account goes)."
    )
    via = models.CharField(
        max_length=100, blank=True,
        help_text="The program or channel: 'api', 'import', 'frus-import'…; empty for the back office.",
    )
    action = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    object_id = models.CharField(max_length=40)  # a language's key is its code
    object_label = models.CharField(max_length=1000, blank=True, help_text="Title or name then.")
    document_id = models.IntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    values_recorded = models.BooleanField(
        default=True, help_text="False for rows kept from before old and new values were recorded."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="revision_object_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        """The user, the program, or both ('alice via api'); no query."""
        if self.acting_user_name and self.via:
            return f"{self.acting_user_name} via {self.via}"
        return self.acting_user_name or self.via or "unknown"


class SearchOutbox(models.Model):
    """One entry of the search change log: "document N may have changed", written in the same
    transaction as the change (archive.actions.enqueue_reindex).

    Every index node reads the log in `sequence` order and remembers, beside its index, the
    last sequence it applied (search/indexing/change_log.py). `sequence` is given after the
    writing transaction commits, in the order entries become visible, so a node that has read
    up to S never misses an entry numbered S or less; entries are deleted only once every
    live node has applied them.
    """

    document_id = models.IntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sequence = models.BigIntegerField(null=True, unique=True)  # None: not numbered yet

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"reindex document {self.document_id}"


class SearchLogHead(models.Model):
    """The change log's one row (pk 1): the last sequence given and the last one pruned.
    Its row lock makes numbering one-at-a-time across nodes."""

    last_sequence = models.BigIntegerField(default=0)
    pruned_through = models.BigIntegerField(default=0)  # entries ≤ this are deleted

    def __str__(self) -> str:
        return f"change log through {self.last_sequence} (pruned through {self.pruned_through})"


class SearchIndexNode(models.Model):
    """A search index that follows the change log: one per index directory (web node).

    Reported by the node's indexer after each commit and at least every minute; the log is
    pruned behind the slowest node seen within SEARCH_NODE_TIMEOUT_SECONDS.
    """

    node_id = models.CharField(max_length=64, unique=True)  # kept in the index directory
    name = models.CharField(max_length=300)  # host and directory, for people
    applied_sequence = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
