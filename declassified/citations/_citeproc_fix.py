"""One correction to citeproc-py 0.11 (substituted variables are suppressed afterwards), and
one speed-up (macros looked up once per parsed style, not by XPath at every use).

CSL 1.0.2 (cs:substitute): "Substituted variables are suppressed in the rest of the output
to prevent duplication." citeproc-py only honours this when the substitute is a bare
`<text variable=…>`; the official Chicago, MLA and APA styles substitute a *macro* for a
missing author, so an authorless document (most archival ones) printed its title twice:
“Cable…”. “Cable…”. 1965. This module records which variables a substitute actually rendered,
through any macros and groups, and suppresses them for the rest of the entry, as
citeproc-js does. It changes nothing for entries with an author.

citeproc-py finds a macro by evaluating the XPath `cs:macro[@name=…]` from the style's root
every time an element refers to it: 12,000 XPath evaluations for ten documents' three styles,
a third of a document page's first view. The style's root element is held by the parsed
style for its whole life (each thread keeps its own, citations/render.py), so the macros it
found are kept on it by name; a style file never changes while it is parsed.

`install()` is idempotent and is called when `declassified.citations.render` is imported,
so every rendering in this process, including tests, uses the corrected processor.
"""

from __future__ import annotations

from citeproc import model
from citeproc.source import VariableError

# A key no CSL element tag can take: holds the set being recorded during a substitution.
_RECORDING = "declassified:substituted-variables"
_installed = False


def _variable_recording(original):
    def _variable(self, item, context):
        text = original(self, item, context)
        if text:
            recording = context.get_layout().repressed.get(_RECORDING)
            if recording is not None:
                recording.add((self.tag, self.get("variable")))
        return text

    return _variable


def _render_child(substitute, child, item, context, kwargs):
    if isinstance(child, model.Names) and child.name is None:
        names = substitute.xpath_search("./parent::cs:names[1]")[0]
        return child.render(item, names_context=names, context=context, **kwargs)
    return child.render(item, context=context, **kwargs)


def _substitute_render(self, item, context=None, **kwargs):
    """citeproc-py's Substitute.render, plus suppression of what the winning child used."""
    repressed = context.get_layout().repressed
    outer = repressed.get(_RECORDING)
    text = None
    for child in self.getchildren():
        recorded: set[tuple[str, str]] = set()
        repressed[_RECORDING] = recorded
        try:
            text = _render_child(self, child, item, context, kwargs)
        except VariableError:
            continue
        finally:
            if outer is None:
                repressed.pop(_RECORDING, None)
            else:
                repressed[_RECORDING] = outer
        if text:
            self.add_to_repressed_list(child, context)
            for tag, variable in recorded:
                repressed.setdefault(tag, []).append(variable)
            if outer is not None:
                outer.update(recorded)
            break
    return text


_MACROS = "_declassified_macros"


def _get_macro_once(self, name):
    root = self.get_root()
    macros = root.__dict__.get(_MACROS)
    if macros is None:
        macros = root.__dict__[_MACROS] = {}
    if name not in macros:
        macros[name] = _original_get_macro(self, name)
    return macros[name]


_original_get_macro = model.CitationStylesElement.get_macro


def install() -> None:
    global _installed
    if _installed:
        return
    model.Text._variable = _variable_recording(model.Text._variable)
    model.Substitute.render = _substitute_render
    model.CitationStylesElement.get_macro = _get_macro_once
    _installed = True
