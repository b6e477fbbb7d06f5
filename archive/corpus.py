"""A reproducible synthetic corpus for the benchmark: files that `ingest` reads.

Seeded, so the same (count, seed) writes byte-identical files. Words come from the demo
articles with their own frequencies (a realistic, Zipf-like mix) plus a long tail of rare
made-up words; articles are 250-1,400 words, dated 2010-2026 in the formats pages use,
name people and parties from the knowledge base (and people it does not know), quote
them, and carry site furniture (mastheads, share bars, newsletter blurbs, captions).
Nothing here is real reporting: it is text with the shape of reporting.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FILES_PER_FOLDER = 1000
RARE_WORDS_PER_ARTICLE = 2
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "za",
    "ze",
    "zi",
    "zo",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MASTHEADS = [
    ("The Westminster Ledger", "Home | Politics | Opinion | Business | Subscribe"),
    ("Red Rose Review", "News | Comment | Branch Life | About | Donate"),
    ("Northern Despatch", "News | Sport | What's On | Politics | Letters"),
    ("The Civic Post", "UK | World | Politics | Money | Culture"),
]
FURNITURE = [
    "Share this article: Facebook | X | WhatsApp | Email",
    "Sign up to our politics newsletter, every weekday morning in your inbox.",
    "(Picture: PA Wire)",
    "image copyrightGetty Images",
    "We use cookies to improve your experience. Accept all | Manage preferences",
    "Most read",
    "Related: Read more from our politics team",
    "Comments are closed on this article.",
]
QUOTE_VERBS = ["said", "told reporters", "added", "told the BBC", "insisted", "warned"]
TOPICS = [
    "welfare cuts",
    "the NHS",
    "a by-election",
    "the budget",
    "council tax",
    "immigration",
    "the leadership",
    "the general election",
    "housing targets",
    "the two-child limit",
]
HEADLINE_VERBS = ["attacks", "defends", "backs", "rejects", "warns over", "faces questions on", "pledges to fix"]


@dataclass(frozen=True)
class CorpusPerson:
    name: str
    surname: str


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    cum_weights: list[int]


def rare_word(number: int) -> str:
    """The made-up word given to articles ``3 * number`` to ``3 * number + 2``: each such
    word is in at most three articles, so a search for it finds few results."""
    rng = random.Random(f"rare-{number}")
    return "".join(rng.choice(SYLLABLES) for _ in range(4)) + "x"


def vocabulary(demo_dir: Path) -> Vocabulary:
    counts = Counter()
    for path in sorted(demo_dir.glob("*.txt")):
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][a-z']+", path.read_text(encoding="utf-8")))
    words = sorted(counts)
    return Vocabulary(words, list(itertools.accumulate(counts[w] for w in words)))


def cast(knowledge, rng: random.Random, new_people: int = 400):
    """People from the knowledge base who belong to a party, plus new names made from
    known first names and surnames (people the knowledge base does not know)."""
    people = [
        CorpusPerson(p.name, p.name.split()[-1])
        for p in knowledge.people
        if len(p.name.split()) >= 2 and any(m.organisation.endswith("party") for m in p.memberships)
    ]
    firsts = sorted({p.name.split()[0] for p in people})
    surnames = sorted({p.surname for p in people})
    known = {p.name for p in people}
    invented = []
    while len(invented) < new_people:
        name = f"{rng.choice(firsts)} {rng.choice(surnames)}"
        if name not in known:
            known.add(name)
            invented.append(CorpusPerson(name, name.split()[-1]))
    parties = [o.name for o in knowledge.organisations if o.kind == "party"]
    return people, invented, parties


class ArticleWriter:
    def __init__(self, vocab: Vocabulary, people, invented, parties, seed: int):
        self.vocab = vocab
        self.people = people
        self.invented = invented
        self.parties = parties
        self.seed = seed
        self.popularity = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(people))))

    def words(self, rng, n: int) -> list[str]:
        return rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights, k=n)

    def sentence(self, rng, n: int | None = None) -> str:
        words = self.words(rng, n or rng.randint(8, 28))
        return " ".join(words).capitalize() + "."

    def article(self, number: int) -> tuple[str, str]:
        """(file name, text) of article ``number``."""
        rng = random.Random(f"{self.seed}-{number}")
        # Popular people are named far more often than the rest, as in real coverage.
        cast = [rng.choices(self.people, cum_weights=self.popularity)[0]]
        cast += rng.sample(self.people, k=rng.randint(0, 3))
        if rng.random() < 0.4:
            cast.append(rng.choice(self.invented))
        cast = list(dict.fromkeys(cast))
        parties = rng.sample(self.parties[:8], k=rng.randint(1, 3))
        day = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(17 * 365))
        lead = cast[0]
        headline = (
            f"{lead.name} {rng.choice(HEADLINE_VERBS)} {rng.choice(TOPICS)} as {parties[0]} "
            f"{rng.choice(['regroups', 'divides', 'gains ground', 'loses support'])}"
        )
        rare = [rare_word(number // 3)] + [rare_word(rng.randrange(100000)) for _ in range(RARE_WORDS_PER_ARTICLE - 1)]
        paragraphs = []
        for index in range(rng.randint(4, 14)):
            sentences = [self.sentence(rng) for _ in range(rng.randint(2, 4))]
            person = cast[index % len(cast)]
            if index < len(cast) or rng.random() < 0.4:
                mention = person.name if index < len(cast) else person.surname
                sentences.insert(
                    rng.randrange(len(sentences) + 1),
                    f"{mention} {rng.choice(['said', 'argued', 'has said'])} that {parties[index % len(parties)]} "
                    + " ".join(self.words(rng, rng.randint(6, 14)))
                    + ".",
                )
            if rng.random() < 0.3:
                quote = " ".join(self.words(rng, rng.randint(6, 20))).capitalize()
                sentences.append(f"“{quote},” {person.surname} {rng.choice(QUOTE_VERBS)}.")
            if rare and rng.random() < 0.3:
                sentences.append(f"The {rare.pop()} question came up again.")
            paragraphs.append(" ".join(sentences))
        paragraphs.extend(f"The {word} question came up again." for word in rare)
        masthead, menu = rng.choice(MASTHEADS)
        byline = f"By {rng.choice(self.invented).name}" if rng.random() < 0.7 else ""
        date_line = rng.choice(
            [
                f"Published {day.day} {MONTHS[day.month - 1]} {day.year}",
                f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}",
                f"Posted on {day.day} {MONTHS[day.month - 1]} {day.year}",
                f"{day:%d/%m/%Y}",
            ]
        )
        furniture = rng.sample(FURNITURE, k=3)
        body = "\n\n".join(paragraphs[:2] + [furniture[0]] + paragraphs[2:])
        lines = [masthead, menu, "", headline, "", byline, date_line, "", body, "", furniture[1], furniture[2]]
        text = "\n".join(line for line in lines if line is not None) + "\n"
        return f"{number // FILES_PER_FOLDER:04d}/article-{number:07d}.txt", text


def write_corpus(count: int, target: Path, *, seed: int = 13, demo_dir: Path | None = None) -> list[Path]:
    """Write ``count`` articles under ``target`` (1,000 per folder); returns their paths."""
    from django.conf import settings

    from archive.knowledge.loader import read_knowledge

    rng = random.Random(seed)
    people, invented, parties = cast(read_knowledge(), rng)
    writer = ArticleWriter(vocabulary(demo_dir or Path(settings.BASE_DIR) / "demo"), people, invented, parties, seed)
    paths = []
    for number in range(count):
        name, text = writer.article(number)
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
