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
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.ingest import clean, entities, metadata, quotes
from archive.ingest.clean import LineKind
from archive.ingest.read import RawDocument, RejectedFile, document_from_stored, find_files, read_path

EXTRACTION_VERSION = 1


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
    title, title_is_fallback, title_line = metadata.find_title(page, meta.get("title", ""))
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
    found = entities.extract_entities(headline, body, page.furniture_text(), gazetteer)
    # Whoever wrote the piece is its author; a byline alone does not make them a mention.
    found_quotes = quotes.extract_quotes(body, found)
    reasons = []
    if title_is_fallback:
        reasons.append("no headline")
    if date is None:
        reasons.append("no date")
    new_people = [e.name for e in found if e.is_new and not e.boilerplate_only]
    if new_people:
        reasons.append("new people: " + ", ".join(new_people[:5]))
    return ParsedArticle(
        file_name=document.name,
        title=title[:500],
        title_is_fallback=title_is_fallback,
        body=body,
        raw=document.raw,
        content_hash=content_hash(body),
        encoding=document.encoding,
        source=source,
        author=author,
        date=date,
        url=meta.get("url", ""),
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
        review_reasons=reasons,
    )


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
        "quotes": [{"speaker": q.speaker_name, "text": q.text} for q in parsed.quotes],
    }


# ----------------------------------------------------------------------------- the run


@dataclass
class FileOutcome:
    file: str
    status: str  # added, updated, unchanged, duplicate, rejected
    reason: str = ""
    article_id: int | None = None
    title: str = ""


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
) -> IngestReport:
    """Ingest files and folders. Each file is its own transaction; a bad file is
    recorded as rejected and the run goes on. Indexing happens after commit."""
    from archive.search.signals import batched_indexing

    with batched_indexing():
        return _ingest_files(paths, source=source, dry_run=dry_run, max_bytes=max_bytes, on_file=on_file, files=files)


def _ingest_files(paths, *, source, dry_run, max_bytes, on_file, files) -> IngestReport:
    from django.conf import settings

    from archive.search.signals import flush_full_batch

    gazetteer = load_gazetteer()
    report = IngestReport()
    limit = max_bytes or settings.ARCHIVE_MAX_FILE_BYTES
    try:
        file_list = files if files is not None else list(find_files(paths))
    except RejectedFile as exc:
        report.outcomes.append(FileOutcome(exc.path, "rejected", exc.reason))
        return report
    for path in file_list:
        try:
            documents = read_path(path, limit)
        except RejectedFile as exc:
            outcome = FileOutcome(str(path), "rejected", exc.reason)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
            continue
        for document in documents:
            try:
                parsed = parse_document(document, gazetteer, source_hint=source)
                outcome = FileOutcome(str(path), "added", title=parsed.title)
                if not dry_run:
                    # People discovered here are found again by the same rules in later
                    # files (and by name once the next run loads the gazetteer).
                    outcome = save_article(parsed, path=str(path))

            except RejectedFile as exc:
                outcome = FileOutcome(str(path), "rejected", exc.reason)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
        flush_full_batch()
    return report


# ------------------------------------------------------------------ database boundary


def load_gazetteer() -> entities.Gazetteer:
    """The knowledge base as plain data, read from the database."""
    from archive.models import Alias, Organisation, Person

    people = [
        entities.Entity(p.slug, p.name, entities.PERSON, surname_alias=p.surname_alias)
        for p in Person.objects.only("slug", "name", "surname_alias")
    ]
    organisations = [
        entities.Entity(o.slug, o.name, entities.ORGANISATION, org_kind=o.kind, domains=tuple(o.domains or ()))
        for o in Organisation.objects.only("slug", "name", "kind", "domains")
    ]
    aliases = [
        entities.AliasEntry(a.name, a.person.slug if a.person_id else a.organisation.slug, a.guarded)
        for a in Alias.objects.select_related("person", "organisation").only(
            "name", "guarded", "person__slug", "organisation__slug"
        )
    ]
    return entities.Gazetteer(people + organisations, aliases)


def save_article(parsed: ParsedArticle, *, path: str = "", article=None) -> FileOutcome:
    """Write one parsed article (new, updated or unchanged) in one transaction."""
    from django.db import transaction

    from archive.models import Article

    with transaction.atomic():
        same_story = Article.objects.filter(content_hash=parsed.content_hash).first()
        if article is None and same_story is not None:
            if same_story.file_name == parsed.file_name:
                return FileOutcome(path, "unchanged", article_id=same_story.pk, title=same_story.title)
            return FileOutcome(
                path,
                "duplicate",
                f"same text as {same_story.file_name or same_story.pk}",
                same_story.pk,
                same_story.title,
            )
        if article is None:
            article = Article.objects.filter(file_name=parsed.file_name).first() if parsed.file_name else None
        status = "updated" if article is not None else "added"
        article = _write_article(parsed, article or Article())
    return FileOutcome(path, status, article_id=article.pk, title=article.title)


def _write_article(parsed: ParsedArticle, article):
    from django.utils.text import slugify

    from archive.models import Article, Mention, Organisation, Person, Quote

    article.title = parsed.title
    article.title_is_fallback = parsed.title_is_fallback
    article.body = parsed.body
    article.raw = parsed.raw
    article.content_hash = parsed.content_hash
    article.file_name = parsed.file_name
    article.encoding = parsed.encoding
    article.author = parsed.author[:300]
    article.published = parsed.date
    article.url = parsed.url[:1000]
    article.extraction_version = EXTRACTION_VERSION
    article.extraction = parsed.explanation
    article.needs_review = bool(set(parsed.review_reasons) - {"no date"})
    article.review_reasons = "; ".join(parsed.review_reasons)[:500]
    article.source = _source_for(parsed.source) if parsed.source else None
    article.slug = _unique_slug(Article, slugify(parsed.title)[:180] or "article", parsed.date, article.pk)
    article.save()

    people = {}
    for found in parsed.entities:
        if found.kind == entities.PERSON:
            people[found.key] = _person_for(found)
    article.author_person = Person.objects.filter(name=parsed.author).first() if parsed.author else None
    article.save(update_fields=["author_person"])

    kept = {(m.person_id, m.organisation_id) for m in article.mentions.filter(edited=True)}
    article.mentions.filter(edited=False).delete()
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[e.key for e in parsed.entities])}
    organisations.update(
        {found.key: _organisation_for(found) for found in parsed.entities if found.key.startswith("neworg:")}
    )
    for found in parsed.entities:
        person = people.get(found.key)
        organisation = organisations.get(found.key)
        if person is None and organisation is None:
            continue
        if (getattr(person, "pk", None), getattr(organisation, "pk", None)) in kept:
            continue
        Mention.objects.create(
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
    article.quotes.all().delete()
    Quote.objects.bulk_create(
        Quote(article=article, speaker=people[q.speaker_key], text=q.text, start=q.start, end=q.end, cue=q.cue[:200])
        for q in parsed.quotes
        if q.speaker_key in people
    )
    return article


def _unique_slug(model, base: str, date, pk) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug, published=date).exclude(pk=pk).exists():
        slug = f"{base[:170]}-{n}"
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
            slug=_free_slug(Source, slugify(name) or "source"),
            homepage=organisation.homepage if organisation else "",
            domains=organisation.domains if organisation else [],
        )
    return source


def _organisation_for(found: entities.FoundEntity):
    """The organisation of this name, or a new one flagged for an editor's review."""
    from django.utils.text import slugify

    from archive.models import Organisation

    organisation = Organisation.objects.filter(name=found.name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=found.name,
            slug=_free_slug(Organisation, slugify(found.name) or "organisation"),
            kind=found.org_kind or Organisation.Kind.OTHER,
            needs_review=True,
        )
    return organisation


def _person_for(found: entities.FoundEntity):
    from django.utils.text import slugify

    from archive.ingest.names import sort_name
    from archive.models import Person

    if not found.is_new:
        return Person.objects.get(slug=found.key)
    person = Person.objects.filter(name=found.name).first()
    if person is None:
        person = Person.objects.create(
            name=found.name,
            slug=_free_slug(Person, slugify(found.name) or "person"),
            sort_name=sort_name(found.name),
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
    """The database's knowledge base, or the data files' when none is loaded yet."""
    from archive.knowledge.loader import read_knowledge
    from archive.models import Organisation

    if Organisation.objects.exists():
        return load_gazetteer()
    return read_knowledge().gazetteer()


def parse_path(path: Path, gazetteer: entities.Gazetteer, *, source_hint: str = "") -> list[ParsedArticle]:
    """Parse every document of one file without saving (for `extract` and scoring)."""
    return [parse_document(document, gazetteer, source_hint=source_hint) for document in read_path(path)]


def reextract(articles, gazetteer: entities.Gazetteer | None = None) -> list[dict]:
    """Run extraction again on stored raw text; returns what changed for each article.
    Entities an editor set or confirmed (``Mention.edited``) are kept."""
    gazetteer = gazetteer or load_gazetteer()
    changes = []
    for article in articles:
        before = _entity_names(article)
        before_fields = (article.title, article.author, article.published)
        document = document_from_stored(article.raw, article.file_name, _stored_meta(article))
        try:
            parsed = parse_document(document, gazetteer)
        except RejectedFile as exc:
            changes.append({"article": article.pk, "error": exc.reason})
            continue
        from django.db import transaction

        with transaction.atomic():
            other = type(article).objects.filter(content_hash=parsed.content_hash).exclude(pk=article.pk).first()
            if other is not None:
                changes.append({"article": article.pk, "error": f"same text as article {other.pk}"})
                continue
            _write_article(parsed, article)
        after = _entity_names(article)
        change = {
            "article": article.pk,
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "fields": [
                name
                for name, old, new in zip(
                    ("title", "author", "date"), before_fields, (parsed.title, parsed.author, parsed.date), strict=False
                )
                if old != new
            ],
        }
        if change["added"] or change["removed"] or change["fields"]:
            changes.append(change)
    return changes


def _stored_meta(article) -> dict:
    return {"url": article.url} if article.url else {}


def _entity_names(article) -> set[str]:
    return {
        str(m.person or m.organisation)
        for m in article.mentions.filter(boilerplate_only=False).select_related("person", "organisation")
    }
