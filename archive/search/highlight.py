"""Search snippets: escape the article text first, then mark the matched words."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 280


def query_terms(query: str) -> list[str]:
    """The words and phrases of a query worth marking (no operators, no exclusions)."""
    terms = re.findall(r'"([^"]+)"|(?<![-\w])([\w\'’]+)', query or "")
    words = [phrase or word for phrase, word in terms]
    return [w for w in words if w.upper() not in {"AND", "OR", "NOT"} and len(w) > 1]


def snippet(body: str, terms: list[str], chars: int = SNIPPET_CHARS) -> str:
    """A window of ``body`` around the first matched term, escaped, with terms in <mark>."""
    text = re.sub(r"\s+", " ", body).strip()
    pattern = (
        re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
        if terms
        else None
    )
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - chars // 3) if first else 0
    if start:
        start = text.find(" ", start) + 1 or start
    window = text[start : start + chars]
    if start + chars < len(text):
        window = window.rsplit(" ", 1)[0] + " …"
    if start:
        window = "… " + window
    if not pattern:
        return mark_safe(escape(window))
    # Mark matches found in the plain text and escape every piece on its own, so a mark
    # can never fall inside an entity such as &amp;.
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    return mark_safe("".join(pieces))
