"""Convert EveryPolitician's member lists of the devolved chambers into
``data/devolved_2016_2017.csv``: one row per member and party spell, in the columns of the
Commons files plus ``chamber``.

    python -m archive.knowledge.convert.everypolitician scotland-term-5.csv wales-term-5.csv \\
        ni-term-5.csv ni-term-6.csv > archive/knowledge/data/devolved_2016_2017.csv

Each input is an EveryPolitician ``term-N.csv`` (or a copy keeping its ``name``, ``group_id``,
``area``, ``start_date`` and ``end_date`` columns); the chamber and term come from the file
name, as ``TERMS`` lists them. A row without an ``end_date`` sat to the end of the term:
the dissolution, or the day before the next election (EveryPolitician stopped updating in
2019, so who was re-elected then is not in these files). A member with several rows and no
dates to order them is left out, and the command says so.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChamberTerm:
    chamber: str  # organisation slug
    term: str
    elected: str  # polling day
    ended: str  # the dissolution where EveryPolitician gives it, else the day before the next election
    parties: dict[str, str]  # EveryPolitician group_id -> organisation slug ('' for none)


# A chair of the chamber is not a party: a Speaker's or a Deputy Speaker's row takes the
# party of the member's other row in the file, when there is exactly one.
CHAIRS = "chair"
SCOTLAND = {
    "conservative": "conservative-party",
    "scottish-national-party": "scottish-national-party",
    "labour": "labour-party",
    "liberal-democrat": "liberal-democrats",
    "green": "scottish-greens",
    "independent": "",
}
WALES = {
    "welsh_labour": "labour-party",
    "welsh_conservative_party": "conservative-party",
    "plaid_cymru": "plaid-cymru",
    "united_kingdom_independence_party_(ukip)": "ukip",
    "welsh_liberal_democrats": "liberal-democrats",
    "independent": "",
}
NORTHERN_IRELAND = {
    "dup": "democratic-unionist-party",
    "sinn-fein": "sinn-fein",
    "uup": "ulster-unionist-party",
    "social-democratic-and-labour-party": "sdlp",
    "alliance": "alliance-party",
    "green": "green-party-northern-ireland",
    "traditional-unionist-voice": "traditional-unionist-voice",
    "people-before-profit-alliance": "people-before-profit",
    "independent": "",
    "speaker": CHAIRS,
    "deputy-speaker": CHAIRS,
}
TERMS = {
    "scotland-term-5": ChamberTerm("scottish-parliament", "sp5", "2016-05-05", "2021-05-05", SCOTLAND),
    "wales-term-5": ChamberTerm("senedd", "senedd5", "2016-05-05", "2021-05-05", WALES),
    "ni-term-5": ChamberTerm("northern-ireland-assembly", "nia5", "2016-05-05", "2017-01-26", NORTHERN_IRELAND),
    "ni-term-6": ChamberTerm("northern-ireland-assembly", "nia6", "2017-03-02", "2022-05-04", NORTHERN_IRELAND),
}
COLUMNS = ["name", "party", "chamber", "constituency", "start", "end", "term", "source"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConvertError(ValueError):
    pass


@dataclass
class Conversion:
    rows: list[dict]
    left_out: list[str]  # members whose rows could not be converted, and why


def convert(path: Path) -> Conversion:
    """The rows of one EveryPolitician term file, in our columns."""
    term = TERMS.get(path.stem)
    if term is None:
        raise ConvertError(f"{path.name}: unknown file; name it one of {', '.join(f'{t}.csv' for t in TERMS)}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        source = list(enumerate(csv.DictReader(handle), start=2))
    missing = {"id", "name", "group_id", "area", "start_date", "end_date"} - set(source[0][1] if source else ())
    if source and missing:
        raise ConvertError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
    by_member: dict[str, list[dict]] = {}
    for _, row in source:
        by_member.setdefault(row["id"], []).append(row)
    conversion = Conversion([], [])
    for line, row in source:
        member = by_member[row["id"]]
        name, group = row["name"].strip(), row["group_id"].strip()
        undated = [r for r in member if not (r["start_date"].strip() or r["end_date"].strip())]
        if len(undated) > 1 or not row["area"].strip() or name == "Vacant":
            # Several spells with no dates to order them (a party left, a group joined):
            # which party they sat for when is not in the file.
            if row is member[0]:
                why = "a vacancy or no area" if len(undated) < 2 else f"{len(member)} rows without dates to order them"
                conversion.left_out.append(f"{name}: {why}")
            continue
        if group not in term.parties:
            raise ConvertError(f"{path.name} line {line}: group {group!r} has no organisation slug; add it")
        party = term.parties[group]
        if party == CHAIRS:
            others = {term.parties.get(r["group_id"].strip(), "") for r in member if r is not row} - {CHAIRS}
            party = others.pop() if len(others) == 1 else ""
        start, end = row["start_date"].strip() or term.elected, row["end_date"].strip() or term.ended
        for value in (start, end):
            if not DATE.match(value):
                raise ConvertError(f"{path.name} line {line}: date {value!r} is not YYYY-MM-DD")
        conversion.rows.append(
            {
                "name": name,
                "party": party,
                "chamber": term.chamber,
                "constituency": row["area"].strip(),
                "start": start,
                "end": end,
                "term": term.term,
                "source": f"EveryPolitician {path.stem}",
            }
        )
    return conversion


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
    writer.writeheader()
    try:
        for name in argv:
            conversion = convert(Path(name))
            writer.writerows(conversion.rows)
            for reason in conversion.left_out:
                print(f"{Path(name).name}: left out {reason}", file=sys.stderr)
    except ConvertError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
