from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from archive.models import Article, Organisation, Person
from archive.search.forms import OrganisationFilterForm
from archive.views.paging import querystring_prefix

FORMER_MEMBERS_SHOWN = 100


def organisation_list(request):
    form = OrganisationFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    organisations = Organisation.objects.annotate(
        article_count=Count("mentions__article", filter=Q(mentions__boilerplate_only=False), distinct=True)
    ).order_by("-article_count", "name")
    if kind:
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations, 60).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "kind": kind, "querystring_prefix": querystring_prefix(request)}
    return render(request, "archive/organisation_list.html", context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    articles = Article.objects.naming(organisation).newest_first().select_related("source")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "aliases": organisation.aliases.all(),
        "children": organisation.children.all(),
        # All of them: cutting the list alphabetically hid the leader of the Labour Party.
        "members_now": Person.objects.member_of(organisation, on=timezone.localdate()),
        "former_members": Person.objects.former_members_of(organisation)[:FORMER_MEMBERS_SHOWN],
        "page": page,
    }
    return render(request, "archive/organisation_detail.html", context)
