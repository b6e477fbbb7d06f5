"""The benchmark's own measurements (the full run is `make bench`, not a test)."""

from archive.benchmark import extraction_times, percentiles, rates
from tests.conftest import DEMO


def test_extraction_is_timed_per_file_without_the_first_one(knowledge):
    files = sorted(DEMO.glob("*.txt"))[:6]
    figures = extraction_times(DEMO, limit=6)
    assert len(files) == 6
    assert figures["n"] == 5
    assert 0 < figures["p50"] <= figures["p95"] <= figures["max"]


def test_percentiles_of_an_ordered_sample():
    assert percentiles([5.0, 1.0, 3.0]) == {"n": 3, "p50": 3.0, "p95": 5.0, "max": 5.0}
    assert percentiles([]) == {"n": 0}


def test_ingest_rates_show_the_start_and_the_end_of_a_run():
    stamps = [i * 0.1 for i in range(1, 101)] + [10 + i * 0.5 for i in range(1, 101)]  # 10/s, then 2/s
    figures = rates(stamps, stamps[-1])
    assert figures["start"] > 3 * figures["end"]
