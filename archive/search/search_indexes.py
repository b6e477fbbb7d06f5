"""The search index: one document per article."""

import datetime
import hashlib
import json

from django.db.models import Prefetch
from haystack import indexes

from archive.models import Article, Organisation


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2)
    date = indexes.DateField(model_attr="published", null=True)
    # Keyword fields (exact values) for facets: Whoosh facets a CharField by its analysed words.
    month = indexes.MultiValueField(faceted=True)  # ["2025-04"], for the months facet
    # Sort keys that put undated articles last when sorting either way.
    sort_newest = indexes.DateField(indexed=False)
    sort_oldest = indexes.DateField(indexed=False)
    source = indexes.MultiValueField(faceted=True)  # [its slug]
    author = indexes.CharField(model_attr="author", null=True)
    people = indexes.MultiValueField(faceted=True)
    parties = indexes.MultiValueField(faceted=True)
    member_parties = indexes.MultiValueField()
    organisations = indexes.MultiValueField(faceted=True)
    quoted = indexes.MultiValueField()
    # A hash of everything above as prepared: check_index compares it with a hash of what
    # prepare() gives now, so any difference in content, not only in titles, shows.
    doc_hash = indexes.CharField(indexed=False, null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        from archive.models import Membership

        party_memberships = (
            Membership.objects.party().filter(organisation__kind=Organisation.Kind.PARTY).select_related("organisation")
        )
        return (
            self.get_model()
            .objects.select_related("source")
            .defer("raw", "extraction")
            .prefetch_related(
                "mentions__person",
                Prefetch("mentions__person__memberships", queryset=party_memberships, to_attr="party_memberships"),
                "mentions__organisation",
                "quotes__speaker",
                "quotes__speaker_organisation",
            )
        )

    def read_queryset(self, using=None):
        return self.get_model().objects.select_related("source")

    def full_prepare(self, obj, with_string_facet=True):
        data = super().full_prepare(obj, with_string_facet=with_string_facet)
        data["doc_hash"] = document_hash(data)
        return data

    def prepare_sort_newest(self, article):
        return article.published or datetime.date(1, 1, 1)

    def prepare_sort_oldest(self, article):
        return article.published or datetime.date(9999, 12, 31)

    def prepare_month(self, article):
        return [f"{article.published:%Y-%m}"] if article.published else []

    def prepare_source(self, article):
        return [article.source.slug] if article.source else []

    def prepare_people(self, article):
        return sorted({m.person.slug for m in self._mentions(article) if m.person_id})

    def prepare_parties(self, article):
        return sorted(
            {m.organisation.slug for m in self._mentions(article) if m.organisation_id and m.organisation.is_party}
        )

    def prepare_organisations(self, article):
        return sorted(
            {m.organisation.slug for m in self._mentions(article) if m.organisation_id and not m.organisation.is_party}
        )

    def prepare_member_parties(self, article):
        """Parties named, plus the parties of everyone mentioned, as they were on the
        article's date (today's when it has none): 'party at the time', by party
        membership (not a seat won for the party, nor a role in it)."""
        on = article.date_or_today
        slugs = set(self.prepare_parties(article))
        for mention in self._mentions(article):
            if mention.person_id:
                slugs.update(m.organisation.slug for m in _party_memberships(mention.person) if m.covers(on))
        return sorted(slugs)

    def prepare_quoted(self, article):
        """Who is quoted: people and organisations (unattributed quotes name nobody)."""
        return sorted({q.speaker_entity.slug for q in article.quotes.all() if q.speaker_entity})

    def _mentions(self, article):
        # Filtered in Python so that index_queryset's prefetch serves every field.
        return [m for m in article.mentions.all() if not m.boilerplate_only]


def document_hash(prepared: dict) -> str:
    """SHA-256 of a prepared document (its own hash and boost left out), stable across runs."""
    content = {key: value for key, value in prepared.items() if key not in ("doc_hash", "boost")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _party_memberships(person):
    """The person's party memberships, from index_queryset's prefetch when there is one."""
    if hasattr(person, "party_memberships"):
        return person.party_memberships
    return person.memberships.party().filter(organisation__kind=Organisation.Kind.PARTY).select_related("organisation")
