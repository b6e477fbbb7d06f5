"""The converters turn public data files into the knowledge base's own files."""

import csv
import io

import pytest

from archive.knowledge.convert import everypolitician, senedd_members

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


# Our own rows in the scraper's columns (senedd_scraper's members.csv keeps more, and quotes
# fields with newlines in them); NA is R's empty value.
SENEDD_HEADER = "SeneddID,Name,Party,Constituency,Region,Titles\n"
SENEDD_ROWS = (
    '9001,Rt. Hon. Gwen Test,Plaid Cymru,Testshire North,NA,"Llywydd\nCommissioner"\n'
    "9002,Dai Listed,Welsh Conservative,NA,Test Wales East,NA\n"
)


def write_senedd(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(SENEDD_HEADER + rows, encoding="utf-8")
    return path


def test_a_senedd_member_sits_for_the_constituency_else_the_region_from_polling_day_to_the_dissolution(tmp_path):
    rows = senedd_members.convert(write_senedd(tmp_path, "members-test.csv", SENEDD_ROWS))
    assert rows == [
        {
            "name": "Dai Listed",
            "party": "conservative-party",
            "chamber": "senedd",
            "constituency": "Test Wales East",
            "start": "2021-05-06",
            "end": "2026-04-08",
            "term": "senedd6",
            "source": "senedd.wales via senedd_scraper members-test",
        },
        {
            "name": "Gwen Test",  # the title is not part of the name
            "party": "plaid-cymru",
            "chamber": "senedd",
            "constituency": "Testshire North",
            "start": "2021-05-06",
            "end": "2026-04-08",
            "term": "senedd6",
            "source": "senedd.wales via senedd_scraper members-test",
        },
    ]


def test_a_senedd_party_label_without_an_organisation_slug_is_an_error_naming_it(tmp_path):
    path = write_senedd(
        tmp_path, "members-test.csv", SENEDD_ROWS + "9003,Ann Other,Welsh Monster Raving Loony,Test Vale,NA,NA\n"
    )
    with pytest.raises(senedd_members.ConvertError, match="Ann Other .*party 'Welsh Monster Raving Loony'"):
        senedd_members.convert(path)
    assert senedd_members.main([str(path)]) == 1


def test_the_senedd_command_converts_the_first_snapshot_and_reports_changes_in_the_second(tmp_path, capsys):
    earlier = write_senedd(tmp_path, "members-early.csv", SENEDD_ROWS)
    later = write_senedd(
        tmp_path,
        "members-late.csv",
        "9001,Rt. Hon. Gwen Test,Independent Plaid Cymru Member,Testshire North,NA,NA\n"
        "9004,Newly Listed,Welsh Labour,NA,Test Wales East,NA\n",
    )
    assert senedd_members.main([str(earlier), str(later)]) == 0
    out, err = capsys.readouterr()
    assert [r["party"] for r in csv.DictReader(io.StringIO(out))] == ["conservative-party", "plaid-cymru"]
    assert (
        "Gwen Test (SeneddID 9001): party 'Plaid Cymru' in members-early.csv, "
        "'Independent Plaid Cymru Member' in members-late.csv"
    ) in err
    assert "Dai Listed (SeneddID 9002): in members-early.csv, not in members-late.csv" in err
    assert "Newly Listed (SeneddID 9004): in members-late.csv, not in members-early.csv" in err


def test_a_senedd_file_without_the_columns_is_an_error_naming_them(tmp_path):
    path = tmp_path / "members-test.csv"
    path.write_text("SeneddID,Name\n1,Ann Test\n", encoding="utf-8")
    with pytest.raises(senedd_members.ConvertError, match="missing columns Constituency, Party, Region"):
        senedd_members.convert(path)
