"""MPs from the Commons data files: terms in, membership spans out (pure, no database).

Each row of ``commons_*.csv`` is a term: a person elected for a constituency and a party.
``read_terms`` attaches the rows to people, never merging two people on first and last name
alone when the constituency, dates or party contradict (a doubtful match becomes a separate
person marked for review). ``read_changes`` reads ``commons_changes.csv``: by-elections,
seats vacated, and changes of party and whip, each with a date and a source. ``derive``
then turns a person's terms and changes into spans: one seat span per run of consecutive
terms for the same constituency, and one open-ended party membership per party, ended only
by something in the data (joining another party, a change row, death).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive.ingest import dates, names
from archive.knowledge import kinds

if TYPE_CHECKING:
    from archive.knowledge.loader import MembershipFact, PersonFact, Term

COMMONS = "house-of-commons"
LORDS = "house-of-lords"
# The chambers whose members' files we read, and the title a member's seat carries.
TITLES = {COMMONS: "MP", "scottish-parliament": "MSP", "senedd": "MS", "northern-ireland-assembly": "MLA"}
# Since the Northern Ireland (Miscellaneous Provisions) Act 2014 came into force (5 May
# 2016) an MLA may not also sit in the Commons (explanatory notes, sections 3-5, on
# legislation.gov.uk): a namesake MP and MLA at once are two people ('Mark Durkan', MP for
# Foyle to 2017, and his nephew, MLA for Foyle).
# An MP is disqualified from the Senedd too (Wales Act 2014 section 3, with eight days' grace,
# explanatory notes on legislation.gov.uk), in force at the latest by the election of 6 May
# 2021 (the Senedd and Elections (Wales) Act 2020's notes call those MP rules "already made"):
# the Conservative MS Gareth Davies (Vale of Clwyd, 2021) is not the MP Gareth Davies.
NO_DUAL_MANDATE = {"northern-ireland-assembly": datetime.date(2016, 5, 5), "senedd": datetime.date(2021, 5, 6)}
# A dissolution and the next election are about five weeks apart: terms closer than this
# are one continuous seat.
RE_ELECTION_GAP = datetime.timedelta(days=62)
ONE_DAY = datetime.timedelta(days=1)
CHANGES = {"elected", "vacated", "joined", "left", "whip_removed", "whip_restored"}


class CommonsError(ValueError):
    pass


@dataclass
class Change:
    """One row of commons_changes.csv (or devolved_changes.csv, which adds ``chamber``)."""

    date: datetime.date
    name: str
    constituency: str
    change: str
    party: str
    reason: str
    source: str
    end: datetime.date | None = None  # for 'elected': the end of that parliament
    chamber: str = COMMONS  # organisation slug: one of TITLES


def _date(value: str, where: str, *, end: bool = False) -> datetime.date | None:
    try:
        return dates.parse_partial_date(value.strip() or None, end=end)
    except ValueError as exc:
        raise CommonsError(f"{where}: bad date {value!r} (use YYYY-MM-DD)") from exc


NAME_SUFFIXES = frozenset(["Jr", "Jnr", "Junior", "Sr", "Snr", "Senior"])


def short_name(name: str) -> str:
    tokens = [t for t in name.replace(".", "").split() if t not in names.HONORIFICS]
    return f"{tokens[0]} {tokens[-1]}".casefold() if len(tokens) >= 2 else name.casefold()


def _full_name(name: str) -> str:
    return " ".join(t for t in name.replace(".", "").split() if t not in names.HONORIFICS).casefold()


def without_suffix(name: str) -> str:
    """'Ian Paisley' for 'Ian Paisley Jr'; other names unchanged."""
    return " ".join(t for t in name.split() if t.rstrip(".") not in NAME_SUFFIXES)


class People:
    """The people known so far, found by name for each new Commons row."""

    def __init__(self, people: dict[str, PersonFact]):
        self.people = people
        self.by_short: dict[str, list[PersonFact]] = {}
        # Those whose name carries a suffix ('Ian Paisley Jr'), by the name without it: a
        # scan of everyone for each Commons row made load_knowledge 15 s instead of 3.
        self.juniors: dict[str, list[PersonFact]] = {}
        for person in people.values():
            for name in [person.name, *person.aliases]:
                self._index(short_name(name), person)
            self._index_junior(person)

    def _index(self, key: str, person: PersonFact) -> None:
        bucket = self.by_short.setdefault(key, [])
        if person not in bucket:
            bucket.append(person)

    def _index_junior(self, person: PersonFact) -> None:
        if person.name != without_suffix(person.name):
            self.juniors.setdefault(short_name(without_suffix(person.name)), []).append(person)

    def match(self, name: str, term: Term) -> PersonFact:
        """The person this row is about: an existing one whose record agrees with it, or a
        new one (marked for review when it shares a name with someone it contradicts)."""
        from archive.knowledge.loader import PersonFact, slugify

        junior = self.junior(name, term)
        if junior is not None:
            return junior
        doubts, fits = [], []
        for person in self.by_short.get(short_name(name), []):
            problem = contradiction(person, name, term)
            if problem is None:
                fits.append(person)
            else:
                doubts.append((person, problem))
        if fits:
            return self._likeliest(fits, name, term)
        person = PersonFact(name=name, slug=slugify(name))
        suffix = 1
        while person.slug in self.people:
            suffix += 1
            person.slug = f"{slugify(name)}-mp" if suffix == 2 else f"{slugify(name)}-mp-{suffix - 1}"
        if doubts:
            other, problem = doubts[0]
            person.review_reason = (
                f"Same name as {other.name} ({other.slug}) but {problem}: check whether they are one person."
            )
        self.people[person.slug] = person
        self._index(short_name(name), person)
        self._index_junior(person)
        return person

    def _likeliest(self, fits: list[PersonFact], name: str, term: Term) -> PersonFact:
        """Of several namesakes any of whom could be this row's, the one who already held the
        seat, else the only one written exactly so ('John Robertson', not 'John Home
        Robertson'); failing both the first, queued for review, since nothing in the data chooses."""
        held = [p for p in fits if any(same_seat(c, term.constituency) for c, _, _ in seats_of(p, term.chamber))]
        if held:
            return held[0]
        exact = [p for p in fits if _full_name(name) in {_full_name(n) for n in [p.name, *p.aliases]}]
        if len(exact) == 1 or len(fits) == 1:
            return (exact if len(exact) == 1 else fits)[0]
        chosen = fits[0]
        if not chosen.review_reason:
            others = ", ".join(p.slug for p in fits[1:])
            chosen.review_reason = (
                f"{name}, {seat_role(term.chamber, term.constituency)} from {term.start}, could also be {others}: "
                "check which person holds this seat."
            )
        return chosen

    def junior(self, name: str, term: Term) -> PersonFact | None:
        """A curated 'Ian Paisley Jr' is the 'Ian Paisley' of a Commons row only when the
        row falls in a seat the curated record gives him for that constituency: the files
        write father and son alike, and the father's earlier terms stay his own."""
        if term.chamber != COMMONS:
            return None
        for person in self.juniors.get(short_name(name), []):
            for m in person.memberships:
                if (
                    m.organisation == COMMONS
                    and same_seat(m.role.removeprefix("MP for "), term.constituency)
                    and term.start is not None
                    and (m.start or datetime.date.min) <= term.start <= (m.end or datetime.date.max)
                ):
                    return person
        return None

    def find(self, name: str, constituency: str, where: str, chamber: str = COMMONS) -> PersonFact:
        """The person a change row names: same name and a term for that constituency."""
        candidates = [
            p
            for p in self.by_short.get(short_name(name), [])
            if any(same_seat(c, constituency) for c, _, _ in seats_of(p, chamber))
        ]
        if len(candidates) != 1:
            found = "nobody" if not candidates else ", ".join(p.slug for p in candidates)
            raise CommonsError(f"{where}: {name} ({constituency}) matches {found}; name exactly one {TITLES[chamber]}")
        return candidates[0]


def contradiction(person: PersonFact, name: str, term: Term) -> str | None:
    """Why ``term`` cannot be this person's (None when nothing contradicts it).

    A different constituency of the same chamber at the same time contradicts (an MP may
    also be an MSP, and was until 2017 also an MLA). A different party contradicts
    unless the constituency is one they already held (a defector re-elected). A first name
    that differs ('Chris' for 'Christopher') is doubtful unless a constituency or a party
    they are recorded with corroborates it."""
    seats = seats_of(person, term.chamber)
    held = any(same_seat(c, term.constituency) for c, _, _ in seats)
    peerage = min(
        (m.start for m in person.memberships if m.organisation == LORDS and m.start),
        default=None,
    )
    if term.chamber == COMMONS and peerage and term.start and peerage <= term.start:
        return f"they sat in the House of Lords from {peerage}"
    for constituency, start, end in seats:
        if not same_seat(constituency, term.constituency) and _overlap(start, end, term.start, term.end):
            return f"they were {seat_role(term.chamber, constituency)} at the same time"
    barred = _dual_mandate(person, term)
    if barred:
        return barred
    parties = {t.party for t in person.terms if t.party} | {
        m.organisation for m in person.memberships if m.kind == kinds.PARTY
    }
    same_party = term.party in parties
    if term.party and parties and not same_party and not held:
        return f"the party ({term.party}) and constituency ({term.constituency}) differ"
    if _full_name(name) not in {_full_name(n) for n in [person.name, *person.aliases]} and not (held or same_party):
        return f"the full name differs ({name}) and no seat or party confirms it"
    if not seats and not parties and person.memberships:
        return "nothing recorded about them (no seat or party) confirms it"
    return None


def _dual_mandate(person: PersonFact, term: Term) -> str | None:
    """Why ``term`` and a seat the person held in another chamber cannot both be theirs: a
    seat in a chamber barred from dual mandates that began while they already sat in the
    Commons. (An MLA elected to the Commons left the Assembly: ``derive`` ends that seat.)"""
    for chamber, since in NO_DUAL_MANDATE.items():
        if term.chamber not in (chamber, COMMONS):
            continue
        other = COMMONS if term.chamber == chamber else chamber
        for constituency, start, end in seats_of(person, other):
            if term.chamber == chamber:
                began, commons_start, commons_end = term.start, start, end
            else:
                began, commons_start, commons_end = start, term.start, term.end
            began = began or since
            if (
                began >= since
                and (commons_start or datetime.date.min) + RE_ELECTION_GAP < began
                and (commons_end or datetime.date.max) - began > RE_ELECTION_GAP
            ):
                return (
                    f"they were {seat_role(other, constituency)} at the same time, and since {since} "
                    "no one may sit in both"
                )
    return None


def seat_role(chamber: str, constituency: str) -> str:
    """'MP for Islington North', 'MSP for Glasgow', 'MLA for Belfast West'."""
    return f"{TITLES[chamber]} for {constituency}"


def seats_of(person: PersonFact, chamber: str) -> list[tuple[str, datetime.date | None, datetime.date | None]]:
    """(constituency, start, end) of every seat in ``chamber`` known for a person: their
    terms in the data files and the seats of their curated record."""
    prefix = seat_role(chamber, "")
    return [(t.constituency, t.start, t.end) for t in person.terms if t.chamber == chamber] + [
        (constituency_name(m.role.removeprefix(prefix)), m.start, m.end)
        for m in person.memberships
        if m.organisation == chamber and m.role.startswith(prefix)
    ]


def constituency_name(name: str) -> str:
    """One spelling per constituency: EveryPolitician writes 'Liverpool, Wavertree', the
    Commons Library 'Liverpool Wavertree'."""
    return " ".join(name.replace(",", " ").split())


def seat_key(name: str) -> str:
    """What two spellings of one constituency share ('Ashton-Under-Lyne', 2019 file, and
    'Ashton-under-Lyne', 2024 file)."""
    return constituency_name(name).casefold()


def same_seat(a: str, b: str) -> bool:
    return seat_key(a) == seat_key(b)


def _covers(term: Term, on: datetime.date) -> bool:
    return (term.start or datetime.date.min) < on <= (term.end or datetime.date.max)


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    # Touching at a dissolution or by-election date is not overlapping.
    return (a_start or datetime.date.min) < (b_end or datetime.date.max) and (b_start or datetime.date.min) < (
        a_end or datetime.date.max
    )


def read_terms(path: Path, people: People) -> int:
    """Attach each row of a Commons CSV to its person; returns the number of rows."""
    from archive.knowledge.loader import Term

    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {line}"
            name = (row.get("name") or "").strip()
            if not name or not row.get("constituency"):
                raise CommonsError(f"{where}: a row needs a name and a constituency")
            chamber = (row.get("chamber") or "").strip() or COMMONS
            if chamber not in TITLES:
                raise CommonsError(f"{where}: unknown chamber {chamber!r} (use {', '.join(TITLES)})")
            term = Term(
                constituency=constituency_name(row["constituency"]),
                party=(row.get("party") or "").strip(),
                start=_date(row.get("start") or "", where),
                end=_date(row.get("end") or "", where, end=True),
                source=(row.get("source") or "").strip() or f"{path.name} term {row.get('term', '')}".strip(),
                chamber=chamber,
            )
            people.match(name, term).terms.append(term)
            count += 1
    return count


def read_changes(
    path: Path, people: People, parliament_ends: dict[str, list[datetime.date]]
) -> list[tuple[PersonFact, Change]]:
    """Changes since the general elections, each with its person: 'elected' rows
    (by-elections) also become the winner's terms, to the next of ``parliament_ends`` (the
    dissolutions of each chamber). A row's ``chamber`` column, when the file has one, names the
    chamber; the Commons otherwise."""
    from archive.knowledge.loader import Term

    changes = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {line}"
            change = Change(
                date=_date(row.get("date") or "", where),
                name=(row.get("name") or "").strip(),
                constituency=constituency_name(row.get("constituency") or ""),
                change=(row.get("change") or "").strip(),
                party=(row.get("party") or "").strip(),
                reason=(row.get("reason") or "").strip(),
                source=(row.get("source") or "").strip(),
                chamber=(row.get("chamber") or "").strip() or COMMONS,
            )
            if change.chamber not in TITLES:
                raise CommonsError(f"{where}: unknown chamber {change.chamber!r} (use {', '.join(TITLES)})")
            if change.date is None or not change.name or not change.constituency:
                raise CommonsError(f"{where}: a change needs a date, a name and a constituency")
            if change.change not in CHANGES:
                raise CommonsError(f"{where}: unknown change {change.change!r} (use {', '.join(sorted(CHANGES))})")
            if change.reason and change.reason not in kinds.END_REASONS:
                raise CommonsError(f"{where}: unknown reason {change.reason!r}")
            if not change.source:
                raise CommonsError(f"{where}: every change needs a source")
            if change.change == "elected":
                ends = parliament_ends.get(change.chamber, [])
                end = next((d for d in sorted(ends) if d > change.date), None)
                term = Term(
                    change.constituency,
                    change.party,
                    change.date,
                    end,
                    f"by-election: {change.source}",
                    chamber=change.chamber,
                )
                winner = people.match(change.name, term)
                _end_predecessors(people, change, winner)
                winner.terms.append(term)
                changes.append((winner, change))
            else:
                changes.append((people.find(change.name, change.constituency, where, change.chamber), change))
    return changes


def _end_predecessors(people: People, change: Change, winner: PersonFact) -> None:
    """Whoever held the seat when a by-election was held had left it by the day before
    (the exact day, when known, is a 'vacated' row), in the Commons files or a curated row."""
    for person in people.people.values():
        if person is winner:
            continue
        for m in person.memberships:
            if (
                m.kind == kinds.SEAT
                and m.organisation == change.chamber
                and same_seat(m.role, seat_role(change.chamber, change.constituency))
                and (m.start or datetime.date.min) < change.date <= (m.end or datetime.date.max)
            ):
                m.end = change.date - ONE_DAY
                m.source += f"; vacated before the by-election of {change.date}: {change.source}"
        for term in person.terms:
            if (
                person is not winner
                and term.chamber == change.chamber
                and same_seat(term.constituency, change.constituency)
                and _covers(term, change.date)
            ):
                term.end = change.date - ONE_DAY
                term.source += f"; vacated before the by-election of {change.date}: {change.source}"


def derive(person: PersonFact, changes: list[Change]) -> list[MembershipFact]:
    """Seat, party and whip spans from a person's terms and changes."""
    from archive.knowledge.loader import MembershipFact

    terms = sorted(person.terms, key=lambda t: t.start or datetime.date.min)
    for change in changes:
        if change.change == "vacated":
            for term in terms:
                if (
                    term.chamber == change.chamber
                    and same_seat(term.constituency, change.constituency)
                    and _covers(term, change.date)
                ):
                    term.end = change.date
    seats: list[MembershipFact] = []
    for term in terms:
        role = seat_role(term.chamber, term.constituency)
        # The same seat's last span: terms of other chambers may come between.
        last = next((s for s in reversed(seats) if s.organisation == term.chamber), None)
        if (
            last
            and same_seat(last.role, role)
            and last.elected_for == term.party
            and last.end
            and term.start
            and term.start - last.end <= RE_ELECTION_GAP
        ):
            last.end = term.end
            continue
        seats.append(
            MembershipFact(term.chamber, role, term.start, term.end, kinds.SEAT, term.party, source=term.source)
        )
    for change in changes:
        if change.change == "vacated":
            for seat in seats:
                if (
                    seat.organisation == change.chamber
                    and same_seat(seat.role, seat_role(change.chamber, change.constituency))
                    and seat.end == change.date
                ):
                    seat.end_reason, seat.source = change.reason, f"{seat.source}; vacated: {change.source}"
    _end_barred_seats_at_election_to_the_commons(seats, person)

    # Party: each party the person was elected for or joined is one span from the first
    # time the data shows it, open until something in the data ends it.
    events = [(t.start or datetime.date.min, 2, "seen", t.party, "", t.source) for t in terms if t.party]
    events += [(c.date, 1, c.change, c.party, c.reason, c.source) for c in changes if c.change in ("joined", "left")]
    events += [(c.date, 0, "died", "", "died", c.source) for c in changes if c.reason == "died"]
    parties: list[MembershipFact] = []
    current: MembershipFact | None = None
    for when, _, what, party, reason, source in sorted(events, key=lambda e: (e[0], e[1])):
        if what in ("left", "died"):
            if current and (what == "died" or current.organisation == party):
                current.end, current.end_reason, current.source = (
                    when,
                    reason or "left",
                    f"{current.source}; ended: {source}",
                )
                current = None
            continue
        if current and current.organisation == party:
            continue
        if current:
            current.end = when - ONE_DAY
            current.end_reason = "defected"
            current.source += f"; then {'joined' if what == 'joined' else 'elected for'} {party}: {source}"
        start = None if when == datetime.date.min else when
        note = f"joined: {source}" if what == "joined" else f"party from seat: {source}"
        current = MembershipFact(party, "member", start, None, kinds.PARTY, source=note)
        parties.append(current)

    # The whip: independent terms in the data, and whip removed / restored rows.
    whips: list[MembershipFact] = []
    for term in terms:
        if not term.party:
            last = next((w for w in reversed(whips) if w.organisation == term.chamber), None)
            if last and last.end and term.start and term.start - last.end <= RE_ELECTION_GAP:
                last.end = term.end
            else:
                whips.append(
                    MembershipFact(term.chamber, "independent", term.start, term.end, kinds.WHIP, source=term.source)
                )
    for change in sorted((c for c in changes if c.change.startswith("whip_")), key=lambda c: c.date):
        if change.change == "whip_removed":
            # The party's whip suspended (or given up) while its membership goes on; one
            # lost on the day they left the party is just sitting as an independent.
            left = any(c.change == "left" and c.party == change.party and c.date == change.date for c in changes)
            status = "resigned" if change.reason == "whip_resigned" else "suspended"
            whips.append(
                MembershipFact(
                    change.party if change.party and not left else change.chamber,
                    kinds.WHIP_STATUSES[status] if change.party and not left else "independent",
                    change.date,
                    None,
                    kinds.WHIP,
                    source=f"whip of {change.party or 'their party'} removed ({change.reason or 'whip_removed'}): {change.source}",
                )
            )
        else:
            for whip in whips:
                if whip.end is None and (whip.start or datetime.date.min) <= change.date:
                    whip.end, whip.end_reason = change.date - ONE_DAY, "whip_restored"
                    whip.source += f"; restored: {change.source}"
    _end_whips_with_membership(whips, parties)
    return seats + parties + whips


def _end_barred_seats_at_election_to_the_commons(seats: list[MembershipFact], person: PersonFact) -> None:
    """An MLA elected to the Commons since the dual mandate ban left the Assembly: the
    Assembly files of 2017 do not record it (Claire Hanna, Colum Eastwood, elected MPs in 2019)."""
    commons = [s for s in seats if s.organisation == COMMONS] + [
        m for m in person.memberships if m.organisation == COMMONS and m.kind == kinds.SEAT
    ]
    for seat in seats:
        since = NO_DUAL_MANDATE.get(seat.organisation)
        if since is None or (seat.start or since) < since:
            continue
        # An end the files give within weeks of the election stands: it is the exact day.
        later = [
            c.start
            for c in commons
            if c.start
            and (seat.start or since) < c.start
            and (seat.end or datetime.date.max) - c.start > RE_ELECTION_GAP
        ]
        if later:
            seat.end, seat.end_reason = min(later) - ONE_DAY, "resigned"
            seat.source += f"; left on election to the Commons on {min(later)} (no dual mandate since {since})"


def _end_whips_with_membership(whips: list[MembershipFact], parties: list[MembershipFact]) -> None:
    """A party's whip withheld from a member ends when they leave the party (the 2019
    rebels who then joined the Liberal Democrats): it is not withheld from a non-member."""
    for whip in whips:
        for party in parties:
            if (
                whip.organisation == party.organisation
                and party.end
                and (party.start or datetime.date.min) <= (whip.start or datetime.date.min) <= party.end
                and (whip.end is None or whip.end > party.end)
            ):
                whip.end, whip.end_reason = party.end, party.end_reason
                whip.source += f"; ended when they left the party: {party.source}"
