"""Model fields by name, typed: a concrete field and the model a relation points to.

Django's `_meta.get_field(name)` may answer a reverse relation or a generic foreign key too,
which have no column (`max_length`, `help_text`, `attname`); code that means a field of the
model's own asks `concrete_field`, and code that follows a relation asks `related_model`.
"""

from __future__ import annotations

from django.db import models


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The model's own field `name` (a many-to-many included); TypeError for a reverse
    relation or a generic foreign key, FieldDoesNotExist for an unknown name."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a field of the model's own.")
    return field


def related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model the relation `name` of `model` points to (resolved: never 'self')."""
    related = concrete_field(model, name).related_model
    if not (isinstance(related, type) and issubclass(related, models.Model)):
        raise TypeError(f"{model.__name__}.{name} is not a relation.")
    return related
