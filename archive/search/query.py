"""Running a search: the form's cleaned data in, a page of results out.

Text goes through Haystack's AutoQuery (words, "phrases", -exclusions, escaped by the
backend); never through Raw. Filters are exact matches on the index's slug fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from haystack import connections
from haystack.inputs import AutoQuery, Exact
from haystack.query import SearchQuerySet

from archive.models import Article, Organisation, Person, Source
from archive.search.highlight import query_terms, snippet

RESULTS_PER_PAGE = 20
SUGGEST_BELOW = 5  # offer "Did you mean" when a search finds fewer results than this
MAX_QUERY_TERMS = 30


@dataclass
class Result:
    article: Article
    snippet: str
    people: list
    parties: list


@dataclass
class SearchResults:
    page: object
    results: list[Result]
    total: int
    description: str
    suggestion: str = ""
    filters: dict = field(default_factory=dict)


def _entities(cleaned: dict) -> dict:
    found = {}
    for name, model in (
        ("person", Person),
        ("party", Organisation),
        ("org", Organisation),
        ("source", Source),
        ("quotedby", Person),
    ):
        if cleaned.get(name):
            found[name] = model.objects.filter(slug=cleaned[name]).first()
    return found


def describe(cleaned: dict, entities: dict) -> str:
    """The search in plain English, so people can check it means what they meant."""
    parts = []
    if cleaned.get("q"):
        parts.append(f"containing “{cleaned['q']}”")
    labels = {
        "person": "mentioning {}",
        "quotedby": "quoting {}",
        "party": "naming {}" + (" or any of its members at the time" if cleaned.get("members") else ""),
        "org": "naming {}",
        "source": "published by {}",
    }
    for name, template in labels.items():
        if cleaned.get(name):
            entity = entities.get(name)
            parts.append(template.format(entity.name if entity else f"“{cleaned[name]}” (not in the archive)"))
    if cleaned.get("date_from"):
        parts.append(f"from {cleaned['date_from']:%-d %B %Y}")
    if cleaned.get("date_to"):
        parts.append(f"until {cleaned['date_to']:%-d %B %Y}")
    order = {"newest": "newest first", "oldest": "oldest first"}.get(
        cleaned.get("sort") or "", "best match first" if cleaned.get("q") else "newest first"
    )
    return "Articles " + ", ".join(parts or ["of every kind"]) + f"; {order}."


def build_queryset(cleaned: dict) -> SearchQuerySet:
    sqs = SearchQuerySet().models(Article)
    q = " ".join((cleaned.get("q") or "").split()[:MAX_QUERY_TERMS])
    if q:
        sqs = sqs.filter(content=AutoQuery(q))
    if cleaned.get("person"):
        sqs = sqs.filter(people=Exact(cleaned["person"]))
    if cleaned.get("party"):
        field_name = "member_parties" if cleaned.get("members") else "parties"
        sqs = sqs.filter(**{field_name: Exact(cleaned["party"])})
    if cleaned.get("org"):
        sqs = sqs.filter(organisations=Exact(cleaned["org"]))
    if cleaned.get("source"):
        sqs = sqs.filter(source=Exact(cleaned["source"]))
    if cleaned.get("quotedby"):
        sqs = sqs.filter(quoted=Exact(cleaned["quotedby"]))
    if cleaned.get("date_from"):
        sqs = sqs.filter(date__gte=cleaned["date_from"])
    if cleaned.get("date_to"):
        sqs = sqs.filter(date__lte=cleaned["date_to"])
    sort = cleaned.get("sort") or ("" if q else "newest")
    # Undated articles go last either way (Whoosh would put documents without a date first).
    if sort == "newest":
        sqs = sqs.order_by("-sort_newest")
    elif sort == "oldest":
        sqs = sqs.order_by("sort_oldest")
    return sqs


def search_articles(cleaned: dict) -> SearchResults:
    entities = _entities(cleaned)
    sqs = build_queryset(cleaned)
    page = Paginator(sqs, RESULTS_PER_PAGE).get_page(cleaned.get("page") or 1)
    hits = list(page.object_list)
    articles = Article.objects.select_related("source").in_bulk([int(hit.pk) for hit in hits])
    slugs = {slug for hit in hits for slug in (hit.people or []) + (hit.parties or [])}
    names = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    names.update({o.slug: o for o in Organisation.objects.filter(slug__in=slugs)})
    terms = query_terms(cleaned.get("q", ""))
    results = [
        Result(
            article=articles[int(hit.pk)],
            snippet=snippet(articles[int(hit.pk)].body, terms),
            people=[names[s] for s in hit.people or [] if s in names][:8],
            parties=[names[s] for s in hit.parties or [] if s in names],
        )
        for hit in hits
        if int(hit.pk) in articles
    ]
    suggestion = ""
    if cleaned.get("q") and page.paginator.count < SUGGEST_BELOW:
        backend = connections["default"].get_backend()
        suggestion = backend.suggest(cleaned["q"]) if hasattr(backend, "suggest") else ""
    return SearchResults(page, results, page.paginator.count, describe(cleaned, entities), suggestion, entities)
