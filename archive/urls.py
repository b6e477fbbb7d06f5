from django.contrib import admin
from django.templatetags.static import static
from django.urls import path, register_converter
from django.views.generic import RedirectView, TemplateView

from archive.views import api, articles, dates, exports, feeds, organisations, people, search, sources


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class YearConverter(TwoDigitConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")

admin.site.site_header = "Cuttings editors"
admin.site.site_title = "Cuttings admin"

urlpatterns = [
    path("", articles.home, name="home"),
    path("search/", search.search, name="search"),
    path("search/help/", search.search_help, name="search-help"),
    path("search/export.csv", exports.export_csv, name="search-export-csv"),
    path("search/export.json", exports.export_json, name="search-export-json"),
    path("articles/", articles.article_list, name="article-list"),
    path("articles/<int:pk>/like-this/", articles.article_like_this, name="article-like-this"),
    path("articles/undated/<slug:slug>/", articles.article_detail, name="article-undated"),
    path("articles/undated/<slug:slug>/original/", articles.article_original, name="article-undated-original"),
    path("articles/<int:year>/<dd:month>/<dd:day>/<slug:slug>/", articles.article_detail, name="article-detail"),
    path(
        "articles/<int:year>/<dd:month>/<dd:day>/<slug:slug>/original/",
        articles.article_original,
        name="article-original",
    ),
    path("people/", people.person_list, name="person-list"),
    path("people/<slug:slug>/", people.person_detail, name="person-detail"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation-detail"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("archive/", dates.archive_index, name="archive-index"),
    path("archive/<yyyy:year>/", dates.archive_year, name="archive-year"),
    path("archive/<yyyy:year>/<dd:month>/", dates.archive_month, name="archive-month"),
    path("archive/<yyyy:year>/<dd:month>/<dd:day>/", dates.archive_day, name="archive-day"),
    path("feeds/search/", feeds.SearchFeed(), name="feed-search"),
    path("feeds/people/<slug:slug>/", feeds.PersonFeed(), name="feed-person"),
    path("feeds/organisations/<slug:slug>/", feeds.OrganisationFeed(), name="feed-organisation"),
    path("api/search/", api.search, name="api-search"),
    path("api/articles/<int:pk>/", api.article_detail, name="api-article"),
    path("api/people/<slug:slug>/", api.person_detail, name="api-person"),
    path("api/organisations/<slug:slug>/", api.organisation_detail, name="api-organisation"),
    path("api/entities/", api.entities, name="api-entities"),
    path("admin/", admin.site.urls),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True), name="favicon"),
]
