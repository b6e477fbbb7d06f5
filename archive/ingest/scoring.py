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
