"""Score extraction against a gold file (the format of shared/seeds-gold.json).

Entity fields (people, parties, organisations) get micro-averaged precision, recall and
F1 over the whole set; names in the gold's ``optional_*`` lists are neither required nor
penalised. Title, author, date and source get accuracy, with the gold's "acceptable"
alternatives and its rule that a null title accepts any short fallback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ENTITY_FIELDS = ("people", "parties", "organisations")
SCALAR_FIELDS = ("title", "author", "date", "source")
MAX_FALLBACK_TITLE = 160


def norm(value) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(
        str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    )
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int = 0
    total: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Score:
    fields: dict[str, FieldScore] = field(
        default_factory=lambda: {f: FieldScore() for f in ENTITY_FIELDS + SCALAR_FIELDS}
    )
    errors: list[str] = field(default_factory=list)


def _scalar_right(name: str, gold: dict, predicted) -> bool:
    expected = gold.get(name)
    acceptable = {norm(v) for v in gold.get(f"{name}_acceptable", [])}
    got = norm(predicted)
    if name == "title" and expected is None:
        return 0 < len(got) <= MAX_FALLBACK_TITLE
    if expected is None:
        return got == "" or got in acceptable
    return got == norm(expected) or got in acceptable


def score(gold_articles: list[dict], predictions: dict[str, dict]) -> Score:
    """``predictions`` maps file name to an export row (see pipeline.as_export_row)."""
    result = Score()
    by_base_name = {Path(name).name: row for name, row in predictions.items()}
    for gold in gold_articles:
        predicted = predictions.get(gold["file"]) or by_base_name.get(Path(gold["file"]).name)
        if predicted is None:
            result.errors.append(f"{gold['file']}: no prediction (file not ingested?)")
            predicted = {}
        for name in ENTITY_FIELDS:
            expected = {norm(v) for v in gold.get(name, [])}
            optional = {norm(v) for v in gold.get(f"optional_{name}", [])}
            got = {norm(v) for v in predicted.get(name, [])} - optional
            fs = result.fields[name]
            fs.tp += len(got & expected)
            fs.fp += len(got - expected)
            fs.fn += len(expected - got)
            for missing in sorted(expected - got):
                result.errors.append(f"{gold['file']}: {name}: missed {missing!r}")
            for extra in sorted(got - expected):
                result.errors.append(f"{gold['file']}: {name}: wrongly found {extra!r}")
        for name in SCALAR_FIELDS:
            fs = result.fields[name]
            fs.total += 1
            if _scalar_right(name, gold, predicted.get(name)):
                fs.right += 1
            else:
                result.errors.append(
                    f"{gold['file']}: {name}: expected {gold.get(name)!r}, got {predicted.get(name)!r}"
                )
    return result


def format_score(result: Score) -> str:
    lines = [f"{'field':<14} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for name in ENTITY_FIELDS:
        fs = result.fields[name]
        lines.append(
            f"{name:<14} {fs.precision:>9.3f} {fs.recall:>7.3f} {fs.f1:>6.3f}  (tp {fs.tp}, fp {fs.fp}, fn {fs.fn})"
        )
    lines.append(f"{'field':<14} {'accuracy':>9}")
    for name in SCALAR_FIELDS:
        fs = result.fields[name]
        lines.append(f"{name:<14} {fs.accuracy:>9.3f}  ({fs.right}/{fs.total})")
    return "\n".join(lines)


# ------------------------------------------------------------------ real third-party pages
#
# The real pages' gold (shared/realpages/*/gold.json) adds conventions to the seeds': " | "
# separates spellings of one entity, ``boilerplate_*`` and ``people_partial`` are neither
# required nor penalised (like ``optional_*``), ``source_original`` names the original
# publisher of a syndicated copy. The figures are the ones the real-pages issue asks for.


def alternatives(value) -> set[str]:
    """'BBC | BBC News' -> {'bbc', 'bbc news'}: spellings that count as the same."""
    return {norm(part) for part in str(value).split(" | ") if part.strip()}


def neutral_names(gold: dict, name: str) -> set[str]:
    """Names that are neither required nor penalised for an entity field."""
    lists = [f"optional_{name}", f"boilerplate_{name}"] + (["people_partial"] if name == "people" else [])
    return {alt for key in lists for value in gold.get(key, []) for alt in alternatives(value)}


def entity_counts(gold: dict, predicted: list[str], name: str) -> tuple[int, int, int, list[str]]:
    """(tp, fp, fn, error lines) of one page's entity field, alternatives and neutral
    lists honoured: each gold entity is found once whichever spelling is used."""
    wanted = [alternatives(value) for value in gold.get(name, [])]
    neutral = neutral_names(gold, name)
    got = {norm(v) for v in predicted}
    found = [spellings for spellings in wanted if spellings & got]
    known = set().union(*wanted) if wanted else set()
    extra = sorted(got - known - neutral)
    missed = [sorted(s)[0] for s in wanted if not s & got]
    errors = [f"{name}: missed {m!r}" for m in missed] + [f"{name}: wrongly found {e!r}" for e in extra]
    return len(found), len(extra), len(missed), errors


def _accepted(gold: dict, name: str) -> set[str]:
    values = [gold.get(name)] if gold.get(name) is not None else []
    return {alt for value in values + list(gold.get(f"{name}_acceptable", [])) for alt in alternatives(value)}


def names_publication(gold: dict, text: str) -> bool:
    """Whether a page's own text names its publication (the gold ``source``, one of its
    ``source_acceptable`` spellings or, for a syndicated copy, ``source_original``).
    A one-word name counts only as written ('Mail', 'Standard' are words too); longer
    names, dotted domains and CamelCase names count in any case."""
    names = [gold.get("source"), gold.get("source_original"), *gold.get("source_acceptable", [])]
    for name in filter(None, names):
        bare = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
        flags = 0 if " " not in bare and "." not in bare and bare[1:].islower() else re.IGNORECASE
        if re.search(rf"(?<![\w.]){re.escape(bare)}(?![\w])", text, flags):
            return True
    return False


@dataclass
class Rate:
    """``hits`` of ``total`` pages."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.2f} ({self.hits}/{self.total})"


@dataclass
class RealPageScore:
    headline: Rate = field(default_factory=Rate)  # right, of pages that have one
    bylines_found: Rate = field(default_factory=Rate)  # of pages that state one
    bylines_invented: Rate = field(default_factory=Rate)  # of pages that state none
    dates_found: Rate = field(default_factory=Rate)
    dates_invented: Rate = field(default_factory=Rate)
    source_named: Rate = field(default_factory=Rate)  # right, of pages whose text names it
    source_any: Rate = field(default_factory=Rate)  # right, of all pages
    entities: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in ENTITY_FIELDS})
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "headline": self.headline.value,
            "bylines_found": self.bylines_found.value,
            "bylines_invented": self.bylines_invented.value,
            "dates_found": self.dates_found.value,
            "dates_invented": self.dates_invented.value,
            "source_named": self.source_named.value,
            **{name: fs.f1 for name, fs in self.entities.items()},
        }


def _found_or_invented(gold: dict, name: str, got, found: Rate, invented: Rate) -> str:
    """Count one page's byline or date; returns an error line or ''."""
    value = norm(got)
    if gold.get(name) is not None:
        found.total += 1
        if value in _accepted(gold, name):
            found.hits += 1
            return ""
        return f"{name}: expected {gold[name]!r}, got {got!r}"
    invented.total += 1
    if value and value not in _accepted(gold, name):
        invented.hits += 1
        return f"{name}: invented {got!r} (none stated)"
    return ""


def score_real_pages(gold_articles: list[dict], predictions: dict[str, dict], texts: dict[str, str]) -> RealPageScore:
    """The real-pages figures: ``predictions`` as for ``score``, ``texts`` maps a file
    name to the page's text (to tell whether it names its publication)."""
    result = RealPageScore()
    for gold in gold_articles:
        file = gold["file"]
        predicted = predictions.get(file)
        if predicted is None:
            result.errors.append(f"{file}: no prediction (file not ingested?)")
            predicted = {}
        errors = []
        for name in ENTITY_FIELDS:
            tp, fp, fn, lines = entity_counts(gold, predicted.get(name, []), name)
            fs = result.entities[name]
            fs.tp, fs.fp, fs.fn = fs.tp + tp, fs.fp + fp, fs.fn + fn
            errors += lines
        if gold.get("title") is not None:
            result.headline.total += 1
            if _scalar_right("title", gold, predicted.get("title")):
                result.headline.hits += 1
            else:
                errors.append(f"title: expected {gold['title']!r}, got {predicted.get('title')!r}")
        errors.append(
            _found_or_invented(gold, "author", predicted.get("author"), result.bylines_found, result.bylines_invented)
        )
        errors.append(
            _found_or_invented(gold, "date", predicted.get("date"), result.dates_found, result.dates_invented)
        )
        source_right = norm(predicted.get("source")) in _accepted(gold, "source") | _accepted(gold, "source_original")
        result.source_any.total += 1
        result.source_any.hits += source_right
        if names_publication(gold, texts.get(file, "")):
            result.source_named.total += 1
            result.source_named.hits += source_right
            if not source_right:
                errors.append(f"source: expected {gold.get('source')!r}, got {predicted.get('source')!r}")
        result.errors += [f"{file}: {line}" for line in errors if line]
    return result


def format_real_page_score(result: RealPageScore) -> str:
    lines = [
        f"headline right (pages that have one)     {result.headline}",
        f"bylines found (of those stated)          {result.bylines_found}",
        f"bylines invented (where none is stated)  {result.bylines_invented}",
        f"dates found (of those stated)            {result.dates_found}",
        f"dates invented (where none is stated)    {result.dates_invented}",
        f"source right (pages naming it)           {result.source_named}",
        f"source right (all pages)                 {result.source_any}",
    ]
    for name, fs in result.entities.items():
        lines.append(
            f"{name + ' F1':<40} {fs.f1:.2f}  (precision {fs.precision:.2f}, recall {fs.recall:.2f}; "
            f"tp {fs.tp}, fp {fs.fp}, fn {fs.fn})"
        )
    return "\n".join(lines)


def held_out(file_name: str) -> bool:
    """Whether a real page is held out: its number is a multiple of three (003, 006 ...)."""
    match = re.match(r"(\d+)", Path(file_name).name)
    return bool(match) and int(match.group(1)) % 3 == 0


@dataclass
class FolderRun:
    """A folder of pages parsed for scoring: its gold, the predictions and the timings."""

    gold: list[dict]
    predictions: dict[str, dict] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    milliseconds: list[float] = field(default_factory=list)  # extraction time per page
    skipped: list[str] = field(default_factory=list)


def read_gold(path: Path) -> list[dict]:
    """The gold articles of a gold file: a list (real pages) or {"articles": [...]}."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else data["articles"]


def run_folder(folder: Path, gold_path: Path, gazetteer, part: str = "all") -> FolderRun:
    """Parse every page of ``folder`` (``part``: 'all', 'held-out' or 'tuned' real
    pages) with the extractor, without saving. Raises RejectedFile for a bad folder."""
    import time

    from archive.ingest.pipeline import as_export_row, parse_document
    from archive.ingest.read import RejectedFile, find_files, read_path

    def wanted(name: str) -> bool:
        return part == "all" or held_out(name) == (part == "held-out")

    run = FolderRun([g for g in read_gold(gold_path) if wanted(g["file"])])
    for path in find_files([folder]):
        if path.resolve() == gold_path.resolve() or not wanted(path.name):
            continue
        try:
            documents = read_path(path)
            for document in documents:
                started = time.perf_counter()
                parsed = parse_document(document, gazetteer)
                run.milliseconds.append((time.perf_counter() - started) * 1000)
                run.predictions[parsed.file_name] = as_export_row(parsed)
                run.texts[parsed.file_name] = document.text
        except RejectedFile as exc:
            run.skipped.append(f"{exc.path}: {exc.reason}")
    return run


# ------------------------------------------------------------------------------ quotes
#
# Gold quotes are ``{"speaker": name | organisation | null, "starts": "first words"}``
# with optional ``speaker_acceptable`` (null there: unattributed is acceptable). A found
# quote matches a gold quote when its first words are the gold's ``starts``.

QUOTE_MATCH_WORDS = 6


def quote_words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)*", norm(text))


@dataclass
class QuoteScore:
    gold: int = 0  # gold quotes
    found: int = 0  # gold quotes matched by a found quote
    predicted: int = 0  # quotes the extractor found
    matching: int = 0  # found quotes that match a gold quote
    speaker_right: int = 0  # matched quotes with an acceptable speaker (or none when none is right)
    miscredited: int = 0  # matched quotes credited to someone who did not say them
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matching / self.predicted if self.predicted else 1.0

    @property
    def attribution(self) -> float:
        return self.speaker_right / self.found if self.found else 1.0

    @property
    def miscredit_rate(self) -> float:
        return self.miscredited / self.found if self.found else 0.0


def _quote_matches(gold_quote: dict, found_text: str) -> bool:
    expected = quote_words(gold_quote["starts"])[:QUOTE_MATCH_WORDS]
    return bool(expected) and quote_words(found_text)[: len(expected)] == expected


def _speaker_verdict(gold_quote: dict, speaker) -> str:
    """'right', 'unattributed' (no speaker where one was wanted) or 'wrong'."""
    accepted = set()
    for name in [gold_quote.get("speaker"), *gold_quote.get("speaker_acceptable", [])]:
        accepted.update([None] if name is None else (norm(n) for n in name.split(" | ")))
    got = norm(speaker) or None
    if got in accepted:
        return "right"
    return "unattributed" if got is None else "wrong"


def score_quotes(gold_articles: list[dict], predictions: dict[str, dict]) -> QuoteScore:
    """Quote recall, precision and attribution over the gold articles that list quotes."""
    result = QuoteScore()
    by_base_name = {Path(name).name: row for name, row in predictions.items()}
    for gold in gold_articles:
        if "quotes" not in gold:
            continue
        predicted = predictions.get(gold["file"]) or by_base_name.get(Path(gold["file"]).name) or {}
        found_quotes = list(predicted.get("quotes", []))
        used: set[int] = set()
        result.gold += len(gold["quotes"])
        result.predicted += len(found_quotes)
        for gold_quote in gold["quotes"]:
            index = next(
                (i for i, q in enumerate(found_quotes) if i not in used and _quote_matches(gold_quote, q["text"])),
                None,
            )
            if index is None:
                result.errors.append(f"{gold['file']}: quotes: missed {gold_quote['starts']!r}")
                continue
            used.add(index)
            result.found += 1
            speaker = found_quotes[index].get("speaker")
            verdict = _speaker_verdict(gold_quote, speaker)
            if verdict == "right":
                result.speaker_right += 1
            else:
                result.miscredited += verdict == "wrong"
                result.errors.append(
                    f"{gold['file']}: quotes: {gold_quote['starts']!r} credited to {speaker!r}, "
                    f"expected {gold_quote.get('speaker')!r}"
                )
        result.matching += len(used)
        for i, q in enumerate(found_quotes):
            if i not in used:
                result.errors.append(
                    f"{gold['file']}: quotes: not a gold quote {q['text'][:50]!r} ({q.get('speaker')!r})"
                )
    return result


def format_quote_score(result: QuoteScore) -> str:
    return (
        f"quotes         found {result.recall:.3f} ({result.found}/{result.gold}), "
        f"precision {result.precision:.3f} ({result.matching}/{result.predicted}), "
        f"speaker right {result.attribution:.3f} ({result.speaker_right}/{result.found}), "
        f"miscredited {result.miscredit_rate:.3f} ({result.miscredited}/{result.found})"
    )
