"""Reading TEI with lxml: the namespaces, local names and plain text of elements.

Shared by the parts of the FRUS reader (parse, documents, body, bibliography); pure functions.
"""

from __future__ import annotations

from declassified.archive.control_chars import strip_control_characters

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

_LOCAL_NAMES: dict[str, str] = {}


def local_name(element) -> str:
    """'{http://www.tei-c.org/ns/1.0}persName' → 'persName'; '' for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


def nearest_ancestor(element, name: str, stop):
    """The nearest ancestor of `element` with local name `name`, searched up to (not
    including) `stop`; None when there is none."""
    node = element.getparent()
    while node is not None and node is not stop:
        if local_name(node) == name:
            return node
        node = node.getparent()
    return None


def plain_text(element, skip=("note",)) -> str:
    """The element's text with whitespace collapsed, leaving out the named descendants."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            name = local_name(child)
            if name == "lb":
                parts.append(" ")
            elif name and name not in skip:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    # XML 1.0 allows DEL and the C1 controls; stripped, as every importer does (control_chars).
    return " ".join(strip_control_characters("".join(parts)).split())
