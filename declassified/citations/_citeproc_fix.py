"""Four corrections to citeproc-py 0.11 (substituted variables are suppressed afterwards;
`initialize="false"` is honoured; titles keep their own capitalisation; date ranges within
one year), and one speed-up (macros looked up once per parsed style, not by XPath at every
use).

CSL 1.0.2 (cs:substitute): "Substituted variables are suppressed in the rest of the output
to prevent duplication." citeproc-py only honours this when the substitute is a bare
`<text variable=…>`; the official Chicago, MLA and APA styles substitute a *macro* for a
missing author, so an authorless document (most archival ones) printed its title twice:
“Cable…”. “Cable…”. 1965. This module records which variables a substitute actually rendered,
through any macros and groups, names included (APA's title macro carries the translator:
"Title (Neil Silver, trans.). (1958). (Neil Silver, trans.)"), and suppresses them for the
rest of the entry, as citeproc-js does. It changes nothing for entries with an author.

citeproc-py finds a macro by evaluating the XPath `cs:macro[@name=…]` from the style's root
every time an element refers to it: 12,000 XPath evaluations for ten documents' three styles,
a third of a document page's first view. The style's root element is held by the parsed
style for its whole life (each thread keeps its own, citations/render.py), so the macros it
found are kept on it by name; a style file never changes while it is parsed.

CSL 1.0.2 (name options): with `initialize="false"` given names are not initialised even
when the style sets `initialize-with`; citeproc-py initialises them anyway, so Chicago named
an edition's editor "H. D. Schwar" where the manual writes "Harriet Dashiell Schwar".

Titles keep the capitalisation their record gives them: the styles ask for title case
(Chicago, MLA) or sentence case (APA), and citeproc-py's word-by-word conversion turns an
archival title's "between" into "Between" and a FRUS heading's proper nouns into lower case
("Telegram from the commander in chief, pacific"). An archive transcribes titles as the
editors wrote them, so `text-case="title"` and `"sentence"` leave text as it is; the other
cases (a term's "capitalize-first", "lowercase"), and any case of a label or term, still
apply; a label is title-cased as English, which citeproc-py skipped for want of a language.

Date ranges (CSL 1.0.2, cs:date "Date Ranges"): when every part a style shows is the same
at both ends (APA shows only the year of "1964-01-15/1964-03-02"), citeproc-py rendered
nothing at all, leaving the entry undated; such a range is written once ("1964"), as
citeproc-js does. (The comma it leaves before the dash of "January 15,–March 2, 1964" is
taken out of the rendered text, citations.render.corrected_punctuation: the parts are
separate strings here.)

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


# Name variables (roles) a substitute rendered, suppressed in the rest of the entry.
_SUPPRESSED_ROLES = "declassified:suppressed-roles"


def _names_recording(original):
    def process(self, item, names_context=None, context=None, **kwargs):
        repressed = (context if context is not None else self).get_layout().repressed
        roles = self.get("variable").split()
        kept = [role for role in roles if role not in repressed.get(_SUPPRESSED_ROLES, ())]
        if not kept and self.substitute() is None:
            raise VariableError
        self.set("variable", " ".join(kept or roles))
        try:
            text = original(self, item, names_context, context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))
        recording = repressed.get(_RECORDING)
        if text and recording is not None:
            recording.update((_SUPPRESSED_ROLES, role) for role in kept
                             if role in item.reference)
        return text

    return process


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


_KEPT_CASES = frozenset({"title", "sentence"})


def _case_keeping_titles(original):
    def case(self, text, language=None):
        # Labels and terms ("Trans.", "Ed.") are the style's words: cased as it asks.
        is_style_word = isinstance(self, model.Label) or self.get("term") is not None
        if self.get("text-case") in _KEPT_CASES and not is_style_word:
            return text
        if is_style_word and language is None:
            # citeproc-py passes a label no language and then skips title case ("trans."
            # where APA writes "Trans."); our styles' words are English
            language = "en"
        return original(self, text, language)

    return case


def _initialize_unless_false(original):
    def initialize(self, given, mark, context):
        if self.get("initialize") == "false":
            return given
        return original(self, given, mark, context)

    return initialize


def _date_range_fixed(original):
    def render_date_range(self, date_range, show_parts=None, context=None):
        shown = list(show_parts) if show_parts is not None else None
        text = original(self, date_range, show_parts, context)
        if text is None and not date_range.end.is_nil():
            # every shown part is the same at both ends: the range is that one date
            return self.render_single_date(date_range.begin, shown, context)
        return text

    return render_date_range


def install() -> None:
    global _installed
    if _installed:
        return
    model.Text._variable = _variable_recording(model.Text._variable)
    model.Names.process = _names_recording(model.Names.process)
    model.Substitute.render = _substitute_render
    model.CitationStylesElement.get_macro = _get_macro_once
    model.TextCased.case = _case_keeping_titles(model.TextCased.case)
    model.Name.initialize = _initialize_unless_false(model.Name.initialize)
    model.Date.render_date_range = _date_range_fixed(model.Date.render_date_range)
    _installed = True
