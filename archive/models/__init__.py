from archive.models.articles import Article, Source
from archive.models.entities import Alias, Membership, Organisation, Origin, PartyAtTheTime, Person, PersonRedirect
from archive.models.mentions import Mention, Quote

__all__ = [
    "Alias",
    "Article",
    "Membership",
    "Mention",
    "Organisation",
    "Origin",
    "PartyAtTheTime",
    "Person",
    "PersonRedirect",
    "Quote",
    "Source",
]
