"""The real pages' scoring conventions, on invented gold rows."""

from archive.ingest.scoring import entity_counts, held_out, names_publication, score_real_pages


def test_alternative_spellings_count_one_entity_once():
    gold = {"organisations": ["European Union | EU"]}
    assert entity_counts(gold, ["EU", "European Union"], "organisations")[:3] == (1, 0, 0)


def test_optional_boilerplate_and_partial_names_are_neither_required_nor_penalised():
    gold = {"people": ["Ann Vale"], "optional_people": ["Bo Dunn"], "boilerplate_people": ["Cy Ross"]}
    gold["people_partial"] = ["Dee"]
    assert entity_counts(gold, ["Ann Vale", "Bo Dunn", "Cy Ross", "Dee"], "people")[:3] == (1, 0, 0)
    assert entity_counts(gold, ["Eve Hart"], "people")[:3] == (0, 1, 1)


def test_a_one_word_publication_is_named_only_as_written():
    gold = {"source": "Daily Herald", "source_acceptable": ["Herald"]}
    assert names_publication(gold, "Sign up to the daily herald briefing")
    assert names_publication({"source": "Herald"}, "Read the Herald today")
    assert not names_publication({"source": "Herald"}, "the herald of spring")
    assert not names_publication({"source": "Herald"}, "no mention at all")


def test_held_out_pages_are_the_multiples_of_three():
    assert [held_out(f"{n:03d}.txt") for n in (1, 3, 6, 7, 39)] == [False, True, True, False, True]


def test_bylines_found_and_invented_are_counted_apart():
    gold = [
        {"file": "1.txt", "title": "A headline", "author": "Ann Vale", "source": "Daily Herald"},
        {"file": "2.txt", "title": None, "author": None, "author_acceptable": ["Bo Dunn"], "source": "Daily Herald"},
        {"file": "3.txt", "title": None, "author": None, "source": "Yahoo News", "source_original": "Daily Herald"},
    ]
    predictions = {
        "1.txt": {"title": "A headline", "author": "Ann Vale", "source": "Daily Herald"},
        "2.txt": {"title": "First words", "author": "Bo Dunn"},
        "3.txt": {"title": "First words", "author": "Cy Ross", "source": "Daily Herald"},
    }
    texts = {"1.txt": "Daily Herald", "2.txt": "nothing", "3.txt": "First seen in the Daily Herald"}
    result = score_real_pages(gold, predictions, texts)
    assert (result.headline.hits, result.headline.total) == (1, 1)
    assert (result.bylines_found.hits, result.bylines_found.total) == (1, 1)
    assert (result.bylines_invented.hits, result.bylines_invented.total) == (1, 2)
    assert (result.source_named.hits, result.source_named.total) == (2, 2)
