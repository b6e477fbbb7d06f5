import string

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from archive.models import Article, Person, PersonRedirect
from archive.search.forms import LetterForm
from archive.views.paging import querystring_prefix


def person_list(request):
    form = LetterForm(request.GET)
    letter = form.cleaned_data["letter"] if form.is_valid() else ""
    people = Person.objects.annotate(
        article_count=Count("mentions__article", filter=Q(mentions__boilerplate_only=False), distinct=True)
    )
    if letter:
        people = people.filter(sort_name__istartswith=letter).order_by("sort_name", "name")
    else:
        people = people.filter(article_count__gt=0).order_by("-article_count", "sort_name")
    page = Paginator(people, 60).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "letter": letter,
        "letters": string.ascii_uppercase,
        "querystring_prefix": querystring_prefix(request),
    }
    return render(request, "archive/person_list.html", context)


def person_detail(request, slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        moved = get_object_or_404(PersonRedirect.objects.select_related("person"), old_slug=slug)
        return redirect(moved.person, permanent=True)
    articles = Article.objects.mentioning(person).newest_first().select_related("source")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "aliases": person.aliases.all(),
        "timeline": person.timeline(),
        "page": page,
        "rows": [(article, person.party_at(article.published)) for article in page],
        "quotes": person.quotes.select_related("article")[:10],
    }
    return render(request, "archive/person_detail.html", context)
