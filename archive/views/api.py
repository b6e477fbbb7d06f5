"""The JSON API (docs/api.md): thin views over the same QuerySets and search as the pages."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from archive.export import articles_in_order, export_row
from archive.models import Article, Mention, Organisation, Person
from archive.search.entities import KINDS, ORGANISATION, PARTY, PERSON, SOURCE, suggest
from archive.search.forms import SearchForm
from archive.search.query import search_articles
from archive.views.errors import form_errors
from archive.views.paging import page_of, querystring_prefix

PER_PAGE = 20
ENTITY_PAGES = {
    PERSON: "person-detail",
    PARTY: "organisation-detail",
    ORGANISATION: "organisation-detail",
    SOURCE: "source-detail",
}


def _article(request, article) -> dict:
    return {
        "id": article.pk,
        "archive_url": request.build_absolute_uri(article.get_absolute_url()),
        **export_row(article),
    }


def _page_link(request, number) -> str | None:
    return request.build_absolute_uri(f"?{querystring_prefix(request)}page={number}") if number else None


def _paged(request, page, results: list) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _page_link(request, page.next_page_number() if page.has_next() else None),
        "previous": _page_link(request, page.previous_page_number() if page.has_previous() else None),
        "results": results,
    }


def _entity(entity, kind: str) -> dict:
    return {"name": entity.name, "kind": kind, "slug": entity.slug, "url": entity.get_absolute_url()}


def _candidate(candidate) -> dict:
    """A resolved name (archive.search.entities.Candidate) as the API shows entities."""
    url = reverse(ENTITY_PAGES[candidate.kind], kwargs={"slug": candidate.slug})
    return {"name": candidate.name, "kind": candidate.kind, "slug": candidate.slug, "url": url}


def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form_errors(form)}, status=400)
    results = search_articles(form.cleaned_data, request.GET.dict())
    articles = [_article(request, a) for a in articles_in_order(r.article.pk for r in results.results)]
    applied = {name: request.GET[name] for name in ("q", "from", "to", "sort", "members") if request.GET.get(name)}
    applied.update({name: _candidate(entity) for name, entity in results.filters.items()})
    facets = [
        {
            "name": f.name,
            "label": f.label,
            "values": [{"label": v.label, "count": v.count, "url": v.url} for v in f.values],
        }
        for f in results.facets
    ]
    body = {
        **_paged(request, results.page, articles),
        "total": results.total,
        "description": results.description,
        "filters": applied,
        "facets": facets,
        "suggestion": results.suggestion or None,
        "notices": results.notices,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _not_found(message: str):
    return JsonResponse({"errors": [message]}, status=404)


def article_detail(request, pk):
    article = next(articles_in_order([pk]), None)
    if article is None:
        return _not_found(f"There is no article {pk}.")
    body = {**_article(request, article), "original_text_url": request.build_absolute_uri(article.get_original_url())}
    body.update(body_text=article.body, retrieved=article.created.isoformat())
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _articles(request, mentions):
    """A page of the articles of a person's or an organisation's mentions, newest first."""
    named_in = mentions.count()
    articles = Article.objects.named_by(mentions, count=named_in).newest_first()
    page = page_of(request, articles, PER_PAGE, count=named_in)
    return _paged(request, page, [_article(request, a) for a in articles_in_order(a.pk for a in page)])


def _membership(membership, person=None) -> dict:
    entity = person or membership.organisation
    return {
        ("person" if person else "organisation"): _entity(entity, "person" if person else entity.kind),
        "role": membership.role,
        "start": membership.start_date.isoformat() if membership.start_date else None,
        "end": membership.end_date.isoformat() if membership.end_date else None,
    }


def person_detail(request, slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        return _not_found(f"There is no person '{slug}'.")
    body = {
        **_entity(person, "person"),
        "sort_name": person.sort_name,
        "aliases": [alias.name for alias in person.aliases.all()],
        "memberships": [_membership(m) for m in person.memberships.select_related("organisation")],
        "articles": _articles(request, Mention.objects.of(person)),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def organisation_detail(request, slug):
    organisation = Organisation.objects.select_related("parent").filter(slug=slug).first()
    if organisation is None:
        return _not_found(f"There is no organisation '{slug}'.")
    members_now = organisation.memberships.covering(timezone.localdate()).select_related("person")
    body = {
        **_entity(organisation, organisation.kind),
        "parent": _entity(organisation.parent, organisation.parent.kind) if organisation.parent else None,
        "aliases": [alias.name for alias in organisation.aliases.all()],
        "members_now": [
            _membership(m, person=m.person) for m in members_now.order_by("person__sort_key", "person", "pk")
        ],
        "articles": _articles(request, Mention.objects.of(organisation)),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def entities(request):
    """Type-ahead for the search box: the resolver's suggestions (archive.search.entities);
    none until two letters are typed."""
    text = request.GET.get("q", "")
    kinds = (request.GET["kind"],) if request.GET.get("kind") in KINDS else KINDS
    page = page_of(request, suggest(text, kinds), PER_PAGE)
    results = [
        {
            "name": c.name,
            "kind": c.kind,
            "slug": c.slug,
            "article_count": c.article_count,
            "matched": c.matched,
        }
        for c in page
    ]
    return JsonResponse({"q": text[:200], **_paged(request, page, results)}, json_dumps_params={"ensure_ascii": False})
