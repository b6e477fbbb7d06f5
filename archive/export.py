"""Articles as plain rows, for exports (the export_articles command, a search's CSV and JSON)
and the extraction score."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from archive.models import Article

EXPORT_FIELDS = ["file", "title", "source", "author", "date", "url", "people", "parties", "organisations", "quotes"]
CHUNK = 500


def export_row(article) -> dict:
    # By position, then name: ties (two names at one offset) must not fall back on ids,
    # which depend on the order the files were ingested in.
    mentions = sorted(
        (m for m in article.mentions.all() if not m.boilerplate_only),
        key=lambda m: (m.first_offset, (m.person or m.organisation).name),
    )
    organisations = [m.organisation for m in mentions if m.organisation_id]
    return {
        "file": article.file_name,
        "title": article.title,
        "source": article.source.name if article.source else None,
        "author": article.author or None,
        "date": article.published.isoformat() if article.published else None,
        "url": article.url or None,
        "people": [m.person.name for m in mentions if m.person_id],
        "parties": [o.name for o in organisations if o.is_party],
        "organisations": [o.name for o in organisations if not o.is_party],
        "quotes": [
            {"speaker": entity.name if (entity := q.speaker_entity) else None, "text": q.text}
            for q in article.quotes.all()
        ],
    }


def _with_rows(articles):
    return articles.select_related("source").prefetch_related(
        "mentions__person", "mentions__organisation", "quotes__speaker", "quotes__speaker_organisation"
    )


def export_rows(articles=None):
    # In identity order, not insertion order: the same files give the same export,
    # whatever order they were ingested in.
    articles = articles if articles is not None else Article.objects.order_by("file_name", "content_hash")
    for article in _with_rows(articles).iterator(chunk_size=CHUNK):
        yield export_row(article)


def articles_in_order(pks: Iterable[int]) -> Iterator[Article]:
    """The articles with these ids, in the order given (a search's order), read a chunk at a
    time with everything a row needs; ids no longer in the database are skipped."""
    pks = list(pks)
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        found = _with_rows(Article.objects.all()).in_bulk(chunk)
        yield from (found[pk] for pk in chunk if pk in found)


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """CSV text a line at a time, header first: lists as '; '-separated text, quotes as 'Speaker: text',
    any cell that a spreadsheet would take for a formula made text (``as_text_cell``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_array_lines(rows: Iterable[dict]) -> Iterator[str]:
    """One JSON array, an element a line, so it can be streamed."""
    yield "["
    for index, row in enumerate(rows):
        yield ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


def _quote(quote: dict) -> str:
    return f"{quote['speaker']}: {quote['text']}" if quote["speaker"] else quote["text"]


# A spreadsheet reads a cell starting with one of these as a formula ("=HYPERLINK(...)"), so
# text from an article could run in the reader's spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(_quote(v) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else as_text_cell(value)


def as_text_cell(value):
    """A text cell a spreadsheet shows as text: a leading apostrophe before a formula start
    (the apostrophe is how spreadsheets mark a cell as text). Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
