"""OAI-PMH 2.0 at /oai: the six verbs over GET and POST, oai_dc records, sets = collections.

Published documents are records; withdrawn ones are deleted records (header only,
deletedRecord=persistent); drafts never appear, not even as deleted (see
archive.access.harvestable_documents). Lists are paged by a signed resumptionToken holding
the query and a cursor on (datestamp, id), so a page is a fixed number of queries however deep
the harvest. docs/harvesting.md describes the endpoint for harvesters.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from declassified.archive import access
from declassified.archive.models import Collection, Document
from declassified.harvest.oai_dc import (
    DC_NS,
    DOCUMENT_PREFETCH,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    XSI_NS,
    oai_dc_element,
    xml_text,
)
from declassified.harvest.oai_requests import (
    GRANULARITY,
    MAX_DATABASE_ID,
    METADATA_PREFIX,
    OAIError,
    format_datestamp,
    issue_token,
    parse_date_range,
    parse_request,
    read_token,
    token_lifetime,
)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
_SET = re.compile(r"collection:([0-9]{1,12})")


def page_size() -> int:
    return settings.OAI_PAGE_SIZE


def oai_element(name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.Element(f"{{{OAI_NS}}}{name}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = xml_text(text)
    return element


def child(parent: etree._Element, name: str, text: str | None = None, **attributes: str):
    element = oai_element(name, text, **attributes)
    parent.append(element)
    return element


class OAIRepository:
    """What one request knows about the repository: its base URL and identifier namespace."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.base_url = request.build_absolute_uri(request.path)
        configured = settings.OAI_REPOSITORY_IDENTIFIER
        self.identifier_host = configured or split_domain_port(request.get_host())[0] or "localhost"
        self.identifier_prefix = f"oai:{self.identifier_host}:document/"

    def absolute_url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def identifier(self, document: Document) -> str:
        return f"{self.identifier_prefix}{document.pk}"

    def document_id(self, identifier: str) -> int | None:
        """The record ID an identifier of this repository names, or None."""
        if not identifier.startswith(self.identifier_prefix):
            return None
        number = identifier[len(self.identifier_prefix):]
        if not number.isascii() or not number.isdigit() or len(number) > 10:
            return None
        pk = int(number)
        return pk if 0 < pk <= MAX_DATABASE_ID else None


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request; protocol errors are 200 responses with <error> elements."""
    repository = OAIRepository(request)
    params = request.POST if request.method == "POST" else request.GET
    echo: dict[str, str] = {}
    try:
        verb, arguments = parse_request(params)
        echo = {"verb": verb, **arguments}
        body = VERB_HANDLERS[verb](repository, arguments)
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:
            echo = {}  # the protocol forbids echoing the arguments of a malformed request
        body = oai_element("error", error.message, code=error.code)
    return envelope(repository, echo, body)


def envelope(repository: OAIRepository, echo: dict[str, str], body: etree._Element) -> HttpResponse:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    child(root, "responseDate", format_datestamp(timezone.now()))
    child(root, "request", repository.base_url, **echo)
    root.append(body)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")


# --- Verbs -------------------------------------------------------------------------------


def identify(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    body = oai_element("Identify")
    child(body, "repositoryName", settings.SITE_NAME)
    child(body, "baseURL", repository.base_url)
    child(body, "protocolVersion", "2.0")
    child(body, "adminEmail", settings.OAI_ADMIN_EMAIL)
    earliest = access.harvestable_documents().aggregate(first=Min("updated_at"))["first"]
    child(body, "earliestDatestamp", format_datestamp(earliest or timezone.now()))
    child(body, "deletedRecord", "persistent")
    child(body, "granularity", GRANULARITY)
    return body


def list_metadata_formats(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    if "identifier" in arguments:
        find_document(repository, arguments["identifier"], prefetch=False)
    body = oai_element("ListMetadataFormats")
    format_element = child(body, "metadataFormat")
    child(format_element, "metadataPrefix", METADATA_PREFIX)
    child(format_element, "schema", OAI_DC_SCHEMA)
    child(format_element, "metadataNamespace", OAI_DC_NS)
    return body


def list_sets(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    """Every collection is a set, "collection:<id>", in id order, paged like the record lists."""
    state: dict = read_token(arguments["resumptionToken"], "sets") if "resumptionToken" in arguments \
        else {"kind": "sets", "after": 0, "delivered": 0}
    collections = list(
        Collection.objects.filter(pk__gt=state["after"]).order_by("pk")
        .only("pk", "title", "short_description")[: page_size() + 1]
    )
    if not collections:
        if "resumptionToken" in arguments:
            raise OAIError("badResumptionToken", "That list has no more sets.")
        raise OAIError("noSetHierarchy", "This repository has no collections yet, so no sets.")
    body = oai_element("ListSets")
    for collection in collections[: page_size()]:
        body.append(set_element(collection))
    more = len(collections) > page_size()
    if more or "resumptionToken" in arguments:
        next_state = {**state, "after": collections[page_size() - 1].pk if more else None,
                      "delivered": state["delivered"] + min(len(collections), page_size())}
        body.append(token_element(next_state if more else None, state["delivered"]))
    return body


def set_element(collection: Collection) -> etree._Element:
    element = oai_element("set")
    child(element, "setSpec", f"collection:{collection.pk}")
    child(element, "setName", collection.title)
    if collection.short_description.strip():
        description = child(element, "setDescription")
        dc = etree.SubElement(description, f"{{{OAI_DC_NS}}}dc",
                              nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
        dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
        text = xml_text(collection.short_description)
        etree.SubElement(dc, f"{{{DC_NS}}}description").text = text
    return element


def get_record(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    check_metadata_prefix(arguments["metadataPrefix"])
    document = find_document(repository, arguments["identifier"], prefetch=True)
    body = oai_element("GetRecord")
    body.append(record_element(repository, document))
    return body


def list_identifiers(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    return list_documents(repository, arguments, "ListIdentifiers")


def list_records(repository: OAIRepository, arguments: dict[str, str]) -> etree._Element:
    return list_documents(repository, arguments, "ListRecords")


VERB_HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# --- Records -----------------------------------------------------------------------------


def check_metadata_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OAIError("cannotDisseminateFormat",
                       f"This repository disseminates {METADATA_PREFIX} only.")


def find_document(repository: OAIRepository, identifier: str, *, prefetch: bool) -> Document:
    """The harvestable document an identifier names; drafts and strangers are idDoesNotExist."""
    pk = repository.document_id(identifier)
    documents = access.harvestable_documents()
    if prefetch:
        documents = documents.select_related("repository").prefetch_related(*DOCUMENT_PREFETCH)
    document = documents.filter(pk=pk).first() if pk else None
    if document is None:
        raise OAIError("idDoesNotExist", "This repository has no record with that identifier.")
    return document


def header_element(repository: OAIRepository, document: Document) -> etree._Element:
    deleted = access.is_withdrawn_tombstone(document)
    header = oai_element("header", status="deleted" if deleted else "")
    child(header, "identifier", repository.identifier(document))
    child(header, "datestamp", format_datestamp(document.updated_at))
    for collection in document.collections.all():
        child(header, "setSpec", f"collection:{collection.pk}")
    return header


def record_element(repository: OAIRepository, document: Document) -> etree._Element:
    record = oai_element("record")
    record.append(header_element(repository, document))
    if not access.is_withdrawn_tombstone(document):
        metadata = child(record, "metadata")
        metadata.append(oai_dc_element(document, repository.absolute_url))
    return record


def selected_documents(query: dict) -> QuerySet[Document]:
    """Harvestable documents matching a list request's set and dates, in (datestamp, id) order."""
    documents = access.harvestable_documents().order_by("updated_at", "pk")
    if query.get("set") is not None:
        match = _SET.fullmatch(query["set"])
        if not match or int(match.group(1)) > MAX_DATABASE_ID:
            return documents.none()
        documents = documents.filter(collections__pk=int(match.group(1)))
    dates = parse_date_range({k: v for k, v in query.items() if k in {"from", "until"} and v})
    if dates.since:
        documents = documents.filter(updated_at__gte=dates.since)
    if dates.before:
        documents = documents.filter(updated_at__lt=dates.before)
    return documents


def list_state(arguments: dict[str, str], kind: str) -> dict:
    """The query and cursor of a list request, from a token or from fresh arguments."""
    if "resumptionToken" in arguments:
        state = read_token(arguments["resumptionToken"], kind)
        try:
            parse_date_range({k: state[k] for k in ("from", "until") if state.get(k)})
            dt.datetime.fromisoformat(state["after"][0]) if state["after"] else None
        except (KeyError, TypeError, ValueError, OAIError):
            raise OAIError("badResumptionToken", "That resumptionToken is damaged.") from None
        return state
    check_metadata_prefix(arguments["metadataPrefix"])
    parse_date_range(arguments)  # badArgument before any query
    return {
        "kind": kind, "set": arguments.get("set"), "from": arguments.get("from"),
        "until": arguments.get("until"), "after": None, "delivered": 0, "size": None,
    }


def list_documents(repository: OAIRepository, arguments: dict[str, str], kind: str):
    """One page of ListIdentifiers/ListRecords: 2 queries (+1 count on a first page that
    continues, + the prefetches of ListRecords)."""
    state = list_state(arguments, kind)
    documents = selected_documents(state)
    if state["after"]:
        after_moment, after_pk = dt.datetime.fromisoformat(state["after"][0]), state["after"][1]
        page_documents = documents.filter(
            Q(updated_at__gt=after_moment) | Q(updated_at=after_moment, pk__gt=after_pk)
        )
    else:
        page_documents = documents
    if kind == "ListRecords":
        page_documents = page_documents.select_related("repository").prefetch_related(
            *DOCUMENT_PREFETCH
        )
    else:
        page_documents = page_documents.prefetch_related("collections")
    page = list(page_documents[: page_size() + 1])
    if not page:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    more = len(page) > page_size()
    page = page[: page_size()]
    body = oai_element(kind)
    for document in page:
        body.append(record_element(repository, document) if kind == "ListRecords"
                    else header_element(repository, document))
    if more or state["after"]:
        size = state["size"] if state["size"] is not None else documents.count()
        last = page[-1]
        next_state = {**state, "size": size, "delivered": state["delivered"] + len(page),
                      "after": [last.updated_at.isoformat(), last.pk]}
        body.append(token_element(next_state if more else None, state["delivered"], size))
    return body


def token_element(next_state: dict | None, cursor: int, size: int | None = None):
    """The <resumptionToken> of a page; empty on the last page of a paged list."""
    if next_state is None:
        return oai_element("resumptionToken", None, cursor=str(cursor),
                           completeListSize=str(size) if size else "")
    expires = format_datestamp(timezone.now() + token_lifetime())
    return oai_element("resumptionToken", issue_token(next_state), cursor=str(cursor),
                       expirationDate=expires, completeListSize=str(size) if size else "")
