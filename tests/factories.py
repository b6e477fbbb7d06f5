"""Small hand factories for tests: gazetteers and documents without a database."""

import datetime

from archive.ingest.entities import ORGANISATION, PERSON, AliasEntry, Entity, Gazetteer, Role
from archive.ingest.read import RawDocument


def person(name, slug=None, surname_alias=False, in_office=(), parties=(), roles=()):
    """roles: (organisation slug, title, start, end) tuples, dates as ISO strings or None."""
    return Entity(
        slug or name.lower().replace(" ", "-"),
        name,
        PERSON,
        surname_alias=surname_alias,
        in_office=in_office,
        parties=frozenset(parties),
        roles=tuple(Role(org, title, _day(start), _day(end)) for org, title, start, end in roles),
    )


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def organisation(name, kind="other", slug=None, domains=()):
    return Entity(slug or name.lower().replace(" ", "-"), name, ORGANISATION, org_kind=kind, domains=tuple(domains))


def gazetteer(entities=(), aliases=()):
    """aliases: (text, slug) or (text, slug, guarded) tuples."""
    return Gazetteer(list(entities), [AliasEntry(a[0], a[1], *a[2:]) for a in aliases])


def small_gazetteer():
    """A handful of real UK political entities, enough for behaviour tests."""
    return gazetteer(
        [
            person("Keir Starmer", surname_alias=True, parties=["labour-party"]),
            person("Jeremy Corbyn", surname_alias=True),
            person("Boris Johnson", surname_alias=True),
            person("Anas Sarwar"),
            person("Mish Rahman"),
            organisation("Labour Party", "party"),
            organisation("Conservative Party", "party"),
            organisation("Reform UK", "party"),
            organisation("Green Party of England and Wales", "party", slug="greens"),
            organisation("Unite", "union"),
            organisation("Momentum", "faction"),
            organisation("Jewish Labour Movement", "faction"),
            organisation("Labour National Executive Committee", "party_body", slug="labour-nec"),
            organisation("LabourList", "media", domains=["labourlist.org"]),
            organisation("The Guardian", "media", domains=["theguardian.com"]),
            organisation("Kirklees Council", "parliament"),
        ],
        [
            ("Sir Keir", "keir-starmer"),
            ("Sir Keir Starmer", "keir-starmer"),
            ("Kier Starmer", "keir-starmer"),
            ("Labour", "labour-party"),
            ("Scottish Labour", "labour-party"),
            ("Tory", "conservative-party"),
            ("Tories", "conservative-party"),
            ("Reform", "reform-uk", True),
            ("Greens", "greens"),
            ("Unite", "unite", True),
            ("Unite the Union", "unite"),
            ("Momentum", "momentum", True),
            ("NEC", "labour-nec"),
            ("Guardian", "the-guardian"),
        ],
    )


def document(text, name="page.txt", **meta):
    return RawDocument(path=name, name=name, text=text, meta=meta)
