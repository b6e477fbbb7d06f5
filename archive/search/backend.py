"""Our Whoosh engine: Haystack's, with the traps of the stock backend closed.

- one writer at a time with a bounded wait and a clear error (the stock AsyncWriter
  waits or buffers without limit, and a removal fails at once with LockError);
- non-compound segments, so opening a searcher does not copy segments into memory;
- spelling suggestions only when a search finds few results.

The shared, refreshed searcher and cheap facets come with the performance work.
"""

from __future__ import annotations

import re

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.exceptions import SkipDocument
from whoosh.index import LockError

WRITER_TIMEOUT_SECONDS = 30
SPELLING_BELOW_HITS = 5
COMMON_FACTOR = 3  # a known word is corrected only to a neighbour this many times as common


class IndexBusy(RuntimeError):
    """Another process holds the index writer for longer than we wait."""


class ArchiveWhooshBackend(WhooshSearchBackend):
    def _writer(self):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        try:
            return self.index.writer(timeout=WRITER_TIMEOUT_SECONDS, compound=False)
        except LockError as exc:
            raise IndexBusy(
                f"The search index at {self.path} is locked by another writer "
                f"(waited {WRITER_TIMEOUT_SECONDS}s). Try again when the other ingest finishes."
            ) from exc

    def update(self, index, iterable, commit=True):
        documents = []
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            documents.append({key: self._from_python(value) for key, value in doc.items()})
        if not documents:
            return
        writer = self._writer()
        try:
            for doc in documents:
                writer.update_document(**doc)
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, obj_or_string, commit=True):
        from haystack.constants import ID
        from haystack.utils import get_identifier

        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    def _process_results(self, raw_page, **kwargs):
        include_spelling = self.include_spelling
        # Suggestions cost a pass over the spelling dictionary: only offer them when needed.
        self.include_spelling = include_spelling and len(raw_page) < SPELLING_BELOW_HITS
        try:
            return super()._process_results(raw_page, **kwargs)
        finally:
            self.include_spelling = include_spelling

    def suggest(self, text: str) -> str:
        """'Did you mean': each word the index does not know, replaced by the closest word
        it does; a word it knows is kept unless a one-letter neighbour is far more common
        (Whoosh's corrector alone always proposes a different word, 'rail' -> 'said').
        Empty when there is nothing to correct."""
        if not self.setup_complete:
            self.setup()
        words = re.findall(r"[\w'’]+", text.lower())
        if not words:
            return ""
        field = self.schema[self.content_field_name]
        spelling_field = field.spelling_fieldname(self.content_field_name)
        with self.index.refresh().reader() as reader:
            corrector = reader.corrector(spelling_field)  # unstemmed words, not the stemmed text field
            suggested = []
            for word in words:
                if (spelling_field, word) not in reader:
                    corrections = corrector.suggest(word, limit=1, maxdist=2)
                    suggested.append(corrections[0] if corrections else word)
                    continue
                # A word the index knows may still be a typo the archive repeats
                # ("goverment"): offer a one-letter neighbour that is far more common.
                frequency = reader.doc_frequency(spelling_field, word)
                common = [
                    c
                    for c in corrector.suggest(word, limit=3, maxdist=1)
                    if reader.doc_frequency(spelling_field, c) >= COMMON_FACTOR * frequency
                ]
                suggested.append(common[0] if common else word)
        return "" if suggested == words else " ".join(suggested)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
