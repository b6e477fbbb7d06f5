"""People, parties and organisations: knowledge base, discovery and coreference."""

import datetime

from archive.ingest.entities import extract_entities
from tests.factories import gazetteer, organisation, person, small_gazetteer

GAZ = small_gazetteer()


def names_in(body, headline="", furniture=""):
    found = extract_entities(headline, body, furniture, GAZ)
    return {e.name for e in found if not e.boilerplate_only}


def test_a_person_named_only_in_a_photo_caption_is_mentioned_but_not_in_the_furniture():
    found = {
        e.name: e for e in extract_entities("", "The vote was close.", "Keir Starmer", GAZ, captions="Jeremy Corbyn")
    }
    assert not found["Jeremy Corbyn"].boilerplate_only
    assert found["Keir Starmer"].boilerplate_only


def test_a_first_name_in_capitals_opening_a_paragraph_is_still_a_name_but_an_acronym_is_not():
    assert names_in("The count went on all night.\n\nPRIYA Maddox was confident she would win.") == {"Priya Maddox"}
    assert names_in("SNP Leader John Swinney spoke.") == {"John Swinney"}


def test_a_welsh_name_with_ab_is_one_name():
    assert names_in("The independent MS Rhys ab Owen backed the motion.") == {"Rhys ab Owen"}


def test_aliases_surnames_and_misspellings_map_to_the_canonical_person():
    assert names_in("Sir Keir said so.") == {"Keir Starmer"}
    assert names_in("Kier Starmer said so.") == {"Keir Starmer"}
    assert names_in("Critics of Starmer’s plan were loud.") == {"Keir Starmer"}


def test_party_adjectives_and_nicknames_name_the_party():
    assert names_in("The Tory benches were empty.") == {"Conservative Party"}
    assert names_in("Scottish Labour held the seat.") == {"Labour Party"}


def test_lowercase_common_words_are_not_parties():
    assert names_in("The labour market is tight and conservative estimates differ on welfare reform.") == set()


def test_longest_match_wins():
    assert names_in("The Jewish Labour Movement welcomed it.") == {"Jewish Labour Movement"}


def test_guarded_words_used_as_verbs_or_nouns_are_not_organisations():
    assert names_in("We must unite behind him. Labour will Unite the country, she said.") == {"Labour Party"}
    assert names_in("Momentum is building behind the campaign for a new leader.") == set()
    assert names_in("Unite the country? Nobody believes that any more.") == set()


def test_guarded_words_used_as_names_are_organisations():
    assert names_in("Labour's biggest backer Unite condemned the move.") == {"Labour Party", "Unite"}
    assert names_in("Unite shop steward Tom Ellery said the deal was poor.") >= {"Unite", "Tom Ellery"}
    assert "Reform UK" in names_in("Voters are switching from the Tories to Reform in the north.")


def test_sentence_start_ordinary_word_needs_another_mention():
    found = names_in("Momentum is strong. Later, Momentum said it would back the candidate.")
    assert "Momentum" in found


def test_unknown_people_are_discovered_by_honorific_first_name_or_cue():
    found = names_in(
        "Cllr Priya Maddox criticised the plan. Tom Ellery, a shop steward, agreed. "
        "Sinn Féin MLA Caoimhe Archibald said more was needed."
    )
    assert {"Priya Maddox", "Tom Ellery", "Caoimhe Archibald"} <= found


def test_places_and_institutions_are_not_people():
    found = names_in("Speaking at Tate Modern, the mayor visited Sheffield Hallam and the River Thames.")
    assert not {"Tate Modern", "River Thames"} & found


def test_a_list_heading_and_a_hotel_that_start_with_a_first_name_are_not_people():
    found = names_in(
        "Key Points\n\nDelegates gathered at the Hilton Birmingham Metropole on Sunday for the opening rally."
    )
    assert not {"Key Points", "Hilton Birmingham Metropole"} & found


def test_a_name_written_in_lower_case_after_its_first_word_is_ordinary_words_unless_a_capital_stays():
    gaz = gazetteer(
        [organisation("Labour to Win", "faction"), organisation("Labour Party Conference", "party_body", slug="lpc")],
        [("Labour to Win", "labour-to-win"), ("Labour Party Conference", "lpc")],
    )
    found = {e.name for e in extract_entities("", "It made it easier for Labour to win power.", "", gaz)}
    assert "Labour to Win" not in found
    found = {e.name for e in extract_entities("", "Delegates at the Labour Party conference voted.", "", gaz)}
    assert "Labour Party Conference" in found


def test_a_preposition_opening_the_sentence_is_not_part_of_the_name():
    assert names_in("Per Tom Ellery’s blog, only one of the forty is on the left.") == {"Tom Ellery"}


def test_a_name_stops_before_an_institution_word_like_hotel():
    found = names_in("Delegates stayed at the Hilton Grange Hotel in Brighton.")
    assert not any("Hotel" in name for name in found)


def test_surname_and_title_references_resolve_to_the_person_named_in_full():
    found = extract_entities("", "Anas Sarwar spoke first. Mr Sarwar later added more. Sarwar left.", "", GAZ)
    sarwar = next(e for e in found if e.name == "Anas Sarwar")
    assert sarwar.count == 3


def test_a_surname_belongs_to_a_namesake_named_in_full():
    found = names_in("Labour MP Kim Johnson spoke. Johnson said the library must stay open.")
    assert "Kim Johnson" in found
    assert "Boris Johnson" not in found


def test_names_only_in_furniture_are_kept_as_boilerplate_only():
    found = extract_entities("", "Labour won the seat.", "More from us: Corbyn's new party", GAZ)
    corbyn = next(e for e in found if e.name == "Jeremy Corbyn")
    assert corbyn.boilerplate_only
    assert "Jeremy Corbyn" not in names_in("Labour won the seat.", furniture="More from us: Corbyn's new party")


def test_title_case_headline_does_not_fire_guarded_words():
    assert "Unite" not in names_in("Body text.", headline="Labour Needs A Vision That Will Unite Communities")


def test_council_members_name_their_council():
    assert "Kirklees Council" in names_in("Kirklees councillor Jane Maddox resigned.")


def test_each_entity_records_the_text_and_rule_that_matched():
    found = extract_entities("", "Sir Keir spoke.", "", GAZ)
    [keir] = found
    assert keir.matched_text == "Sir Keir"
    assert keir.rule == "alias: Sir Keir"


def test_a_known_name_inside_a_hyphenated_surname_is_not_matched():
    found = names_in("Cllr Anas Sarwar-Bell said the vote was close.")
    assert "Anas Sarwar" not in found
    assert "Anas Sarwar-Bell" in found


def test_a_long_institutional_name_in_lower_case_still_names_the_body():

    gaz = gazetteer(
        [organisation("Harrow Policy Forum", "party_body"), organisation("Best for Harrow", "faction")],
        [("policy forum of Harrow", "harrow-policy-forum")],
    )
    found = {e.name for e in extract_entities("", "Members of the harrow policy forum met.", "", gaz)}
    assert found == {"Harrow Policy Forum"}
    found = {e.name for e in extract_entities("", "She said it was what's best for Harrow.", "", gaz)}
    assert found == set()


def test_a_shadow_ministers_department_is_a_role_not_a_mention():

    gaz = gazetteer([organisation("HM Treasury", "parliament")], [("Treasury", "hm-treasury")])
    assert {e.name for e in extract_entities("", "The shadow Treasury minister spoke.", "", gaz)} == set()
    assert {e.name for e in extract_entities("", "The Treasury said no.", "", gaz)} == {"HM Treasury"}


def test_a_quoted_campaign_name_is_discovered_for_review():
    found = extract_entities("", "The 'Save Harrow Baths' campaign gathered signatures.", "", GAZ)
    assert [(e.name, e.is_new) for e in found if e.kind == "organisation"] == [("Save Harrow Baths", True)]


def namesakes():
    D = datetime.date
    return gazetteer(
        [
            person(
                "Angela Twin", "angela-twin-peer", in_office=((D(1997, 5, 1), D(2010, 4, 12)), (D(2010, 6, 1), None))
            ),
            person("Angela Twin", "angela-twin-mp", in_office=((D(2005, 5, 5), D(2019, 11, 6)),)),
            person("Paul Twin", "paul-twin-libdem", in_office=((D(2001, 6, 7), D(2010, 4, 12)),)),
            person("Paul Twin", "paul-twin-tory", in_office=((D(2019, 12, 12), D(2024, 5, 30)),)),
        ]
    )


def test_a_name_two_people_share_is_the_one_in_office_at_the_articles_date():
    gaz = namesakes()

    def who(name, on):
        return [e.key for e in extract_entities("", f"{name} said so.", "", gaz, on=on)]

    assert who("Paul Twin", datetime.date(2005, 1, 1)) == ["paul-twin-libdem"]
    assert who("Paul Twin", datetime.date(2022, 1, 1)) == ["paul-twin-tory"]
    # Out of office, the nearer office wins: the Tory was elected weeks after this.
    assert who("Paul Twin", datetime.date(2019, 11, 1)) == ["paul-twin-tory"]
    # Both in office: the MP's term, not the peerage for life.
    assert who("Angela Twin", datetime.date(2019, 3, 1)) == ["angela-twin-mp"]
    assert who("Angela Twin", datetime.date(2024, 9, 1)) == ["angela-twin-peer"]


def test_without_a_date_a_shared_name_is_the_first_entry_and_the_rule_says_how_it_chose():
    gaz = namesakes()
    assert [e.key for e in extract_entities("", "Paul Twin said so.", "", gaz)] == ["paul-twin-libdem"]
    (found,) = extract_entities("", "Paul Twin said so.", "", gaz, on=datetime.date(2022, 1, 1))
    assert "the one in office nearest 2022-01-01" in found.rule


def test_a_job_title_between_an_organisation_and_a_name_is_not_part_of_the_name():
    body = "“We will ballot every member,” said UNITY National Co-ordinator Walter Cullen on Monday."
    names = {e.name for e in extract_entities("", body, "", GAZ) if e.kind == "person"}
    assert names == {"Walter Cullen"}


def test_a_ballot_label_in_brackets_after_a_name_names_the_party():
    body = "The result was:\n\nJo Bloggs (LAB) – 18,051\n\nSam Price (REF) – 12,446\n\nAmy Hart (IND) – 3,001"
    found = {e.name: e for e in extract_entities("", body, "", GAZ)}
    assert {"Labour Party", "Reform UK"} <= set(found)
    assert found["Reform UK"].rule == "ballot label after a name"
    # Only after a person's name: a label elsewhere names nothing.
    assert "Reform UK" not in {e.name for e in extract_entities("", "See table (REF) for the figures.", "", GAZ)}


def test_a_person_opening_a_sentence_glued_to_the_last_is_discovered():
    """Pages whose paragraphs were joined without a space: 'backed by Labour.Andy Brown'."""
    body = "He will not face a candidate backed by Labour.Andy Brown – who was due to stand – was suspended."
    assert "Andy Brown" in names_in(body)
    # After an initial's stop the name goes on from the initial, not from the stop.
    assert "Robert Hart" not in names_in("The letter was signed by J.Robert Hart on Monday.")


def test_a_peer_is_discovered_by_title_and_the_short_title_is_the_same_peer():
    body = (
        "Liberal Democrat peer Lord Ashdown of Wells warned against the plan.\n\n"
        "Lord Ashdown went on to say the reform was a mistake. The Lord Chancellor did not reply."
    )
    found = [e for e in extract_entities("", body, "", GAZ) if e.kind == "person"]
    assert [e.name for e in found] == ["Lord Ashdown of Wells"] and found[0].count >= 2
    # Without the full title, a short one is left alone (which Lord Ashdown?).
    assert "Lord Ashdown" not in names_in("Lord Ashdown went on to say the reform was a mistake.")


def test_a_word_after_a_known_first_name_is_a_surname_when_a_person_cue_follows():
    assert "Sarah Church" in names_in(
        "Sarah Church, who has led the campaign against the cuts, said it was a disgrace."
    )
    assert "Sheila Lock" in names_in("Sheila Lock said the committee could still meet before the election.")
    # Without the cue the word is what it usually is.
    assert "Sarah Church" not in names_in("Sarah Church Road is closed for repairs this week.")


def test_a_constituency_before_its_members_title_is_not_a_person():
    assert names_in("“It cannot be cherry-picked,” the Mid Ulster MLA said.") == set()
    assert names_in("The failing Home Office was to blame, the Birmingham Yardley MP said.") == set()


def test_a_local_campaign_named_for_what_it_would_save_is_an_organisation():
    found = {
        e.name: e
        for e in extract_entities("", "The Save Hollin Park Library campaign said the cuts were wrong.", "", GAZ)
    }
    assert found["Save Hollin Park Library"].kind == "organisation"
    assert "Save Hollin Park Library" in names_in("In a statement, campaign group Save Hollin Park Library said no.")
    # An exhortation is no organisation.
    assert not any(n.startswith("Save") for n in names_in("Save Hollin Park Library from closure, residents urged."))


def test_offices_buildings_and_forces_after_a_title_or_first_name_are_not_people():
    assert names_in("The Lord Lieutenant of Kent said the visit was a success.") == set()
    assert not {"Clarence House", "Victoria Police"} & names_in(
        "Clarence House said the visit would go ahead. Victoria Police said it was ready."
    )
    found = names_in("Lord Carlile of Berriew QC said the law was clear. Later Lord Carlile said more.")
    assert found == {"Lord Carlile of Berriew"}
