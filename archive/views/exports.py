"""A search's whole result set as CSV or JSON, streamed: one row per article (archive.export)."""

from django.http import StreamingHttpResponse

from archive.export import articles_in_order, csv_lines, export_row, json_array_lines
from archive.search.forms import SearchForm
from archive.search.query import build_queryset
from archive.views.errors import bad_search


def matching_ids(cleaned: dict) -> list[int]:
    """Every article the search finds, in its order, read from the engine in one query."""
    found = build_queryset(cleaned)
    total = found.count()
    return [int(pk) for pk in found.values_list("pk", flat=True)[:total]] if total else []


def _export(request, lines, content_type: str, extension: str):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_search(form)
    rows = (export_row(article) for article in articles_in_order(matching_ids(form.cleaned_data)))
    response = StreamingHttpResponse(lines(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cuttings-search.{extension}"'
    return response


def export_csv(request):
    return _export(request, csv_lines, "text/csv; charset=utf-8", "csv")


def export_json(request):
    return _export(request, json_array_lines, "application/json", "json")
