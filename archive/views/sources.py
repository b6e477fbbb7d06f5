from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from archive.models import Source


def source_list(request):
    sources = Source.objects.annotate(article_count=Count("articles")).order_by("-article_count", "name")
    return render(request, "archive/source_list.html", {"sources": sources})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    page = Paginator(source.articles.newest_first().listed(), 20).get_page(request.GET.get("page"))
    return render(request, "archive/source_detail.html", {"source": source, "page": page})
