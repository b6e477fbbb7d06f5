"""Line classification: site furniture is told from the article's own lines."""

from archive.ingest.clean import LineKind, classify, split_credit


def kinds(text):
    return {line.text: line.kind for line in classify(text).lines if line.kind != LineKind.BLANK}


def test_menus_share_bars_and_cookie_banners_are_furniture():
    page = kinds(
        "We use cookies to improve your experience. Accept all | Manage preferences\n"
        "Home\nNews\nPolitics\nOpinion\n"
        "Labour wins the by-election\n"
        "Share this article\n"
        "Labour has won the by-election with a majority of 4,000, the returning officer said on Friday morning.\n"
    )
    assert page["Home"] == LineKind.FURNITURE
    assert page["Share this article"] == LineKind.FURNITURE
    assert page["We use cookies to improve your experience. Accept all | Manage preferences"] == LineKind.FURNITURE
    assert page["Labour wins the by-election"] == LineKind.BODY


def test_teaser_list_after_more_from_heading_is_furniture_to_the_end():
    page = kinds(
        "The councillor said she would stand again next year, and that the party had let the town down badly.\n"
        "More from Northern Dispatch\n"
        "Farage's social media pivot\n"
        "Why Starmer must act on steel\n"
    )
    assert page["Why Starmer must act on steel"] == LineKind.FURNITURE
    assert page["Farage's social media pivot"] == LineKind.FURNITURE


def test_teasers_above_the_article_end_at_its_headline():
    page = kinds(
        "Trending\n"
        "Celebrity hits back at critics\n"
        "Tories seize Hartlepool from Labour\n"
        "Story by Jane Doe\n"
        "The Conservatives have won the Hartlepool by-election, taking a seat Labour had held for decades and more.\n"
    )
    assert page["Celebrity hits back at critics"] == LineKind.FURNITURE
    assert page["Tories seize Hartlepool from Labour"] == LineKind.BODY


def test_readers_comments_are_furniture_but_a_quote_intro_is_not():
    page = kinds(
        "Labour's candidate set out her plans for the ward at a packed meeting in the old library on a wet Tuesday night in March.\n"
        "Cllr Sohal said:\n"
        '"We will reopen the library within a year of taking control of the council, whatever it costs us."\n'
        "3 Responses\n"
        "Derek Pallister says:\n"
        "Andy Burnham would have done better than this, frankly, and everybody in the party knows it now.\n"
    )
    assert page["Cllr Sohal said:"] == LineKind.BODY
    assert (
        page["Andy Burnham would have done better than this, frankly, and everybody in the party knows it now."]
        == LineKind.FURNITURE
    )


def test_captions_credits_and_picture_dates_are_captions():
    page = kinds(
        "Headline about the budget vote\n"
        "Protesters outside Labour headquarters\n"
        "image copyrightGetty Images\n"
        "Rachel Reeves arrives at the Treasury (Picture: Jane Smith / PA)\n"
        "Picture date: Tuesday June 10, 2025.\n"
        "The Chancellor set out her plans to MPs on Wednesday, promising no return to austerity for public services.\n"
    )
    assert page["Protesters outside Labour headquarters"] == LineKind.CAPTION
    assert page["Rachel Reeves arrives at the Treasury (Picture: Jane Smith / PA)"] == LineKind.CAPTION
    assert page["Picture date: Tuesday June 10, 2025."] == LineKind.CAPTION


def test_a_credit_is_split_from_its_caption_whatever_its_form():
    assert split_credit("Jeremy Hunt leaves Downing Street. (Photo by Rob Pinney/Getty Images)") == (
        "Jeremy Hunt leaves Downing Street.",
        "(Photo by Rob Pinney/Getty Images)",
    )
    assert split_credit("Delegates in the hall. Photograph: Joel Goodman/The Observer") == (
        "Delegates in the hall.",
        "Photograph: Joel Goodman/The Observer",
    )
    assert split_credit("Jo Bloggs and Sam SmithImage source, PA Media") == (
        "Jo Bloggs and Sam Smith",
        "Image source, PA Media",
    )
    assert split_credit("Picture date: Tuesday June 10, 2025.") == ("", "Picture date: Tuesday June 10, 2025.")
    assert split_credit("Rachel Reeves at the dispatch box") == ("Rachel Reeves at the dispatch box", "")


def test_a_caption_label_is_furniture_and_the_words_after_it_the_caption():
    assert split_credit("Image caption, Rachel Reeves visited Hull on Friday") == (
        "Rachel Reeves visited Hull on Friday",
        "Image caption,",
    )


def test_a_photographers_initial_does_not_keep_their_name_in_the_caption():
    assert split_credit("Delegates in the hall. Photo by J. Smith/Getty Images") == (
        "Delegates in the hall.",
        "Photo by J. Smith/Getty Images",
    )


def test_captions_without_their_credits_are_caption_text_and_the_credits_furniture():
    page = classify(
        "Budget vote passes\n"
        "Rachel Reeves arrives at the Treasury (Picture: Jane Smith / PA)\n"
        "The Chancellor set out her plans to MPs on Wednesday, promising no return to austerity for public services.\n"
    )
    assert page.caption_text() == "Rachel Reeves arrives at the Treasury"
    assert "(Picture: Jane Smith / PA)" in page.furniture_text()
    assert "Rachel Reeves" not in page.furniture_text()


def test_social_embed_signature_is_an_embed():
    page = kinds("— Mish Rahman (@mish_rahman) April 11, 2025\n")
    assert page["— Mish Rahman (@mish_rahman) April 11, 2025"] == LineKind.EMBED


def test_bylines_and_datelines_are_metadata_lines():
    page = kinds("By Jane Doe, Political Editor\nThu 9 Jan 2025 10.15 GMT\nPosted on\n")
    assert set(page.values()) == {LineKind.META}


def test_an_ordinary_sentence_starting_with_by_is_not_a_byline():
    page = kinds("By subscribing, I agree to the terms of use and the privacy policy of this website.\n")
    assert page["By subscribing, I agree to the terms of use and the privacy policy of this website."] != LineKind.META


def test_offsets_point_into_the_raw_page():
    text = "Menu\n\n   Labour wins seat\n"
    line = next(line for line in classify(text).lines if line.text == "Labour wins seat")
    assert text[line.start : line.start + len(line.text)] == "Labour wins seat"


def test_widget_lines_and_keyword_lists_in_a_header_are_furniture():
    page = kinds(
        "Tamsin Ford Glasgow county Hall election council Ross Party vote Bellshill community UPS\n"
        "2 hours ago 14\n"
        "- Advertisement -\n"
        "Visit our podcast studio now\n"
        "Harrow councillors back the new budget\n"
    )
    assert page["Tamsin Ford Glasgow county Hall election council Ross Party vote Bellshill community UPS"] == (
        LineKind.FURNITURE
    )
    assert page["2 hours ago 14"] == LineKind.FURNITURE
    assert page["- Advertisement -"] == LineKind.FURNITURE
    assert page["Visit our podcast studio now"] == LineKind.FURNITURE
    assert page["Harrow councillors back the new budget"] == LineKind.BODY


def test_the_line_under_an_image_caption_label_is_a_caption():
    page = kinds(
        "Image caption,\nThe candidate at the count in Harrow\nVoters in Harrow went to the polls on Thursday.\n"
    )
    assert page["The candidate at the count in Harrow"] == LineKind.CAPTION


def test_interface_lines_of_any_site_are_furniture_whatever_their_wording():
    # Buttons and messages worded as no rule lists them: the words are the interface's.
    page = kinds(
        "Jump straight to the contentJump to the menu\n"
        "Show Hide picture\n"
        "Oops, something went wrong.\n"
        "Tap to listen to this story\n"
        "Councillors in Harrow back the new budget\n"
        "Councillors voted by 31 to 20 on Tuesday night to approve the budget for the coming year.\n"
    )
    assert page["Jump straight to the contentJump to the menu"] == LineKind.FURNITURE
    assert page["Show Hide picture"] == LineKind.FURNITURE
    assert page["Oops, something went wrong."] == LineKind.FURNITURE
    assert page["Tap to listen to this story"] == LineKind.FURNITURE
    assert page["Councillors in Harrow back the new budget"] == LineKind.BODY


def test_interface_words_in_a_headline_or_a_label_do_not_make_it_furniture():
    page = kinds(
        "Minutes:\n"
        "Show of hands sinks the leader's plan\n"
        "Back to work: MPs return to a full in-tray\n"
        "The leader's plan was sunk by a show of hands at the meeting on Tuesday night, members said.\n"
    )
    assert page["Minutes:"] == LineKind.BODY
    assert page["Show of hands sinks the leader's plan"] == LineKind.BODY
    assert page["Back to work: MPs return to a full in-tray"] == LineKind.BODY


def test_captions_ending_in_a_photographers_credit_are_captions():
    page = kinds(
        "Council leader Jo Bloggs with her deputy at the count. Picture by Sam Ryder\n"
        "Jo Bloggs and Owen Pryce Image copyright Harbour Photos\n"
        "The First Minister at the conference | Sam Ryder/PA Wire\n"
        "Councillors voted on Tuesday night to approve the budget for the coming year, after a long debate.\n"
    )
    assert page["Council leader Jo Bloggs with her deputy at the count. Picture by Sam Ryder"] == LineKind.CAPTION
    assert page["Jo Bloggs and Owen Pryce Image copyright Harbour Photos"] == LineKind.CAPTION
    assert page["The First Minister at the conference | Sam Ryder/PA Wire"] == LineKind.CAPTION


def test_donation_billing_and_social_banners_are_furniture():
    page = kinds(
        "Support our paper today - please donate here\n"
        "Please update your billing details to keep reading\n"
        "Connect with us\n"
        "You may also want to watch:\n"
        "Harrow councillors back the new budget\n"
    )
    assert page["Support our paper today - please donate here"] == LineKind.FURNITURE
    assert page["Please update your billing details to keep reading"] == LineKind.FURNITURE
    assert page["Connect with us"] == LineKind.FURNITURE
    assert page["You may also want to watch:"] == LineKind.FURNITURE
    assert page["Harrow councillors back the new budget"] == LineKind.BODY
