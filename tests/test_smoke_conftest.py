def test_seeds_ingest_and_search_by_person(ingest, seeds):
    """The five seed pages ingest, and searching by person finds Rahman's articles."""
    from haystack.query import SearchQuerySet

    report = ingest(seeds)
    assert report.count("added") == 5
    assert SearchQuerySet().filter(people="mish-rahman").count() >= 3
