"""Person pages show party, seats and roles as one row per span; party pages list members
now and former members by the date they really left."""

import datetime

import lxml.html
import pytest

from archive.models import Article, Membership, Mention, Organisation, Person

pytestmark = pytest.mark.django_db


def rows(response, title):
    """The text of each row under the person page's timeline heading ``title``."""
    page = lxml.html.fromstring(response.content.decode())
    heading = page.xpath(f"//h3[normalize-space()='{title}']")[0]
    return [" ".join(li.text_content().split()) for li in heading.getnext().xpath("./li")]


def test_a_defectors_page_shows_each_party_once_with_why_it_ended(client, knowledge):
    response = client.get("/people/danny-kruger/")
    party = rows(response, "Party")
    assert "Conservative Party until 15 Sep 2025 (joined another party)" in party
    assert "Reform UK from 15 Sep 2025" in party
    assert len([r for r in party if r.startswith("Conservative Party")]) == 1


def test_consecutive_terms_in_one_seat_are_one_row(client, knowledge):
    # Mike Amesbury: Weaver Vale 2017 and 2019 (EveryPolitician, Commons Library), then
    # Runcorn and Helsby from 2024 until he resigned (commons_changes.csv).
    seats = rows(client.get("/people/mike-amesbury/"), "Seats")
    assert seats == [
        "MP for Weaver Vale, House of Commons (Labour Party) 8 Jun 2017 – 30 May 2024",
        "MP for Runcorn and Helsby, House of Commons (Labour Party) 4 Jul 2024 – 17 Mar 2025 (resigned)",
    ]


def test_a_whip_suspension_shows_beside_a_membership_that_went_on(client, knowledge):
    party = rows(client.get("/people/john-mcdonnell/"), "Party")
    assert "Whip suspended, Labour Party 23 Jul 2024 – 25 Sep 2025 (whip restored)" in party
    assert "Labour Party" in party  # the membership: one open row, not ended by the suspension


def test_an_article_row_says_when_the_party_comes_from_the_seat(client, knowledge):
    party = Organisation.objects.create(name="Seat Party", slug="seat-party", kind="party")
    commons = Organisation.objects.get(slug="house-of-commons")
    person = Person.objects.create(name="Sue Seatonly", slug="sue-seatonly", sort_name="Seatonly, Sue")
    Membership.objects.create(person=person, organisation=commons, role="MP for Nowhere", elected_for=party)
    article = Article.objects.create(
        title="Seat story",
        slug="seat-story",
        published=datetime.date(2025, 1, 1),
        body="x",
        raw="x",
        content_hash="9" * 64,
    )
    Mention.objects.create(article=article, person=person)
    page = " ".join(lxml.html.fromstring(client.get("/people/sue-seatonly/").content.decode()).text_content().split())
    assert "then: Seat Party (elected for the party)" in page


def test_a_party_page_lists_a_defector_as_a_former_member_with_the_day_they_left(client, knowledge):
    page = lxml.html.fromstring(client.get("/organisations/conservative-party/").content.decode())
    former = [" ".join(li.text_content().split()) for li in page.xpath("//h2[.='Former members']/following::ul[1]/li")]
    assert "Danny Kruger Sep 2025 (joined another party)" in former
    now = [a.text_content() for a in page.xpath("//h2[.='Members now']/following::ul[1]/li/a")]
    assert "Kemi Badenoch" in now and "Danny Kruger" not in now
