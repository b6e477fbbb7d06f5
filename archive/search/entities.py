"""Names to entities: what the search box, the filters and /api/entities/ share.

``resolve(kind, text)`` turns what someone typed ("Mish Rahman", "Starmer", "Sir Keir",
"Kier Starmer", "labour", "Tories", "the NEC", "keir-starmer") into one person,
organisation or source, or into the candidates it could mean, with a message in plain
English. It reads names, aliases and slugs case-insensitively, ignores a leading "the",
takes a surname alone for people whose surname means them in UK news (Starmer), and
falls back to fuzzy matching (rapidfuzz) for misspellings.

``suggest(text)`` is the type-ahead: entities whose names or aliases start with what was
typed, busiest first.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils.text import slugify
from rapidfuzz import fuzz, process, utils

from archive.models import Alias, Organisation, Person, Source

PERSON, PARTY, ORGANISATION, SOURCE = "person", "party", "organisation", "source"
KINDS = (PERSON, PARTY, ORGANISATION, SOURCE)
# The words a user may use for a kind of thing (filters and query prefixes).
KIND_LABELS = {PERSON: "person", PARTY: "party", ORGANISATION: "organisation", SOURCE: "source"}

FUZZY_CUTOFF = 84  # rapidfuzz ratio (0-100) below which a name is not offered
FUZZY_MARGIN = 6  # the best fuzzy match wins outright only this far ahead of the next
MAX_CANDIDATES = 8
MAX_TEXT = 200


@dataclass(frozen=True)
class Candidate:
    kind: str  # person, party, organisation, source
    slug: str
    name: str
    matched: str = ""  # the name or alias that matched, when not the name itself
    article_count: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Resolution:
    entity: Candidate | None
    candidates: list[Candidate] = field(default_factory=list)
    message: str = ""
    exact: bool = True  # False when the entity was found by a fuzzy match

    @property
    def ambiguous(self) -> bool:
        return self.entity is None and bool(self.candidates)


def normalise(text: str) -> str:
    """Casefolded, accents and punctuation dropped, a leading 'the' removed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`]", "", text)
    text = " ".join(re.findall(r"\w+", text))
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class _Name:
    key: str  # normalised
    text: str  # as written
    candidate: Candidate
    guarded: bool = False  # also an ordinary word (Reform, Unite): a name only when capitalised


def _kinds(kind: str) -> tuple[str, ...]:
    if kind in ("", "any", None):
        return KINDS
    if kind == ORGANISATION:
        return (PARTY, ORGANISATION)  # an organisation filter takes a party too
    return (kind,)


_table: dict = {"signature": None, "built": 0.0, "checked": 0.0, "names": [], "by_key": {}, "words": frozenset()}
TABLE_SECONDS = 300  # names edited in another process are seen within this time
CHECK_SECONDS = 1.0  # ... and names added or removed there within this time (one query a check)


def _signature() -> tuple:
    """Changes when a name, alias or source is added or removed: the count and the highest
    id of each table, in one query (every search asks it)."""
    quote = connection.ops.quote_name
    tables = [(quote(m._meta.db_table), quote(m._meta.pk.column)) for m in (Person, Alias, Organisation, Source)]
    # Names from our models, quoted: nothing typed reaches this SQL.
    columns = [f"(SELECT COUNT(*) FROM {t}), (SELECT MAX({pk}) FROM {t})" for t, pk in tables]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        return tuple(cursor.fetchone())


def forget_names(**kwargs) -> None:
    """Drop the cached name table (connected to saves of people, organisations, aliases, sources)."""
    _table["signature"] = None


def _current() -> dict:
    """The name table kept per process: rebuilt when the knowledge base changes (a save in
    this process at once; elsewhere, seen by a check at most once every CHECK_SECONDS, so
    a search of many words does not ask once a word) or every TABLE_SECONDS."""
    now = time.monotonic()
    if _table["signature"] is None or now - _table["checked"] > CHECK_SECONDS:
        signature = _signature()
        _table["checked"] = now
        if signature != _table["signature"] or now - _table["built"] > TABLE_SECONDS:
            names = _build_names()
            by_key: dict[str, list[_Name]] = {}
            for name in names:
                by_key.setdefault(name.key, []).append(name)
            words = frozenset(word for name in names for word in name.key.split())
            _table.update(signature=signature, built=now, names=names, by_key=by_key, words=words)
    return _table


def _names(kinds: tuple[str, ...]) -> list[_Name]:
    """Every name, alias and slug of the entities of these kinds."""
    return [n for n in _current()["names"] if n.candidate.kind in kinds]


def _named_exactly(key: str, kinds: tuple[str, ...]) -> list[_Name]:
    """The names, aliases and slugs whose normalised form is ``key`` (a dictionary look-up)."""
    return [n for n in _current()["by_key"].get(key, ()) if n.candidate.kind in kinds]


def _build_names() -> list[_Name]:
    names: list[_Name] = []
    people = {p.pk: p for p in Person.objects.only("pk", "name", "slug", "surname_alias")}
    for person in people.values():
        candidate = Candidate(PERSON, person.slug, person.name)
        names.append(_Name(normalise(person.name), person.name, candidate))
        names.append(_Name(normalise(person.slug), person.slug, candidate))
        if person.surname_alias and " " in person.name:
            surname = person.name.rsplit(" ", 1)[1]
            names.append(_Name(normalise(surname), surname, candidate))
    organisations = {}
    for org in Organisation.objects.only("pk", "name", "slug", "kind"):
        candidate = Candidate(PARTY if org.is_party else ORGANISATION, org.slug, org.name)
        organisations[org.pk] = candidate
        names.append(_Name(normalise(org.name), org.name, candidate))
        names.append(_Name(normalise(org.slug), org.slug, candidate))
    for alias in Alias.objects.only("name", "person_id", "organisation_id", "guarded"):
        if alias.person_id in people:
            person = people[alias.person_id]
            candidate = Candidate(PERSON, person.slug, person.name)
        elif alias.organisation_id in organisations:
            candidate = organisations[alias.organisation_id]
        else:
            continue
        names.append(_Name(normalise(alias.name), alias.name, candidate, alias.guarded))
    for source in Source.objects.only("name", "slug", "domains"):
        candidate = Candidate(SOURCE, source.slug, source.name)
        for text in (source.name, source.slug, *source.domains):
            names.append(_Name(normalise(text), text, candidate))
    return [n for n in names if n.key]


def article_counts(candidates) -> dict[tuple[str, str], int]:
    """(kind, slug) -> articles mentioning, naming or published by it (boilerplate excluded)."""
    counts: dict[tuple[str, str], int] = {}
    slugs = {c.kind: set() for c in candidates}
    for c in candidates:
        slugs[c.kind].add(c.slug)
    mentioned = Count("mentions__article", filter=Q(mentions__boilerplate_only=False), distinct=True)
    if slugs.get(PERSON):
        for slug, n in Person.objects.filter(slug__in=slugs[PERSON]).annotate(n=mentioned).values_list("slug", "n"):
            counts[(PERSON, slug)] = n
    for kind in (PARTY, ORGANISATION):
        if slugs.get(kind):
            rows = Organisation.objects.filter(slug__in=slugs[kind]).annotate(n=mentioned).values_list("slug", "n")
            counts.update({(kind, slug): n for slug, n in rows})
    if slugs.get(SOURCE):
        rows = Source.objects.filter(slug__in=slugs[SOURCE]).annotate(n=Count("articles")).values_list("slug", "n")
        counts.update({(SOURCE, slug): n for slug, n in rows})
    return counts


def _ranked(candidates) -> list[Candidate]:
    """Distinct candidates with their article counts, busiest first."""
    unique = list({(c.kind, c.slug): c for c in candidates}.values())
    counts = article_counts(unique)
    counted = [Candidate(c.kind, c.slug, c.name, c.matched, counts.get((c.kind, c.slug), 0)) for c in unique]
    return sorted(counted, key=lambda c: (-c.article_count, c.name))[:MAX_CANDIDATES]


def _with_match(name: _Name) -> Candidate:
    c = name.candidate
    matched = "" if normalise(name.text) == normalise(c.name) else name.text
    return Candidate(c.kind, c.slug, c.name, matched)


def resolve(kind: str, text: str) -> Resolution:
    """One entity of ``kind`` (person, party, organisation, source, or "" for any) for
    what was typed, or the candidates it could mean, or a message saying there is none."""
    label = KIND_LABELS.get(kind, "person, party, organisation or source")
    typed = (text or "").strip()[:MAX_TEXT]
    key = normalise(typed)
    if not key:
        return Resolution(None, [], f"Type the name of a {label}.")
    exact = _named_exactly(key, _kinds(kind))
    if not exact and slugify(typed) != key:
        exact = _named_exactly(normalise(slugify(typed)), _kinds(kind))
    if exact:
        ranked = _ranked(_with_match(n) for n in exact)
        if len(ranked) == 1:
            return Resolution(ranked[0])
        # Several entities share the name; one with articles among many without is meant.
        busy = [c for c in ranked if c.article_count]
        if len(busy) == 1:
            return Resolution(busy[0], ranked)
        return Resolution(None, ranked, f"“{typed}” could mean more than one {label}: choose one.")

    # A first name or surname alone ("Rahman"), part of a name ("red rose"): what it is part of.
    names = _names(_kinds(kind))
    words = set(key.split())
    partial = [n for n in names if words <= set(n.key.split())] if words <= _current()["words"] else []
    if partial:
        ranked = _ranked(_with_match(n) for n in partial)
        if len(ranked) == 1:
            return Resolution(ranked[0])
        return Resolution(None, ranked, f"“{typed}” could mean more than one {label}: choose one.")

    keys = [n.key for n in names]
    scored = process.extract(key, keys, scorer=fuzz.ratio, processor=None, limit=40, score_cutoff=FUZZY_CUTOFF)
    if not scored:
        return Resolution(None, [], f"No {label} called “{typed}” is in the archive.")
    best_score = scored[0][1]
    best = {(names[i].candidate.kind, names[i].candidate.slug) for _, score, i in scored if score == best_score}
    runners_up = [s for _, s, i in scored if (names[i].candidate.kind, names[i].candidate.slug) not in best]
    ranked = _ranked(_with_match(names[i]) for _, _, i in scored)
    if len(best) == 1 and (not runners_up or runners_up[0] <= best_score - FUZZY_MARGIN):
        winner = next(c for c in ranked if (c.kind, c.slug) in best)
        return Resolution(winner, [], f"Showing {winner.name} for “{typed}”.", exact=False)
    return Resolution(None, ranked, f"No {label} is called exactly “{typed}”. Did you mean one of these?")


def suggest(text: str, kinds: tuple[str, ...] = KINDS, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Type-ahead: entities with a name or alias starting with ``text`` (or a word of it
    starting so), busiest first; fuzzy matches when nothing starts that way."""
    key = normalise((text or "")[:MAX_TEXT])
    if len(key) < 2:
        return []
    names = _names(kinds)
    starts = [n for n in names if n.key.startswith(key)]
    words = [n for n in names if not n.key.startswith(key) and f" {key}" in f" {n.key}"]
    found = starts + words
    if not found:
        scored = process.extract(
            key, [n.key for n in names], scorer=fuzz.ratio, processor=utils.default_process, limit=20, score_cutoff=75
        )
        found = [names[i] for _, _, i in scored]
    return _ranked(_with_match(n) for n in found)[:limit]


def entity_for(candidate: Candidate):
    """The model instance behind a candidate."""
    model = {PERSON: Person, PARTY: Organisation, ORGANISATION: Organisation, SOURCE: Source}[candidate.kind]
    return model.objects.filter(slug=candidate.slug).first()


def known_words() -> set[str]:
    """Every word of every name, alias and slug, casefolded: words 'did you mean' keeps."""
    return set(_current()["words"])


def named(text: str) -> Candidate | None:
    """The one entity whose name, alias or (for people it means) surname is exactly
    ``text``, as words typed in the search box; None when none or several are. An alias
    that is also an ordinary word (Reform, Unite) counts only when typed as written."""
    key = normalise(text)
    if not key:
        return None
    found = {
        (n.candidate.kind, n.candidate.slug): n.candidate
        for n in _named_exactly(key, KINDS)
        if n.candidate.kind != SOURCE and (not n.guarded or n.text == text.strip())
    }
    return next(iter(found.values())) if len(found) == 1 else None
