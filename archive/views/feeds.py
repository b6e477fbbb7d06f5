"""Atom feeds: any search, and each person and organisation (newest first)."""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from archive.models import Article, Organisation, Person
from archive.search.forms import SearchForm
from archive.search.query import SearchResults, search_articles
from archive.views.errors import bad_search

ITEMS = 30
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class SearchFeedSubject:
    results: SearchResults
    query_string: str


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, article):
        return article.title  # Atom titles are plain text: the generator escapes them for XML

    def item_description(self, article):
        # Atom summaries are HTML to a feed reader: escape the article's text so that it is
        # shown as text, whatever it holds (the generator then escapes again for XML).
        return escape(Truncator(" ".join(article.body.split())).words(SUMMARY_WORDS))

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        if article.published is None:
            return article.created
        return timezone.make_aware(datetime.datetime.combine(article.published, datetime.time()))

    def item_updateddate(self, article):
        return article.updated

    def item_author_name(self, article):
        return article.author or None


class SearchFeed(ArticleFeed):
    """The search page's results as a feed: the same parameters, newest first unless asked."""

    def __call__(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        if not form.is_valid():
            return bad_search(form)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        form = SearchForm(request.GET)
        form.is_valid()  # checked in __call__
        cleaned = {**form.cleaned_data, "sort": form.cleaned_data.get("sort") or "newest", "page": 1}
        return SearchFeedSubject(search_articles(cleaned), request.GET.urlencode())

    def title(self, subject):
        return f"Cuttings: {subject.results.description}"

    def link(self, subject):
        return reverse("search") + "?" + subject.query_string

    def description(self, subject):
        return subject.results.description

    def items(self, subject):
        return [result.article for result in subject.results.results]


class EntityFeed(ArticleFeed):
    """The newest articles about one person or organisation."""

    model = None
    relation = ""  # "mentioning", "naming"

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, entity):
        return f"Cuttings: articles {self.relation} {entity.name}"

    def link(self, entity):
        return entity.get_absolute_url()

    def items(self, entity):
        return self.articles(entity).newest_first().select_related("source")[:ITEMS]


class PersonFeed(EntityFeed):
    model = Person
    relation = "mentioning"

    def articles(self, person):
        return Article.objects.mentioning(person)


class OrganisationFeed(EntityFeed):
    model = Organisation
    relation = "naming"

    def articles(self, organisation):
        return Article.objects.naming(organisation)
