from django.http import HttpResponseBadRequest


def form_errors(form) -> list[str]:
    """A form's errors as sentences; the search form's messages name their field themselves
    ("The 'from' date “2025-13” does not exist.")."""
    return [error for errors in form.errors.values() for error in errors]


def bad_search(form):
    """A 400 answer, in plain text, for a search that cannot run (a feed or an export of it)."""
    message = "This search cannot be run. " + " ".join(form_errors(form))
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
