"""Read the knowledge base's data files and load them into the database.

``read_knowledge()`` is pure (files in, dataclasses out) and validates as it reads, so a
mistake in a data file is reported with the file and the entry's name. ``load_knowledge``
writes them idempotently, matching rows by slug.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils import timezone

from archive.ingest import dates, entities, names
from archive.knowledge import commons, kinds

DATA_DIR = Path(__file__).resolve().parent / "data"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ORGANISATION_KINDS = {"party", "party_body", "union", "faction", "media", "parliament", "company", "other"}


class KnowledgeError(ValueError):
    pass


@dataclass
class OrganisationFact:
    name: str
    slug: str
    kind: str
    parent: str = ""
    aliases: list[str] = field(default_factory=list)
    guarded_aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    homepage: str = ""
    description: str = ""


@dataclass
class MembershipFact:
    organisation: str
    role: str = "member"
    start: datetime.date | None = None
    end: datetime.date | None = None
    kind: str = ""  # seat | party | whip | role; inferred from the organisation and role when empty
    elected_for: str = ""  # a seat's party (organisation slug)
    end_reason: str = ""
    source: str = ""

    def overlaps(self, other: MembershipFact) -> bool:
        return (self.start or datetime.date.min) <= (other.end or datetime.date.max) and (
            other.start or datetime.date.min
        ) <= (self.end or datetime.date.max)


@dataclass
class Term:
    """One row of a Commons or devolved data file: a person elected for a constituency
    (or a region) of a chamber."""

    constituency: str
    party: str
    start: datetime.date | None
    end: datetime.date | None
    source: str
    chamber: str = "house-of-commons"  # organisation slug: one of commons.TITLES


@dataclass
class PersonFact:
    name: str
    slug: str
    aliases: list[str] = field(default_factory=list)
    surname_alias: bool = False
    bio: str = ""
    wikidata: str = ""
    memberships: list[MembershipFact] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    review_reason: str = ""


@dataclass
class Knowledge:
    organisations: list[OrganisationFact]
    people: list[PersonFact]

    def gazetteer(self) -> entities.Gazetteer:
        """The same knowledge as plain matching data, without a database (for tests and
        the `extract` command on a fresh checkout)."""
        ents = [
            entities.Entity(o.slug, o.name, entities.ORGANISATION, org_kind=o.kind, domains=tuple(o.domains))
            for o in self.organisations
        ]
        org_kinds = {o.slug: o.kind for o in self.organisations}
        ents += [
            entities.Entity(
                p.slug,
                p.name,
                entities.PERSON,
                surname_alias=p.surname_alias,
                in_office=tuple(
                    (m.start, m.end)
                    for m in p.memberships
                    if (m.kind or kinds.infer_kind(org_kinds.get(m.organisation, ""), m.role)) in kinds.OFFICES
                ),
                parties=frozenset(m.organisation for m in p.memberships if org_kinds.get(m.organisation) == "party"),
                roles=tuple(
                    entities.Role(m.organisation, m.role, m.start, m.end)
                    for m in p.memberships
                    if (m.kind or kinds.infer_kind(org_kinds.get(m.organisation, ""), m.role)) in ROLES_AND_SEATS
                ),
            )
            for p in self.people
        ]
        aliases = [entities.AliasEntry(a, o.slug) for o in self.organisations for a in o.aliases]
        aliases += [entities.AliasEntry(a, o.slug, guarded=True) for o in self.organisations for a in o.guarded_aliases]
        aliases += [entities.AliasEntry(a, p.slug) for p in self.people for a in p.aliases]
        return entities.Gazetteer(ents, aliases)


def slugify(text: str) -> str:
    from django.utils.text import slugify as django_slugify

    return django_slugify(text)


def parse_partial_date(value, *, end: bool = False, where: str = "") -> datetime.date | None:
    """A knowledge-base date ('2024', '2024-07', '2024-07-05'); see dates.parse_partial_date."""
    try:
        return dates.parse_partial_date(value, end=end)
    except ValueError as exc:
        raise KnowledgeError(f"{where}: bad date {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def _load_yaml(path: Path) -> list[dict]:
    try:
        # libyaml's loader when installed: the pure-Python one took most of the load time.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise KnowledgeError(f"{path.name}: expected a list of entries")
    return data


def read_organisations(path: Path) -> list[OrganisationFact]:
    facts = []
    for entry in _load_yaml(path):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise KnowledgeError(f"{path.name}: an organisation has no name: {entry!r:.80}")
        kind = entry.get("kind", "other")
        if kind not in ORGANISATION_KINDS:
            raise KnowledgeError(f"{path.name}: {name}: unknown kind {kind!r}")
        facts.append(
            OrganisationFact(
                name=name,
                slug=entry.get("slug") or slugify(name),
                kind=kind,
                parent=entry.get("parent") or "",
                aliases=[str(a) for a in entry.get("aliases") or []],
                guarded_aliases=[str(a) for a in entry.get("guarded_aliases") or []],
                domains=[str(d) for d in entry.get("domains") or []],
                homepage=entry.get("homepage") or "",
                description=entry.get("description") or "",
            )
        )
    return facts


def read_people(path: Path) -> list[PersonFact]:
    facts = []
    for entry in _load_yaml(path):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise KnowledgeError(f"{path.name}: a person has no name: {entry!r:.80}")
        where = f"{path.name}: {name}"
        memberships = []
        for row in entry.get("memberships") or []:
            if not row.get("org"):
                raise KnowledgeError(f"{where}: a membership has no org")
            kind = str(row.get("kind") or "")
            if kind and kind not in kinds.KINDS:
                raise KnowledgeError(f"{where}: unknown membership kind {kind!r} (use {', '.join(kinds.KINDS)})")
            end_reason = str(row.get("end_reason") or "")
            if end_reason and end_reason not in kinds.END_REASONS:
                raise KnowledgeError(f"{where}: unknown end_reason {end_reason!r}")
            status = str(row.get("status") or "")
            if status and (kind != kinds.WHIP or status not in kinds.WHIP_STATUSES):
                raise KnowledgeError(
                    f"{where}: status {status!r} is for whip rows (kind: whip, status: {' or '.join(kinds.WHIP_STATUSES)})"
                )
            role = (
                kinds.WHIP_STATUSES[status]
                if status
                else str(row.get("role") or ("whip" if kind == kinds.WHIP else "member"))
            )
            memberships.append(
                MembershipFact(
                    organisation=row["org"],
                    role=role,
                    start=parse_partial_date(row.get("start"), where=where),
                    end=parse_partial_date(row.get("end"), end=True, where=where),
                    kind=kind,
                    elected_for=str(row.get("elected_for") or ""),
                    end_reason=end_reason,
                    source=str(row.get("source") or f"{path.name} (curated)"),
                )
            )
        facts.append(
            PersonFact(
                name=name,
                slug=entry.get("slug") or slugify(name),
                aliases=[str(a) for a in entry.get("aliases") or []],
                surname_alias=bool(entry.get("surname_alias")),
                bio=entry.get("bio") or "",
                wikidata=entry.get("wikidata") or "",
                memberships=memberships,
            )
        )
    return facts


# What 'the prime minister' and 'the Birmingham Yardley MP' can name (see quotes.office_holders).
ROLES_AND_SEATS = (kinds.ROLE, kinds.SEAT)
COMMONS_FILES = ("commons_1997_2019.csv", "commons_2019_2024.csv", "devolved_2016_2017.csv", "devolved_2021.csv")
# Sourced changes since the elections: the Commons', and the devolved chambers' (with a chamber column).
CHANGES_FILES = ("commons_changes.csv", "devolved_changes.csv")
# Dissolutions of the parliaments in the member files, per chamber: a by-election seat ends
# at the next (the Sixth Senedd's: devolved_2021.SOURCE.md).
PARLIAMENT_ENDS = {commons.COMMONS: [datetime.date(2024, 5, 30)], "senedd": [datetime.date(2026, 4, 8)]}
# A curated date this close to a sourced change's is the same event, written less exactly.
SAME_EVENT = datetime.timedelta(days=62)


def read_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    organisations = read_organisations(data_dir / "organisations.yaml")
    org_kinds = {o.slug: o.kind for o in organisations}
    for o in organisations:
        if o.parent and o.parent not in org_kinds:
            raise KnowledgeError(f"organisations.yaml: {o.name}: unknown parent {o.parent!r}")
    people: dict[str, PersonFact] = {}
    for path in sorted((data_dir / "people").glob("*.yaml")):
        for person in read_people(path):
            if person.slug in people:
                existing = people[person.slug]
                existing.aliases += [a for a in person.aliases if a not in existing.aliases]
                existing.memberships += person.memberships
                existing.surname_alias = existing.surname_alias or person.surname_alias
                existing.bio = existing.bio or person.bio
            else:
                people[person.slug] = person
    for person in people.values():
        unknown = sorted({m.organisation for m in person.memberships} - set(org_kinds))
        if unknown:
            raise KnowledgeError(f"people: {person.name}: unknown organisation {', '.join(map(repr, unknown))}")
        for m in person.memberships:
            m.kind = m.kind or kinds.infer_kind(org_kinds[m.organisation], m.role)
    try:
        _read_commons(data_dir, people)
    except commons.CommonsError as exc:
        raise KnowledgeError(str(exc)) from exc
    for person in people.values():
        unknown = sorted({m.organisation for m in person.memberships} - set(org_kinds))
        if unknown:
            raise KnowledgeError(f"people: {person.name}: unknown organisation {', '.join(map(repr, unknown))}")
    return Knowledge(organisations, list(people.values()))


def _read_commons(data_dir: Path, people: dict[str, PersonFact]) -> None:
    """Add the MPs of the Commons files to ``people``: the spans derived from their terms
    and changes, except where a curated row already records the same thing."""
    index = commons.People(people)
    for name in COMMONS_FILES:
        if (data_dir / name).exists():
            commons.read_terms(data_dir / name, index)
    changes: dict[str, list[commons.Change]] = {}
    for name in CHANGES_FILES:
        if (data_dir / name).exists():
            for person, change in commons.read_changes(data_dir / name, index, PARLIAMENT_ENDS):
                changes.setdefault(person.slug, []).append(change)
    # One spelling per constituency, the files' ('Normanton, Pontefract and Castleford' is
    # the Commons Library's 'Normanton Pontefract and Castleford'), so a curated seat and
    # the same seat from the files are one row.
    for person in people.values():
        for m in person.memberships:
            if m.organisation == commons.COMMONS and m.role.startswith("MP for "):
                m.role = "MP for " + commons.constituency_name(m.role.removeprefix("MP for "))
    _end_curated_seats_at_successors(people)
    for person in people.values():
        if not person.terms and person.slug not in changes:
            continue
        person_changes = changes.get(person.slug, [])
        curated = list(person.memberships)
        for fact in commons.derive(person, person_changes):
            same = [
                m
                for m in curated
                if (m.organisation, m.kind) == (fact.organisation, fact.kind)
                and (m.role == fact.role or (fact.kind == kinds.SEAT and commons.same_seat(m.role, fact.role)))
            ]
            if not any(m.overlaps(fact) for m in same):
                person.memberships.append(fact)
        # A dated, sourced change beats a curated row's date for the same party (curated
        # dates were written from general knowledge, often only to the month).
        # A whip lost and the party left on one day: leaving wins (applied last).
        for change in sorted(person_changes, key=lambda c: (c.date, c.change == "left")):
            for m in curated:
                near = abs(((m.end if change.change == "left" else m.start) or change.date) - change.date) <= SAME_EVENT
                if m.kind == kinds.PARTY and m.organisation == change.party and change.change == "left":
                    if (m.start or datetime.date.min) <= change.date and (m.end is None or near):
                        m.end, m.end_reason, m.source = change.date, change.reason or "left", change.source
                elif m.kind == kinds.PARTY and m.organisation == change.party and change.change == "joined":
                    if m.start is not None and near:
                        m.start, m.source = change.date, change.source
                elif (
                    change.change == "whip_removed"
                    and m.kind == kinds.PARTY
                    and m.organisation == change.party
                    and m.end is not None
                    and abs(m.end - change.date) <= SAME_EVENT
                ):
                    # Losing the whip is not leaving the party: the membership runs on to
                    # the next one recorded, or stays open.
                    later = [
                        o.start
                        for o in curated
                        if o.kind == kinds.PARTY and o.organisation == m.organisation and o.start and o.start > m.end
                    ]
                    m.end = min(later) - datetime.timedelta(days=1) if later else None
                    m.source = f"{m.source}; whip removed, membership went on: {change.source}"
                elif (
                    change.change == "whip_restored"
                    and m.kind == kinds.WHIP
                    and m.end is None
                    and (m.start or datetime.date.min) <= change.date
                ):
                    m.end, m.end_reason = change.date - datetime.timedelta(days=1), "whip_restored"
                    m.source = f"{m.source}; restored: {change.source}"


def _end_curated_seats_at_successors(people: dict[str, PersonFact]) -> None:
    """A curated Commons seat row still open (or ending later) when the Commons files show
    someone else elected for that constituency ends at the dissolution before that
    election (or the day before a by-election): a seat has one holder at a time."""
    elected = [
        (term, person)
        for person in people.values()
        for term in person.terms
        if term.start is not None and term.chamber == commons.COMMONS
    ]
    by_seat: dict[str, list] = {}  # the terms of each constituency
    for term, holder in elected:
        by_seat.setdefault(commons.seat_key(term.constituency), []).append((term, holder))
    for person in people.values():
        for m in person.memberships:
            if m.organisation != commons.COMMONS or not m.role.startswith("MP for "):
                continue
            constituency = m.role.removeprefix("MP for ")
            later = [
                term
                for term, holder in by_seat.get(commons.seat_key(constituency), [])
                if holder is not person
                and _surname(holder.name) != _surname(person.name)  # the same person under two names: review
                and (m.start or datetime.date.min) < term.start <= (m.end or datetime.date.max)
            ]
            if not later:
                continue
            first = min(later, key=lambda t: t.start)
            # Terms in the files end at a dissolution: the last such end before the election.
            dissolutions = [t.end for t, _ in elected if t.end and t.end < first.start]
            by_election = first.source.startswith("by-election")
            end = first.start - datetime.timedelta(days=1) if by_election or not dissolutions else max(dissolutions)
            m.end = max(end, m.start) if m.start else end
            m.source = f"{m.source}; ended when {first.constituency} elected another MP: {first.source}"


def _surname(name: str) -> str:
    return name.replace("-", " ").split()[-1].casefold() if name.split() else ""


@dataclass
class LoadReport:
    """What load_knowledge did, per kind of row: added, changed (a data-file row updated),
    removed (a data-file row no longer in the files) and left alone (an editor's row, or
    an editor's change to a loaded row)."""

    organisations: int = 0
    people: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    started: datetime.datetime = field(default_factory=timezone.now)
    # Rows changed in a way that reaches articles' search documents (their ids).
    reindex_people: set[int] = field(default_factory=set)
    reindex_organisations: set[int] = field(default_factory=set)

    def count(self, table: str, what: str, n: int = 1) -> None:
        row = self.counts.setdefault(table, {"added": 0, "changed": 0, "removed": 0, "left alone": 0})
        row[what] += n

    def lines(self) -> list[str]:
        return [
            f"{table}: " + ", ".join(f"{n} {what}" for what, n in row.items())
            for table, row in sorted(self.counts.items())
        ]


def load_knowledge(knowledge: Knowledge) -> LoadReport:
    """Write the knowledge base to the database in one transaction, additively: rows the
    files own (origin 'data') are added, updated or removed to match them; rows an editor
    made or changed in the admin are never touched. Returns what it did."""
    from django.db import transaction

    from archive.search.signals import articles_about_organisations, articles_about_people, index_articles_later

    report = LoadReport(len(knowledge.organisations), len(knowledge.people))
    with transaction.atomic():
        orgs = _load_organisations(knowledge.organisations, report)
        people = _load_people(knowledge.people, report)
        _load_aliases(knowledge, orgs, people, report)
        _load_memberships(knowledge.people, orgs, people, report)
        # Bulk writes send no signals: queue the articles whose search documents the
        # changes reach (a renamed person or organisation, a changed kind, memberships
        # behind "party at the time"), durably and in this transaction, so the index is
        # updated after commit. Aliases are not in the documents.
        index_articles_later(
            articles_about_people(report.reindex_people) | articles_about_organisations(report.reindex_organisations)
        )
    return report


ORGANISATION_FIELDS = ("name", "kind", "domains", "homepage", "description")
PERSON_FIELDS = ("name", "sort_name", "sort_key", "bio", "wikidata_id", "surname_alias", "review_reason")


def _sync_rows(
    model, facts: dict[str, dict], fields: tuple[str, ...], table: str, report: LoadReport, reindex: set[int]
) -> dict:
    """Create or update one row per slug; rows an editor changed keep their fields. The
    ids of updated rows whose indexed fields (signals.INDEXED_FIELDS) changed go into
    ``reindex``."""
    from archive.search.signals import INDEXED_FIELDS

    indexed = [f for f in INDEXED_FIELDS[model.__name__] if f in fields]
    existing = {row.slug: row for row in model.objects.filter(slug__in=list(facts))}
    new, changed = [], []
    for slug, values in facts.items():
        row = existing.get(slug)
        if row is None:
            new.append(model(slug=slug, **values))
        elif row.edited_in_admin:
            report.count(table, "left alone")
        elif any(getattr(row, f) != values[f] for f in fields):
            if any(getattr(row, f) != values[f] for f in indexed):
                reindex.add(row.pk)
            for f in fields:
                setattr(row, f, values[f])
            changed.append(row)
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update(changed, fields, batch_size=500)
    report.count(table, "added", len(new))
    report.count(table, "changed", len(changed))
    return {row.slug: row for row in model.objects.filter(slug__in=list(facts))}


def _load_organisations(facts: list[OrganisationFact], report: LoadReport) -> dict:
    from archive.models import Organisation

    values = {f.slug: {k: getattr(f, k) for k in ORGANISATION_FIELDS} for f in facts}
    orgs = _sync_rows(Organisation, values, ORGANISATION_FIELDS, "organisations", report, report.reindex_organisations)
    reparented = []
    for fact in facts:
        org = orgs[fact.slug]
        parent = orgs.get(fact.parent)
        if not org.edited_in_admin and org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            reparented.append(org)
    Organisation.objects.bulk_update(reparented, ["parent"], batch_size=500)
    return orgs


def _load_people(facts: list[PersonFact], report: LoadReport) -> dict:
    from archive.models import Person
    from archive.models.entities import person_sort_key

    values = {
        f.slug: {
            "name": f.name,
            "sort_name": names.sort_name(f.name),
            "sort_key": person_sort_key(f.name, names.sort_name(f.name)),
            "bio": f.bio,
            "wikidata_id": f.wikidata,
            "surname_alias": f.surname_alias,
            "review_reason": f.review_reason[:300],
        }
        for f in facts
    }
    people = _sync_rows(Person, values, PERSON_FIELDS, "people", report, report.reindex_people)
    # Review: a namesake the files doubt is queued once (an editor's 'reviewed' sticks);
    # anyone else the files describe needs no review.
    queued = []
    for fact in facts:
        person = people[fact.slug]
        wanted = bool(fact.review_reason) and (person.needs_review or person.created >= report.started)
        if person.needs_review != wanted and not person.edited_in_admin:
            person.needs_review = wanted
            queued.append(person)
    Person.objects.bulk_update(queued, ["needs_review"], batch_size=500)
    return people


def _load_aliases(knowledge: Knowledge, orgs: dict, people: dict, report: LoadReport) -> None:
    """Aliases of the files' people and organisations: a data-file alias no longer listed
    goes; an editor's alias stays whatever the files say."""
    from archive.models import Alias, Origin

    wanted: dict[tuple[str, int], dict[str, bool]] = {}
    for fact in knowledge.organisations:
        names_ = {a: False for a in fact.aliases} | {a: True for a in fact.guarded_aliases}
        wanted[("organisation", orgs[fact.slug].pk)] = names_
    for fact in knowledge.people:
        wanted[("person", people[fact.slug].pk)] = {a: False for a in fact.aliases}
    existing: dict[tuple[str, int], dict[str, Alias]] = {}
    for alias in Alias.objects.filter(person__in=list(people.values())) | Alias.objects.filter(
        organisation__in=list(orgs.values())
    ):
        owner = ("person", alias.person_id) if alias.person_id else ("organisation", alias.organisation_id)
        existing.setdefault(owner, {})[alias.name] = alias
    new, changed, gone = [], [], []
    for owner, names_ in wanted.items():
        have = existing.get(owner, {})
        for name, guarded in names_.items():
            alias = have.get(name)
            if alias is None:
                new.append(Alias(name=name[:200], guarded=guarded, origin=Origin.DATA, **{f"{owner[0]}_id": owner[1]}))
            elif alias.origin != Origin.DATA:
                report.count("aliases", "left alone")
            elif alias.guarded != guarded:
                alias.guarded = guarded
                changed.append(alias)
        for name, alias in have.items():
            if name not in names_:
                if alias.origin == Origin.DATA:
                    gone.append(alias.pk)
                else:
                    report.count("aliases", "left alone")
    Alias.objects.bulk_create(new, batch_size=500)
    Alias.objects.bulk_update(changed, ["guarded"], batch_size=500)
    Alias.objects.filter(pk__in=gone).delete()
    report.count("aliases", "added", len(new))
    report.count("aliases", "changed", len(changed))
    report.count("aliases", "removed", len(gone))


MEMBERSHIP_FIELDS = ("end_date", "end_reason", "source_note", "elected_for_id")


def _load_memberships(facts: list[PersonFact], orgs: dict, people: dict, report: LoadReport) -> None:
    """Each person's memberships from the files, matched to the rows already there by
    (person, organisation, kind, role, start): data-file rows are updated, added or
    removed to match; an editor's row is left alone, and a file row it duplicates is
    not added."""
    from archive.models import Membership, Origin

    existing: dict[tuple, list[Membership]] = {}
    for row in Membership.objects.filter(person__in=list(people.values())):
        key = (row.person_id, row.organisation_id, row.kind, row.role, row.start_date)
        existing.setdefault(key, []).append(row)
    seen: set[int] = set()
    new, changed = [], []
    for fact in facts:
        person = people[fact.slug]
        for m in _dedupe(fact.memberships):
            key = (person.pk, orgs[m.organisation].pk, m.kind, m.role[:200], m.start)
            values = {
                "end_date": m.end,
                "end_reason": m.end_reason,
                "source_note": m.source[:500],
                "elected_for_id": orgs[m.elected_for].pk if m.elected_for in orgs else None,
            }
            rows = existing.get(key, [])
            editor = next((r for r in rows if r.origin != Origin.DATA), None)
            mine = next((r for r in rows if r.origin == Origin.DATA and r.pk not in seen), None)
            if editor is not None:
                seen.add(editor.pk)
                if mine is not None:
                    seen.discard(mine.pk)  # the editor's version replaces the file's
                continue
            if mine is None:
                new.append(
                    Membership(
                        person=person,
                        organisation=orgs[m.organisation],
                        kind=m.kind,
                        role=key[3],
                        start_date=m.start,
                        origin=Origin.DATA,
                        **values,
                    )
                )
                continue
            seen.add(mine.pk)
            if any(getattr(mine, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(mine, f, v)
                changed.append(mine)
    rows = [r for group in existing.values() for r in group]
    gone = [r for r in rows if r.origin == Origin.DATA and r.pk not in seen]
    # Any membership added, changed or removed may change a party at the time.
    report.reindex_people.update(m.person_id for m in [*new, *changed, *gone])
    gone = [r.pk for r in gone]
    report.count("memberships", "left alone", sum(1 for r in rows if r.origin != Origin.DATA))
    Membership.objects.filter(pk__in=gone).delete()
    Membership.objects.bulk_create(new, batch_size=500)
    Membership.objects.bulk_update(changed, list(MEMBERSHIP_FIELDS), batch_size=500)
    report.count("memberships", "added", len(new))
    report.count("memberships", "changed", len(changed))
    report.count("memberships", "removed", len(gone))


def _dedupe(memberships: list[MembershipFact]) -> list[MembershipFact]:
    seen, kept = set(), []
    for m in memberships:
        key = (m.organisation, m.kind, m.role, m.start)
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept
