"""JSON API. Minimal for now: /api/entities/ for the search box's type-ahead."""

from django.http import JsonResponse

from archive.search.entities import suggest


def entities(request):
    """People, parties, organisations and sources whose names start with ``q``."""
    found = suggest(request.GET.get("q", ""))
    rows = [
        {
            "name": c.name,
            "kind": c.kind,
            "slug": c.slug,
            "article_count": c.article_count,
            "matched": c.matched,
        }
        for c in found
    ]
    return JsonResponse({"q": request.GET.get("q", "")[:200], "results": rows})
