"""Links made by pages: article bodies as HTML (escaped first, then the named people and
organisations linked), and addresses of searches."""

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe


def linked_body(body: str, mentions) -> str:
    """Paragraphs of escaped text with each mention's matched names linked to its page.

    Every character of the article passes through ``escape``; only our own ``<a>`` and
    ``<p>`` tags are added, so nothing in an article can inject markup.
    """
    targets = {}
    for mention in mentions:
        entity = mention.person or mention.organisation
        for name in {entity.name, mention.matched_text}:
            if name and len(name) > 2:
                targets.setdefault(name, entity.get_absolute_url())
    pattern = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(targets, key=len, reverse=True)) + r")(?!\w)")
        if targets
        else None
    )
    paragraphs = []
    for paragraph in body.split("\n\n"):
        if not paragraph.strip():
            continue
        parts, last = [], 0
        if pattern:
            for match in pattern.finditer(paragraph):
                parts.append(escape(paragraph[last : match.start()]))
                parts.append(format_html('<a href="{}">{}</a>', targets[match.group(1)], match.group(1)))
                last = match.end()
        parts.append(escape(paragraph[last:]))
        paragraphs.append("<p>" + "".join(parts) + "</p>")
    return mark_safe("\n".join(paragraphs))


def search_url(**params) -> str:
    """The search page's address for these filters (empty values left out)."""
    return reverse("search") + "?" + urlencode({k: v for k, v in params.items() if v})


def search_period_link(**filters):
    """For charts: a function (from, to) -> the search for ``filters`` in that period."""
    return lambda start, end: search_url(**filters, **{"from": start, "to": end})
