"""Browse by date: the years, a year's months, a month's days, a day's articles."""

import calendar
import datetime

from django.http import Http404
from django.shortcuts import render

from archive.models import Article
from archive.views.paging import page_of, querystring_prefix

PER_PAGE = 25


def _date(year: int, month: int = 1, day: int = 1) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Http404("No such date.")


def _counted(periods, counts) -> list[tuple[datetime.date, int]]:
    counts = dict(counts)
    return [(period, counts.get(period, 0)) for period in periods]


def archive_index(request):
    years = Article.objects.counts_by("year")
    context = {"years": years, "undated": Article.objects.filter(published__isnull=True).count()}
    return render(request, "archive/archive_index.html", context)


def archive_year(request, year):
    start = _date(year)
    articles = Article.objects.on_date(year)
    months = [start.replace(month=m) for m in range(1, 13)]
    context = {"year": start, "months": _counted(months, articles.counts_by("month")), "total": articles.count()}
    return render(request, "archive/archive_year.html", context)


def archive_month(request, year, month):
    start = _date(year, month)
    articles = Article.objects.on_date(year, month)
    days = [start.replace(day=d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    context = {
        "month": start,
        "days": _counted(days, articles.counts_by("day")),
        "page": page_of(request, articles.newest_first().listed(), PER_PAGE),
        "querystring_prefix": querystring_prefix(request),
        "previous": (start - datetime.timedelta(days=1)).replace(day=1) if start.year > 1 or month > 1 else None,
        "next": days[-1] + datetime.timedelta(days=1) if start.year < 9999 or month < 12 else None,
    }
    return render(request, "archive/archive_month.html", context)


def archive_day(request, year, month, day):
    date = _date(year, month, day)
    articles = Article.objects.filter(published=date).newest_first().listed()
    context = {
        "day": date,
        "page": page_of(request, articles, PER_PAGE),
        "querystring_prefix": querystring_prefix(request),
    }
    return render(request, "archive/archive_day.html", context)
