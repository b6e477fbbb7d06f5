"""What kind of membership a (organisation, role) pair is: a seat, party membership, the
whip or a role. Used by the data files (a row without ``kind:``) and by migration 0003,
which sorted the rows loaded before kinds existed, so keep it pure and stable."""

import re

SEAT = "seat"
PARTY = "party"
WHIP = "whip"
ROLE = "role"
KINDS = (SEAT, PARTY, WHIP, ROLE)
# Holding these is being in office: what tells apart two people of one name on a date.
OFFICES = (SEAT, ROLE)

# 'MP for Islington North', 'MSP for Glasgow Kelvin', 'MS for ...', 'MLA for ...', 'councillor',
# 'life peer': a seat in a chamber or on a council.
SEAT_ROLE = re.compile(r"^(MP|MSP|MS|AM|MLA|MEP|councillor|(life |hereditary )?peer)\b", re.IGNORECASE)
# Being in a party, including while suspended from it or without its whip.
PARTY_ROLES = {"member", "suspended member", "member without the whip"}
# Sitting as an independent, or a party's whip taken or withdrawn.
WHIP_ROLES = {"independent", "whip", "whip suspended", "whip withdrawn", "whip resigned"}
# A party's whip withdrawn or given up while the party membership goes on: the role of a
# whip row whose organisation is the party, by the ``status:`` a data file gives it.
WHIP_STATUSES = {"suspended": "whip suspended", "resigned": "whip resigned"}
WITHOUT_WHIP_ROLES = {"whip suspended", "whip withdrawn", "whip resigned"}
# The end reasons that say someone really left a party (a suspension is not leaving).
LEFT_REASONS = {"left", "defected", "expelled", "died"}


def infer_kind(organisation_kind: str, role: str) -> str:
    role = role.strip().casefold()
    if SEAT_ROLE.match(role) or (organisation_kind == "parliament" and role == "member"):
        return SEAT
    if role in WHIP_ROLES:
        return WHIP
    if organisation_kind == "party" and role in PARTY_ROLES:
        return PARTY
    return ROLE


# Why a membership ended: the values of Membership.end_reason, with their labels.
END_REASONS = {
    "left": "Left",
    "defected": "Joined another party",
    "expelled": "Expelled",
    "suspended": "Suspended",
    "whip_removed": "Whip removed",
    "whip_resigned": "Gave up the whip",
    "whip_restored": "Whip restored",
    "died": "Died",
    "resigned": "Resigned",
    "stood_down": "Stood down",
    "defeated": "Lost the seat",
    "replaced": "Replaced",
}
