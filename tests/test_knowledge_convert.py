"""The converters turn public data files into the knowledge base's own files."""

import csv
import io

import pytest

from archive.knowledge.convert import everypolitician

EP_HEADER = "id,name,group,group_id,area,start_date,end_date\n"


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(EP_HEADER + rows, encoding="utf-8")
    return path


def test_a_member_who_sat_the_whole_term_ends_the_day_before_the_next_election(tmp_path):
    path = write(
        tmp_path,
        "scotland-term-5.csv",
        "x1,Morag Test,Scottish National Party,scottish-national-party,Glasgow Test,2016-05-07,\n",
    )
    (row,) = everypolitician.convert(path).rows
    assert row == {
        "name": "Morag Test",
        "party": "scottish-national-party",
        "chamber": "scottish-parliament",
        "constituency": "Glasgow Test",
        "start": "2016-05-07",
        "end": "2021-05-05",
        "term": "sp5",
        "source": "EveryPolitician scotland-term-5",
    }


def test_a_party_change_mid_term_is_two_rows_and_an_independent_has_no_party(tmp_path):
    path = write(
        tmp_path,
        "ni-term-6.csv",
        'y1,Seán Tést,Sinn Féin,sinn-fein,"Belfast, West Test",,2019-06-30\n'
        'y1,Seán Tést,Independent,independent,"Belfast, West Test",2019-07-01,\n',
    )
    rows = everypolitician.convert(path).rows
    assert [(r["name"], r["party"], r["start"], r["end"]) for r in rows] == [
        ("Seán Tést", "sinn-fein", "2017-03-02", "2019-06-30"),
        ("Seán Tést", "", "2019-07-01", "2022-05-04"),
    ]
    assert rows[0]["constituency"] == "Belfast, West Test"


def test_a_group_without_an_organisation_slug_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "wales-term-5.csv", "z1,Ann Test,Monster Raving Loony,loony,Cardiff Test,,\n")
    with pytest.raises(everypolitician.ConvertError, match="wales-term-5.csv line 2: group 'loony'"):
        everypolitician.convert(path)


def test_an_unknown_file_is_refused_naming_the_files_it_knows(tmp_path):
    with pytest.raises(everypolitician.ConvertError, match="scotland-term-5.csv"):
        everypolitician.convert(write(tmp_path, "term-5.csv", ""))


def test_the_command_writes_the_columns_of_the_commons_files_and_chamber(tmp_path, capsys):
    path = write(
        tmp_path,
        "wales-term-5.csv",
        "z1,Ann Test,Plaid Cymru,plaid_cymru,Cardiff Test,,\n"
        "z2,Mark Moved,UKIP,united_kingdom_independence_party_(ukip),Wales East Test,,\n"
        "z2,Mark Moved,Independent,independent,Wales East Test,,\n",
    )
    assert everypolitician.main([str(path)]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["party"], r["chamber"], r["term"]) for r in rows] == [("plaid-cymru", "senedd", "senedd5")]
    assert "left out Mark Moved: 2 rows without dates to order them" in err


def test_a_deputy_speaker_keeps_the_party_of_their_other_row(tmp_path):
    path = write(
        tmp_path,
        "ni-term-5.csv",
        "d1,Cat Chair,Sinn Féin,sinn-fein,South Down Test,2016-05-07,2016-05-11\n"
        "d1,Cat Chair,Deputy Speaker,deputy-speaker,South Down Test,2016-05-12,\n",
    )
    rows = everypolitician.convert(path).rows
    assert [(r["party"], r["start"], r["end"]) for r in rows] == [
        ("sinn-fein", "2016-05-07", "2016-05-11"),
        ("sinn-fein", "2016-05-12", "2017-01-26"),
    ]


def test_a_file_without_the_columns_is_an_error_naming_them(tmp_path):
    path = tmp_path / "ni-term-6.csv"
    path.write_text("name,area\nAnn Test,Foyle\n", encoding="utf-8")
    with pytest.raises(everypolitician.ConvertError, match="missing columns end_date, group_id, id, start_date"):
        everypolitician.convert(path)
