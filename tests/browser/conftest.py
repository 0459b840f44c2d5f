"""A real browser for page tests: Debian's Chromium driven by Playwright (no browser download).

Pages are served by pytest-django's live server on the test database of this run. One
browser serves the whole session; each test gets a fresh context (empty cache, no cookies).
The archive a reader meets is the seed's sample collection (`sample_archive`), indexed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told this is fine (it is: tests are sequential).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEED_COLLECTION = "Sino-Soviet Split, 1960-1984"
WIDTHS = (375, 768, 1280)
PASSWORD = "correct horse battery"  # the personas' password (tests/conftest.py)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Browser tests need Debian's chromium at /usr/bin/chromium (make test installs it).")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    # The Content-Security-Policy is enforced here as in any browser: a page whose script,
    # style or image it blocks fails its test (Chromium reports each block on the console).
    blocked: list[str] = []
    tab.on("console", lambda message: blocked.append(f"{tab.url}: {message.text[:120]}")
           if "Content Security Policy" in message.text else None)
    tab.csp_blocked = blocked  # type: ignore[attr-defined]  # axe_violations forgets its own
    yield tab
    context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked[:3]}"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Screenshots the tests take, for a person to look at (`make screenshots` keeps some)."""
    return tmp_path_factory.mktemp("screenshots")


@dataclass
class SampleArchive:
    """The seed's collection as loaded by `load-samples`, with a few of its rows at hand."""

    collection: object
    documents: list  # the collection's documents in date order
    person: object  # a person tagged on several documents

    def document_with_person(self):
        return next(d for d in self.documents if self.person in d.people.all())


@pytest.fixture
def sample_archive(transactional_db) -> SampleArchive:
    from django.core.management import call_command
    from django.db.models import Count, Q

    from declassified.archive.models import Collection, Person

    call_command("load_samples", stdout=StringIO())
    index_now()
    collection = Collection.objects.get(title=SEED_COLLECTION)
    documents = list(collection.documents.order_by("date_earliest", "date_latest", "pk"))
    # The person the seed's documents name most (the FRUS samples name others more often).
    person = Person.objects.annotate(n=Count(
        "mentioned_in", filter=Q(mentioned_in__collectionmembership__collection=collection),
    )).order_by("-n", "name").first()
    return SampleArchive(collection, documents, person)


def index_now() -> None:
    """Apply the search outbox now, as the in-process indexer would within a second."""
    from declassified import search

    search.apply_pending()


def axe_violations(tab) -> list[dict]:
    """Run axe-core inside the page for the WCAG 2.0/2.1/2.2 A and AA rules."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does).")
    # Evaluated through the DevTools protocol, not as an inline <script> the page's
    # Content-Security-Policy would (rightly) block.
    tab.evaluate(AXE.read_text())
    blocked = getattr(tab, "csp_blocked", [])
    before = len(blocked)
    violations = tab.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        WCAG_TAGS,
    )
    # axe itself sets style attributes while it measures (colour contrast); the policy blocks
    # those, which is no fault of the page.
    del blocked[before:]
    return violations


def has_horizontal_scroll(tab) -> bool:
    return tab.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    )


def log_in(tab, username: str, password: str = PASSWORD) -> None:
    """Log in through the real /admin/login/ form, as a person would."""
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url("**/admin/")


def foreign_requests(urls: list[str], origin: str) -> list[str]:
    """The URLs not served by `origin` (data: URLs are inline, not requests to anyone)."""
    own = urlsplit(origin)
    return [
        url for url in urls
        if not url.startswith("data:")
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
    ]


# Words for generated long texts: the shape of a FRUS telegram, not its content.
_VOCABULARY = (
    "the embassy reports that Soviet and Chinese delegations met again on Tuesday to discuss "
    "border questions navigation on the rivers trade agreements and the position of both "
    "parties toward Vietnam while observers in Moscow and Beijing expect no early settlement"
).split()


def long_text_html(words: int = 5_000, footnote_every: int = 6) -> tuple[str, str]:
    """(body, footnotes) in the importer's markup: paragraphs of ~100 words, footnote
    references, printed-page markers, a wide table and a signature."""
    paragraphs, notes = [], []
    for n in range(words // 100):
        text = " ".join(_VOCABULARY[(n + i) % len(_VOCABULARY)] for i in range(100))
        if n % footnote_every == 0:
            number = len(notes) + 1
            text += (f'<sup class="fn-ref" id="ref-fn{number}"><a href="#fn{number}">{number}'
                     "</a></sup>")
            notes.append(f'<li id="fn{number}"><span class="fn-label">{number}.</span> Telegram '
                         f"{700 + number} from Moscow, not printed."
                         f' <a class="fn-back" href="#ref-fn{number}">↩</a></li>')
        if n and n % 10 == 0:
            paragraphs.append(f'<span class="pb" data-page="{n // 10}">[Page {n // 10}]</span>')
        paragraphs.append(f"<p>{text}.</p>")
        if n == 3:
            paragraphs.append(WIDE_TABLE)
    paragraphs.append('<div class="closer"><p class="closer">Thompson</p></div>')
    return "".join(paragraphs), f'<ol class="footnotes">{"".join(notes)}</ol>'


WIDE_TABLE = (
    '<table class="tei"><tbody><tr>'
    + "".join(f"<th>Grain shipments, quarter {q}, thousand metric tons</th>" for q in range(1, 9))
    + "</tr><tr>"
    + "".join(f"<td>{q * 1234:,}</td>" for q in range(1, 9))
    + "</tr></tbody></table>"
)


@pytest.fixture
def long_document(sample_archive):
    """A published 5,000-word document with footnotes and tags, in the seed's collection."""
    from declassified.archive.models import Document, Place
    from tests.factories import make_document, make_repository, make_subject, make_text

    body, footnotes = long_text_html()
    document = make_document(
        title="Telegram from the Embassy in the Soviet Union to the Department of State",
        date="1965-03-05", document_type="Telegram", classification="Secret; Priority",
        source_citation="National Archives, RG 59, Central Files 1964–66, POL 32-1 CHICOM-USSR.",
        summary="The Ambassador reports on the state of the Sino-Soviet dispute after the "
                "Moscow meeting of Communist parties.",
        repository=make_repository("National Archives and Records Administration"),
        collections=[sample_archive.collection], people=[sample_archive.person],
        places=Place.objects.filter(name="Moscow"), subjects=[make_subject("Sino-Soviet relations")],
    )
    make_text(document, body, footnotes=footnotes, translator="")
    index_now()
    return Document.objects.get(pk=document.pk)
