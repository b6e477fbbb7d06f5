"""Names to entities: the resolver that the filters, the query language and /api/entities/ share."""

import pytest

from archive.models import Alias, Person
from archive.search.entities import normalise, resolve, suggest

pytestmark = pytest.mark.usefixtures("knowledge")


@pytest.mark.parametrize(
    ("kind", "typed", "slug"),
    [
        ("person", "Mish Rahman", "mish-rahman"),
        ("person", "mish rahman", "mish-rahman"),
        ("person", "Starmer", "keir-starmer"),  # a surname that means him
        ("person", "Sir Keir", "keir-starmer"),  # an alias
        ("person", "Kier Starmer", "keir-starmer"),  # a misspelling recorded as an alias
        ("person", "keir-starmer", "keir-starmer"),  # the slug
        ("person", "Rahman", "mish-rahman"),  # the only Rahman the knowledge base holds
        ("party", "labour", "labour-party"),
        ("party", "Tories", "conservative-party"),
        ("party", "labour-party", "labour-party"),
        ("organisation", "the NEC", "labour-nec"),
        ("organisation", "NEC", "labour-nec"),
        ("organisation", "labour", "labour-party"),  # an organisation filter takes a party too
    ],
)
def test_a_name_alias_or_slug_resolves_to_the_entity(kind, typed, slug):
    resolution = resolve(kind, typed)

    assert resolution.entity is not None, resolution.message
    assert resolution.entity.slug == slug
    assert resolution.exact


def test_a_misspelling_that_is_no_alias_resolves_by_fuzzy_match_and_says_so():
    resolution = resolve("person", "Kier Starmr")

    assert resolution.entity.slug == "keir-starmer"
    assert not resolution.exact
    assert resolution.message == "Showing Keir Starmer for “Kier Starmr”."


def test_an_unknown_name_says_so_plainly():
    resolution = resolve("person", "Quentin Zabriskie-Vole")

    assert resolution.entity is None
    assert resolution.candidates == []
    assert resolution.message == "No person called “Quentin Zabriskie-Vole” is in the archive."


def test_a_party_filter_does_not_resolve_to_a_person():
    assert resolve("party", "Keir Starmer").entity is None


def test_a_name_two_people_share_offers_both_as_candidates():
    Person.objects.create(name="Jo Fairweather", slug="jo-fairweather-leeds", sort_name="Fairweather, Jo")
    Person.objects.create(name="Jo Fairweather", slug="jo-fairweather-bristol", sort_name="Fairweather, Jo")

    resolution = resolve("person", "jo fairweather")

    assert resolution.entity is None
    assert resolution.ambiguous
    assert {c.slug for c in resolution.candidates} == {"jo-fairweather-leeds", "jo-fairweather-bristol"}
    assert resolution.message == "“jo fairweather” could mean more than one person: choose one."


def test_a_new_alias_is_found_at_once():
    person = Person.objects.create(name="Jo Fairweather", slug="jo-fairweather", sort_name="Fairweather, Jo")
    assert resolve("person", "Councillor Jo").entity is None

    Alias.objects.create(name="Councillor Jo", person=person)

    assert resolve("person", "Councillor Jo").entity.slug == "jo-fairweather"


@pytest.mark.parametrize("typed", ["", "   ", "--", "x" * 5000])
def test_empty_or_absurd_input_gives_a_message_not_an_error(typed):
    resolution = resolve("person", typed)

    assert resolution.entity is None
    assert resolution.message


def test_suggestions_start_with_what_was_typed_busiest_first(ingest):
    from pathlib import Path

    demo = Path(__file__).resolve().parent.parent / "demo"
    ingest(demo / "2025-04-12-mish-rahman-quits-labour.txt")

    names = [c.name for c in suggest("mish")]

    assert names[0] == "Mish Rahman"
    assert suggest("mish")[0].article_count == 1
    assert all("mish" in normalise(c.name) or c.matched for c in suggest("mish"))
    assert suggest("m") == []  # one letter suggests nothing


def test_normalise_ignores_case_accents_punctuation_and_a_leading_the():
    assert normalise("The NEC") == "nec"
    assert normalise("Sinéad O’Connor") == "sinead oconnor"
    assert normalise("keir-starmer") == "keir starmer"
