"""Word pairs made in a helper process while this one reads the database and adds entries.

Profiled at 20,000 documents (docs/performance.md), making the word pairs of the texts
(language/pairs.py) was two thirds of the indexer's Python time: a C-level pass per word,
with nothing left to shave, and under the GIL nothing else of the indexer could run
meanwhile. Tantivy analyses and writes in its own thread, so the Python thread was the
limit. A backlog therefore hands each batch's texts to one helper process, which makes
their pair texts (the same PairMaker, the same pair terms: the same strings) while this
process reads the next batch and adds the previous one to the index.

The helper is started with "spawn" (a fresh interpreter: safe from a web server's threads)
and only for a backlog, where its second or two of start-up is paid back many times.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import django

from declassified.search.engine.entries import Analysed, analyse
from declassified.search.language.pairs import PairMaker, PairTerms
from declassified.search.types import IndexRecord


class PairProcess:
    """One helper process making the pair texts of batches of records."""

    def __init__(self, terms: PairTerms) -> None:
        # The helper sets Django up before anything of this package is imported there (the
        # package imports the models); settings come from the environment it inherited, and
        # it never opens a database connection. The pair terms cross as plain tuples (with
        # each batch: a few hundred KB beside its megabytes of text).
        self._terms = (tuple(sorted(terms.common)),
                       None if terms.partners is None else tuple(sorted(terms.partners)))
        self._executor = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=django.setup)

    def submit(self, records: Sequence[IndexRecord]) -> Future[list[Analysed]]:
        # Only what is analysed crosses to the helper (not the pages' OCR text, not dates).
        return self._executor.submit(
            _analyse, self._terms, [(r.title, r.summary, r.texts) for r in records])

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


_Terms = tuple[tuple[str, ...], tuple[str, ...] | None]  # common terms, partners


def _analyse(terms: _Terms, items: list[tuple[str, str, list[str]]]) -> list[Analysed]:
    """In the helper: what build_entry needs analysed, for each (title, summary, texts)."""
    maker = _makers.get(terms)
    if maker is None:
        _makers.clear()
        common, partners = terms
        maker = _makers[terms] = PairMaker(  # keeps its cache of analysed words
            PairTerms(frozenset(common), None if partners is None else frozenset(partners)))
    return [analyse(IndexRecord(0, "", title, summary=summary, texts=texts), maker)
            for title, summary, texts in items]


_makers: dict[_Terms, PairMaker] = {}
