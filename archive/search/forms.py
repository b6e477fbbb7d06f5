import re

from django import forms

from archive.ingest.dates import parse_partial_date
from archive.models import Organisation

MAX_QUERY_CHARS = 500


class PartialDateField(forms.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD; ``end=True`` reads it as the last day it covers."""

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        super().__init__(max_length=10, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise forms.ValidationError("Use a year, a month or a day: 2025, 2025-04 or 2025-04-11.")
        try:
            return parse_partial_date(value, end=self.end)
        except ValueError as exc:
            raise forms.ValidationError("That date does not exist.") from exc


class SearchForm(forms.Form):
    SORTS = [("", "Best match"), ("newest", "Newest first"), ("oldest", "Oldest first")]

    q = forms.CharField(label="Search", max_length=MAX_QUERY_CHARS, required=False)
    person = forms.SlugField(required=False)
    party = forms.SlugField(required=False)
    members = forms.BooleanField(required=False, label="Include articles mentioning the party's members at the time")
    org = forms.SlugField(required=False, label="Organisation")
    source = forms.SlugField(required=False)
    quotedby = forms.SlugField(required=False, label="Quoted")
    date_from = PartialDateField(label="From")
    date_to = PartialDateField(label="To", end=True)
    sort = forms.ChoiceField(choices=SORTS, required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, data=None, **kwargs):
        # The URL says from= and to=; "from" is a Python keyword, so the fields differ.
        if data is not None:
            data = data.copy()
            for url_name, field_name in (("from", "date_from"), ("to", "date_to")):
                if url_name in data and field_name not in data:
                    data[field_name] = data[url_name]
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        return cleaned

    @property
    def is_filtered(self) -> bool:
        return any(
            self.data.get(name) for name in ("person", "party", "org", "source", "quotedby", "from", "to", "sort")
        )


class LetterForm(forms.Form):
    letter = forms.RegexField(regex=r"^[A-Za-z]$", required=False)


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Organisation.Kind.choices], required=False)
