"""Read the knowledge base's data files and load them into the database.

``read_knowledge()`` is pure (files in, dataclasses out) and validates as it reads, so a
mistake in a data file is reported with the file and the entry's name. ``load_knowledge``
writes them idempotently, matching rows by slug.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from archive.ingest import dates, entities, names

DATA_DIR = Path(__file__).resolve().parent / "data"
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


@dataclass
class PersonFact:
    name: str
    slug: str
    aliases: list[str] = field(default_factory=list)
    surname_alias: bool = False
    bio: str = ""
    wikidata: str = ""
    memberships: list[MembershipFact] = field(default_factory=list)


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
        ] + [entities.Entity(p.slug, p.name, entities.PERSON, surname_alias=p.surname_alias) for p in self.people]
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
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
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
            memberships.append(
                MembershipFact(
                    organisation=row["org"],
                    role=str(row.get("role") or "member"),
                    start=parse_partial_date(row.get("start"), where=where),
                    end=parse_partial_date(row.get("end"), end=True, where=where),
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


def read_commons_csv(path: Path, people: dict[str, PersonFact]) -> None:
    """Merge EveryPolitician rows into ``people`` (keyed by slug): a curated person with
    the same first and last name gains the memberships; others become new people."""
    by_short_name = {_short_name(p.name): p for p in people.values()}
    for p in people.values():
        for alias in p.aliases:
            by_short_name.setdefault(_short_name(alias), p)
    added: list[MembershipFact] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            where = f"{path.name}: {name}"
            person = by_short_name.get(_short_name(name))
            if person is None:
                person = PersonFact(name=name, slug=slugify(name))
                while person.slug in people:
                    person.slug += "-mp"
                people[person.slug] = person
                by_short_name[_short_name(name)] = person
            start = parse_partial_date(row.get("start"), where=where)
            end = parse_partial_date(row.get("end"), end=True, where=where)
            # A curated person's own rows win: add only what they do not already record.
            known = {(m.organisation, m.role) for m in person.memberships if m not in added}
            seat = MembershipFact("house-of-commons", f"MP for {row['constituency']}", start, end)
            party = MembershipFact(row["party"], "member", start, end) if row.get("party") else None
            for fact in (seat, party):
                if fact and (fact.organisation, fact.role) not in known:
                    person.memberships.append(fact)
                    added.append(fact)


def _short_name(name: str) -> str:
    tokens = [t for t in name.replace(".", "").split() if t not in names.HONORIFICS]
    return f"{tokens[0]} {tokens[-1]}".casefold() if len(tokens) >= 2 else name.casefold()


def read_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    organisations = read_organisations(data_dir / "organisations.yaml")
    org_slugs = {o.slug for o in organisations}
    for o in organisations:
        if o.parent and o.parent not in org_slugs:
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
    commons = data_dir / "commons_1997_2019.csv"
    if commons.exists():
        read_commons_csv(commons, people)
    for person in people.values():
        unknown = sorted({m.organisation for m in person.memberships} - org_slugs)
        if unknown:
            raise KnowledgeError(f"people: {person.name}: unknown organisation {', '.join(map(repr, unknown))}")
    return Knowledge(organisations, list(people.values()))


def load_knowledge(knowledge: Knowledge) -> dict[str, int]:
    """Write the knowledge base to the database in one transaction; returns counts."""
    from django.db import transaction

    from archive.models import Alias, Membership, Organisation, Person

    with transaction.atomic():
        orgs = {}
        for fact in knowledge.organisations:
            org, _ = Organisation.objects.update_or_create(
                slug=fact.slug,
                defaults={
                    "name": fact.name,
                    "kind": fact.kind,
                    "domains": fact.domains,
                    "homepage": fact.homepage,
                    "description": fact.description,
                },
            )
            orgs[fact.slug] = org
        for fact in knowledge.organisations:
            org = orgs[fact.slug]
            org.parent = orgs.get(fact.parent)
            org.save(update_fields=["parent"])
            _replace_aliases(Alias, org.aliases, {"organisation": org}, fact.aliases, fact.guarded_aliases)
        for fact in knowledge.people:
            person, _ = Person.objects.update_or_create(
                slug=fact.slug,
                defaults={
                    "name": fact.name,
                    "sort_name": names.sort_name(fact.name),
                    "bio": fact.bio,
                    "wikidata_id": fact.wikidata,
                    "surname_alias": fact.surname_alias,
                    "needs_review": False,
                },
            )
            _replace_aliases(Alias, person.aliases, {"person": person}, fact.aliases, [])
            person.memberships.all().delete()
            Membership.objects.bulk_create(
                Membership(
                    person=person,
                    organisation=orgs[m.organisation],
                    role=m.role[:200],
                    start_date=m.start,
                    end_date=m.end,
                )
                for m in _dedupe(fact.memberships)
            )
    return {"organisations": len(knowledge.organisations), "people": len(knowledge.people)}


def _dedupe(memberships: list[MembershipFact]) -> list[MembershipFact]:
    seen, kept = set(), []
    for m in memberships:
        key = (m.organisation, m.role, m.start, m.end)
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept


def _replace_aliases(model, manager, owner: dict, aliases: list[str], guarded: list[str]) -> None:
    wanted = {a: False for a in aliases}
    wanted.update({a: True for a in guarded})
    manager.exclude(name__in=list(wanted)).delete()
    existing = {a.name: a for a in manager.all()}
    for name, is_guarded in wanted.items():
        alias = existing.get(name)
        if alias is None:
            model.objects.create(name=name[:200], guarded=is_guarded, **owner)
        elif alias.guarded != is_guarded:
            alias.guarded = is_guarded
            alias.save(update_fields=["guarded"])
