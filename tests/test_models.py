"""QuerySet methods: mentions, quotes, membership on a date, party at the time, merging."""

import datetime

import pytest

from archive.models import Article, Membership, Mention, Organisation, Person, PersonRedirect, Quote
from archive.models import articles as articles_module

pytestmark = pytest.mark.django_db


def make_person(name, **extra):
    return Person.objects.create(name=name, slug=name.lower().replace(" ", "-"), sort_name=name, **extra)


def make_party(name):
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind="party")


def make_article(title, published=None, people=(), organisations=()):
    article = Article.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        published=published,
        body=title,
        raw=title,
        content_hash=str(abs(hash(title))).rjust(64, "0"),
    )
    for person in people:
        Mention.objects.create(article=article, person=person)
    for organisation in organisations:
        Mention.objects.create(article=article, organisation=organisation)
    return article


@pytest.fixture
def defector():
    """A Conservative MP who joined Reform UK on 15 January 2026."""
    tories, reform = make_party("Tory Test Party"), make_party("Reform Test Party")
    person = make_person("Robert Testrick")
    Membership.objects.create(person=person, organisation=tories, end_date=datetime.date(2026, 1, 14))
    Membership.objects.create(person=person, organisation=reform, start_date=datetime.date(2026, 1, 15))
    return person, tories, reform


def test_member_of_on_a_date(defector):
    person, tories, reform = defector
    assert list(Person.objects.member_of(tories, on=datetime.date(2025, 6, 1))) == [person]
    assert list(Person.objects.member_of(reform, on=datetime.date(2025, 6, 1))) == []
    assert list(Person.objects.member_of(reform, on=datetime.date(2026, 2, 1))) == [person]
    assert list(Person.objects.member_of(tories)) == [person], "on=None: ever a member"


def test_naming_party_with_members_at_the_time(defector):
    person, tories, reform = defector
    before = make_article("Before the defection", datetime.date(2025, 6, 1), people=[person])
    after = make_article("After the defection", datetime.date(2026, 2, 1), people=[person])
    named = make_article("Names the party", datetime.date(2025, 6, 1), organisations=[reform])
    assert set(Article.objects.naming_party(reform)) == {named}
    assert set(Article.objects.naming_party(reform, include_members=True)) == {named, after}
    assert set(Article.objects.naming_party(tories, include_members=True)) == {before}
    assert set(Article.objects.naming_party(tories, include_members=True, at_the_time=False)) == {before, after}


def test_undated_articles_use_todays_membership(defector):
    person, tories, reform = defector
    undated = make_article("No date given", None, people=[person])
    assert undated in Article.objects.naming_party(reform, include_members=True)
    assert undated not in Article.objects.naming_party(tories, include_members=True)


def test_mentioning_ignores_boilerplate_only_mentions():
    person = make_person("Jane Teaser")
    article = make_article("Story")
    Mention.objects.create(article=article, person=person, boilerplate_only=True)
    assert not Article.objects.mentioning(person).exists()


@pytest.mark.parametrize("walk_above", [0, 1000], ids=["walking-the-articles", "looking-up-the-mentions"])
def test_mentioning_and_naming_find_the_same_articles_whichever_way_they_are_found(walk_above, monkeypatch):
    monkeypatch.setattr(articles_module, "WALK_ARTICLES_ABOVE", walk_above)
    person, party = make_person("Rita Often"), make_party("Often Party")
    named = [make_article(f"Named {n}", datetime.date(2020, 1, n), [person], [party]) for n in range(1, 4)]
    make_article("Elsewhere", datetime.date(2020, 1, 9))
    Mention.objects.create(
        article=make_article("Teaser", datetime.date(2020, 1, 8)), person=person, boilerplate_only=True
    )

    assert list(Article.objects.mentioning(person).newest_first()) == named[::-1]
    assert list(Article.objects.naming(party).newest_first()) == named[::-1]
    assert Article.objects.named_by(Mention.objects.of(person), listing=False).count() == 3


def test_co_mentioned_ranks_by_articles_together_and_breaks_ties_in_name_order_within_the_limit():
    centre = make_person("Centre Person")
    bea, ann, cal, dee = (make_person(name) for name in ["Bea Two", "Ann Two", "Cal One", "Dee Zero"])
    for n, others in enumerate([[bea, ann, cal], [bea, ann]]):
        make_article(f"Together {n}", datetime.date(2021, 1, n + 1), [centre, *others])
    make_article("Apart", datetime.date(2021, 2, 1), [dee, cal])

    ranked = Person.objects.co_mentioned_with(centre, limit=2)
    assert [(p.name, p.article_count) for p in ranked] == [("Ann Two", 2), ("Bea Two", 2)]
    everyone = Person.objects.co_mentioned_with(centre, limit=10)
    assert [(p.name, p.article_count) for p in everyone] == [("Ann Two", 2), ("Bea Two", 2), ("Cal One", 1)]


def test_most_mentioned_counts_only_articles_since_the_date_and_only_the_queryset_asked():
    red, blue = make_party("Red Party"), make_party("Blue Party")
    union = Organisation.objects.create(name="Big Union", slug="big-union", kind="union")
    make_article("Old", datetime.date(2010, 1, 1), organisations=[red])
    make_article("Old two", datetime.date(2010, 1, 2), organisations=[red])
    make_article("New", datetime.date(2024, 1, 1), organisations=[blue, union])

    assert [(o.slug, o.article_count) for o in Organisation.objects.parties().most_mentioned()] == [
        ("red-party", 2),
        ("blue-party", 1),
    ]
    since = Organisation.objects.parties().most_mentioned(since=datetime.date(2020, 1, 1))
    assert [(o.slug, o.article_count) for o in since] == [("blue-party", 1)]


def test_quoting_and_former_members(defector):
    person, tories, _ = defector
    article = make_article("Quoted", datetime.date(2026, 2, 1), people=[person])
    Quote.objects.create(article=article, speaker=person, text="We will win.", start=0, end=10)
    assert list(Article.objects.quoting(person)) == [article]
    assert list(Person.objects.former_members_of(tories)) == [person]


def test_merge_into_moves_everything_and_redirects(defector):
    person, tories, _ = defector
    duplicate = make_person("Rob Testrick", needs_review=True)
    article = make_article("Story about Rob", people=[duplicate, person])
    Quote.objects.create(article=article, speaker=duplicate, text="Hello there, voters.", start=0, end=5)
    duplicate.merge_into(person)
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert article.mentions.filter(person=person).count() == 1
    assert Quote.objects.get().speaker == person
    assert person.aliases.filter(name="Rob Testrick").exists()
    assert PersonRedirect.objects.get(old_slug="rob-testrick").person == person


def test_party_at_the_time_uses_party_membership_not_a_seat_or_role(defector):
    person, tories, reform = defector
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    Membership.objects.create(
        person=person,
        organisation=commons,
        role="MP for Testshire",
        elected_for=tories,
        start_date=datetime.date(2019, 12, 12),
    )
    Membership.objects.create(
        person=person, organisation=tories, role="chief whip", start_date=datetime.date(2026, 2, 1)
    )
    then = person.party_at(datetime.date(2026, 3, 1))
    assert then.parties == [reform] and then.basis == "membership" and then.fallback_note == ""
    assert person.parties_on(datetime.date(2025, 6, 1)) == [tories]


def test_party_at_the_time_falls_back_to_the_whip_then_the_seat_and_says_so():
    party = make_party("Fallback Test Party")
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    person = make_person("Una Known")
    Membership.objects.create(
        person=person,
        organisation=commons,
        role="MP for Testvale",
        elected_for=party,
        start_date=datetime.date(2024, 7, 4),
    )
    seat_only = person.party_at(datetime.date(2025, 1, 1))
    assert seat_only.parties == [party] and seat_only.basis == "seat"
    assert seat_only.fallback_note == "elected for the party"
    Membership.objects.create(
        person=person, organisation=party, kind="whip", role="whip", start_date=datetime.date(2024, 7, 4)
    )
    assert person.party_at(datetime.date(2025, 1, 1)).basis == "whip"
    assert not person.party_at(datetime.date(2020, 1, 1))


def test_a_membership_without_a_kind_gets_one_from_its_organisation_and_role(defector):
    person, tories, _ = defector
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    assert Membership.objects.create(person=person, organisation=commons, role="MP for X").kind == "seat"
    assert Membership.objects.create(person=person, organisation=commons, role="independent").kind == "whip"
    assert Membership.objects.create(person=person, organisation=tories, role="leader").kind == "role"
    assert person.memberships.filter(organisation=tories).first().kind == "party"


def test_a_seat_won_for_a_party_or_a_role_in_it_is_not_membership_of_it():
    party = make_party("Seat Test Party")
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    mp, officer = make_person("Sam Seatonly"), make_person("Rory Roleonly")
    Membership.objects.create(person=mp, organisation=commons, role="MP for Y", elected_for=party)
    Membership.objects.create(person=officer, organisation=party, role="general secretary")
    assert list(Person.objects.member_of(party)) == []


def test_former_members_are_listed_by_the_date_they_really_left():
    party = make_party("Left Test Party")
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    sitting, expelled, defected = make_person("Sit Ting"), make_person("Ex Pelled"), make_person("De Fected")
    # A sitting MP whose term ended at a dissolution is still a member.
    Membership.objects.create(person=sitting, organisation=party, start_date=datetime.date(2017, 6, 8))
    Membership.objects.create(
        person=sitting,
        organisation=commons,
        role="MP for Z",
        start_date=datetime.date(2017, 6, 8),
        end_date=datetime.date(2019, 11, 6),
    )
    Membership.objects.create(
        person=expelled, organisation=party, end_date=datetime.date(2024, 5, 24), end_reason="expelled"
    )
    Membership.objects.create(
        person=defected, organisation=party, end_date=datetime.date(2025, 9, 15), end_reason="defected"
    )
    # A role in the party that ended later does not move the date they left.
    Membership.objects.create(
        person=expelled, organisation=party, role="NEC member", end_date=datetime.date(2025, 12, 1)
    )
    former = list(Person.objects.former_members_of(party, on=datetime.date(2026, 1, 1)))
    assert former == [defected, expelled]
    assert [p.left for p in former] == [datetime.date(2025, 9, 15), datetime.date(2024, 5, 24)]
    assert list(Person.objects.member_of(party, on=datetime.date(2026, 1, 1))) == [sitting]


# ----------------------------------------------------------------------------- order


def test_the_sort_key_is_the_sort_name_lower_cased_with_accents_and_punctuation_folded():
    from archive.ingest.names import sort_key

    assert sort_key("Starmer, Keir") == "starmer, keir"
    assert sort_key("Ó Briain, Dara") == "o briain, dara"
    assert sort_key("O’Brien, James") == sort_key("O'Brien, James") == "obrien, james"
    assert sort_key("Rees-Mogg, Jacob") == "reesmogg, jacob"
    assert sort_key("Łukaszewska, Zoë") == "lukaszewska, zoe"


def test_saving_a_person_sets_the_sort_key_from_the_sort_name_or_else_the_name():
    given = Person.objects.create(name="Dara Ó Briain", slug="dara-o-briain", sort_name="Ó Briain, Dara")
    derived = Person.objects.create(name="Zoë Grünewald", slug="zoe-grunewald")

    assert given.sort_key == "o briain, dara"
    assert derived.sort_key == "grunewald, zoe"
    given.sort_name = "Briain, Dara Ó"
    given.save()
    assert Person.objects.get(pk=given.pk).sort_key == "briain, dara o"


def test_people_a_to_z_follows_the_sort_key_not_the_database_collation(client):
    """Byte order (SQLite) would put O'Testa first and Ó Testa last; a linguistic
    collation (ICU) would put O'Testa before Oatest. The key orders them alike on both."""
    people = [
        ("Kay Osmotest", "Osmotest, Kay"),
        ("Jim O'Testa", "O'Testa, Jim"),
        ("Dee Ó Testa", "Ó Testa, Dee"),
        ("Ann Oatest", "Oatest, Ann"),
    ]
    for i, (name, sort_name) in enumerate(people):
        Person.objects.create(name=name, slug=f"order-test-{i}", sort_name=sort_name)

    response = client.get("/people/", {"letter": "O"})

    listed = [p.name for p in response.context["page"] if p.slug.startswith("order-test-")]
    assert listed == ["Dee Ó Testa", "Ann Oatest", "Kay Osmotest", "Jim O'Testa"]


def test_every_default_order_ends_on_a_unique_column_so_ties_come_back_alike_on_any_database():
    from django.apps import apps

    for model in apps.get_app_config("archive").get_models():
        ordering = model._meta.ordering
        if not ordering:
            continue
        last = ordering[-1]
        name = last if isinstance(last, str) else last.expression.name
        name = name.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        assert field.unique, f"{model.__name__}.Meta.ordering {ordering} can tie: end it on 'pk'"


def test_party_at_the_time_for_a_member_whose_whip_is_suspended_is_the_party_and_says_whip_suspended():
    party = make_party("Whip Test Party")
    person = make_person("Dee Suspended")
    Membership.objects.create(person=person, organisation=party, role="member")
    Membership.objects.create(
        person=person,
        organisation=party,
        kind="whip",
        role="whip suspended",
        start_date=datetime.date(2025, 7, 16),
    )
    before, after = person.party_at(datetime.date(2025, 7, 1)), person.party_at(datetime.date(2025, 8, 1))
    assert before.parties == [party] and before.note == "" and before.whip_suspended == []
    assert after.parties == [party] and after.basis == "membership" and after.note == "whip suspended"
    # Still a member, not a former one: the whip is not the membership.
    assert list(Person.objects.member_of(party, on=datetime.date(2025, 8, 1))) == [person]
    assert list(Person.objects.former_members_of(party, on=datetime.date(2025, 8, 1))) == []


def test_a_suspended_whip_is_not_the_whip_they_took_and_sitting_as_an_independent_is_not_the_seats_party():
    party = make_party("Whipless Test Party")
    commons = Organisation.objects.create(name="Test Commons", slug="test-commons", kind="parliament")
    rebel, leaver = make_person("Reb Elmp"), make_person("Lee Vermp")
    for person in (rebel, leaver):
        Membership.objects.create(
            person=person,
            organisation=commons,
            role="MP for Testmoor",
            elected_for=party,
            start_date=datetime.date(2024, 7, 4),
        )
    Membership.objects.create(
        person=rebel, organisation=party, kind="whip", role="whip suspended", start_date=datetime.date(2025, 1, 1)
    )
    Membership.objects.create(
        person=leaver, organisation=commons, role="independent", start_date=datetime.date(2025, 1, 1)
    )
    rebel_then = rebel.party_at(datetime.date(2025, 2, 1))
    assert rebel_then.parties == [party] and rebel_then.basis == "seat"
    assert rebel_then.note == "elected for the party; whip suspended"
    assert not leaver.party_at(datetime.date(2025, 2, 1))
    assert leaver.party_at(datetime.date(2024, 9, 1)).parties == [party]


def test_a_member_expelled_from_the_party_their_seat_was_won_for_is_not_in_it_while_still_sitting():
    party = make_party("Expelling Test Party")
    senedd = Organisation.objects.create(name="Test Senedd", slug="test-senedd", kind="parliament")
    person = make_person("Rhi Moved")
    Membership.objects.create(
        person=person,
        organisation=senedd,
        role="MS for Testvale",
        elected_for=party,
        start_date=datetime.date(2021, 5, 6),
    )
    Membership.objects.create(
        person=person,
        organisation=party,
        role="member",
        start_date=datetime.date(2021, 5, 6),
        end_date=datetime.date(2024, 7, 23),
        end_reason="expelled",
    )
    assert person.party_at(datetime.date(2023, 1, 1)).basis == "membership"
    assert not person.party_at(datetime.date(2024, 8, 1))
    loaded = list(person.memberships.select_related("organisation", "elected_for"))
    assert not person.party_at(datetime.date(2024, 8, 1), loaded)
    # A membership that ended before the seat was won says nothing about the seat's party.
    other = make_person("Ret Urned")
    Membership.objects.create(
        person=other,
        organisation=party,
        role="member",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    Membership.objects.create(
        person=other,
        organisation=senedd,
        role="MS for Testmoor",
        elected_for=party,
        start_date=datetime.date(2021, 5, 6),
    )
    assert other.party_at(datetime.date(2022, 1, 1)).basis == "seat"


def test_former_members_say_why_they_left():
    party = make_party("Reason Test Party")
    defected = make_person("Def Ector")
    Membership.objects.create(
        person=defected, organisation=party, end_date=datetime.date(2025, 9, 15), end_reason="defected"
    )
    (former,) = Person.objects.former_members_of(party, on=datetime.date(2026, 1, 1))
    assert former.left_reason == "defected" and former.left_reason_display == "Joined another party"
