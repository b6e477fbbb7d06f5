"""Running a search: the form's cleaned data in, a page of results out.

The query text has been parsed (language.py) and its names resolved (entities.py) by the
form. Here the tree becomes Haystack ``SQ`` objects through the public SearchQuerySet API
(filter, facet, order_by), so the engine underneath can be tuned without touching this.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from functools import reduce
from urllib.parse import urlencode

from django.core.paginator import Paginator
from haystack import connections
from haystack.inputs import BaseInput, Exact
from haystack.query import SQ, SearchQuerySet

from archive.charts import VolumeChart, volume_chart
from archive.models import Article, Membership, Organisation, Person, Source
from archive.search import language
from archive.search.entities import ORGANISATION, PARTY, PERSON, SOURCE, Candidate, known_words, named
from archive.search.highlight import snippet
from archive.search.language import And, DateBound, Field, Not, Or, Phrase, Word

RESULTS_PER_PAGE = 20
SUGGEST_BELOW = 5  # offer "Did you mean" when a search finds fewer results than this
FACET_LIMIT = 8  # values shown per facet; the rest fold away
FACET_MONTHS_MAX = 24  # beyond two years of months, the date facet lists years
FACET_MAX = 100  # values listed at all per facet (an empty search names thousands of people); months are all kept
FILTER_NAMES = ("person", "party", "org", "source", "quotedby")
# (index field, heading, the URL parameter a value sets)
FACETS = [
    ("people", "People", "person"),
    ("parties", "Parties", "party"),
    ("organisations", "Organisations", "org"),
    ("source", "Sources", "source"),
    ("month", "Months", "month"),
]
NAME_WORDS = 4  # the longest run of words looked up as a name


ANY_ORDER_UP_TO = 3  # proximity of this many words or fewer matches them in any order


class Proximity(BaseInput):
    """A phrase (``slop`` None), or words within ``slop`` positions of each other: in any
    order for up to ``ANY_ORDER_UP_TO`` words (Whoosh's proximity is ordered, so every order
    is asked for), in the order typed for more. The words are letters and digits only
    (language.words_of), so nothing in them is syntax."""

    input_type_name = "exact"

    def __init__(self, words, slop=None):
        super().__init__(" ".join(words))
        self.words = tuple(words)
        self.slop = slop

    def prepare(self, query_obj):
        if not self.slop:
            return f'"{self.query_string}"'
        orders = [self.words]
        if len(self.words) <= ANY_ORDER_UP_TO:
            orders = list(dict.fromkeys(itertools.permutations(self.words)))
        near = [f'"{" ".join(order)}"~{self.slop}' for order in orders]
        return near[0] if len(near) == 1 else "(" + " OR ".join(near) + ")"


@dataclass
class Result:
    article: Article
    snippet: str
    people: list
    parties: list
    members_matched: list = field(default_factory=list)  # people who were members of the party then


@dataclass
class FacetValue:
    label: str
    count: int
    url: str
    active: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def shown(self):
        return self.values[:FACET_LIMIT]

    @property
    def more(self):
        return self.values[FACET_LIMIT:]


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class Lead:
    """'Articles mentioning Mish Rahman (4)': a name found among the words, as a filter."""

    label: str
    count: int
    url: str


@dataclass
class SearchResults:
    page: object
    results: list[Result]
    total: int
    description: str
    suggestion: str = ""
    suggestion_url: str = ""
    filters: dict = field(default_factory=dict)
    chips: list[Chip] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    query: str = ""
    chart: VolumeChart | None = None  # articles per month of the whole result set


# ----------------------------------------------------------------------------- the query


class Compiler:
    """The parsed query as SQ objects. ``names`` holds the resolved entity of every field
    (keyed by the Field node); names found among the words are collected in ``found``."""

    def __init__(self, names: dict, members: bool):
        self.names = names
        self.members = members
        self.found: list[tuple[Candidate, tuple[str, ...]]] = []

    def sq(self, node) -> SQ:
        if isinstance(node, And):
            return reduce(lambda a, b: a & b, self._and_items(node.items))
        if isinstance(node, Or):
            return reduce(lambda a, b: a | b, (self.sq(i) for i in node.items))
        if isinstance(node, Not):
            return ~self.sq(node.node)
        if isinstance(node, Word):
            return self._words(node.pieces)
        if isinstance(node, Phrase):
            return SQ(content=Proximity([p.lower() for p in node.pieces], node.slop))
        return self._field(node)

    def _and_items(self, items) -> list[SQ]:
        """Runs of plain words that name an entity ('Sir Keir', 'Mish Rahman') also find the
        entity's articles: (the words OR mentioning it)."""
        out, at = [], 0
        while at < len(items):
            run = 0
            while at + run < len(items) and isinstance(items[at + run], Word) and run < NAME_WORDS:
                run += 1
            for length in range(run, 0, -1):
                words = items[at : at + length]
                entity = named(" ".join(w.text for w in words))
                if entity:
                    pieces = tuple(p for w in words for p in w.pieces)
                    self.found.append((entity, tuple(w.text for w in words)))
                    out.append(self._words(pieces) | entity_sq(entity, self.members))
                    at += length
                    break
            else:
                out.append(self.sq(items[at]))
                at += 1
        return out

    def _words(self, pieces) -> SQ:
        if len(pieces) == 1:
            return SQ(content=pieces[0].lower())
        return SQ(content=Proximity([p.lower() for p in pieces]))

    def _field(self, node: Field) -> SQ:
        if node.name in language.ENTITY_FIELDS:
            entity = self.names[node]
            if node.name == "quotedby":
                return SQ(quoted=Exact(entity.slug))
            return entity_sq(entity, self.members)
        if node.name in language.TEXT_FIELDS:
            pieces = [p.lower() for p in language.words_of(node.value)]
            value = pieces[0] if len(pieces) == 1 else Proximity(pieces)
            return SQ(**{node.name: value})
        if node.name == "members":
            return SQ()
        bound = self.names[node]
        if node.name == "from":
            return SQ(date__gte=bound.date)
        if node.name == "to":
            return SQ(date__lte=bound.date)
        start, end = bound
        return SQ(date__gte=start.date) & SQ(date__lte=end.date)


def entity_sq(entity: Candidate, members: bool = False) -> SQ:
    if entity.kind == PERSON:
        return SQ(people=Exact(entity.slug))
    if entity.kind == PARTY:
        return SQ(**{"member_parties" if members else "parties": Exact(entity.slug)})
    if entity.kind == SOURCE:
        return SQ(source=Exact(entity.slug))
    return SQ(organisations=Exact(entity.slug))


def build_queryset(cleaned: dict, compiler: Compiler | None = None) -> SearchQuerySet:
    parsed = cleaned.get("parsed") or language.parse("")
    compiler = compiler or Compiler(cleaned.get("names", {}), members_wanted(cleaned))
    sqs = SearchQuerySet().models(Article)
    searchable = [p for p in parsed.parts if not (isinstance(p, Field) and p.name == "members")]
    if searchable:
        sqs = sqs.filter(compiler.sq(And(tuple(searchable))))
    for name in FILTER_NAMES:
        entity = cleaned.get(name)
        if entity:
            sqs = sqs.filter(
                SQ(quoted=Exact(entity.slug)) if name == "quotedby" else entity_sq(entity, compiler.members)
            )
    if cleaned.get("date_from"):
        sqs = sqs.filter(date__gte=cleaned["date_from"].date)
    if cleaned.get("date_to"):
        sqs = sqs.filter(date__lte=cleaned["date_to"].date)
    sort = effective_sort(cleaned, parsed)
    # Undated articles go last either way (Whoosh would put documents without a date first).
    if sort == "newest":
        sqs = sqs.order_by("-sort_newest")
    elif sort == "oldest":
        sqs = sqs.order_by("sort_oldest")
    for facet_field, _, _ in FACETS:
        sqs = sqs.facet(facet_field)
    return sqs


def effective_sort(cleaned: dict, parsed) -> str:
    """The order used: the one asked for, else best match for words and newest without."""
    return cleaned.get("sort") or ("" if has_words(parsed) else "newest")


def members_wanted(cleaned: dict) -> bool:
    parsed = cleaned.get("parsed")
    return bool(cleaned.get("members")) or bool(parsed and parsed.fields("members"))


def has_words(parsed) -> bool:
    return any(isinstance(n, (Word, Phrase)) for n in language.leaves(parsed.tree))


# ----------------------------------------------------------------------------- running it


def search_articles(cleaned: dict, params: dict | None = None) -> SearchResults:
    """``params``: the page's query parameters, for the links (chips, facets, suggestion)."""
    params = {k: v for k, v in (params or {}).items() if v not in ("", None) and k != "page"}
    parsed = cleaned.get("parsed") or language.parse("")
    compiler = Compiler(cleaned.get("names", {}), members_wanted(cleaned))
    sqs = build_queryset(cleaned, compiler)
    number = cleaned.get("page") or 1
    # One search per page: fetching the page's slice first caches the total and the facet
    # counts with it, so the paginator's count and facet_counts() ask the engine nothing more.
    list(sqs[(number - 1) * RESULTS_PER_PAGE : number * RESULTS_PER_PAGE])
    page = Paginator(sqs, RESULTS_PER_PAGE).get_page(number)
    hits = list(page.object_list)
    total = page.paginator.count
    cut = [CUT_NOTICE] if _search_was_cut() else []
    results = _results(hits, cleaned, parsed, compiler)
    suggestion = suggest(parsed) if has_words(parsed) and total < SUGGEST_BELOW else ""
    counts = sqs.facet_counts() if total else {}
    return SearchResults(
        page=page,
        results=results,
        total=total,
        description=describe(cleaned, parsed),
        suggestion=suggestion,
        suggestion_url=_url(params, q=suggestion) if suggestion else "",
        filters={name: cleaned[name] for name in FILTER_NAMES if cleaned.get(name)},
        chips=chips(cleaned, parsed, params),
        facets=_facets(counts, cleaned, params),
        leads=_leads(compiler.found, parsed, params),
        notices=[*parsed.notices, *cleaned.get("notices", []), *cut],
        query=parsed.query,
        chart=_chart(counts, params),
    )


CUT_NOTICE = (
    "This search took too long and was stopped: the results and counts shown cover only part "
    "of the archive. Add a word, a name or a date to narrow it."
)


def _search_was_cut() -> bool:
    """Whether the engine stopped the page's search at its time budget (our Whoosh backend
    does; an engine without a budget never cuts)."""
    backend = connections["default"].get_backend()
    return getattr(backend, "last_search_was_cut", lambda: False)()


def _chart(counts: dict, params: dict) -> VolumeChart | None:
    """Volume over time from the months facet (the counts of the whole result set, not the
    page), each bar a link to the same search within its month (or year)."""
    months = []
    for value, count in (counts or {}).get("fields", {}).get("month", []):
        if value and count:
            year, month = value.split("-")
            months.append((datetime.date(int(year), int(month), 1), count))
    return volume_chart(months, link=lambda start, end: _url(params, **{"from": start, "to": end}))


def _results(hits, cleaned, parsed, compiler) -> list[Result]:
    articles = Article.objects.select_related("source").defer("raw", "extraction").in_bulk([int(h.pk) for h in hits])
    slugs = {slug for hit in hits for slug in (hit.people or []) + (hit.parties or [])}
    names = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    names.update({o.slug: o for o in Organisation.objects.filter(slug__in=slugs)})
    terms = [" ".join(n.pieces) for n in language.leaves(parsed.tree) if isinstance(n, (Word, Phrase))]
    terms = [t for t in terms if len(t) > 1] + [w for _, words in compiler.found for w in words]
    party = _members_party(cleaned, compiler)
    memberships = _memberships(party, {s for hit in hits for s in hit.people or []}) if party else []
    results = []
    for hit in hits:
        article = articles.get(int(hit.pk))
        if article is None:
            continue
        people = [names[s] for s in hit.people or [] if s in names]
        matched = []
        if party:
            on = article.date_or_today
            matched = sorted(
                {m.person.name for m in memberships if m.person.slug in (hit.people or []) and _covers(m, on)}
            )
        parties = [names[s] for s in hit.parties or [] if s in names]
        results.append(Result(article, snippet(article.body, terms), people[:8], parties, matched))
    return results


def _members_party(cleaned, compiler) -> Candidate | None:
    if not compiler.members:
        return None
    if cleaned.get("party"):
        return cleaned["party"]
    parsed = cleaned.get("parsed")
    fields = parsed.fields("party") if parsed else []
    return compiler.names.get(fields[0]) if fields else None


def _memberships(party: Candidate, people_slugs) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation__slug=party.slug, person__slug__in=people_slugs).select_related("person")
    )


def _covers(membership, on) -> bool:
    return (membership.start_date is None or membership.start_date <= on) and (
        membership.end_date is None or membership.end_date >= on
    )


# ----------------------------------------------------------------------------- links and words


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})


def _without(params: dict, *names) -> str:
    return _url({k: v for k, v in params.items() if k not in names})


def _add_to_query(params: dict, text: str) -> str:
    return _url(params, q=(params.get("q", "") + " " + text).strip())


def _entity_labels(cleaned, parsed) -> list[tuple[str, Candidate, object]]:
    """(verb, entity, where) for every entity filter, from the form and the query."""
    out = []
    for name in FILTER_NAMES:
        if cleaned.get(name):
            out.append((name, cleaned[name], name))
    for index, part in enumerate(parsed.parts):
        if isinstance(part, Field) and part.name in language.ENTITY_FIELDS:
            out.append((part.name, cleaned["names"][part], index))
    return out


VERBS = {"person": "mentioning", "quotedby": "quoting", "party": "naming", "org": "naming", "source": "published by"}


def _say_entity(name: str, entity: Candidate, members: bool) -> str:
    text = f"{VERBS[name]} {entity.name}"
    if entity.kind == PARTY and members and name in ("party", "org"):
        text += " or any of its members at the time"
    return text


def _say_part(part) -> str:
    if isinstance(part, Word):
        return f"containing “{part.text}”"
    if isinstance(part, Phrase):
        if part.slop:
            return f"containing “{part.text}” within {part.slop} words"
        return f"containing the phrase “{part.text}”"
    if isinstance(part, Not):
        return "not " + _say_part(part.node)
    if isinstance(part, Field) and part.name in language.TEXT_FIELDS:
        return f"with “{part.value}” in the {'byline' if part.name == 'author' else 'headline'}"
    if isinstance(part, Or):
        return " or ".join(_say_part(i) for i in part.items)
    if isinstance(part, And):
        return "(" + " and ".join(_say_part(i) for i in part.items) + ")"
    return part.to_query()


def _dates(cleaned, parsed) -> tuple[DateBound | None, DateBound | None]:
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    for part in parsed.fields(*language.DATE_FIELDS):
        bound = cleaned["names"][part]
        if part.name == "year":
            start, end = bound
        elif part.name == "from":
            start = bound
        else:
            end = bound
    return start, end


def describe(cleaned: dict, parsed) -> str:
    """The search in plain English, so people can check it means what they meant."""
    members = members_wanted(cleaned)
    entities = [_say_entity(name, entity, members) for name, entity, _ in _entity_labels(cleaned, parsed)]
    words, run = [], []
    for part in [p for p in parsed.parts if not (isinstance(p, Field) and p.name not in language.TEXT_FIELDS)]:
        if isinstance(part, Word):
            run.append(part.text)
            continue
        if run:
            words.append(f"containing “{' '.join(run)}”")
            run = []
        words.append(_say_part(part))
    if run:
        words.append(f"containing “{' '.join(run)}”")
    parts = [" and ".join(entities)] if entities else []
    parts += words
    dates = language.describe_dates(*_dates(cleaned, parsed))
    if dates:
        parts.append(dates)
    order = {"newest": "newest first", "oldest": "oldest first"}.get(
        effective_sort(cleaned, parsed), "best match first"
    )
    return "Articles " + ", ".join(parts or ["of every kind"]) + f"; {order}."


def chips(cleaned: dict, parsed, params: dict) -> list[Chip]:
    """Every part of the search, each with a link that removes it."""
    members = members_wanted(cleaned)
    out = []
    for name, entity, where in _entity_labels(cleaned, parsed):
        label = _say_entity(name, entity, members)
        url = _without(params, name, "members") if isinstance(where, str) else _url(params, q=parsed.without(where))
        out.append(Chip(label[0].upper() + label[1:], url))
    for index, part in enumerate(parsed.parts):
        if isinstance(part, Field) and part.name in (*language.ENTITY_FIELDS, *language.DATE_FIELDS):
            continue
        label = "Members at the time" if isinstance(part, Field) and part.name == "members" else _say_part(part)
        out.append(Chip(label[0].upper() + label[1:], _url(params, q=parsed.without(index))))
    for index, part in enumerate(parsed.parts):
        if isinstance(part, Field) and part.name in language.DATE_FIELDS:
            bound = cleaned["names"][part]
            bounds = {"year": bound, "from": (bound, None), "to": (None, bound)}[part.name]
            text = language.describe_dates(*bounds)
            out.append(Chip(text[0].upper() + text[1:], _url(params, q=parsed.without(index))))
    for key, name in (("date_from", "from"), ("date_to", "to")):
        if cleaned.get(key):
            bound = cleaned[key]
            text = language.describe_dates(bound, None) if name == "from" else language.describe_dates(None, bound)
            out.append(Chip(text[0].upper() + text[1:], _without(params, name)))
    if cleaned.get("sort"):
        out.append(
            Chip({"newest": "Newest first", "oldest": "Oldest first"}[cleaned["sort"]], _without(params, "sort"))
        )
    return out


def _facets(counts: dict, cleaned: dict, params: dict) -> list[Facet]:
    fields = (counts or {}).get("fields", {})
    shown = {name: _facet_pairs(name, fields.get(name, [])) for name, _, _ in FACETS}
    # Names only for the values shown (a common word's hits name thousands of people).
    slugs = {value for name in ("people", "parties", "organisations") for value, _ in shown[name]}
    names = dict(Person.objects.filter(slug__in=slugs).values_list("slug", "name"))
    names.update(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    names.update(Source.objects.filter(slug__in=[v for v, _ in shown["source"]]).values_list("slug", "name"))
    applied = {cleaned[n].slug for n in FILTER_NAMES if cleaned.get(n)}
    applied |= {c.slug for c in cleaned.get("names", {}).values() if isinstance(c, Candidate)}
    facets = []
    for facet_field, label, param in FACETS:
        values = []
        if facet_field == "month":
            facets += _date_facet(shown["month"], params, label)
            continue
        for value, count in shown[facet_field]:
            active = value in applied
            # A second person (party ...) goes into the query: the form has one box of each.
            url = _add_to_query(params, f"{param}:{value}") if params.get(param) else _url(params, **{param: value})
            values.append(FacetValue(names.get(value, value), count, url, active))
        if values:
            facets.append(Facet(facet_field, label, values))
    return facets


def _date_facet(months: list[tuple[str, int]], params: dict, label: str) -> list[Facet]:
    """Months newest first; years instead when the results fall in more than
    ``FACET_MONTHS_MAX`` months (a year's link narrows to it, and its months show there)."""
    if len(months) > FACET_MONTHS_MAX:
        years: dict[str, int] = {}
        for value, count in months:
            years[value[:4]] = years.get(value[:4], 0) + count
        values = [FacetValue(year, count, _url(params, **{"from": year, "to": year})) for year, count in years.items()]
        return [Facet("month", "Years", values)]
    values = []
    for value, count in months:
        year, month = value.split("-")
        text = datetime.date(int(year), int(month), 1).strftime("%B %Y")
        values.append(FacetValue(text, count, _url(params, **{"from": value, "to": value})))
    return [Facet("month", label, values)] if values else []


def _facet_pairs(facet_field: str, counted: list) -> list[tuple[str, int]]:
    """The values a facet shows: months newest first, every one; the others most
    frequent first, the first FACET_MAX."""
    pairs = [(value, count) for value, count in counted if value and count]
    if facet_field == "month":
        return sorted(pairs, reverse=True)
    return sorted(pairs, key=lambda p: (-p[1], p[0]))[:FACET_MAX]


def _leads(found, parsed, params) -> list[Lead]:
    leads, seen = [], set()
    for entity, words in found:
        if entity.slug in seen:
            continue
        seen.add(entity.slug)
        param = {PERSON: "person", PARTY: "party", ORGANISATION: "org", SOURCE: "source"}[entity.kind]
        count = SearchQuerySet().models(Article).filter(entity_sq(entity)).count()
        rest = [p for p in parsed.parts if not (isinstance(p, Word) and p.text in words)]
        url = _url(params, q=" ".join(p.to_query() for p in rest), **{param: entity.slug})
        leads.append(Lead(f"Articles {VERBS[param]} {entity.name}", count, url))
    return leads


def suggest(parsed) -> str:
    """'Did you mean': the cut query with misspelt words corrected, its fields kept. A word
    that is part of a known name or alias (NEC, Starmer) is kept as typed; words close to
    a known name become that name; the index's own words correct the rest."""
    from archive.search.entities import resolve

    words = [p for p in parsed.parts if isinstance(p, (Word, Phrase))]
    if not words:
        return ""
    others = [p.to_query() for p in parsed.parts if not isinstance(p, (Word, Phrase))]
    resolution = resolve("", " ".join(" ".join(w.pieces) for w in words))
    if resolution.entity and not resolution.exact:
        return " ".join([resolution.entity.name, *others])
    known = known_words()
    backend = connections["default"].get_backend()

    def corrected(piece):
        # Names are kept, and so are numbers and short words ("w1" is not a typo of "who").
        if piece.casefold() in known or not piece.isalpha() or len(piece) < 4 or not hasattr(backend, "suggest"):
            return piece
        return backend.suggest(piece) or piece

    out = []
    for part in parsed.parts:
        if isinstance(part, Word):
            fixed = " ".join(corrected(p) for p in part.pieces)
            out.append(part.text if fixed == " ".join(part.pieces) else fixed)
        elif isinstance(part, Phrase):
            out.append(Phrase(" ".join(corrected(p) for p in part.pieces), part.slop).to_query())
        else:
            out.append(part.to_query())
    suggestion = " ".join(out)
    return "" if suggestion.casefold() == parsed.query.casefold() else suggestion
