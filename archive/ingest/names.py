"""The shape of people's names: honorifics, first names, tokens that are never names."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "data"

HONORIFICS = {
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Baroness",
    "Baron",
    "Cllr",
    "Coun",
    "Councillor",
    "Dr",
    "Prof",
    "Professor",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Rev",
    "Reverend",
    "Canon",
    "Rabbi",
    "Imam",
}

# One token of a name (a regular expression, not a secret).
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"
NAME_TOKEN = (  # noqa: S105 (a regular expression, not a secret)
    rf"(?:Mc[{UPPER}][{LOWER}]+|Mac[{UPPER}][{LOWER}]+|O['’][{UPPER}][{LOWER}]+|"
    rf"[{UPPER}][{LOWER}]+(?:['’-][{UPPER}]?[{LOWER}]+)*|[{UPPER}]\.|Ó|Ní|Nic|Mhic|Uí)"
)
PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "bin",
    "al",
    "ap",
    "ab",  # Welsh, before a vowel: Rhys ab Owen
    "da",
    "di",
    "le",
    "la",
    "du",
    "St",
    "Ó",
    "Ní",
    "Nic",
    "Mhic",
    "Uí",
}


def word_file(name: str) -> frozenset[str]:
    """The words of a word list in the knowledge base's data folder ('#' lines are comments)."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


# Capitalised words that are never part of a person's name: places, institutions, days,
# months and the words of titles and organisations. They end a name candidate.
NOT_NAME_TOKENS = frozenset(
    line.strip()
    for line in (DATA_DIR / "not_name_words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

SENTENCE_STARTERS = {
    "Speaking",
    "Asked",
    "Writing",
    "According",
    "Meanwhile",
    "However",
    "Although",
    "Despite",
    "Earlier",
    "Later",
    "Today",
    "Yesterday",
    "Tonight",
    "Last",
    "Next",
    "Former",
    "Veteran",
    "Senior",
    "Labour's",
    "Only",
    "Even",
    "Both",
    "Many",
    "Some",
    "Several",
    "Every",
    "Each",
    "Councillors",
    "Campaigners",
    "Protesters",
    "Critics",
    "Sources",
    "Supporters",
    "Voters",
    "Activists",
    "Officials",
    "Ministers",
    "Unions",
    "Residents",
    "Members",
    "Party",
}


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Known first names: gender-guesser's international name dictionary (about 45,000
    names) without the place names it also lists ("Sheffield", "Preston": they head place
    phrases far more often than people in our news), plus our own list of names it lacks
    or that are places too (data/first_names.txt: "Ross", "Angus", "Gordon")."""
    import gender_guesser.detector as detector

    dictionary = {n for n in detector.Detector(case_sensitive=True).names if n[:1].isupper()}
    ours = {
        line.strip()
        for line in (DATA_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return frozenset((dictionary - NOT_NAME_TOKENS - place_words()) | ours)


@functools.lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Words of UK constituency names (from the knowledge base's Commons data)."""
    import csv

    path = DATA_DIR / "commons_1997_2019.csv"
    if not path.exists():
        return frozenset()
    with path.open(newline="", encoding="utf-8") as handle:
        constituencies = {row["constituency"] for row in csv.DictReader(handle)}
    return frozenset(word for name in constituencies for word in name.replace(",", " ").split() if word[:1].isupper())


def is_first_name(token: str) -> bool:
    return token in first_names()


def split_name(name: str) -> tuple[str, str]:
    """(first name, surname) of a canonical full name; particles stay with the surname."""
    tokens = name.split()
    if len(tokens) == 1:
        return "", tokens[0]
    surname_start = len(tokens) - 1
    while surname_start > 1 and tokens[surname_start - 1] in PARTICLES:
        surname_start -= 1
    return tokens[0], " ".join(tokens[surname_start:])


def sort_name(name: str) -> str:
    first, surname = split_name(name)
    return f"{surname}, {first}" if first else surname


# Letters that do not decompose into a base letter and accents (NFKD), folded by hand.
FOLDED_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def sort_key(sort_name: str) -> str:
    """The people list's alphabetical key for a sort name ('Starmer, Keir'): lower case,
    accents folded (Ó Briain files under o), apostrophes and hyphens closed up
    (O'Brien = obrien, Rees-Mogg = reesmogg), anything else that is not a letter, a digit
    or the comma turned into one space. A Latin-script name becomes only a-z, 0-9, space
    and comma, which every collation (C, SQLite's binary, ICU) orders alike, so the order
    is the key's, not the database's. (Letters of other scripts are kept as they are;
    among themselves those may still order by the database's collation.)"""
    text = unicodedata.normalize("NFKD", sort_name.casefold()).translate(FOLDED_LETTERS)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’‘`´\-‐‑–]", "", text)
    text = re.sub(r"[^\w,]+|_", " ", text)
    return re.sub(r" *, *", ", ", text).strip(" ,")


def titlecase_name(text: str) -> str:
    """'JASON GROVES' -> 'Jason Groves'; mixed-case names are left as written."""
    if text.isupper():
        return " ".join(
            re.sub(r"^(Mc|O')([a-z])", lambda m: m[1] + m[2].upper(), part.capitalize()) for part in text.split()
        )
    return text


def looks_like_person_name(text: str, *, require_first_name: bool = True) -> bool:
    """Two to four capitalised tokens, none an institution word, starting with a known
    first name (unless ``require_first_name`` is False)."""
    tokens = text.replace("’", "'").split()
    if not 2 <= len(tokens) <= 4:
        return False
    if any(t in NOT_NAME_TOKENS for t in tokens):
        return False
    if not all(re.fullmatch(NAME_TOKEN, t) or t in PARTICLES for t in tokens):
        return False
    return is_first_name(tokens[0]) or not require_first_name


@functools.lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=4096)
def gender(first_name: str) -> str:
    """'male', 'female', 'mostly_male', 'mostly_female' (Kim, Sam, Robin, Lindsay) or ''
    (unknown, or used for both) for a first name, from gender-guesser's dictionary."""
    if not first_name:
        return ""
    guess = _gender_detector().get_gender(first_name)
    return guess if guess in ("male", "female", "mostly_male", "mostly_female") else ""
