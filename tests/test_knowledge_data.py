"""The loaded knowledge base answers 'which party were they in then' as its data files say.

Dates are chosen so that a data file decides: a general election result (the Commons
Library files), a sourced row of commons_changes.csv (defections, whip changes,
by-elections), or a dated curated row. The test reads the database that load_knowledge
filled, as the pages and the search index do."""

import csv
import datetime

import pytest

from archive.knowledge.commons import constituency_name, short_name, without_suffix
from archive.knowledge.loader import DATA_DIR
from archive.models import Membership, Person

pytestmark = pytest.mark.django_db

D = datetime.date
LAB, CON, REF, LD, SNP = (
    "labour-party",
    "conservative-party",
    "reform-uk",
    "liberal-democrats",
    "scottish-national-party",
)
GREEN, YOURS, CUK = "green-party-of-england-and-wales", "your-party", "change-uk"
NONE = None

# slug -> [(date, party slug or None for 'no party')]
PARTY_ON = {
    "danny-kruger": [(D(2020, 6, 1), CON), (D(2025, 1, 1), CON), (D(2025, 10, 1), REF)],
    "robert-jenrick": [(D(2020, 6, 1), CON), (D(2025, 6, 1), CON), (D(2026, 2, 1), REF)],
    "suella-braverman": [(D(2022, 1, 1), CON), (D(2025, 12, 1), CON), (D(2026, 2, 15), REF)],
    "andrew-rosindell": [(D(2021, 1, 1), CON), (D(2026, 1, 10), CON), (D(2026, 1, 20), REF)],
    "zarah-sultana": [(D(2021, 1, 1), LAB), (D(2024, 12, 1), LAB), (D(2025, 8, 1), YOURS)],
    "rosie-duffield": [(D(2020, 1, 1), LAB), (D(2024, 8, 1), LAB), (D(2024, 10, 15), NONE)],
    "john-mcdonnell": [(D(2020, 1, 1), LAB), (D(2024, 10, 1), LAB), (D(2026, 1, 1), LAB)],
    "richard-burgon": [(D(2022, 1, 1), LAB), (D(2024, 9, 1), LAB), (D(2025, 3, 1), LAB)],
    "imran-hussain": [(D(2022, 1, 1), LAB), (D(2024, 9, 1), LAB), (D(2025, 3, 1), LAB)],
    "jeremy-corbyn": [(D(2019, 12, 13), LAB), (D(2024, 7, 10), NONE), (D(2025, 8, 1), YOURS)],
    # Lost the Tory whip in February 2024, still a Conservative until he joined Reform UK.
    "lee-anderson": [(D(2020, 6, 1), CON), (D(2024, 3, 1), CON), (D(2024, 4, 1), REF)],
    "hannah-spencer": [(D(2025, 6, 1), NONE), (D(2026, 3, 1), GREEN), (D(2026, 6, 1), GREEN)],
    "chris-webb": [(D(2023, 1, 1), NONE), (D(2024, 5, 10), LAB), (D(2024, 8, 1), LAB)],
    "jill-mortimer": [(D(2020, 6, 1), NONE), (D(2021, 6, 1), CON), (D(2023, 6, 1), CON)],
    "sarah-pochin": [(D(2025, 6, 1), REF), (D(2026, 1, 1), REF), (D(2026, 6, 1), REF)],
    "keir-starmer": [(D(2020, 6, 1), LAB), (D(2024, 8, 1), LAB), (D(2026, 6, 1), LAB)],
    "kemi-badenoch": [(D(2020, 6, 1), CON), (D(2024, 12, 1), CON), (D(2026, 6, 1), CON)],
    "ed-davey": [(D(2020, 6, 1), LD), (D(2024, 8, 1), LD), (D(2026, 6, 1), LD)],
    "stephen-flynn": [(D(2020, 6, 1), SNP), (D(2024, 8, 1), SNP), (D(2026, 6, 1), SNP)],
    "angela-rayner": [(D(2020, 6, 1), LAB), (D(2024, 8, 1), LAB), (D(2026, 6, 1), LAB)],
}


def cases():
    for slug, dates in PARTY_ON.items():
        for on, party in dates:
            yield pytest.param(slug, on, party, id=f"{slug}-{on}")


def test_the_list_is_twenty_people_on_three_dates_each():
    assert len(PARTY_ON) == 20 and all(len(dates) == 3 for dates in PARTY_ON.values())


@pytest.mark.parametrize("slug,on,party", cases())
def test_party_at_the_time_for_well_known_people(knowledge, slug, on, party):
    person = Person.objects.get(slug=slug)
    then = person.party_at(on)
    slugs = [p.slug for p in then.parties]
    if party is None:
        assert slugs == [], f"{person} on {on}: expected no party, got {slugs} ({then.basis})"
    else:
        assert slugs == [party], f"{person} on {on}: expected {party}, got {slugs} ({then.basis})"
        assert then.basis == "membership"


def test_party_pages_know_who_left_and_when(knowledge):
    from archive.models import Organisation

    tories, reform = Organisation.objects.get(slug=CON), Organisation.objects.get(slug=REF)
    kruger = Person.objects.get(slug="danny-kruger")
    former = {p.slug: p.left for p in Person.objects.former_members_of(tories, on=D(2026, 6, 1))}
    assert former["danny-kruger"] == D(2025, 9, 15)
    assert kruger in Person.objects.member_of(reform, on=D(2026, 6, 1))
    assert kruger not in Person.objects.member_of(tories, on=D(2026, 6, 1))
    # Re-elected in 2024 for the same party: still a member, not a former one since 2019.
    assert "kemi-badenoch" not in former


def names_of(person):
    """Short names, with and without a generational suffix ('Ian Paisley Jr' is the files'
    'Ian Paisley' where his seat says so)."""
    every = [person.name, *person.aliases.values_list("name", flat=True)]
    return {short_name(n) for n in every} | {short_name(without_suffix(n)) for n in every}


def commons_rows(term):
    with (DATA_DIR / "commons_2019_2024.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["term"] == term]


@pytest.mark.parametrize("term,count", [("58", 650), ("59", 650)])
def test_every_mp_of_the_2019_and_2024_parliaments_has_a_seat_and_a_party_in_their_term(knowledge, term, count):
    rows = commons_rows(term)
    assert len(rows) == count
    missing = []
    for row in rows:
        on = datetime.date.fromisoformat(row["start"]) + datetime.timedelta(days=1)
        seats = (
            Membership.objects.filter(kind="seat", role__iexact=f"MP for {constituency_name(row['constituency'])}")
            .covering(on)
            .select_related("person")
        )
        people = [m.person for m in seats if short_name(row["name"]) in names_of(m.person)]
        if len(people) != 1:
            missing.append(f"{row['name']} ({row['constituency']}): {len(people)} seats on {on}")
            continue
        if row["party"] and row["party"] not in [p.slug for p in people[0].parties_on(on)]:
            missing.append(f"{row['name']}: not a member of {row['party']} on {on}")
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize(
    "party,on,leader",
    [
        (CON, D(2024, 10, 1), "rishi-sunak"),
        (CON, D(2024, 12, 1), "kemi-badenoch"),
        (SNP, D(2024, 4, 1), "humza-yousaf"),
        (SNP, D(2024, 6, 1), "john-swinney"),
        (REF, D(2024, 5, 1), "richard-tice"),
        (REF, D(2024, 8, 1), "nigel-farage"),
        (GREEN, D(2025, 10, 1), "zack-polanski"),
    ],
)
def test_the_leader_of_a_party_on_a_date(knowledge, party, on, leader):
    leaders = Membership.objects.filter(kind="role", role="leader", organisation__slug=party).covering(on)
    assert [m.person.slug for m in leaders.select_related("person")] == [leader]


def by_elections():
    with (DATA_DIR / "commons_changes.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["change"] == "elected"]


def test_every_by_election_winner_since_2019_has_the_seat_and_the_party_from_polling_day(knowledge):
    rows = by_elections()
    assert len([r for r in rows if "2019-12-12" < r["date"] < "2024-05-30"]) == 23, "23 in the 2019-24 parliament"
    problems = []
    for row in rows:
        on = datetime.date.fromisoformat(row["date"])
        seat = Membership.objects.filter(
            kind="seat", role__iexact=f"MP for {row['constituency']}", start_date=on
        ).select_related("person")
        holders = [m.person for m in seat if short_name(row["name"]) in names_of(m.person)]
        if len(holders) != 1:
            problems.append(f"{row['name']} ({row['constituency']}): {len(holders)} seats from {on}")
        elif row["party"] not in [p.slug for p in holders[0].parties_on(on)]:
            problems.append(f"{row['name']}: not in {row['party']} on {on}")
        # Whoever held the seat before had left it by polling day.
        before = Membership.objects.filter(kind="seat", role__iexact=f"MP for {row['constituency']}").covering(on)
        assert len(before) == 1, f"{row['constituency']} has {len(before)} MPs on {on}"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "slug,before,after,on",
    [
        # The Independent Group of February 2019, and the moves of that autumn.
        ("chuka-umunna", LAB, CUK, D(2019, 2, 18)),
        ("angela-smith-mp", LAB, CUK, D(2019, 2, 18)),
        ("sarah-wollaston", CON, CUK, D(2019, 2, 20)),
        ("phillip-lee", CON, LD, D(2019, 9, 3)),
        ("sam-gyimah", CON, LD, D(2019, 9, 14)),
        ("christian-wakeford", CON, LAB, D(2022, 1, 19)),
        ("dan-poulter", CON, LAB, D(2024, 4, 27)),
        ("natalie-elphicke", CON, LAB, D(2024, 5, 8)),
        ("danny-kruger", CON, REF, D(2025, 9, 15)),
    ],
)
def test_a_defection_changes_the_party_on_the_day(knowledge, slug, before, after, on):
    person = Person.objects.get(slug=slug)
    assert [p.slug for p in person.parties_on(on - datetime.timedelta(days=1))] == [before]
    assert after in [p.slug for p in person.parties_on(on + datetime.timedelta(days=1))]
    assert before not in [p.slug for p in person.parties_on(on + datetime.timedelta(days=1))]


def test_the_brexit_party_is_named_as_it_then_was_not_as_reform_uk():
    """Pages from 2019 name the Brexit Party; the same party renamed itself Reform UK in
    2021, and a page naming either gets the name it uses."""
    from archive.ingest.entities import extract_entities
    from archive.knowledge.loader import read_knowledge

    gazetteer = read_knowledge().gazetteer()
    found = extract_entities(
        "", "The Brexit Party came first in the European elections, and Reform UK later took its place.", "", gazetteer
    )
    assert {"Brexit Party", "Reform UK"} <= {e.name for e in found}


def test_a_programme_names_its_broadcaster_and_a_conference_its_party():
    """Programmes and party conferences are not organisations in the knowledge base."""
    from archive.ingest.entities import extract_entities
    from archive.knowledge.loader import read_knowledge

    body = "He faced BBC Question Time on Thursday before the Labour Party conference in Liverpool."
    found = {e.name for e in extract_entities("", body, "", read_knowledge().gazetteer()) if e.kind == "organisation"}
    assert found == {"BBC News", "Labour Party"}


@pytest.mark.parametrize("on", [D(2017, 1, 1), D(2020, 1, 1), D(2023, 6, 1), D(2025, 1, 1)])
def test_the_commons_has_at_most_650_seats_and_one_holder_each_on_a_date(knowledge, on):
    """Curated seat rows that stayed open (or a person recorded under two names, 'Dan' and
    'Daniel Jarvis') must not give a constituency two MPs at once."""
    seats = Membership.objects.covering(on).filter(
        kind=Membership.Kind.SEAT, organisation__slug="house-of-commons", role__startswith="MP for "
    )
    holders: dict[str, set[str]] = {}
    for role, slug in seats.values_list("role", "person__slug"):
        holders.setdefault(constituency_name(role.removeprefix("MP for ")).casefold(), set()).add(slug)
    shared = {seat: people for seat, people in holders.items() if len(people) > 1}
    assert not shared
    assert len(holders) <= 650
    assert len({slug for people in holders.values() for slug in people}) <= 650


@pytest.mark.parametrize(
    "name,seat,on,not_seat",
    [
        # Baroness Smith of Basildon went to the Lords in 2010; the Angela Smith who moved
        # from Sheffield Hillsborough to Penistone and Stocksbridge that year is another MP.
        ("Angela Smith", "MP for Penistone and Stocksbridge", D(2015, 1, 1), "MP for Basildon"),
        # Two Labour MPs called Gareth Thomas sat together from 1997 to 2005.
        ("Gareth Thomas", "MP for Harrow West", D(2015, 1, 1), "MP for Clwyd West"),
        # John Robertson (Glasgow Anniesland, then North West) is not John Home Robertson.
        ("John Robertson", "MP for Glasgow North West", D(2010, 1, 1), "MP for East Lothian"),
    ],
)
def test_namesakes_in_the_commons_files_stay_two_people(knowledge, name, seat, on, not_seat):
    holder = Membership.objects.covering(on).get(organisation__slug="house-of-commons", role=seat).person
    assert short_name(holder.name) == short_name(name)
    assert not holder.memberships.filter(role=not_seat).exists()


def test_the_2019_rebels_kept_their_membership_without_the_whip_until_they_left_or_got_it_back(knowledge):
    restored, joined_lib_dems = Person.objects.get(slug="caroline-nokes"), Person.objects.get(slug="sam-gyimah")
    assert restored.party_at(D(2019, 10, 1)).basis == "membership"
    assert [p.slug for p in restored.parties_on(D(2019, 10, 1))] == [CON]
    assert restored.memberships.filter(kind="whip", end_date=D(2019, 10, 28), end_reason="whip_restored").exists()
    # Out of the party, the party's whip is no longer withheld from him.
    assert not joined_lib_dems.memberships.filter(kind="whip").covering(D(2019, 10, 1)).exists()


DEVOLVED = ("scottish-parliament", "senedd", "northern-ireland-assembly")


@pytest.mark.parametrize("chamber", DEVOLVED)
def test_every_devolved_member_of_2016_in_the_files_holds_a_seat_a_month_after_the_election(knowledge, chamber):
    on = D(2016, 6, 1)
    with (DATA_DIR / "devolved_2016_2017.csv").open(encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["chamber"] == chamber and r["start"] <= on.isoformat() <= r["end"]
        ]
    seats = Membership.objects.covering(on).filter(kind=Membership.Kind.SEAT, organisation__slug=chamber)
    assert len(rows) > 50
    assert seats.count() == len(rows)


def test_every_member_of_the_sixth_senedd_in_the_file_holds_their_seat_and_party_a_month_after_the_election(
    knowledge,
):
    on = D(2021, 6, 1)
    with (DATA_DIR / "devolved_2021.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 60
    seats = Membership.objects.covering(on).filter(kind=Membership.Kind.SEAT, organisation__slug="senedd")
    assert seats.count() == 60
    problems = []
    for row in rows:
        holders = [m.person for m in seats.filter(role=f"MS for {row['constituency']}").select_related("person")]
        people = [p for p in holders if short_name(row["name"]) in names_of(p)]
        if len(people) != 1:
            problems.append(f"{row['name']} ({row['constituency']}): {len(people)} seats on {on}")
        elif row["party"] and row["party"] not in [p.slug for p in people[0].parties_on(on)]:
            problems.append(f"{row['name']}: not a member of {row['party']} on {on}")
    assert problems == [], "\n".join(problems)


PLAID = "plaid-cymru"


@pytest.mark.parametrize(
    "slug,seat,party",
    [
        ("elin-jones", "MS for Ceredigion", PLAID),  # 'Rt. Hon. Elin Jones' on senedd.wales
        ("lynne-neagle", "MS for Torfaen", LAB),
        ("janet-finch-saunders", "MS for Aberconwy", CON),
    ],
)
def test_a_member_of_the_fifth_and_sixth_senedd_for_one_party_has_one_membership_and_one_seat_span(
    knowledge, slug, seat, party
):
    person = Person.objects.get(slug=slug)
    parties = person.memberships.filter(kind=Membership.Kind.PARTY).select_related("organisation")
    assert [(m.organisation.slug, m.start_date, m.end_date) for m in parties] == [(party, D(2016, 5, 5), None)]
    seats = person.memberships.filter(kind=Membership.Kind.SEAT)
    assert [(m.role, m.start_date, m.end_date) for m in seats] == [(seat, D(2016, 5, 5), D(2026, 4, 8))]


def test_a_senedd_member_suspended_from_the_party_group_stayed_a_member_until_expelled(knowledge):
    """Rhys ab Owen: 'Plaid Cymru' on senedd.wales in 2022, 'Independent Plaid Cymru Member'
    in 2023; the dates are devolved_changes.csv's."""
    rhys = Person.objects.get(slug="rhys-ab-owen")
    assert [p.slug for p in rhys.parties_on(D(2022, 6, 1))] == [PLAID]
    then = rhys.party_at(D(2023, 6, 1))
    assert [p.slug for p in then.parties] == [PLAID] and [p.slug for p in then.whip_suspended] == [PLAID]
    # Expelled: no membership after, and the party his seat was won for is not his party then.
    assert not rhys.memberships.filter(kind=Membership.Kind.PARTY).covering(D(2024, 8, 1)).exists()
    assert not rhys.party_at(D(2024, 8, 1))
    assert not rhys.party_at(D(2024, 8, 1), list(rhys.memberships.select_related("organisation", "elected_for")))
    assert rhys.memberships.get(kind=Membership.Kind.PARTY).end_reason == "expelled"


def test_a_senedd_seat_ends_at_the_members_death_and_the_by_election_winner_holds_it_to_the_dissolution(knowledge):
    caerphilly = Membership.objects.filter(kind=Membership.Kind.SEAT, role="MS for Caerphilly")
    assert list(caerphilly.covering(D(2025, 9, 1))) == []
    (hefin,) = caerphilly.covering(D(2025, 8, 1)).select_related("person")
    assert (hefin.person.slug, hefin.end_date, hefin.end_reason) == ("hefin-david", D(2025, 8, 12), "died")
    (whittle,) = caerphilly.covering(D(2025, 11, 1)).select_related("person")
    assert (whittle.person.slug, whittle.start_date, whittle.end_date) == (
        "lindsay-whittle",
        D(2025, 10, 23),
        D(2026, 4, 8),
    )
    assert [p.slug for p in whittle.person.parties_on(D(2025, 11, 1))] == [PLAID]


def test_the_ms_gareth_davies_is_not_the_mp_of_that_name(knowledge):
    """An MP may not also sit in the Senedd: the Conservative MS for Vale of Clwyd elected in
    2021 is another person from the Conservative MP for Grantham and Stamford 2019-24."""
    ms = Membership.objects.covering(D(2022, 1, 1)).get(role="MS for Vale of Clwyd").person
    assert short_name(ms.name) == "gareth davies"
    assert not ms.memberships.filter(organisation__slug="house-of-commons").exists()
    assert ms.needs_review


def test_an_mla_elected_an_mp_in_2019_left_the_assembly_and_a_namesake_mp_is_not_the_mla(knowledge):
    hanna = Person.objects.get(slug="claire-hanna")
    assert hanna.memberships.get(role="MLA for Belfast South").end_date == D(2019, 12, 11)
    assert hanna.memberships.filter(role="MP for Belfast South", start_date=D(2019, 12, 12)).exists()
    mla = Membership.objects.covering(D(2018, 1, 1)).get(role="MLA for Foyle", person__name="Mark Durkan").person
    assert not mla.memberships.filter(role="MP for Foyle").exists()


@pytest.mark.django_db
def test_the_files_and_the_database_give_a_defector_both_parties_for_quote_descriptions(knowledge):
    """'the long-time Tory politician' can describe Suella Braverman after she joined Reform:
    the gazetteer carries every party a person has been in, read from the files and from the
    database alike."""
    from archive.ingest.pipeline import load_gazetteer
    from archive.knowledge.loader import read_knowledge

    for gazetteer in (read_knowledge().gazetteer(), load_gazetteer()):
        braverman = next(e for e in gazetteer.entities.values() if e.name == "Suella Braverman")
        assert {"conservative-party", "reform-uk"} <= braverman.parties


@pytest.mark.django_db
def test_the_files_and_the_database_give_the_gazetteer_each_persons_roles_with_dates(knowledge):
    """'the prime minister' in a 2025 article is read from the roles the gazetteer carries,
    from the files and from the database alike, and 'the Holborn and St Pancras MP' from the
    seats it carries beside them; party membership is neither."""
    import datetime

    from archive.ingest.pipeline import load_gazetteer
    from archive.knowledge.loader import read_knowledge

    for gazetteer in (read_knowledge().gazetteer(), load_gazetteer()):
        starmer = next(e for e in gazetteer.entities.values() if e.name == "Keir Starmer")
        held = {(r.organisation, r.title) for r in starmer.roles if r.held_on(datetime.date(2025, 3, 1))}
        assert ("uk-government", "Prime Minister") in held
        assert ("house-of-commons", "MP for Holborn and St Pancras") in held
        assert not any(r.title == "member" for r in starmer.roles)
