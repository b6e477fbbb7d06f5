"""Convert the House of Commons Library's general election results by candidate (2019 and
2024) into ``data/commons_2019_2024.csv``: one row per MP elected, in the columns of
``commons_1997_2019.csv``.

    python -m archive.knowledge.convert.commons_results HoC-GE2019-results-by-candidate.csv \\
        HoC-GE2024-results-by-candidate.csv > archive/knowledge/data/commons_2019_2024.csv

The winner of a constituency is its candidate with the most votes. By-elections and changes
of party during a parliament are not in these files; they live in ``commons_changes.csv``.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

# Party names in the Library's files -> organisation slugs in organisations.yaml; the
# Speaker and independents have no party.
PARTIES = {
    "Alliance": "alliance-party",
    "Conservative": "conservative-party",
    "Democratic Unionist Party": "democratic-unionist-party",
    "Green": "green-party-of-england-and-wales",
    "Independent": "",
    "Labour": "labour-party",
    "Labour and Co-operative": "labour-party",
    "Liberal Democrat": "liberal-democrats",
    "Plaid Cymru": "plaid-cymru",
    "Reform UK": "reform-uk",
    "Scottish National Party": "scottish-national-party",
    "Sinn Fein": "sinn-fein",
    "Social Democratic and Labour Party": "sdlp",
    "Speaker": "",
    "Traditional Unionist Voice": "traditional-unionist-voice",
    "Ulster Unionist Party": "ulster-unionist-party",
}


@dataclass(frozen=True)
class Parliament:
    term: int
    elected: str
    dissolved: str  # '' while it sits


PARLIAMENTS = {2019: Parliament(58, "2019-12-12", "2024-05-30"), 2024: Parliament(59, "2024-07-04", "")}
COLUMNS = ["name", "party", "constituency", "start", "end", "term", "source"]


def _field(row: dict, *names: str) -> str:
    """The 2019 file has snake_case headers, the 2024 file 'Title case' ones."""
    for name in names:
        if name in row:
            return row[name].strip()
    raise KeyError(f"none of the columns {names}")


def winners(path: Path, year: int) -> list[dict]:
    parliament = PARLIAMENTS[year]
    best: dict[str, dict] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            seat = _field(row, "ons_id", "ONS ID")
            if seat not in best or int(_field(row, "votes", "Votes")) > int(_field(best[seat], "votes", "Votes")):
                best[seat] = row
    rows = []
    for row in best.values():
        party_name = _field(row, "party_name", "Party name")
        if party_name not in PARTIES:
            raise ValueError(f"{path.name}: party {party_name!r} has no organisation slug; add it to PARTIES")
        rows.append(
            {
                "name": f"{_field(row, 'firstname', 'Candidate first name')} {_field(row, 'surname', 'Candidate surname')}",
                "party": PARTIES[party_name],
                "constituency": _field(row, "constituency_name", "Constituency name"),
                "start": parliament.elected,
                "end": parliament.dissolved,
                "term": parliament.term,
                "source": f"HoC Library GE{year} results by candidate",
            }
        )
    return sorted(rows, key=lambda r: r["constituency"])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for year, path in zip((2019, 2024), argv, strict=True):
        writer.writerows(winners(Path(path), year))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
