"""Direct speech attributed to the nearest speaker cue."""

from archive.ingest.entities import extract_entities
from archive.ingest.quotes import extract_quotes
from tests.factories import small_gazetteer


def quotes_in(body):
    entities = extract_entities("", body, "", small_gazetteer())
    return [(q.speaker_name, q.text) for q in extract_quotes(body, entities)]


def test_said_after_the_quote():
    body = "“We will not stand by while the library closes,” said Cllr Priya Maddox."
    assert quotes_in(body) == [("Priya Maddox", "We will not stand by while the library closes,")]


def test_name_said_colon_before_the_quote():
    body = 'Keir Starmer said: "This government will deliver change for working people."'
    assert quotes_in(body) == [("Keir Starmer", "This government will deliver change for working people.")]


def test_pronoun_cue_goes_to_whoever_has_been_speaking():
    body = (
        "Tom Ellery, a shop steward, said the deal was poor.\n"
        "“Nobody here wants to see the streets like this any more,” he said."
    )
    assert quotes_in(body) == [("Tom Ellery", "Nobody here wants to see the streets like this any more,")]


def test_multi_paragraph_quote_continues_with_the_same_speaker():
    body = (
        "“We have been patient for far too long now,” said Cllr Priya Maddox.\n"
        "“The council must now find the money to settle this dispute.”"
    )
    speakers = [speaker for speaker, _ in quotes_in(body)]
    assert speakers == ["Priya Maddox", "Priya Maddox"]


def test_short_scare_quotes_are_not_speech():
    assert quotes_in("Keir Starmer called it a “mistake” on Monday.") == []


def test_offsets_point_at_the_quote_in_the_body():
    body = "Intro line.\n“We will fight this every step of the way,” said Keir Starmer."
    entities = extract_entities("", body, "", small_gazetteer())
    [quote] = extract_quotes(body, entities)
    assert body[quote.start : quote.end].startswith("“We will fight")
