"""Convert EveryPolitician's member lists of the devolved chambers into
``data/devolved_2016_2017.csv``: one row per member and party spell, in the columns of the
Commons files plus ``chamber``.

    python -m archive.knowledge.convert.everypolitician scotland-term-5.csv wales-term-5.csv \\
        ni-term-5.csv ni-term-6.csv > archive/knowledge/data/devolved_2016_2017.csv

Each input is an EveryPolitician ``term-N.csv`` (or a copy keeping its ``name``, ``group_id``,
``area``, ``start_date`` and ``end_date`` columns); the chamber and term come from the file
name, as ``TERMS`` lists them. A row without an ``end_date`` sat to the end of the term:
the day before the next election (EveryPolitician stopped updating in 2019, so who was
re-elected then is not in these files).
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
    ended: str  # the day before the next election
    parties: dict[str, str]  # EveryPolitician group_id -> organisation slug ('' for none)


SCOTLAND = {
    "conservative": "conservative-party",
    "scottish-national-party": "scottish-national-party",
    "labour": "labour-party",
    "liberal-democrat": "liberal-democrats",
    "green": "scottish-greens",
    "independent": "",
    "presiding-officer": "",
}
WALES = {
    "labour": "labour-party",
    "conservative": "conservative-party",
    "plaid-cymru": "plaid-cymru",
    "ukip": "ukip",
    "liberal-democrat": "liberal-democrats",
    "independent": "",
    "presiding-officer": "",
}
NORTHERN_IRELAND = {
    "democratic-unionist-party": "democratic-unionist-party",
    "sinn-fein": "sinn-fein",
    "ulster-unionist-party": "ulster-unionist-party",
    "social-democratic-and-labour-party": "sdlp",
    "alliance-party": "alliance-party",
    "green-party": "green-party-northern-ireland",
    "traditional-unionist-voice": "traditional-unionist-voice",
    "people-before-profit-alliance": "people-before-profit",
    "independent": "",
    "speaker": "",
}
TERMS = {
    "scotland-term-5": ChamberTerm("scottish-parliament", "sp5", "2016-05-05", "2021-05-05", SCOTLAND),
    "wales-term-5": ChamberTerm("senedd", "senedd5", "2016-05-05", "2021-05-05", WALES),
    "ni-term-5": ChamberTerm("northern-ireland-assembly", "nia5", "2016-05-05", "2017-03-01", NORTHERN_IRELAND),
    "ni-term-6": ChamberTerm("northern-ireland-assembly", "nia6", "2017-03-02", "2022-05-04", NORTHERN_IRELAND),
}
COLUMNS = ["name", "party", "chamber", "constituency", "start", "end", "term", "source"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConvertError(ValueError):
    pass


def convert(path: Path) -> list[dict]:
    """The rows of one EveryPolitician term file, in our columns."""
    term = TERMS.get(path.stem)
    if term is None:
        raise ConvertError(f"{path.name}: unknown file; name it one of {', '.join(f'{t}.csv' for t in TERMS)}")
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            group = row["group_id"].strip()
            if group not in term.parties:
                raise ConvertError(f"{path.name} line {line}: group {group!r} has no organisation slug; add it")
            start, end = row["start_date"].strip() or term.elected, row["end_date"].strip() or term.ended
            for value in (start, end):
                if not DATE.match(value):
                    raise ConvertError(f"{path.name} line {line}: date {value!r} is not YYYY-MM-DD")
            rows.append(
                {
                    "name": row["name"].strip(),
                    "party": term.parties[group],
                    "chamber": term.chamber,
                    "constituency": row["area"].strip(),
                    "start": start,
                    "end": end,
                    "term": term.term,
                    "source": f"EveryPolitician {path.stem}",
                }
            )
    return rows


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
    writer.writeheader()
    try:
        for name in argv:
            writer.writerows(convert(Path(name)))
    except (ConvertError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
