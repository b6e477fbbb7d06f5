import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from archive.models import Article, Organisation, Person
from archive.search.related import more_like_this
from archive.views.caching import archive_cached
from archive.views.linking import linked_body

BUSIEST_SHOWN = 8
MONTH_MINIMUM = 10  # articles in the last month before "busiest this month" is shown
RELATED_SHOWN = 5


def home(request):
    month_ago = timezone.localdate() - datetime.timedelta(days=31)
    counts = Article.objects.aggregate(
        total=Count("pk"), newest=Max("pk"), recent=Count("pk", filter=Q(published__gte=month_ago))
    )
    # "This month" only says something once a month holds a fair number of articles.
    since, period = (month_ago, "this month") if counts["recent"] >= MONTH_MINIMUM else (None, "in the archive")
    busiest_people, busiest_parties = _busiest(since, counts)
    context = {
        "recent": Article.objects.newest_first().listed()[:12],
        "busiest_people": busiest_people,
        "busiest_parties": busiest_parties,
        "period": period,
        "article_count": counts["total"],
    }
    return render(request, "archive/home.html", context)


def _busiest(since, counts) -> tuple[list, list]:
    """The most-mentioned people and parties (cached: archive.views.caching)."""
    return archive_cached(
        f"home-busiest:{since}",
        lambda: (
            Person.objects.most_mentioned(since=since, limit=BUSIEST_SHOWN),
            Organisation.objects.parties().most_mentioned(since=since, limit=BUSIEST_SHOWN),
        ),
        counts,
    )


def article_list(request):
    page = Paginator(Article.objects.newest_first().listed(), 25).get_page(request.GET.get("page"))
    return render(request, "archive/article_list.html", {"page": page})


def _get_article(slug, year=None, month=None, day=None):
    if year is None:
        return get_object_or_404(Article.objects.select_related("source"), slug=slug, published__isnull=True)
    try:
        date = datetime.date(year, month, day)
    except (ValueError, OverflowError) as exc:  # /articles/99999999/13/45/x/
        raise Http404("No article on that date.") from exc
    return get_object_or_404(Article.objects.select_related("source"), slug=slug, published=date)


def article_detail(request, slug, year=None, month=None, day=None):
    article = _get_article(slug, year, month, day)
    mentions = article.mentions.filter(boilerplate_only=False).select_related("person", "organisation")
    quotes = list(article.quotes.select_related("speaker", "speaker_organisation"))
    speakers = list({quote.speaker_id: quote.speaker for quote in quotes if quote.speaker_id}.values())
    context = {
        "article": article,
        "body_html": linked_body(article.body, mentions),
        "people": [m.person for m in mentions if m.person_id],
        "parties": [m.organisation for m in mentions if m.organisation_id and m.organisation.is_party],
        "organisations": [m.organisation for m in mentions if m.organisation_id and not m.organisation.is_party],
        "quotes": quotes,
        "speakers": speakers,
        "same_speakers": Article.objects.quoting_any(speakers).exclude(pk=article.pk).listed()[:RELATED_SHOWN],
        "previous_in_source": Article.objects.previous_in_source(article),
        "next_in_source": Article.objects.next_in_source(article),
        "citation_url": request.build_absolute_uri(article.get_absolute_url()),
    }
    return render(request, "archive/article_detail.html", context)


def article_like_this(request, pk):
    """The articles most like one, on a page of their own: the article page loads this list
    after it has shown (static/js/like-this.js), as the engine's search for it takes up to a
    second at 100,000 articles."""
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    context = {
        "article": article,
        "more_like_this": archive_cached(f"like:{article.pk}", lambda: more_like_this(article, limit=RELATED_SHOWN)),
    }
    return render(request, "archive/article_like_this.html", context)


def article_original(request, slug, year=None, month=None, day=None):
    """The page exactly as ingested, as plain text: nothing in it is interpreted."""
    article = _get_article(slug, year, month, day)
    response = HttpResponse(article.raw, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{article.file_name or article.slug}.txt"'
    return response
