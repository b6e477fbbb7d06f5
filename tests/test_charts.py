"""The volume-over-time chart's bars, computed without a database."""

import datetime

from archive.charts import MAX_MONTH_BARS, PLOT_HEIGHT, WIDTH, volume_chart

D = datetime.date


def test_no_dated_articles_gives_no_chart():
    assert volume_chart([]) is None
    assert volume_chart([(D(2025, 4, 1), 0)]) is None


def test_every_month_from_first_to_last_has_a_bar_and_empty_months_count_zero():
    chart = volume_chart([(D(2024, 11, 1), 2), (D(2025, 2, 1), 4)])

    assert [(bar.label, bar.count) for bar in chart.bars] == [
        ("November 2024", 2),
        ("December 2024", 0),
        ("January 2025", 0),
        ("February 2025", 4),
    ]
    assert chart.unit == "month"
    assert chart.total == 6
    assert [bar.label for bar in chart.rows] == ["November 2024", "February 2025"]


def test_bar_heights_are_proportional_to_the_busiest_month_and_stand_on_the_axis():
    chart = volume_chart([(D(2025, 1, 1), 1), (D(2025, 2, 1), 4), (D(2025, 3, 1), 2)])

    heights = [float(bar.height) for bar in chart.bars]
    assert heights == [PLOT_HEIGHT / 4, PLOT_HEIGHT, PLOT_HEIGHT / 2]
    for bar in chart.bars:
        assert float(bar.y) + float(bar.height) == PLOT_HEIGHT
    assert chart.peak.label == "February 2025"
    # The bars fill the width without overlapping.
    right_edges = [float(b.x) + float(b.width) for b in chart.bars]
    assert all(right <= float(nxt.x) for right, nxt in zip(right_edges, chart.bars[1:]))
    assert right_edges[-1] <= WIDTH


def test_days_of_one_month_add_up_to_its_bar():
    chart = volume_chart([(D(2025, 4, 3), 1), (D(2025, 4, 12), 2)])

    assert [(bar.label, bar.count) for bar in chart.bars] == [("April 2025", 3)]


def test_a_small_month_beside_a_huge_one_is_still_visible():
    chart = volume_chart([(D(2025, 1, 1), 1), (D(2025, 2, 1), 5000)])

    assert float(chart.bars[0].height) >= 1


def test_the_summary_says_the_span_the_total_and_the_busiest_month():
    chart = volume_chart([(D(2024, 7, 1), 1), (D(2025, 9, 1), 3), (D(2025, 10, 1), 3)])

    assert chart.summary == (
        "7 dated articles from July 2024 to October 2025; the busiest month was September 2025 (3)."
    )
    assert volume_chart([(D(2025, 4, 1), 1)]).summary == (
        "1 dated article from April 2025; the busiest month was April 2025 (1)."
    )


def test_more_than_ten_years_of_months_are_drawn_a_bar_a_year():
    chart = volume_chart([(D(1997, 5, 1), 2), (D(1997, 6, 1), 1), (D(2025, 4, 1), 7)])

    assert chart.unit == "year"
    assert len(chart.bars) == 2025 - 1997 + 1
    assert (chart.bars[0].label, chart.bars[0].count) == ("1997", 3)
    assert (chart.bars[-1].label, chart.bars[-1].count) == ("2025", 7)
    assert len(volume_chart([(D(2015, 1, 1), 1), (D(2024, 12, 1), 1)]).bars) == MAX_MONTH_BARS


def test_each_bar_links_to_its_period_when_given_a_link():
    month = volume_chart([(D(2025, 4, 1), 1)], link=lambda start, end: f"?from={start}&to={end}")
    year = volume_chart([(D(2000, 1, 1), 1), (D(2025, 4, 1), 1)], link=lambda start, end: f"?from={start}&to={end}")

    assert month.bars[0].href == "?from=2025-04&to=2025-04"
    assert year.bars[0].href == "?from=2000&to=2000"
    assert volume_chart([(D(2025, 4, 1), 1)]).bars[0].href == ""


def test_year_labels_on_the_axis_never_crowd_each_other():
    chart = volume_chart([(D(1990, 1, 1), 1), (D(2025, 4, 1), 1)])  # 36 yearly bars

    xs = [float(tick.x) for tick in chart.ticks]
    assert xs == sorted(xs)
    assert all(b - a >= 40 for a, b in zip(xs, xs[1:]))
    assert chart.ticks[0].label == "1990"
    assert all(x <= WIDTH - 20 for x in xs)
