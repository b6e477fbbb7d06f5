"""Convert senedd.wales's list of Members of the Senedd, as ``stupidpupil/senedd_scraper``
scraped it into ``members.csv``, into ``data/devolved_2021.csv``: one row per member of the
Sixth Senedd, in the columns of ``devolved_2016_2017.csv``.

    python -m archive.knowledge.convert.senedd_members members-72e9be8.csv members-007c89d.csv \\
        > archive/knowledge/data/devolved_2021.csv

The first file is converted; it needs the scraper's ``SeneddID``, ``Name``, ``Party``,
``Constituency`` and ``Region`` columns (``NA`` is R's empty value). Each member sat from
polling day to the dissolution: a snapshot names the members sitting when it was taken, not
when anyone joined or left. The second file, optional, is a later snapshot and is only
compared: a member whose party label differs between the two, or who is in one and not the
other, is reported on stderr. Neither file dates a change; a dated, sourced one goes in
``devolved_changes.csv``.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# senedd.wales's party labels -> organisation slugs in organisations.yaml; an independent
# has none.
PARTIES = {
    "Welsh Labour": "labour-party",
    "Welsh Conservative": "conservative-party",
    "Plaid Cymru": "plaid-cymru",
    "Welsh Liberal Democrats": "liberal-democrats",
    "Independent": "",
}
CHAMBER = "senedd"
TERM = "senedd6"
ELECTED = "2021-05-06"  # polling day (devolved_2016_2017.SOURCE.md)
DISSOLVED = "2026-04-08"  # the Sixth Senedd's dissolution (devolved_2021.SOURCE.md)
COLUMNS = ["name", "party", "chamber", "constituency", "start", "end", "term", "source"]
REQUIRED = {"SeneddID", "Name", "Party", "Constituency", "Region"}
# 'Rt. Hon. Elin Jones': the title is not part of the name the other files use.
TITLE = re.compile(r"^(?:The\s+)?Rt\.?\s+Hon\.?\s+", re.IGNORECASE)


class ConvertError(ValueError):
    pass


@dataclass
class Member:
    senedd_id: str
    name: str
    party: str  # senedd.wales's label, as scraped
    seat: str  # the constituency, else the region


def _value(row: dict, column: str) -> str:
    value = (row.get(column) or "").strip()
    return "" if value == "NA" else value


def read_members(path: Path) -> list[Member]:
    """The members in one snapshot of the scraper's ``members.csv`` (or a copy keeping its
    columns), in file order."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED - set(reader.fieldnames or ())
        if missing:
            raise ConvertError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        members = []
        for number, row in enumerate(reader, start=1):
            name = TITLE.sub("", _value(row, "Name"))
            seat = _value(row, "Constituency") or _value(row, "Region")
            if not name or not seat:
                raise ConvertError(f"{path.name} member {number}: a member needs a name and a constituency or region")
            members.append(Member(_value(row, "SeneddID"), name, _value(row, "Party"), seat))
    return members


def convert(path: Path) -> list[dict]:
    """The members of one snapshot, in our columns, sorted by name."""
    rows = []
    for member in read_members(path):
        if member.party not in PARTIES:
            raise ConvertError(
                f"{path.name}: {member.name} (SeneddID {member.senedd_id}): party {member.party!r} "
                "has no organisation slug; add it to PARTIES"
            )
        rows.append(
            {
                "name": member.name,
                "party": PARTIES[member.party],
                "chamber": CHAMBER,
                "constituency": member.seat,
                "start": ELECTED,
                "end": DISSOLVED,
                "term": TERM,
                "source": f"senedd.wales via senedd_scraper {path.stem}",
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def differences(earlier: Path, later: Path) -> list[str]:
    """Members whose party label differs between two snapshots, and members in only one."""
    before = {m.senedd_id: m for m in read_members(earlier)}
    after = {m.senedd_id: m for m in read_members(later)}
    found = []
    for senedd_id, member in before.items():
        then = after.get(senedd_id)
        if then is None:
            found.append(f"{member.name} (SeneddID {senedd_id}): in {earlier.name}, not in {later.name}")
        elif then.party != member.party:
            found.append(
                f"{member.name} (SeneddID {senedd_id}): party {member.party!r} in {earlier.name}, "
                f"{then.party!r} in {later.name}"
            )
    found += [
        f"{m.name} (SeneddID {senedd_id}): in {later.name}, not in {earlier.name}"
        for senedd_id, m in after.items()
        if senedd_id not in before
    ]
    return found


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        rows = convert(Path(argv[0]))
        changes = differences(Path(argv[0]), Path(argv[1])) if len(argv) == 2 else []
    except ConvertError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    print(f"{Path(argv[0]).name}: {len(rows)} members", file=sys.stderr)
    for change in changes:
        print(f"changed: {change}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
