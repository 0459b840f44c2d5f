"""Stored HTML keeps classes and ids only where the page needs them (archive.richtext)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from declassified.archive.models import Document
from declassified.archive.richtext import sanitize_html


@pytest.mark.parametrize(("html", "expected"), [
    ('<p id="site-header" class="skip-link">x</p>', "<p>x</p>"),
    ('<div class="status-banner">Withdrawn</div>', "<div>Withdrawn</div>"),
    ('<table class="tei"><tbody><tr><td id="csrf">1</td></tr></tbody></table>',
     '<table class="tei"><tbody><tr><td>1</td></tr></tbody></table>'),
    ('<p class="center hero">x</p>', '<p class="center">x</p>'),
    ('<li id="a b">x</li>', "<li>x</li>"),
    ('<p id="main">x</p><p id="fn1">y</p>', '<p>x</p><p id="fn1">y</p>'),
    ('<div id="fn2">x</div>', "<div>x</div>"),
])
def test_classes_and_ids_outside_the_vocabulary_are_dropped(html, expected):
    assert sanitize_html(html) == expected


def test_what_the_frus_reader_and_the_css_need_is_kept():
    kept = [
        '<p class="closer">Sincerely</p>', '<span class="pb" data-page="3">[Page 3]</span>',
        '<sup class="fn-ref" id="ref-d1fn1">', '<ol class="footnotes"><li id="d1fn1">',
        '<span class="fn-label">1.</span>', '<a class="fn-back" href="#ref-d1fn1"',
        '<a class="person" href="frus-person/p_ZE1"', '<ul class="list-subject">',
    ]

    cleaned = sanitize_html(
        '<p class="closer">Sincerely</p><span class="pb" data-page="3">[Page 3]</span>'
        '<sup class="fn-ref" id="ref-d1fn1"><a href="#d1fn1">1</a></sup>'
        '<ol class="footnotes"><li id="d1fn1"><span class="fn-label">1.</span> Note '
        '<a class="fn-back" href="#ref-d1fn1" title="Back to the text">↩</a></li></ol>'
        '<a class="person" href="frus-person/p_ZE1">Zhou</a><ul class="list-subject"></ul>'
    )

    assert [fragment for fragment in kept if fragment not in cleaned] == []


def test_text_that_looks_like_an_empty_class_is_left_alone():
    assert sanitize_html('<p class="x">say class="" now</p>') == '<p>say class="" now</p>'


@pytest.mark.django_db
def test_an_imported_text_cannot_restyle_the_page(tmp_path, client):
    path = tmp_path / "docs.csv"
    path.write_text(
        'title,status,text\nCable,published,"<p class=""status-banner"" id=""main"">Hi</p>"\n',
        encoding="utf-8",
    )
    call_command("import", str(path), stdout=StringIO())

    page = client.get(Document.objects.get().get_absolute_url()).content.decode()

    assert "<p>Hi</p>" in page and 'class="status-banner" id="main"' not in page
