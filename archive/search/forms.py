import re

from django import forms

from archive.models import Organisation
from archive.models.entities import PERSON_KINDS
from archive.search.entities import ORGANISATION, PARTY, PERSON, SOURCE, resolve
from archive.search.language import ENTITY_FIELDS, MAX_QUERY_CHARS, Field, QueryError, leaves, parse, read_date


class PartialDateField(forms.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD, as a DateBound; ``end=True`` reads it as the last day it covers."""

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        super().__init__(max_length=10, required=False, **kwargs)

    def clean(self, value):
        value = (value or "").strip()[:20]
        if not value:
            return None
        try:
            return read_date(value, end=self.end, label=self.label.lower())
        except QueryError as exc:
            raise forms.ValidationError(str(exc)) from exc


class EntityField(forms.CharField):
    """A name, alias or slug of a person, party, organisation or source, resolved to one."""

    def __init__(self, kind, *, label, **kwargs):
        self.kind = kind
        messages = {"max_length": f"The {label} name has %(show_value)d characters; the most is %(limit_value)d."}
        super().__init__(max_length=200, required=False, label=label, error_messages=messages, **kwargs)


class SearchForm(forms.Form):
    # The default is what a search without words shows too (newest first), so the control
    # says both: selecting "newest" for it would sort every later search with words by date.
    SORTS = [("", "Best match (newest first without words)"), ("newest", "Newest first"), ("oldest", "Oldest first")]
    MAX_PAGE = 10_000

    q = forms.CharField(
        label="Search",
        required=False,
        error_messages={"max_length": "The query has %(show_value)d characters; the most is %(limit_value)d."},
        max_length=MAX_QUERY_CHARS,
    )
    person = EntityField(PERSON, label="Person")
    party = EntityField(PARTY, label="Party")
    members = forms.BooleanField(required=False, label="Include articles mentioning the party's members at the time")
    org = EntityField(ORGANISATION, label="Organisation")
    source = EntityField(SOURCE, label="Source")
    quotedby = EntityField(PERSON, label="Quoted")
    date_from = PartialDateField(label="From")
    date_to = PartialDateField(label="To", end=True)
    sort = forms.ChoiceField(
        choices=SORTS,
        required=False,
        error_messages={"invalid_choice": "The order “%(value)s” is not one of: best match, newest, oldest."},
    )
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": "The page must be a whole number.",
            "min_value": "The page must be 1 or more.",
            "max_value": f"The page must be at most {MAX_PAGE:,}.",
        },
    )

    def __init__(self, data=None, **kwargs):
        # The URL says from= and to=; "from" is a Python keyword, so the fields differ.
        if data is not None:
            data = data.copy()
            for url_name, field_name in (("from", "date_from"), ("to", "date_to")):
                if url_name in data and field_name not in data:
                    data[field_name] = data[url_name]
            page = data.get("page", "")
            if len(page) > 12:  # int() of a 5,000-digit number is itself slow
                data["page"] = str(self.MAX_PAGE + 1) if page.isdigit() else "x"
        super().__init__(data, **kwargs)
        self.candidates = []  # (label, [(name, url)]) for names that could mean more than one
        self.notices = []

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, EntityField) and cleaned.get(name):
                cleaned[name] = self._resolve(name, field.kind, cleaned[name])
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start.date > end.date:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        if "q" in cleaned:
            try:
                cleaned["parsed"] = parse(cleaned["q"])
            except QueryError as exc:
                self.add_error("q", str(exc))
                return cleaned
            cleaned["names"] = self._query_names(cleaned["parsed"])
        cleaned["notices"] = self.notices
        return cleaned

    def _resolve(self, name, kind, text, in_query=None):
        resolution = resolve(kind, text)
        if resolution.entity:
            if not resolution.exact:
                self.notices.append(resolution.message)
            return resolution.entity
        self.add_error("q" if in_query else name, resolution.message)
        if resolution.candidates:
            self.candidates.append(
                (text, [(c, self._replaced(name, text, c.slug, in_query)) for c in resolution.candidates])
            )
        return None

    def _replaced(self, name, text, slug, in_query):
        params = self.data.copy()
        params.pop("page", None)
        if in_query:
            params["q"] = params.get("q", "").replace(in_query, f"{in_query.split(':')[0]}:{slug}")
        else:
            params[name] = slug
        return "?" + params.urlencode()

    def _query_names(self, parsed) -> dict:
        names = {}
        for node in leaves(parsed.tree):
            if not isinstance(node, Field):
                continue
            try:
                if node.name in ENTITY_FIELDS:
                    entity = self._resolve(node.name, ENTITY_FIELDS[node.name], node.value, in_query=node.to_query())
                    if entity:
                        names[node] = entity
                elif node.name == "year":
                    if not re.fullmatch(r"\d{4}", node.value):
                        raise QueryError(f"The 'year' “{node.value}” is not a year, like 2024.")
                    names[node] = (
                        read_date(node.value, end=False, label="year"),
                        read_date(node.value, end=True, label="year"),
                    )
                elif node.name in ("from", "to"):
                    names[node] = read_date(node.value, end=node.name == "to", label=node.name)
                elif node.name == "members" and node.value.lower() != "then":
                    raise QueryError("members: takes one value, then (members:then).")
            except QueryError as exc:
                self.add_error("q", str(exc))
        return names

    @property
    def is_filtered(self) -> bool:
        return any(
            self.data.get(name) for name in ("person", "party", "org", "source", "quotedby", "from", "to", "sort")
        )


class LetterForm(forms.Form):
    letter = forms.RegexField(regex=r"^[A-Za-z]$", required=False)


class PersonFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Everyone"), *((key, label) for key, (label, _, _) in PERSON_KINDS.items())], required=False
    )


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Organisation.Kind.choices], required=False)
