from django.shortcuts import render

from archive.search.forms import SearchForm
from archive.search.query import search_articles
from archive.views.paging import querystring_prefix


def search(request):
    form = SearchForm(request.GET)
    results = search_articles(form.cleaned_data, request.GET.dict()) if form.is_valid() else None
    context = {"form": form, "results": results, "querystring_prefix": querystring_prefix(request)}
    return render(request, "archive/search.html", context)


def search_help(request):
    return render(request, "archive/search_help.html")
