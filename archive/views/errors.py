from django.http import HttpResponseBadRequest


def form_errors(form) -> list[str]:
    """A form's errors as sentences naming the field by its label ("From: That date does not exist.")."""
    messages = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label or name.capitalize()}: " if field else ""
        messages.extend(f"{label}{error}" for error in errors)
    return messages


def bad_search(form):
    """A 400 answer, in plain text, for a search that cannot run (a feed or an export of it)."""
    message = "This search cannot be run. " + " ".join(form_errors(form))
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
