import string

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from archive.charts import volume_chart
from archive.models import Article, Mention, Organisation, Person
from archive.search.forms import LetterForm, OrganisationFilterForm
from archive.views.caching import archive_cached, archive_state
from archive.views.linking import search_period_link
from archive.views.paging import page_of, querystring_prefix

MEMBERS_PER_PAGE = 30
CO_MENTIONED_SHOWN = 10


def organisation_list(request):
    form = OrganisationFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    letter_form = LetterForm(request.GET)
    letter = letter_form.cleaned_data["letter"].upper() if letter_form.is_valid() else ""
    organisations = Organisation.objects.annotate(
        article_count=Count("mentions__article", filter=Q(mentions__boilerplate_only=False), distinct=True)
    ).order_by("-article_count", *Organisation._meta.ordering)
    if kind:
        organisations = organisations.filter(kind=kind)
    if letter:
        organisations = organisations.starting_with(letter)
    context = {
        "page": page_of(request, organisations, 60),
        "form": form,
        "kind": kind,
        "letter": letter,
        "letters": string.ascii_uppercase,
        "keep_kind": f"kind={kind}&" if kind else "",
        "querystring_prefix": querystring_prefix(request),
    }
    return render(request, "archive/organisation_list.html", context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    mentions = Mention.objects.of(organisation)
    named_in = mentions.count()
    articles = Article.objects.named_by(mentions, count=named_in)
    today = timezone.localdate()
    filter_name = "party" if organisation.is_party else "org"
    state = archive_state()
    context = {
        "organisation": organisation,
        "aliases": organisation.aliases.all(),
        "children": organisation.children.all(),
        "page": page_of(request, articles.newest_first().listed(), 20, count=named_in),
        "members_now": page_of(
            request,
            Person.objects.member_of(organisation, on=today)
            .office_holders_first(organisation, on=today)
            .with_memberships_now(organisation),
            MEMBERS_PER_PAGE,
            param="members",
        ),
        "former_members": page_of(
            request, Person.objects.former_members_of(organisation, on=today), MEMBERS_PER_PAGE, param="former"
        ),
        "members_prefix": querystring_prefix(request, "members"),
        "former_prefix": querystring_prefix(request, "former"),
        "querystring_prefix": querystring_prefix(request),
        "chart": volume_chart(
            archive_cached(
                f"months:org:{organisation.pk}",
                lambda: Article.objects.named_by(mentions, listing=False).counts_by("month"),
                state,
            ),
            link=search_period_link(**{filter_name: organisation.slug}),
        ),
        "co_mentioned_people": archive_cached(
            f"named-with:org:{organisation.pk}:people",
            lambda: Person.objects.co_mentioned_with(organisation, limit=CO_MENTIONED_SHOWN),
            state,
        ),
        "co_mentioned_organisations": archive_cached(
            f"named-with:org:{organisation.pk}:organisations",
            lambda: Organisation.objects.co_mentioned_with(organisation, limit=CO_MENTIONED_SHOWN),
            state,
        ),
    }
    return render(request, "archive/organisation_detail.html", context)
