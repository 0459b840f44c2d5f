"""Forms and widgets of the back office: EDTF dates checked on entry, variants one per line."""

from __future__ import annotations

from django import forms
from django.db import models

from declassified.archive.control_chars import refuse_control_characters
from declassified.archive.dates import InvalidDate, parse_document_date
from declassified.archive.models import Document

# Offered for document_type alongside every type already in use; any other text is allowed.
COMMON_DOCUMENT_TYPES = [
    "Cable", "Telegram", "Memorandum of Conversation", "Memorandum", "Minutes", "Letter",
    "Report", "Speech", "Diary Entry", "Note", "Transcript",
]


def known_document_types() -> list[str]:
    """The common types plus every type documents already have (one query, indexed column)."""
    used = (
        Document.objects.exclude(document_type="")
        .order_by("document_type")
        .values_list("document_type", flat=True)
        .distinct()
    )
    return sorted(set(COMMON_DOCUMENT_TYPES).union(used), key=str.casefold)


class DatalistInput(forms.TextInput):
    """A text input with suggestions (HTML <datalist>): works without JavaScript."""

    template_name = "admin/archive/widgets/datalist_input.html"

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs)
        self.suggestions = suggestions  # a callable, so the list is read when rendered

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}_suggestions"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["suggestions"] = self.suggestions()
        return context


class RefusesControlCharacters:
    """A ModelAdmin (or inline) mixin: every text field of its forms refuses control
    characters (archive.control_chars). The API's writes use the same forms, so they do too."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        return refusing_control_characters(db_field, formfield)


def refusing_control_characters(db_field, formfield):
    """`formfield`, refusing control characters if it edits a text column."""
    if formfield is not None and isinstance(db_field, models.CharField | models.TextField):
        formfield.validators.append(refuse_control_characters)
    return formfield


def text_formfield(db_field, **kwargs):
    """A modelform_factory formfield_callback with the back office's rule for text."""
    return refusing_control_characters(db_field, db_field.formfield(**kwargs))


class LinesField(forms.Field):
    """A list of strings edited as one per line (name variants in any script)."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_validators = [refuse_control_characters]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


def clean_edtf(value: str) -> str:
    """The EDTF value as it will be stored, or a ValidationError with the parser's reason."""
    try:
        return parse_document_date(value).edtf
    except InvalidDate as error:
        raise forms.ValidationError(str(error), code="invalid_date") from None


# The admin forms name no model or fields: each ModelAdmin supplies both (from its
# fieldsets) through modelform_factory, which keeps these Meta options.


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        widgets = {"document_type": DatalistInput(known_document_types)}
        help_texts = {
            "date": "EDTF: 1965-03-05, 1965-03, 1965, 1965-03~ (circa), 1964/1965 (a range); "
            "leave empty when undated.",
            "slug": "Leave empty to derive it from the title. Old slugged links keep working.",
        }

    def clean_date(self) -> str:
        return clean_edtf(self.cleaned_data.get("date", ""))


class CollectionAdminForm(forms.ModelForm):
    def clean_date_span(self) -> str:
        return clean_edtf(self.cleaned_data.get("date_span", ""))


_VARIANTS_HELP = ("Other names and spellings, in any script; one per line. A search for any of "
                  "them finds the others. Spellings derived from the name (pinyin, Wade–Giles, "
                  "characters, Cyrillic, historic names) are added when the record is created or "
                  "renamed; remove the wrong ones here.")


class PersonAdminForm(forms.ModelForm):
    variants = LinesField(required=False, help_text=_VARIANTS_HELP)


class PlaceAdminForm(forms.ModelForm):
    variants = LinesField(required=False, help_text=_VARIANTS_HELP)

