from archive.models.articles import Article, ArticleName, Source
from archive.models.entities import Alias, Membership, Organisation, Origin, PartyAtTheTime, Person, PersonRedirect
from archive.models.indexing import PendingIndexUpdate
from archive.models.mentions import Mention, Quote

__all__ = [
    "Alias",
    "Article",
    "ArticleName",
    "Membership",
    "Mention",
    "Organisation",
    "Origin",
    "PartyAtTheTime",
    "PendingIndexUpdate",
    "Person",
    "PersonRedirect",
    "Quote",
    "Source",
]
