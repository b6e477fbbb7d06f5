"""Title, author, date and source of a page."""

import datetime

from archive.ingest.clean import classify
from archive.ingest.dates import find_dates, parse_date
from archive.ingest.metadata import fallback_title, find_author, find_date, find_source, find_title
from tests.factories import small_gazetteer

TODAY = datetime.date(2026, 11, 23)


def title_of(text):
    return find_title(classify(text))


def test_headline_is_found_below_menus_and_above_the_byline():
    title, fallback, _ = title_of(
        "Skip to content\nHome\nNews\nPolitics\nSport\n"
        "UK Politics\n"
        "Labour overturns huge majority in Selby\n"
        "Published\n21 July 2023\n"
        "Labour has won the Selby and Ainsty by-election, overturning a Conservative majority of more than 20,000.\n"
    )
    assert (title, fallback) == ("Labour overturns huge majority in Selby", False)


def test_site_tagline_and_masthead_are_not_the_headline():
    title, _, _ = title_of(
        "THE PARTY LINE\n"
        "Independent political writing, straight to your inbox\n"
        "Badenoch takes the Tory crown\n"
        "Gabriel Otieno writes\n"
        "Kemi Badenoch is the new leader of the Conservative Party after beating Robert Jenrick in the members' ballot.\n"
    )
    assert title == "Badenoch takes the Tory crown"


def test_page_without_headline_gets_a_short_fallback_never_a_caption():
    title, fallback, _ = title_of(
        "Thousands march in Manchester (Picture: Jane Smith)\n\n"
        "Rage at the government's cuts to disability benefits brought thousands onto the streets of Manchester on "
        "Saturday, with marchers from every corner of the North West joining the demonstration.\n"
    )
    assert fallback
    assert "Picture" not in title
    assert title.startswith("Rage at the government")
    assert len(title) <= 101


def test_posted_on_line_is_never_the_title():
    title, _, _ = title_of(
        "Posted on\n\n“Member-led democracy must come first” – Jo Bloggs\n\n"
        "To build our movement we must trust our members, and that means giving them the final say on policy.\n"
    )
    assert title == "“Member-led democracy must come first” – Jo Bloggs"


def test_headline_ending_in_a_full_stop_is_kept_when_a_dateline_follows():
    title, fallback, _ = title_of(
        "Local Government\n"
        "Cllr Ann Wright: We lost the county to Reform. Here is how we win it back.\n"
        "June 10, 2025\n"
        "Six weeks ago I was a member of the cabinet of a Conservative county council, and now I lead a small group.\n"
    )
    assert not fallback
    assert title.endswith("win it back.")


def test_fallback_title_cuts_long_sentences_at_a_clause():
    title = fallback_title(
        "Former member of Labour’s national executive committee Jo Bloggs has resigned from the party and said she "
        "will campaign against it at every election."
    )
    assert title == "Former member of Labour’s national executive committee Jo Bloggs has resigned from the party"


def author_of(text, gazetteer=None):
    page = classify(text)
    _, _, title_line = find_title(page)
    return find_author(page, title_line, gazetteer=gazetteer)[:2]


def test_by_line_gives_the_author_without_the_job_title():
    assert author_of("Headline goes here today\nBy JASON GROVES, POLITICAL EDITOR FOR THE DAILY MAIL\n")[0] == (
        "Jason Groves"
    )


def test_name_line_under_the_headline_is_the_author():
    author, rule = author_of(
        "Labour MPs vote down Tory bid for inquiry\nImogen Carrow Deputy political editor\nThu 9 Jan 2025 10.15 GMT\n"
        "Labour MPs have rejected a Conservative attempt to force a national inquiry, after a week of rows.\n"
    )
    assert author == "Imogen Carrow"
    assert rule == "name line under the headline"


def test_writes_in_the_standfirst_gives_the_author():
    author, _ = author_of(
        "Labour needs a vision that will unite communities\n"
        "Uniting people across the country is the route to winning power again, writes Mish Rahman, Labour NEC.\n"
        "Labour's win in Batley and Spen was a huge relief to everyone who campaigned for it over the summer.\n"
    )
    assert author == "Mish Rahman"


def test_a_standfirst_ending_with_its_reporter_in_capitals_gives_the_author():
    author, rule = author_of(
        "Campaigners count the cost of the long winter\n"
        "Food banks in the valleys say demand has doubled since the spring, and volunteers are tired. "
        "GWEN PARRY reports.\n"
        "The queue outside the chapel hall started forming before eight on Saturday morning.\n"
    )
    assert (author, rule) == ("Gwen Parry", "standfirst ending 'X reports.'")


def test_an_outlets_writer_who_writes_in_the_standfirst_is_the_author():
    author, rule = author_of(
        "How the selection was decided\n"
        "The Ledger’s Tom Okoye writes that the shortlist was drawn up before any member was asked.\n"
        "Three names went forward to the branch on Thursday night, none of them local.\n"
    )
    assert (author, rule) == ("Tom Okoye", "'Outlet's X writes'")


def test_closing_tagline_gives_the_author():
    author, rule = author_of(
        "Why councils need a fair deal now\n"
        "Councils are on the front line of a crisis that Westminster still refuses to see for what it is, in my view.\n"
        "Cllr Amira Haddad is a Labour councillor in Leeds and a member of the Socialist Campaign Group.\n"
    )
    assert (author, rule) == ("Amira Haddad", "author tagline")


def test_photo_credits_and_agencies_are_not_authors():
    assert author_of("Headline for the piece here\nBy PA Reporters\n")[0] == ""
    assert author_of("Headline for the piece here\nPhoto: Getty Images\n")[0] == ""


def test_embedded_tweet_signature_is_not_the_author():
    author, _ = author_of(
        "Councillor quits the party over welfare cuts\n"
        "The councillor announced her decision in a post on social media late on Friday night, saying she had had enough.\n"
        "— Jane Maddox (@janemaddox) April 11, 2025\n"
    )
    assert author == ""


def date_of(text):
    page = classify(text)
    _, _, title_line = find_title(page)
    return find_date(page, title_line, today=TODAY)[0]


def test_uk_numeric_dates_are_day_first():
    assert parse_date("03/04/2025") == datetime.date(2025, 4, 3)
    assert [d.date for d in find_dates("Published 2nd May 2016 and May 2, 2016")] == [
        datetime.date(2016, 5, 2),
        datetime.date(2016, 5, 2),
    ]


def test_published_date_wins_over_updated_and_picture_dates():
    date = date_of(
        "Starmer sets out his plan\n"
        "Published: 14:02, 3 March 2025 | Updated: 16:10, 4 March 2025\n"
        "Picture date: Tuesday March 1, 2025.\n"
        "The Prime Minister told MPs on Monday that Britain would lead a coalition of the willing in Europe.\n"
    )
    assert date == datetime.date(2025, 3, 3)


def test_last_updated_alone_is_not_a_publication_date():
    date = date_of(
        "Councils face a funding cliff edge\n"
        "Last updated 20 May 2025\n"
        "Councils across England say they face a funding cliff edge next year unless ministers act on the formula.\n"
    )
    assert date is None


def test_masthead_date_above_the_site_chrome_is_ignored():
    date = date_of(
        "Monday 24 November 2025\nHome\nNews\nPolitics\nSport\n"
        "Cameron quits as Britain votes to leave the EU\n"
        "By Tom Dallimore\n"
        "David Cameron has announced he will resign as prime minister after Britain voted to leave the European Union.\n"
    )
    assert date is None


def test_date_in_the_text_of_the_story_is_not_the_publication_date():
    date = date_of(
        "Strike ballot result due\n"
        "Members of the union will vote in a ballot that closes on 14 March 2025, and the result is expected soon after "
        "that, officials said yesterday evening in a statement to members.\n"
    )
    assert date is None


def test_source_from_url_domain_then_self_reference():
    gaz = small_gazetteer()
    page = classify("Some headline here\nSome text.\n")
    assert find_source(page, gaz, url="https://www.labourlist.org/2025/04/x")[0] == "LabourList"
    page = classify("Headline here today\nBody text.\nFor more from LabourList, subscribe to our daily newsletter.\n")
    assert find_source(page, gaz)[0] == "LabourList"


def test_unknown_publication_is_read_from_its_copyright_line():
    page = classify("Headline here today\nBody text.\n© The Westminster Ledger 2025 | Privacy policy\n")
    assert find_source(page, small_gazetteer())[0] == "The Westminster Ledger"


def test_source_stays_empty_when_the_page_does_not_say():
    page = classify("Headline here today\nNobody says where this was published.\n")
    assert find_source(page, small_gazetteer()) == ("", "")


def test_iso_timestamps_and_ordinal_dates_are_read():
    assert parse_date("2024-07-05T09:12:00+01:00") == datetime.date(2024, 7, 5)
    assert parse_date("Friday 5th July, 2024 9:12am") == datetime.date(2024, 7, 5)
    assert parse_date("July 5 2024") == datetime.date(2024, 7, 5)


def test_partial_dates_cover_their_whole_period():
    from archive.ingest.dates import parse_partial_date

    assert parse_partial_date("2024") == datetime.date(2024, 1, 1)
    assert parse_partial_date("2024", end=True) == datetime.date(2024, 12, 31)
    assert parse_partial_date("2024-02", end=True) == datetime.date(2024, 2, 29)
    assert parse_partial_date("2024-12", end=True) == datetime.date(2024, 12, 31)


def test_a_sentence_opening_with_by_is_not_a_byline():
    assert author_of("Headline for the piece here\nBy Tuesday Night the Whips Had Counted\n")[0] == ""
    assert author_of("Headline for the piece here\nBy Jane Doe and John Smith\n")[0] == "Jane Doe and John Smith"


def test_a_headline_repeated_by_a_share_widget_is_still_the_headline():
    page = classify(
        "Riverside Courier\n"
        "Share this post\n"
        "Harrow councillors back a new bin contract after long row\n"
        "Harrow councillors back a new bin contract after long row\n"
        "What the vote means for collections\n"
        "12 March 2025\n"
        "Councillors in Harrow voted on Tuesday night to award the new contract, ending a dispute that had run for a year.\n"
    )
    assert find_title(page)[0] == "Harrow councillors back a new bin contract after long row"


def test_a_short_title_case_headline_above_its_standfirst_is_not_the_site_name():
    page = classify(
        "Trouble in Harrowgate\n"
        "The ruling group is split, and a leadership contest looks likely before the summer\n"
        "Members of the ruling group on the council have been meeting in private for weeks, and the mood is grim.\n"
    )
    assert find_title(page)[0] == "Trouble in Harrowgate"


def test_a_headline_loses_the_site_name_and_section_trail_glued_after_it():
    page = classify(
        "Harrow council approves its budget after a long night | Politics | News\n"
        "Councillors in Harrow approved the budget after a debate that ran past midnight, with two abstentions.\n"
    )
    assert find_title(page)[0] == "Harrow council approves its budget after a long night"


def test_a_byline_above_the_headline_doubled_by_the_markup_is_the_author():
    page = classify(
        "Tamsin Ford Tamsin Ford\n"
        "Harrow council approves its budget after a long night\n"
        "Councillors in Harrow approved the budget after a debate that ran past midnight, with two abstentions.\n"
    )
    _, _, title_line = find_title(page)
    assert find_author(page, title_line)[0] == "Tamsin Ford"


def test_a_standfirst_that_names_its_writer_gives_the_author():
    page = classify(
        "Splitting the left\n"
        "Tamsin Ford reports on the row inside the Harrow branch and what comes next\n"
        "Another week, another split on the left of the party, and this one is about money and who controls it.\n"
    )
    _, _, title_line = find_title(page)
    assert find_title(page)[0] == "Splitting the left"
    assert find_author(page, title_line)[0] == "Tamsin Ford"


def test_a_page_names_its_own_publication_in_furniture_the_rules_now_know():
    gazetteer = small_gazetteer()
    assert find_source(classify("Why you can trust LabourList\nA story.\n"), gazetteer)[0] == "LabourList"
    assert find_source(classify("Follow The Guardian on Bluesky\nA story.\n"), gazetteer)[0] == "The Guardian"
    assert find_source(classify("A story.\nSubscribe to Harrow Herald's newsletter\n"), gazetteer)[0] == "Harrow Herald"


def test_a_syndicated_copy_records_the_original_publisher_it_names():
    page = classify("A story.\nThis article was originally published by The Guardian on 3 May 2025.\n")
    assert find_source(page, small_gazetteer())[0] == "The Guardian"


def test_an_edition_label_is_not_a_masthead():
    page = classify("LATE CITY EDITION\nHarrow council approves its budget\nA story about the budget.\n")
    assert find_source(page, small_gazetteer())[0] == ""


def test_interface_chrome_at_the_top_does_not_win_the_headline():
    title, fallback, _ = title_of(
        "Jump straight to the contentJump to the menu\n"
        "Show Hide picture\n"
        "Councillors in Harrow back the new budget\n"
        "By Priya Natarajan\n"
        "Councillors voted by 31 to 20 on Tuesday night to approve the budget for the coming year, "
        "after a debate that ran for more than four hours.\n"
    )
    assert (title, fallback) == ("Councillors in Harrow back the new budget", False)


def test_a_long_headline_without_a_full_stop_is_a_headline_not_prose():
    headline = (
        "'We will not be silenced': Newly elected council leader tells hundreds of supporters outside the "
        "town hall that she will fight every cut to the budget - after a night of counting that went to a recount"
    )
    title, fallback, _ = title_of(
        f"{headline}\n"
        "• The new leader won by 14 votes after three recounts\n"
        "The newly elected leader of the council told hundreds of supporters on Friday that she would fight "
        "every cut to the budget that the government proposed.\n"
    )
    assert (title, fallback) == (headline, False)


def test_a_title_case_headline_under_the_dateline_is_not_the_sites_name():
    title, _, _ = title_of(
        "March 4, 2025\n"
        "Spring Forum Opens\n"
        "Opening the forum this morning, the chair of the party's national committee said:\n"
        "Friends, welcome to Harrogate.\n"
        "We meet at a time when the country is asking more of us than it has for a generation, and we will answer.\n"
    )
    assert title == "Spring Forum Opens"


def test_a_line_whose_words_the_markup_ran_together_loses_to_the_headline():
    title, _, _ = title_of(
        "School Funding: Yorkshire Debate\n"
        "Full Transcript: Read Full TranscriptMargaret Ellis\n"
        "(3 years ago)\n"
        "It is a pleasure to serve under your chairmanship, and to open this debate on school funding in Yorkshire.\n"
    )
    assert title == "School Funding: Yorkshire Debate"


def source_of(text):
    return find_source(classify(text), small_gazetteer())[0]


def test_copyright_lines_in_their_many_forms_name_the_publication():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of(story + "Copyright © 2019–2025 Valleys Voice Ltd. All rights reserved.\n") == "Valleys Voice"
    assert source_of(story + "Copyright © 2025 The Guardian\n") == "The Guardian"
    assert source_of(story + "© 2024 The Harbour Times Media Group Ltd\n") == "The Harbour Times"


def test_a_copyright_line_naming_a_newspaper_group_names_no_publication():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of(story + "Copyright © 2024 Newsquest Media Group Ltd.\n") == ""


def test_a_syndicated_copy_names_its_original_publisher_in_several_ways():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of(story + "This piece first appeared in The Northern Ledger.\n") == "The Northern Ledger"
    assert source_of(story + "A version of this post first appeared on Fenland Notes.\n") == "Fenland Notes"
    assert source_of(story + "Republished with permission from Harbour Radio.\n") == "Harbour Radio"


def test_a_publication_named_by_its_journalists_role_line_or_its_own_byline():
    assert source_of("Budget day\nTom Reyes\ndeputy political editor, The Guardian\nA story.\n") == "The Guardian"
    assert source_of("Strike vote\nBy Tyneside Socialists members in Unison\nA story.\n") == "Tyneside Socialists"
    # An agency's byline is not the publication.
    assert source_of("Strike vote\nBy Press Association reporters\nA story.\n") == ""


def test_a_newsroom_naming_itself_in_the_story_is_the_source_but_a_body_is_not():
    assert (
        source_of("Council row\nIn recent weeks The Courier has spoken to a range of councillors.\n") == "The Courier"
    )
    assert source_of("Council row\nThe Treasury understands the council will need more money.\n") == ""
    assert source_of(
        "Council row\nOne councillor told us: “It is a disaster,” according to our LabourList panel.\n"
    ) == ("LabourList")


def test_joining_a_party_in_the_story_does_not_make_the_party_the_publisher():
    text = "Profile\nShe went on to join the Labour Party in 1990 and was elected in 1997 for a seat in Leeds.\n"
    assert source_of(text) == ""


def test_a_menus_last_item_is_not_the_sites_name():
    text = "Home | About | Writers | Archive | Contact\nCouncillors back the budget\nA story of the vote.\n"
    assert source_of(text) == ""


def test_a_storys_subject_in_its_first_line_is_not_its_author():
    author, _ = author_of(
        "Councillors back the budget\n"
        "Priya Natarajan is expected to stand down as council leader tonight, with the Labour group meeting at six.\n"
        "Councillors voted on Tuesday night to approve the budget for the coming year.\n"
    )
    assert author == ""


def test_a_columnists_name_in_capitals_before_the_headline_is_the_author():
    author, rule = author_of(
        "HELEN MARSH: I sat through the whole budget debate and one thing was obvious\n"
        "The chancellor spoke for an hour and said almost nothing about the north, as the benches emptied.\n"
    )
    assert (author, rule) == ("Helen Marsh", "columnist's name before the headline")


def test_a_statement_signed_with_a_role_at_its_foot_gives_the_author():
    author, rule = author_of(
        "Party elections open\n"
        "These elections matter: please think about standing for one of the posts on the committee this year.\n"
        "Every post is open to any member who has paid their subscription for at least a year.\n"
        "Candidates need two nominations from their branch, and hustings will be held online in July.\n"
        "Nominations close on 30 June.\n"
        "Owen Pryce\n"
        "General Secretary and Returning Officer\n"
    )
    assert (author, rule) == ("Owen Pryce", "signature above a role")


def test_a_footer_naming_its_owner_or_a_read_more_link_names_the_publication():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of(story + "The Guardian is part of Guardian Media Group.\n") == "The Guardian"
    assert source_of(story + "The Valleys Voice is part of Acme Media Group Ltd.\n") == "The Valleys Voice"
    assert source_of(story + "Read more from the Guardian\n") == "The Guardian"
    # A party in the story that is part of an alliance is no publisher.
    assert source_of(story + "Labour is part of the coalition running the council.\n") == ""


def test_bylines_after_a_date_beside_a_date_with_a_handle_or_under_a_label():
    story = "\nThe council has approved a plan for 500 new homes in the town centre, despite objections.\n"
    head = "Council approves new housing plan for town centre\n"
    assert author_of(head + "12 March 2025 | By Jo Bloggs" + story)[0] == "Jo Bloggs"
    assert author_of(head + "Jo Bloggs | 12 March 2025" + story)[0] == "Jo Bloggs"
    assert author_of(head + "Jo Bloggs @jobloggs" + story)[0] == "Jo Bloggs"
    assert author_of(head + "Opinion by Jo Bloggs" + story)[0] == "Jo Bloggs"
    # A post embedded further down names its poster, not the writer.
    embedded = story * 3 + "Keir Starmer @Keir_Starmer\n" + story
    assert author_of(head + embedded)[0] == ""


def test_subscription_boxes_and_teasers_name_the_publication_but_a_speaker_does_not():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert (
        source_of(story + "Discover more from Fenland Notes\nSubscribe to get the latest posts.\n") == "Fenland Notes"
    )
    assert source_of(story + "Sign up for Valleys Voice's Free Newsletters\n") == "Valleys Voice"
    assert source_of(story + "With a digital subscription to the Guardian you can read more.\n") == "The Guardian"
    assert source_of(story + "Stay tuned to the Guardian tomorrow for the full list.\n") == "The Guardian"
    # A section's teaser heading is no publication, nor a party a speaker speaks for.
    assert source_of(story + "More from Politics\nAnother story.\n") == ""
    assert source_of(story + "The leader said: “On behalf of the Labour Party, I thank the voters.”\n") == ""


def test_bylines_with_a_role_in_capitals_or_glued_to_the_name_give_the_name():
    story = "\nThe council has approved a plan for 500 new homes in the town centre, despite objections.\n"
    head = "Council approves new housing plan for town centre\n"
    assert author_of(head + "- By Jo Bloggs ASSOCIATE EDITOR" + story)[0] == "Jo Bloggs"
    assert author_of(head + "- Jo Bloggs NEWS CORRESPONDENT" + story)[0] == "Jo Bloggs"
    assert author_of(head + "Jo BloggsPolitical Editor @jobloggs" + story)[0] == "Jo Bloggs"


def test_a_name_above_a_headline_printed_twice_is_the_author_but_a_speakers_lead_in_is_not():
    story = "The council has approved a plan for 500 new homes in the town centre, despite objections.\n"
    head = "Council approves new housing plan\n"
    assert author_of("Jo Bloggs\n" + head + head + story)[0] == "Jo Bloggs"
    lead_in = "Owen Pryce, general secretary of the union, said:\n“We will not accept this offer from the council.”\n"
    assert author_of(head + story + lead_in)[0] == ""


def test_an_age_notice_between_the_headline_and_its_standfirst_does_not_lose_the_headline():
    text = (
        "Union leader tells minister to get on with his job\n"
        "This article is more than 1 month old\n"
        "Union boss says the transport secretary should tone down the rhetoric and talk\n"
        "The general secretary of the union has told the minister to stop blaming workers for the strikes this week.\n"
    )
    assert title_of(text)[0] == "Union leader tells minister to get on with his job"


def test_a_bulleted_role_line_a_newsrooms_own_survey_or_analysis_names_the_publication():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of("Budget day\n• By Tom Reyes\n• Political editor, The Guardian\nA story.\n") == "The Guardian"
    assert source_of(story + "Our exclusive Guardian ComRes survey shows Labour ahead.\n") == "The Guardian"
    assert source_of(story + "An analysis by the Guardian also reveals more donations.\n") == "The Guardian"


def test_a_publication_named_in_passing_or_in_a_quotation_is_not_the_pages_own():
    story = "Councillors back the budget\nCouncillors voted on Tuesday night to approve the budget.\n"
    assert source_of(story + "She cancelled her subscription to the Guardian last year.\n") == ""
    assert source_of(story + "Readers were told to stay tuned to the Guardian for news.\n") == ""
    assert source_of(story + "Sign up for Kirklees Council's free newsletter\n") == ""
    assert source_of(story + "She said: 'We must all read more from the Guardian on this.'\n") == ""
