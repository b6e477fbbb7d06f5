import string

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from archive.charts import volume_chart
from archive.models import Article, Mention, Person, PersonRedirect
from archive.models.articles import ARTICLE_TEXT_FIELDS
from archive.search.forms import LetterForm, PersonFilterForm
from archive.views.caching import archive_cached, archive_state
from archive.views.linking import search_period_link
from archive.views.paging import page_of, querystring_prefix

QUOTES_SHOWN = 10
CO_MENTIONED_SHOWN = 12


def person_list(request):
    form = LetterForm(request.GET)
    letter = form.cleaned_data["letter"].upper() if form.is_valid() else ""
    kind_form = PersonFilterForm(request.GET)
    kind = kind_form.cleaned_data["kind"] if kind_form.is_valid() else ""
    people = Person.objects.annotate(
        article_count=Count("mentions__article", filter=Q(mentions__boilerplate_only=False), distinct=True)
    ).with_memberships_now()
    if kind:
        people = people.of_kind(kind)
    if letter:
        people = people.starting_with(letter)
    elif kind:  # everyone of the kind, the most mentioned first
        people = people.order_by("-article_count", *Person._meta.ordering)
    else:
        people = people.filter(article_count__gt=0).order_by("-article_count", *Person._meta.ordering)
    context = {
        "page": page_of(request, people, 60),
        "form": kind_form,
        "kind": kind,
        "letter": letter,
        "letters": string.ascii_uppercase,
        "keep_kind": f"kind={kind}&" if kind else "",
        "querystring_prefix": querystring_prefix(request),
    }
    return render(request, "archive/person_list.html", context)


def person_detail(request, slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        moved = get_object_or_404(PersonRedirect.objects.select_related("person"), old_slug=slug)
        return redirect(moved.person, permanent=True)
    mentions = Mention.objects.of(person)
    named_in = mentions.count()
    articles = Article.objects.named_by(mentions, count=named_in)
    page = page_of(request, articles.newest_first().listed(), 20, count=named_in)
    quotes = person.quotes.select_related("article").defer(*(f"article__{name}" for name in ARTICLE_TEXT_FIELDS))[
        :QUOTES_SHOWN
    ]
    timeline = person.timeline()
    memberships = [membership for _, rows in timeline for membership in rows]  # loaded once for every row
    state = archive_state()
    context = {
        "person": person,
        "aliases": person.aliases.all(),
        "timeline": timeline,
        "page": page,
        "rows": [(article, person.party_at(article.published, memberships)) for article in page],
        "quotes": [(quote, person.party_at(quote.article.published, memberships)) for quote in quotes],
        "chart": volume_chart(
            archive_cached(
                f"months:person:{person.pk}",
                lambda: Article.objects.named_by(mentions, listing=False).counts_by("month"),
                state,
            ),
            link=search_period_link(person=person.slug),
        ),
        "co_mentioned": archive_cached(
            f"named-with:person:{person.pk}",
            lambda: Person.objects.co_mentioned_with(person, limit=CO_MENTIONED_SHOWN),
            state,
        ),
    }
    return render(request, "archive/person_detail.html", context)
