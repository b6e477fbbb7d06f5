"""File -> ParsedArticle -> rows.

``parse_document`` is pure: a RawDocument and a Gazetteer in, a ParsedArticle out.
``save_article`` is the only code in archive/ingest that touches the database; it writes
one article with its mentions and quotes in one transaction. ``ingest_paths`` runs the
whole thing over files and folders and returns a report; the search index is updated in
batches after each file's transaction has committed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.ingest import clean, entities, metadata, quotes
from archive.ingest.clean import LineKind
from archive.ingest.read import (
    RawDocument,
    RejectedFile,
    document_from_stored,
    find_files,
    read_path,
    relative_name,
)

logger = logging.getLogger(__name__)

EXTRACTION_VERSION = (
    14  # 14: quotes whose speaker opens the sentence ("X refused ..., saying"); sources in subscription boxes
)

# Column sizes of the rows an article becomes (tests/test_ingest_pipeline.py checks them
# against the models). Every value is cut or dropped to fit in Python before it is saved,
# so PostgreSQL never refuses a row and SQLite never stores more than the column says.
LIMITS = {"file_name": 300, "title": 500, "author": 300, "url": 1000, "source": 200, "slug": 200}


@dataclass
class ParsedArticle:
    file_name: str
    title: str
    title_is_fallback: bool
    body: str
    raw: str
    content_hash: str
    encoding: str
    source: str = ""
    author: str = ""
    date: datetime.date | None = None
    url: str = ""
    entities: list[entities.FoundEntity] = field(default_factory=list)
    quotes: list[quotes.FoundQuote] = field(default_factory=list)
    explanation: dict = field(default_factory=dict)
    review_reasons: list[str] = field(default_factory=list)
    url_is_identity: bool = False  # the url came with the input (JSON, the admin's form)
    notes: list[str] = field(default_factory=list)  # fields cut or dropped to fit their columns

    def people(self) -> list[str]:
        return [e.name for e in self.entities if e.kind == entities.PERSON and not e.boilerplate_only]

    def parties(self) -> list[str]:
        return [e.name for e in self._organisations() if e.org_kind == "party"]

    def organisations(self) -> list[str]:
        return [e.name for e in self._organisations() if e.org_kind != "party"]

    def _organisations(self):
        return [e for e in self.entities if e.kind == entities.ORGANISATION and not e.boilerplate_only]


def content_hash(body: str) -> str:
    """SHA-256 of the body with case, quotes and spacing normalised, so the same story
    saved twice with trivial differences is stored once."""
    normalised = unicodedata.normalize("NFKC", entities.normalise(body)).casefold()
    normalised = re.sub(r"\s+", " ", normalised).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def parse_document(
    document: RawDocument,
    gazetteer: entities.Gazetteer,
    *,
    source_hint: str = "",
    today: datetime.date | None = None,
) -> ParsedArticle:
    """Extract everything from one document. Pure: no database, no files."""
    page = clean.classify(document.text)
    meta = document.meta
    title, title_is_fallback, title_line = metadata.find_title(page, meta.get("title", ""), gazetteer)
    if title_line is not None:
        title_line.kind, title_line.reason = LineKind.META, "headline"
        # Whatever stands above the headline is the site's masthead and chrome.
        for line in page.lines:
            if line is title_line:
                break
            if line.kind == LineKind.BODY:
                line.kind, line.reason = LineKind.FURNITURE, "above the headline"
    author, author_rule, byline = metadata.find_author(page, title_line, meta.get("author", ""), gazetteer)
    # The byline and the author's own bio line ("X is a writer from Teesside") are about
    # the piece, not its subject: the author is not thereby a mention.
    for line in page.content_lines():
        if line is byline or (author and metadata.is_author_bio(line.text, author)):
            line.kind, line.reason = LineKind.META, "byline or author bio"
    date, date_rule = metadata.find_date(page, title_line, meta.get("date", ""), today)
    sitename = meta.get("sitename") or metadata.site_suffix(meta.get("title", ""))
    source, source_rule = metadata.find_source(
        page, gazetteer, meta.get("url", ""), source_hint or meta.get("source", ""), sitename
    )
    body = "\n\n".join(line.text for line in page.content_lines())
    if not body.strip():
        raise RejectedFile(document.path, "no article text left after removing site furniture")
    headline = "" if title_is_fallback else title
    found = entities.extract_entities(
        headline, body, page.furniture_text(), gazetteer, captions=page.caption_text(), on=date
    )
    # Whoever wrote the piece is its author; a byline alone does not make them a mention.
    found_quotes = quotes.extract_quotes(body, found, on=date)
    parsed = ParsedArticle(
        file_name=document.name,
        title=title,
        title_is_fallback=title_is_fallback,
        body=body,
        raw=document.raw,
        content_hash=content_hash(body),
        encoding=document.encoding,
        source=source,
        author=author,
        date=date,
        url=meta.get("url") or meta.get("page_url", ""),
        url_is_identity=bool(meta.get("url")),
        entities=found,
        quotes=found_quotes,
        explanation={
            "title": "fallback from the first sentence" if title_is_fallback else "headline line",
            "author": author_rule,
            "date": date_rule,
            "source": source_rule,
            "lines": [
                {"kind": line.kind.value, "reason": line.reason, "text": line.text[:120]}
                for line in page.lines
                if line.kind not in (LineKind.BODY, LineKind.BLANK)
            ],
        },
        review_reasons=review_reasons(
            found, title_is_fallback, author_rule, [q.text for q in found_quotes if not q.speaker_key]
        ),
    )
    fit_to_columns(parsed)
    return parsed


# Bylines found by these rules are guesses an editor should confirm.
WEAK_AUTHOR_RULES = {"closing signature", "name above the publication date"}


def review_reasons(
    found: list[entities.FoundEntity], title_is_fallback: bool, author_rule: str, unattributed: list[str]
) -> list[str]:
    """What in an article needs a person, in words the review queue shows. A page that
    states no date is not among them: many pages state none, and none can be found."""
    reasons = [
        f"new person: {e.name}" for e in found if e.is_new and e.kind == entities.PERSON and not e.boilerplate_only
    ]
    reasons += [
        f"new organisation: {e.name}"
        for e in found
        if e.key.startswith("neworg:") and e.kind == entities.ORGANISATION and not e.boilerplate_only
    ]
    if title_is_fallback:
        reasons.append("no headline: the title was made from the first sentence")
    if author_rule in WEAK_AUTHOR_RULES:
        reasons.append(f"byline by a weak rule ({author_rule})")
    reasons += [f"quote without a speaker: “{text[:60]}”" for text in unattributed]
    return reasons


def fit_to_columns(parsed: ParsedArticle) -> None:
    """Cut (or, for a url, drop) every field that would not fit its column, noting why."""
    if len(parsed.file_name) > LIMITS["file_name"]:
        # Cut names stay distinct: the cut keeps a digest of the whole name.
        digest = hashlib.sha256(parsed.file_name.encode()).hexdigest()[:16]
        parsed.notes.append(f"file name cut to {LIMITS['file_name']} characters (was {len(parsed.file_name)})")
        parsed.file_name = parsed.file_name[: LIMITS["file_name"] - 17] + "~" + digest
    for name in ("title", "author", "source"):
        value = getattr(parsed, name)
        if len(value) > LIMITS[name]:
            parsed.notes.append(f"{name} cut to {LIMITS[name]} characters (was {len(value)})")
            setattr(parsed, name, _cut(value, LIMITS[name]))
    if len(parsed.url) > LIMITS["url"]:
        parsed.notes.append(f"url dropped: {len(parsed.url)} characters, the limit is {LIMITS['url']}")
        parsed.url, parsed.url_is_identity = "", False


def _cut(value: str, limit: int) -> str:
    """At most ``limit`` characters, ending at a word boundary where one is near."""
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + "…"


def as_export_row(parsed: ParsedArticle) -> dict:
    return {
        "file": parsed.file_name,
        "title": parsed.title,
        "source": parsed.source or None,
        "author": parsed.author or None,
        "date": parsed.date.isoformat() if parsed.date else None,
        "url": parsed.url or None,
        "people": parsed.people(),
        "parties": parsed.parties(),
        "organisations": parsed.organisations(),
        "quotes": [{"speaker": q.speaker_name or None, "text": q.text} for q in parsed.quotes],
    }


# ----------------------------------------------------------------------------- the run


@dataclass
class FileOutcome:
    file: str
    status: str  # added, updated, unchanged, duplicate, rejected
    reason: str = ""
    article_id: int | None = None
    title: str = ""
    notes: list[str] = field(default_factory=list)  # fields cut or dropped to fit


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def as_dict(self) -> dict:
        statuses = ("added", "updated", "unchanged", "duplicate", "rejected")
        return {
            "summary": {status: self.count(status) for status in statuses},
            **{status: [asdict(o) for o in self.outcomes if o.status == status] for status in statuses},
        }

    @property
    def nothing_read(self) -> bool:
        return bool(self.outcomes) and all(o.status == "rejected" for o in self.outcomes)


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    source: str = "",
    dry_run: bool = False,
    max_bytes: int | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    files: list[Path] | None = None,
    workers: int | None = None,
    index: bool = True,
) -> IngestReport:
    """Ingest files and folders. Each file is its own transaction; a bad file is
    recorded as rejected and the run goes on. Indexing happens after commit; with
    ``index=False`` the articles are only queued for it (for a run that rebuilds the
    index afterwards: at 100,000 articles the indexer beside the saving falls behind).

    Files are read and extracted in ``workers`` processes (``ARCHIVE_INGEST_WORKERS``
    by default, for runs of ``PARALLEL_MIN_FILES`` files or more) while this process
    saves them, one at a time and in file order: the archive is the same as a serial
    run's."""
    from archive.search.signals import batched_indexing, queueing_only

    with batched_indexing() if index else queueing_only():
        return _ingest_files(
            paths,
            source=source,
            dry_run=dry_run,
            max_bytes=max_bytes,
            on_file=on_file,
            files=files,
            workers=workers,
            index=index,
        )


def _ingest_files(paths, *, source, dry_run, max_bytes, on_file, files, workers, index) -> IngestReport:
    from django.conf import settings

    from archive.search.signals import flush_full_batch, indexing_alongside

    paths = [str(p) for p in paths]
    gazetteer = load_gazetteer()
    report = IngestReport()
    limit = max_bytes or settings.ARCHIVE_MAX_FILE_BYTES
    try:
        file_list = files if files is not None else list(find_files(paths))
    except RejectedFile as exc:
        report.outcomes.append(FileOutcome(exc.path, "rejected", exc.reason))
        return report
    if workers is None:
        workers = settings.ARCHIVE_INGEST_WORKERS if len(file_list) >= PARALLEL_MIN_FILES else 1
    jobs = [(path, relative_name(path, paths)) for path in file_list]
    # With workers, the index is written by a process of its own beside this one.
    with indexing_alongside() if index and workers > 1 and len(jobs) > 1 and not dry_run else nullcontext():
        for path, extracted in extract_files(jobs, gazetteer, source, limit, workers):
            for outcome in _save_extracted(path, extracted, dry_run):
                report.outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
            flush_full_batch()
    return report


# ------------------------------------------------------------- extraction in processes

# Below this many files a run is extracted in this process: starting workers costs more.
PARALLEL_MIN_FILES = 16
# Files handed to the workers ahead of the one being saved, per worker: enough to keep
# them busy, few enough that a run of 100,000 files does not queue them all in memory.
AHEAD_PER_WORKER = 8


@dataclass
class Extracted:
    """What extraction made of one document of a file: an article, or why not."""

    parsed: ParsedArticle | None = None
    rejected: str = ""
    error: str = ""  # an unexpected exception, with its traceback for the log
    document: str = ""


def extract_file(path: Path, name: str, gazetteer, source: str, limit: int) -> list[Extracted]:
    """Read one file and extract each of its documents. Pure: no database. Nothing a
    file holds raises: what cannot be read or extracted comes back with a reason."""
    import traceback

    try:
        documents = read_path(path, limit, name)
    except RejectedFile as exc:
        return [Extracted(rejected=exc.reason)]
    extracted = []
    for document in documents:
        try:
            extracted.append(Extracted(parse_document(document, gazetteer, source_hint=source), document=document.name))
        except RejectedFile as exc:
            extracted.append(Extracted(rejected=exc.reason, document=document.name))
        except Exception as exc:  # noqa: BLE001 - one file never stops the run
            message = f"could not be processed ({type(exc).__name__}: {exc})"
            extracted.append(Extracted(rejected=message, error=traceback.format_exc(), document=document.name))
    return extracted


def extract_files(jobs: list[tuple[Path, str]], gazetteer, source: str, limit: int, workers: int):
    """(path, extracted) for every (path, name) of ``jobs``, in their order. With more
    than one worker, files are extracted in worker processes forked from this one, so
    every worker holds this run's gazetteer exactly as loaded (nothing is read from the
    database there); they stop when this process dies, even by ``kill -9``."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if workers <= 1 or len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for path, name in jobs:
            yield path, extract_file(path, name, gazetteer, source, limit)
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(gazetteer, os.getpid())
    )
    pending: deque = deque()
    upcoming = iter(jobs)
    try:
        for path, name in upcoming:
            pending.append((path, name, pool.submit(_extract_in_worker, path, name, source, limit)))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                break
        while pending:
            path, name, future = pending.popleft()
            try:
                extracted = future.result()
            except BrokenProcessPool:
                # A worker died (out of memory, killed): the rest is extracted here.
                logger.error("An extraction worker died; extracting the remaining files in this process")
                yield path, extract_file(path, name, gazetteer, source, limit)
                for path, name, _future in pending:
                    yield path, extract_file(path, name, gazetteer, source, limit)
                for path, name in upcoming:
                    yield path, extract_file(path, name, gazetteer, source, limit)
                return
            for next_path, next_name in upcoming:
                pending.append(
                    (next_path, next_name, pool.submit(_extract_in_worker, next_path, next_name, source, limit))
                )
                break
            yield path, extracted
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_worker_gazetteer = None


def _start_worker(gazetteer, parent: int) -> None:
    import threading
    import time

    global _worker_gazetteer
    _worker_gazetteer = gazetteer

    def leave_with_the_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=leave_with_the_parent, daemon=True).start()


def _extract_in_worker(path: Path, name: str, source: str, limit: int) -> list[Extracted]:
    return extract_file(path, name, _worker_gazetteer, source, limit)


def _save_extracted(path: Path, extracted: list[Extracted], dry_run: bool) -> list[FileOutcome]:
    """Every outcome of one file: each extracted article saved in its own transaction."""
    outcomes = []
    for item in extracted:
        if item.parsed is None:
            if item.error:
                logger.error("Ingest of %s (%s) failed\n%s", path, item.document, item.error)
            outcomes.append(FileOutcome(str(path), "rejected", item.rejected))
            continue
        parsed = item.parsed
        try:
            outcome = FileOutcome(str(path), "added", title=parsed.title)
            if not dry_run:
                outcome = save_article(parsed, path=str(path))
            outcome.notes = parsed.notes
        except RejectedFile as exc:
            outcome = FileOutcome(str(path), "rejected", exc.reason)
        except Exception as exc:  # noqa: BLE001 - one file never stops the run
            logger.exception("Ingest of %s (%s) failed", path, item.document)
            outcome = FileOutcome(str(path), "rejected", f"could not be processed ({type(exc).__name__}: {exc})")
        outcomes.append(outcome)
    return outcomes


# ------------------------------------------------------------------ database boundary


def load_gazetteer() -> entities.Gazetteer:
    """The knowledge base as plain data, read from the database: curated and reviewed
    entries only. People and organisations that extraction discovered wait for an
    editor (``needs_review``; a curated person the data files queue for review carries a
    ``review_reason`` and stays in) and are not matched in other articles meanwhile, so an
    article's extraction depends on the knowledge base and its own text alone: the same
    files give the same archive in one run, in many, in any order."""
    from django.db.models import Q

    from archive.knowledge import kinds
    from archive.models import Alias, Membership, Organisation, Person

    in_office: dict[int, list] = {}
    for person_id, start, end in Membership.objects.filter(kind__in=kinds.OFFICES).values_list(
        "person_id", "start_date", "end_date"
    ):
        in_office.setdefault(person_id, []).append((start, end))
    roles: dict[int, list[entities.Role]] = {}
    for person_id, organisation, title, start, end in Membership.objects.filter(
        kind__in=(kinds.ROLE, kinds.SEAT)
    ).values_list("person_id", "organisation__slug", "role", "start_date", "end_date"):
        roles.setdefault(person_id, []).append(entities.Role(organisation, title, start, end))
    parties: dict[int, set[str]] = {}
    for person_id, party in Membership.objects.filter(organisation__kind="party").values_list(
        "person_id", "organisation__slug"
    ):
        parties.setdefault(person_id, set()).add(party)
    people = [
        entities.Entity(
            p.slug,
            p.name,
            entities.PERSON,
            surname_alias=p.surname_alias,
            in_office=tuple(in_office.get(p.pk, ())),
            parties=frozenset(parties.get(p.pk, ())),
            roles=tuple(roles.get(p.pk, ())),
        )
        for p in Person.objects.filter(Q(needs_review=False) | ~Q(review_reason="")).only(
            "slug", "name", "surname_alias"
        )
    ]
    organisations = [
        entities.Entity(o.slug, o.name, entities.ORGANISATION, org_kind=o.kind, domains=tuple(o.domains or ()))
        for o in Organisation.objects.filter(needs_review=False).only("slug", "name", "kind", "domains")
    ]
    aliases = [
        entities.AliasEntry(a.name, a.person.slug if a.person_id else a.organisation.slug, a.guarded)
        for a in Alias.objects.select_related("person", "organisation").only(
            "name", "guarded", "person__slug", "organisation__slug"
        )
    ]
    # Entities() drops aliases of entities it does not hold (the unreviewed ones).
    return entities.Gazetteer(people + organisations, aliases)


def save_article(parsed: ParsedArticle, *, path: str = "", article=None, identify: bool = True) -> FileOutcome:
    """Write one parsed article (new, updated, unchanged or a duplicate) in one transaction.

    An article is found by its identity: the url given with the input, else its file
    name relative to the ingested folder (``Article.objects.named``). A text the archive
    already holds under another name is one article: the new name is recorded on it.
    With ``identify=False`` (the admin's add form) a new article is always added."""
    from django.db import transaction

    from archive.models import Article

    with transaction.atomic():
        if article is None and identify:
            article = _identified(parsed)
        same_story = Article.objects.filter(content_hash=parsed.content_hash).first()
        if same_story is not None and (article is None or article.pk == same_story.pk):
            known = _add_name(same_story, parsed)
            if article is not None or known:
                return FileOutcome(path, "unchanged", article_id=same_story.pk, title=same_story.title)
            return FileOutcome(
                path,
                "duplicate",
                f"same text as {same_story.file_name or same_story.pk}",
                same_story.pk,
                same_story.title,
            )
        if same_story is not None:
            # This file now holds the text of another article: one article, two names.
            _add_name(same_story, parsed)
            return FileOutcome(
                path,
                "duplicate",
                f"same text as {same_story.file_name or same_story.pk}",
                same_story.pk,
                same_story.title,
            )
        if article is not None and _detach_name(article, parsed.file_name):
            article = None  # the other names still hold the old text: this file is a new article
        status = "updated" if article is not None else "added"
        article = _write_article(parsed, article or Article())
    return FileOutcome(path, status, article_id=article.pk, title=article.title)


def _identified(parsed: ParsedArticle):
    from archive.models import Article

    if parsed.url_is_identity and parsed.url:
        found = Article.objects.filter(url=parsed.url).order_by("pk").first()
        if found is not None:
            return found
    if parsed.file_name:
        return Article.objects.named(parsed.file_name).order_by("pk").first()
    return None


def _add_name(article, parsed: ParsedArticle) -> bool:
    """Record ``parsed``'s file name on the article holding its text; True if it was
    already one of its names. The article's own name is the first of all its names in
    sort order, whatever order the files came in; its text is that file's."""
    from archive.models import ArticleName

    name = parsed.file_name
    names = {article.file_name, *article.other_names.values_list("name", flat=True)} - {""}
    if not name or name in names:
        return True
    if article.file_name and name > article.file_name:
        ArticleName.objects.filter(name=name).delete()
        ArticleName.objects.create(article=article, name=name)
        return False
    if article.file_name:
        ArticleName.objects.filter(name=article.file_name).delete()
        ArticleName.objects.create(article=article, name=article.file_name)
    ArticleName.objects.filter(name=name).delete()
    _write_article(parsed, article)
    return False


def _detach_name(article, name: str) -> bool:
    """The file called ``name`` changed; if the article has other names (files that still
    hold its text), the article stays theirs and loses this name. True if it did."""
    others = list(article.other_names.order_by("name"))
    if not others:
        return False
    if article.file_name == name:
        article.file_name = others[0].name
        article.save(update_fields=["file_name"])
        others[0].delete()
    else:
        article.other_names.filter(name=name).delete()
    return True


# Article fields an editor can correct; what they corrected survives re-extraction.
EDITABLE_FIELDS = ("title", "author", "author_person", "published", "source", "url")


def _write_article(parsed: ParsedArticle, article):
    """Write extraction's results onto the article, keeping what an editor corrected:
    the fields in ``edited_fields``, mentions and quotes marked ``edited``, and whatever
    they deleted (``deleted_by_editor``) stays deleted."""
    from django.utils.text import slugify

    from archive.models import Article, Mention, Organisation, Person, Quote

    kept_fields = set(article.edited_fields or ()) if article.pk else set()
    extracted = {
        "title": parsed.title,
        "author": parsed.author,
        "published": parsed.date,
        "url": parsed.url,
        "source": _source_for(parsed.source) if parsed.source else None,
    }
    for name, value in extracted.items():
        if name not in kept_fields:
            setattr(article, name, value)
    article.title_is_fallback = parsed.title_is_fallback and "title" not in kept_fields
    article.body = parsed.body
    article.raw = parsed.raw
    article.content_hash = parsed.content_hash
    article.file_name = parsed.file_name
    article.encoding = parsed.encoding
    article.extraction_version = EXTRACTION_VERSION
    article.extraction = parsed.explanation
    article.review_reasons = parsed.review_reasons
    article.needs_review = bool(parsed.review_reasons)
    if "title" not in kept_fields or not article.slug:
        article.slug = _unique_slug(
            Article, slugify(article.title)[: LIMITS["slug"] - 20] or "article", article.published, article.pk
        )
    # People first (new ones are created), so that the author's person is known and the
    # article is saved once.
    people = _people_for([found for found in parsed.entities if found.kind == entities.PERSON])
    if "author_person" not in kept_fields:
        article.author_person = Person.objects.filter(name=article.author).first() if article.author else None
    is_new = article.pk is None
    article.save()

    deleted = article.deleted_by_editor or {}
    kept = set() if is_new else {(m.person_id, m.organisation_id) for m in article.mentions.filter(edited=True)}
    kept |= {(pk, None) for pk in deleted.get("people", ())} | {(None, pk) for pk in deleted.get("organisations", ())}
    if not is_new:
        article.mentions.filter(edited=False).delete()
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[e.key for e in parsed.entities])}
    organisations.update(
        {found.key: _organisation_for(found) for found in parsed.entities if found.key.startswith("neworg:")}
    )
    mentions = []
    for found in parsed.entities:
        person = people.get(found.key)
        organisation = organisations.get(found.key)
        if person is None and organisation is None:
            continue
        if (getattr(person, "pk", None), getattr(organisation, "pk", None)) in kept:
            continue
        # One INSERT for them all (the article's own save has queued it for the index).
        mentions.append(
            Mention(
                article=article,
                person=person,
                organisation=organisation,
                count=max(found.count, 1),
                first_offset=found.first_offset,
                in_headline=found.in_headline,
                boilerplate_only=found.boilerplate_only,
                matched_text=found.matched_text[:200],
                rule=found.rule[:100],
            )
        )
    Mention.objects.bulk_create(mentions)
    if is_new:
        kept_quotes = set(deleted.get("quotes", ()))
    else:
        article.quotes.filter(edited=False).delete()
        kept_quotes = set(deleted.get("quotes", ())) | set(article.quotes.values_list("text", flat=True))
    Quote.objects.bulk_create(
        Quote(
            article=article,
            speaker=people.get(q.speaker_key) if q.speaker_kind == entities.PERSON else None,
            speaker_organisation=organisations.get(q.speaker_key) if q.speaker_kind == entities.ORGANISATION else None,
            text=q.text,
            start=q.start,
            end=q.end,
            cue=q.cue[:200],
            rule=q.rule[:200],
        )
        for q in parsed.quotes
        if q.text not in kept_quotes
    )
    return article


def _unique_slug(model, base: str, date, pk) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug, published=date).exclude(pk=pk).exists():
        slug = f"{base[: LIMITS['slug'] - 30]}-{n}"
        n += 1
    return slug


def _source_for(name: str):
    from django.utils.text import slugify

    from archive.models import Organisation, Source

    source = Source.objects.filter(name=name).first()
    if source is None:
        organisation = Organisation.objects.filter(name=name).first()
        source = Source.objects.create(
            name=name,
            slug=_free_slug(Source, slugify(name)[:180] or "source"),
            homepage=organisation.homepage if organisation else "",
            domains=organisation.domains if organisation else [],
        )
    return source


def _organisation_for(found: entities.FoundEntity):
    """The organisation of this name, or a new one flagged for an editor's review."""
    from django.utils.text import slugify

    from archive.models import Organisation

    name = found.name[:200]
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name,
            slug=_free_slug(Organisation, slugify(name)[:180] or "organisation"),
            kind=found.org_kind or Organisation.Kind.OTHER,
            needs_review=True,
        )
    return organisation


def _people_for(found: list[entities.FoundEntity]) -> dict:
    """Entity key -> Person: the known ones in one query by slug, new ones found by
    name or created for an editor's review."""
    from archive.models import Person

    known = Person.objects.in_bulk([f.key for f in found if not f.is_new], field_name="slug")
    people = {}
    for entity in found:
        if entity.is_new:
            people[entity.key] = _person_for(entity)
        elif entity.key in known:
            people[entity.key] = known[entity.key]
        else:
            raise Person.DoesNotExist(f"no person with the slug {entity.key!r}")
    return people


def _person_for(found: entities.FoundEntity):
    """The person of a name extraction discovered, or a new one flagged for review."""
    from django.utils.text import slugify

    from archive.ingest.names import sort_name
    from archive.models import Person

    name = found.name[:200]
    person = Person.objects.filter(name=name).first()
    if person is None:
        person = Person.objects.create(
            name=name,
            slug=_free_slug(Person, slugify(name)[:180] or "person"),
            sort_name=sort_name(name)[:200],
            needs_review=True,
        )
    return person


def _free_slug(model, base: str) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def current_gazetteer() -> entities.Gazetteer:
    """The database's knowledge base, or the data files' when none is loaded yet (or the
    database has no tables yet: `extract` and `score_extraction` save nothing)."""
    from django.db import connection

    from archive.knowledge.loader import read_knowledge
    from archive.models import Organisation

    if Organisation._meta.db_table in connection.introspection.table_names() and Organisation.objects.exists():
        return load_gazetteer()
    return read_knowledge().gazetteer()


def parse_path(path: Path, gazetteer: entities.Gazetteer, *, source_hint: str = "") -> list[ParsedArticle]:
    """Parse every document of one file without saving (for `extract` and scoring)."""
    return [parse_document(document, gazetteer, source_hint=source_hint) for document in read_path(path)]


def reextract(articles, gazetteer: entities.Gazetteer | None = None) -> list[dict]:
    """Run extraction again on stored raw originals; returns what changed for each article,
    field by field. An editor's corrections are kept (see ``_write_article``)."""
    from django.db import transaction

    gazetteer = gazetteer or load_gazetteer()
    changes = []
    for article in articles:
        before = _snapshot(article)
        document = document_from_stored(article.raw, article.file_name, _stored_meta(article))
        try:
            parsed = parse_document(document, gazetteer)
        except RejectedFile as exc:
            changes.append({"article": article.pk, "error": exc.reason})
            continue
        with transaction.atomic():
            other = type(article).objects.filter(content_hash=parsed.content_hash).exclude(pk=article.pk).first()
            if other is not None:
                changes.append({"article": article.pk, "error": f"same text as article {other.pk}"})
                continue
            _write_article(parsed, article)
        after = _snapshot(article)
        fields = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
        for name in ("entities", "quotes"):
            if name in fields:
                old, new = fields.pop(name)
                fields[name] = {"added": sorted(new - old), "removed": sorted(old - new)}
        if fields:
            changes.append({"article": article.pk, "fields": fields})
    return changes


def _snapshot(article) -> dict:
    """What re-extraction can change, as comparable values."""
    return {
        "title": article.title,
        "author": article.author,
        "date": article.published.isoformat() if article.published else None,
        "source": str(article.source) if article.source_id else None,
        "url": article.url,
        "body": article.body,
        "entities": {
            str(m.person or m.organisation)
            for m in article.mentions.filter(boilerplate_only=False).select_related("person", "organisation")
        },
        "quotes": {f"{q.speaker}: {q.text[:60]}" for q in article.quotes.select_related("speaker")},
    }


def _stored_meta(article) -> dict:
    return {"url": article.url} if article.url else {}
