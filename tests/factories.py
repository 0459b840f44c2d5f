"""Factories that create archive rows through the same actions the application uses."""

from __future__ import annotations

import itertools

from declassified.archive import actions
from declassified.archive.models import Collection, Document, Language, Person, Place, Subject

_counter = itertools.count(1)


def make_document(*, status: str = Document.PUBLISHED, date: str = "1965-03-05",
                  title: str | None = None, collections=(), people=(), places=(), subjects=(),
                  authors=(), text: str | None = None, **fields) -> Document:
    n = next(_counter)
    document = Document(
        title=title or f"Cable number {n}", date=date, status=status,
        summary=fields.pop("summary", f"Summary of cable {n}."), **fields,
    )
    actions.do_save_document(document, actor="factory")
    if collections:
        document.collections.set(collections)
    document.people.set(people)
    document.places.set(places)
    document.subjects.set(subjects)
    document.authors.set(authors)
    if text is not None:
        english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
        actions.do_save_text(
            document.texts.model(document=document, kind="translation", language=english, body=text),
            actor="factory",
        )
    return document


def make_collection(title: str | None = None, **fields) -> Collection:
    collection = Collection(title=title or f"Collection {next(_counter)}", **fields)
    return actions.do_save_collection(collection)


def make_person(name: str = "Zhou Enlai", **fields) -> Person:
    return actions.do_save_entity(Person(name=name, **fields))


def make_place(name: str = "Moscow", **fields) -> Place:
    return actions.do_save_entity(Place(name=name, **fields))


def make_subject(name: str = "Student demonstrations", **fields) -> Subject:
    return actions.do_save_entity(Subject(name=name, **fields))
